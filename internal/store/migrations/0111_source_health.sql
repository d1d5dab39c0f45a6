-- One row per source per crawl run: the verdict of the source-health rules
-- after that run. healthy = 1 when no rule fired; problems lists the rules
-- that did ("layout", "denied", ...) and detail says what each saw, one
-- line per problem; last_good and last_good_run are the source's last
-- healthy run. Ops incidents about sources are in incidents with the
-- topic "source:NAME".
CREATE TABLE IF NOT EXISTS {db}.source_health
(
    source       String,
    at           DateTime,
    run_id       String,
    healthy      UInt8,
    problems     Array(String),
    detail       String,
    broken_since DateTime,
    last_good    DateTime,
    last_good_run String
)
ENGINE = MergeTree()
PARTITION BY toYYYYMM(at)
ORDER BY (source, at)
