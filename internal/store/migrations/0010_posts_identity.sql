-- Cross-source identity. post_key is the post a row is a sighting of: the
-- same for the sightings of one post through every source of a namespace,
-- and for an author's reposts of the same text. counted is 1 only on the
-- first row stored for a post_key, so the rollups count each post once
-- whatever source or crawl order brings it first. Rows stored before this
-- migration read as their own post (source/id) counted when first seen.
-- title_compound and title_label score a title on its own, apart from the
-- post's text.
ALTER TABLE {db}.posts
    ADD COLUMN post_key String DEFAULT concat(source, '/', id),
    ADD COLUMN counted UInt8 DEFAULT first_seen,
    ADD COLUMN title_compound Nullable(Float64),
    ADD COLUMN title_label String
