-- Time from the first negative post to the alert, per incident: how early
-- backlash spoke up once a wave started.
--
-- Edit: how far back to look (30 DAY, and 31 DAY for posts so a wave that
-- began just before the range is still found).
-- "First negative post" is the earliest negative post about the topic
-- inside the window the first alert looked at (window_start to the alert),
-- so ordinary background complaints from days before do not count. Each
-- post counts once (uniqExact(post_key) over the rows of its counted
-- sighting, which may hold several versions until merged), however many
-- sources showed it.
SELECT
    incident_id,
    topic,
    opened                                     AS alerted_at,
    min(published)                             AS first_negative_post,
    dateDiff('minute', min(published), opened) AS minutes_to_alert,
    uniqExact(post_key)                        AS negative_posts_before_alert
FROM
(
    SELECT incident_id, t AS topic, opened, ws
    FROM
    (
        SELECT incident_id, argMin(topic, at) AS t, min(at) AS opened, argMin(window_start, at) AS ws
        FROM alerts
        WHERE at >= now() - INTERVAL 30 DAY
        GROUP BY incident_id
    )
)
ALL INNER JOIN
(
    SELECT arrayJoin(topics) AS topic, post_key, published
    FROM posts
    WHERE counted = 1 AND label = 'negative' AND published >= now() - INTERVAL 31 DAY
) USING topic
WHERE published >= ws AND published <= opened
GROUP BY incident_id, topic, opened
ORDER BY opened DESC
