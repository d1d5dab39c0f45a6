-- Adds the views of the posts rolled up before 0024 to their buckets' reach
-- (one per 100 views, as 0024 counts them), so a topic's earlier windows,
-- which its reach is measured against, count views as new ones do. The
-- rollup is a SummingMergeTree: these rows carry only reach and add to the
-- bucket's. Each post counts once, under the source, time, topics and
-- label of its oldest stored row, as the view counted it then. On a
-- cluster it runs once, through the Distributed tables; a shard that has
-- no tables yet (a node added later, migrated after) or that no replica
-- answers is skipped rather than failing the migration: its posts keep
-- their engagement-only reach until a rescore rebuilds their months.
INSERT INTO {db}.topic_rollup_5m (topic, bucket, source, posts, scored, negative, positive, sentiment_sum, reach, negative_reach)
SELECT
    arrayJoin(first_topics) AS topic,
    toStartOfFiveMinute(first_published) AS bucket,
    first_source,
    toUInt64(0), toUInt64(0), toUInt64(0), toUInt64(0), toFloat64(0),
    sum(toUInt64(intDiv(first_views, 100))),
    sumIf(toUInt64(intDiv(first_views, 100)), first_label = 'negative')
FROM
(
    SELECT post_key,
        argMin(source, version) AS first_source,
        argMin(published, version) AS first_published,
        argMin(topics, version) AS first_topics,
        argMin(label, version) AS first_label,
        argMin(views, version) AS first_views
    FROM {db}.posts
    GROUP BY post_key
)
WHERE first_views >= 100
GROUP BY topic, bucket, first_source
SETTINGS skip_unavailable_shards = 1
