-- Share of voice between topics, by day: each topic's part of all posts and
-- of all negative posts.
--
-- Edit: the time range (two places). To compare only some topics, add
-- "AND topic IN ('payments-social', 'checkout')" to both WHEREs.
-- A post about two topics counts for both, so shares can add up to more
-- than 100 when topics overlap.
SELECT
    day,
    topic,
    topic_posts,
    topic_negative,
    round(100 * topic_posts / all_posts, 1)                               AS share_of_voice_pct,
    round(100 * topic_negative / greatest(all_negative, 1), 1)            AS share_of_negative_pct
FROM
(
    SELECT toStartOfDay(bucket) AS day, topic, sum(posts) AS topic_posts, sum(negative) AS topic_negative
    FROM topic_rollup_5m
    WHERE bucket >= now() - INTERVAL 30 DAY AND bucket < now()
    GROUP BY day, topic
)
ALL INNER JOIN
(
    SELECT toStartOfDay(bucket) AS day, sum(posts) AS all_posts, sum(negative) AS all_negative
    FROM topic_rollup_5m
    WHERE bucket >= now() - INTERVAL 30 DAY AND bucket < now()
    GROUP BY day
) USING day
ORDER BY day, topic_posts DESC
