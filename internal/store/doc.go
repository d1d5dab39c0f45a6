// Package store keeps everything backlash knows in ClickHouse: posts and
// their scores, per-topic rollups, crawl runs, crawler state and alerts.
//
// The schema is a product surface (analysts query it directly) and is
// documented in SCHEMA.md. It is created by numbered migrations in
// migrations/, applied once each and recorded in schema_migrations. Every
// statement works on ClickHouse 18.16 and on current releases: no TTL, no
// LowCardinality, no DateTime64, no window functions. Inserts go through
// batches with explicit column lists; every value is bound, never spliced
// into SQL.
//
// The types it keeps belong to their own packages (post, incident,
// outbox, silence, series); store maps them to tables and back, and keeps
// their old names here as aliases.
//
// Store is the only package that speaks SQL or imports the ClickHouse
// driver: the dashboards' read queries (dashboard.go) are here too, behind
// the interface package dashboards declares.
//
// The store does not decide what to crawl or when to alert; it answers the
// queries the other packages need and persists what they produce.
package store
