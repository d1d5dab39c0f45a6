-- One row per source per crawl run.
CREATE TABLE IF NOT EXISTS {db}.crawl_runs
(
    run_id      String,
    source      String,
    started     DateTime,
    finished    DateTime,
    pages       UInt32,
    posts       UInt32,
    new_posts   UInt32,
    errors      UInt32,
    last_error  String,
    high_water  DateTime
)
ENGINE = MergeTree()
PARTITION BY toYYYYMM(started)
ORDER BY (source, started)
