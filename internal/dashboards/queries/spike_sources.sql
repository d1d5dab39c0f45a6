-- Which sources drive a spike: each source's negative posts in the spike
-- window against what the week before would predict for a window that long.
--
-- Edit: the topic, the spike window (3 HOUR, in three places) and the
-- baseline (7 DAY; keep baseline_hours in step: 7 * 24 = 168).
-- A source with a large excess is where the wave is; a source that is new
-- in the window has no baseline, so its whole count is excess.
SELECT
    source,
    sumIf(negative, bucket >= now() - INTERVAL 3 HOUR)                     AS negative_in_spike,
    round(sumIf(negative, bucket < now() - INTERVAL 3 HOUR) / 168 * 3, 1)  AS expected_negative,
    round(negative_in_spike - expected_negative, 1)                        AS excess,
    sumIf(posts, bucket >= now() - INTERVAL 3 HOUR)                        AS posts_in_spike,
    sumIf(negative_reach, bucket >= now() - INTERVAL 3 HOUR)               AS negative_reach_in_spike
FROM topic_rollup_5m
WHERE topic = 'payments-social'
  AND bucket >= now() - INTERVAL 3 HOUR - INTERVAL 7 DAY
  AND bucket < now()
GROUP BY source
ORDER BY excess DESC
