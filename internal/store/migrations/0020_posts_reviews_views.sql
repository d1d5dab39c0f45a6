-- Review ratings and view counts. rating is a store review's stars (1 to
-- 5; 0 for posts that are not rated reviews), app_version the version of
-- the app it reviews, views how often the post was seen where the source
-- counts views (a Telegram channel's posts). Rows stored before read 0/''.
ALTER TABLE {db}.posts
    ADD COLUMN rating UInt8,
    ADD COLUMN app_version String,
    ADD COLUMN views UInt32
