-- Per topic, per source, per 5-minute bucket of publication time: counts and
-- sums of the posts seen for the first time. Kept by topic_rollup_5m_mv.
CREATE TABLE IF NOT EXISTS {db}.topic_rollup_5m
(
    topic          String,
    bucket         DateTime,
    source         String,
    posts          UInt64,
    scored         UInt64,
    negative       UInt64,
    positive       UInt64,
    sentiment_sum  Float64,
    reach          UInt64,
    negative_reach UInt64
)
ENGINE = SummingMergeTree()
PARTITION BY toYYYYMM(bucket)
ORDER BY (topic, bucket, source)
