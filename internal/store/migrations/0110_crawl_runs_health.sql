-- What each run saw, so source health can compare a source's runs: posts
-- read (older than the cutoff too), items dropped for an empty text, posts
-- with each field, pages refused (401/403), pages that were a captcha or
-- login page, and pages on which the item selector matched nothing.
ALTER TABLE {db}.crawl_runs
    ADD COLUMN items UInt32 DEFAULT 0,
    ADD COLUMN no_text UInt32 DEFAULT 0,
    ADD COLUMN with_title UInt32 DEFAULT 0,
    ADD COLUMN with_author UInt32 DEFAULT 0,
    ADD COLUMN with_time UInt32 DEFAULT 0,
    ADD COLUMN with_url UInt32 DEFAULT 0,
    ADD COLUMN denied UInt32 DEFAULT 0,
    ADD COLUMN denied_status UInt16 DEFAULT 0,
    ADD COLUMN challenged UInt32 DEFAULT 0,
    ADD COLUMN challenge_marker String DEFAULT '',
    ADD COLUMN unmatched UInt32 DEFAULT 0,
    ADD COLUMN unmatched_selector String DEFAULT ''
