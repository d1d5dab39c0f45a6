CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.topic_rollup_5m_mv TO {db}.topic_rollup_5m AS
SELECT
    arrayJoin(topics) AS topic,
    toStartOfFiveMinute(published) AS bucket,
    source,
    count() AS posts,
    countIf(isNotNull(compound)) AS scored,
    countIf(label = 'negative') AS negative,
    countIf(label = 'positive') AS positive,
    sum(ifNull(compound, 0)) AS sentiment_sum,
    sum(toUInt64(likes) + replies + shares + intDiv(views, 100)) AS reach,
    sumIf(toUInt64(likes) + replies + shares + intDiv(views, 100), label = 'negative') AS negative_reach
FROM {db}.posts
WHERE counted = 1 AND first_seen = 1
GROUP BY topic, bucket, source
