-- One row per stored version of a post. ReplacingMergeTree keeps the newest
-- version of each (source, id) after merges; read with FINAL or argMax for
-- exact figures. first_seen is 1 only on the first row stored for a post, so
-- the rollups count each post once however often it is re-crawled.
CREATE TABLE IF NOT EXISTS {db}.posts
(
    source          String,
    id              String,
    parent_id       String,
    thread          String,
    url             String,
    author          String,
    title           String,
    text            String,
    published       DateTime,
    time_guessed    UInt8,
    fetched         DateTime,
    likes           UInt32,
    replies         UInt32,
    shares          UInt32,
    followers       UInt32,
    topics          Array(String),
    language        String,
    compound        Nullable(Float64),
    pos             Nullable(Float64),
    neu             Nullable(Float64),
    neg             Nullable(Float64),
    label           String,
    terms           Array(String),
    lexicon_version String,
    entities        Array(String),
    content_hash    UInt64,
    first_seen      UInt8,
    version         UInt64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(published)
ORDER BY (source, id)
