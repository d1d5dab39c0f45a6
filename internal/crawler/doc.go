// Package crawler collects posts from the configured sources: web pages
// (html), feeds (feed), JSON APIs (json), Discourse forums (discourse) and
// public Telegram channels (telegram), each implemented in its own
// sub-package and selected by the source's kind.
//
// A Crawler is built once from the crawler-wide settings and crawls one
// source per Crawl call, emitting each post as it is read. It is polite
// (robots.txt, per-domain delay, honest User-Agent, backoff on 429 and
// 5xx), safe (no requests to private or metadata addresses unless a source
// allows them, enforced when dialling), incremental (paging stops at posts
// an earlier run stored) and tolerant (a bad page is counted and logged, and
// the crawl goes on).
//
// The crawler does not match topics, score sentiment or store anything:
// posts go to the emit function, and the caller decides what to keep.
package crawler
