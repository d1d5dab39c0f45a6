-- Volume and negative share of one topic, by hour.
--
-- Edit: the topic name and the time range (two places: WHERE).
-- Reads the 5-minute rollup, which counts each post once, when it is first
-- seen. Hours without posts are missing, not zero.
SELECT
    toStartOfHour(bucket)                        AS hour,
    sum(posts)                                   AS total_posts,
    sum(negative)                                AS negative_posts,
    sum(positive)                                AS positive_posts,
    round(sum(negative) / sum(posts), 3)         AS negative_share,
    round(sum(sentiment_sum) / sum(scored), 3)   AS mean_sentiment,
    sum(reach)                                   AS reach
FROM topic_rollup_5m
WHERE topic = 'payments-social'
  AND bucket >= now() - INTERVAL 7 DAY
  AND bucket < now()
GROUP BY hour
ORDER BY hour
