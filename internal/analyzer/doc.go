// Package analyzer turns crawled posts into what alerts and dashboards need:
// it tags each post with the topics it is about, scores its sentiment, and
// assesses each topic's recent series against its baseline (spike detection
// and the brand-risk score).
//
// A post is scored by its own words: a thread's title is context for
// matching topics (a reply in a thread about a feature is about it), never
// part of a reply's sentiment, terms or entities; a title is scored on its
// own, in Post.TitleSentiment.
//
// Assessments count each post once: the store's window statistics group
// sightings of a post through several sources by post_key, and report the
// negative posts whose text many authors share (a possible campaign).
//
// Scoring itself lives in internal/analyzer/sentiment, detection in internal/analyzer/detect
// and the risk formula in internal/analyzer/risk; this package wires them to posts
// and to the store. It does not crawl, store or notify.
package analyzer
