// Package dashboards is backlash's built-in web dashboard: an overview of
// every topic's risk, a page per topic with its volume, expected band, alerts,
// sentiment, top posts, terms and sources, the incidents with their Slack
// threads, and the health of each source's crawl.
//
// The pages are small HTML shells; every chart and table is drawn in the
// browser from a read-only JSON API (/api/...) by plain JavaScript embedded
// in the binary, so nothing is loaded from the internet. Every API parameter
// is validated before it reaches a query. The package writes no SQL: it
// reads through Reader, typed queries that package store implements (as
// Prometheus' web API reads through storage.Queryable), and shapes their
// rows into charts and tables.
//
// The package only reads. It does not crawl, score or alert, and it does not
// listen: New returns an http.Handler that the daemon (package serve) mounts.
//
// The grafana/ folder holds the same views for Grafana with the ClickHouse
// data source, and queries/ the SQL an analyst starts from.
package dashboards
