-- Replaced by 0024, which adds a post's views to its reach (one per 100
-- views); 0023 first adds them to the buckets already rolled up.
DROP TABLE IF EXISTS {db}.topic_rollup_5m_mv
