// Package analyzer turns crawled posts into what alerts and dashboards need:
// it tags each post with the topics it is about, scores its sentiment, and
// assesses each topic's recent series against its baseline (spike detection
// and the brand-risk score).
//
// Scoring itself lives in analyzer/sentiment, detection in analyzer/detect
// and the risk formula in analyzer/risk; this package wires them to posts
// and to the store. It does not crawl, store or notify.
package analyzer
