-- Replaced by 0141, which counts only a sighting's first row (counted = 1
-- and first_seen = 1): the later versions of the counted sighting carry
-- counted = 1 too, so the one counted row per post_key survives the
-- merges that keep only a sighting's newest version.
DROP TABLE IF EXISTS {db}.topic_rollup_5m_mv
