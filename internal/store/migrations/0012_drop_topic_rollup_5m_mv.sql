-- Replaced by 0013, which counts a post once across sources (counted = 1)
-- rather than once per source (first_seen = 1).
DROP TABLE IF EXISTS {db}.topic_rollup_5m_mv
