-- Every notification, written before it is sent and marked sent after, so a
-- crash or a Slack outage neither loses nor repeats it. dedup_key is
-- incident id + kind + sequence number; the latest version of a key wins.
CREATE TABLE IF NOT EXISTS {db}.alert_outbox
(
    dedup_key    String,
    incident_id  String,
    kind         String,
    seq          UInt32,
    topic        String,
    rule         String,
    severity     String,
    alert_state  String,
    mode         String,
    channel      String,
    parent_key   String,
    text         String,
    blocks       String,
    value        Float64,
    threshold    Float64,
    observed     Float64,
    expected     Float64,
    window_start DateTime,
    window_end   DateTime,
    summary      String,
    status       String,
    attempts     UInt32,
    last_error   String,
    created      DateTime,
    updated      DateTime,
    sent_channel String,
    sent_ts      String,
    version      UInt64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(created)
ORDER BY dedup_key
