-- What the store looks a new sighting up by: hashes of a post's id in its
-- namespace, of its thread, author and text, and of its author and text
-- (reposts), each mapped to the post_key it belongs to and to the sighting
-- (source, id) that stored the mapping.
CREATE TABLE IF NOT EXISTS {db}.post_identity
(
    key       UInt64,
    post_key  String,
    source    String,
    id        String,
    published DateTime,
    version   UInt64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(published)
ORDER BY (key, post_key, source, id)
