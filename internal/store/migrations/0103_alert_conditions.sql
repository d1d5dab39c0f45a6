-- Since when each rule's threshold has held for a topic, so a rule's "for"
-- duration survives restarts. since = 1970-01-01 means it does not hold.
CREATE TABLE IF NOT EXISTS {db}.alert_conditions
(
    topic    String,
    rule     String,
    severity String,
    since    DateTime,
    seen     DateTime,
    version  UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY (topic, rule, severity)
