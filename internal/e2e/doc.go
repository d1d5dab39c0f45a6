// Package e2e holds the end-to-end tests of the whole system: real HTTP
// sites to crawl, a real ClickHouse server and the Slack stand-in, wired
// through pipeline.Open or the backlash binary exactly as in production.
// The tests assert on what arrived — rows in ClickHouse, messages at the
// Slack stand-in, bytes on stdout — never on what a component says it did.
//
// They need clickhouse-server; without it they skip, and under CI (CI=true)
// they fail. Run them with
//
//	go test ./internal/e2e/
package e2e
