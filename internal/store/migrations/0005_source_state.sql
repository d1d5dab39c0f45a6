-- The newest publication time stored per source (the crawler's high-water
-- mark) and its API cursor. Moves only after the posts are stored.
CREATE TABLE IF NOT EXISTS {db}.source_state
(
    source     String,
    high_water DateTime,
    cursor     String,
    updated    DateTime,
    version    UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY source
