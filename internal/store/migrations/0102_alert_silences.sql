-- Silences mute a topic's notifications until they end or are expired; the
-- incidents are still recorded. The latest version of a silence wins.
CREATE TABLE IF NOT EXISTS {db}.alert_silences
(
    silence_id String,
    topic      String,
    reason     String,
    created_by String,
    starts     DateTime,
    ends       DateTime,
    expired    UInt8,
    created    DateTime,
    version    UInt64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(created)
ORDER BY silence_id
