-- Every alert notification sent (or printed) and every resolution.
CREATE TABLE IF NOT EXISTS {db}.alerts
(
    alert_id   String,
    incident_id String,
    rule       String,
    topic      String,
    severity   String,
    state      String,
    at         DateTime,
    window_start DateTime,
    window_end DateTime,
    value      Float64,
    threshold  Float64,
    observed   Float64,
    expected   Float64,
    summary    String,
    channel    String,
    message_ts String
)
ENGINE = MergeTree()
PARTITION BY toYYYYMM(at)
ORDER BY (topic, at)
