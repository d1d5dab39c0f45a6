-- What drives each incident, as its messages said: the window's
-- distinctive terms (kind 'term') and the themes of its negative posts
-- (kind 'theme'), one row per item per message with evidence. Rows written
-- again for the same message replace each other.
CREATE TABLE IF NOT EXISTS {db}.incident_drivers
(
    incident_id    String,
    topic          String,
    at             DateTime,
    window_start   DateTime,
    kind           String,
    rank           UInt16,
    text           String,
    posts          UInt32,
    baseline_posts UInt32,
    z              Float64,
    log_odds       Float64,
    share          Float64,
    example        String
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(at)
ORDER BY (topic, incident_id, at, kind, rank)
