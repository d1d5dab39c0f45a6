-- One row per version of an alert incident: one topic's episode from the
-- first rule that fired to its resolution. Read the latest version with
-- argMax(..., version); opened never changes, so versions replace each other.
CREATE TABLE IF NOT EXISTS {db}.incidents
(
    incident_id   String,
    topic         String,
    rule          String,
    severity      String,
    state         String,
    opened        DateTime,
    updated       DateTime,
    resolved      DateTime,
    last_notified DateTime,
    clear_since   DateTime,
    value         Float64,
    threshold     Float64,
    peak_value    Float64,
    risk          Float64,
    seq           UInt32,
    version       UInt64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(opened)
ORDER BY (topic, incident_id)
