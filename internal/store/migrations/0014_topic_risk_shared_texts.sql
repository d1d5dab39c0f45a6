-- How many of the window's negative posts share their text with other
-- authors' posts (shared_posts), and how many texts they share
-- (shared_texts): a copy-paste campaign rather than independent voices.
ALTER TABLE {db}.topic_risk
    ADD COLUMN shared_posts UInt64,
    ADD COLUMN shared_texts UInt64
