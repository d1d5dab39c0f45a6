-- The brand-risk score of each topic per 5-minute window and the components
-- it is made of, so an analyst can see why a score is high. Recomputed
-- windows replace older versions.
CREATE TABLE IF NOT EXISTS {db}.topic_risk
(
    topic      String,
    bucket     DateTime,
    window_s   UInt32,
    score      Float64,
    anomaly    Float64,
    share      Float64,
    reach      Float64,
    spread     Float64,
    velocity   Float64,
    observed   Float64,
    expected   Float64,
    deviation  Float64,
    posts      UInt64,
    negative   UInt64,
    authors    UInt64,
    sources    UInt64,
    cold_start UInt8,
    computed   DateTime,
    version    UInt64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(bucket)
ORDER BY (topic, bucket)
