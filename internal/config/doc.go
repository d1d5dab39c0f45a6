// Package config loads and validates backlash's single YAML configuration
// file: ClickHouse connection, crawl sources, topics, analyzer settings, alert
// rules and notification channels, and the dashboard.
//
// Loading is strict: an unknown key, a bad duration, a missing required field
// or a duplicate name is an error that names the file, the line and the key.
// Defaults are set in one place, after decoding; the crawl defaults are the
// Default* constants, which the crawler also falls back on. A source kind's
// own block is declared, defaulted and checked by the kind's package, which
// registers it with [RegisterKind]; its errors are located like the rest. Secrets never appear in the
// file: it names environment variables, and [Secret] values print as
// "<secret>".
//
// The package does not open connections or start anything; it only returns
// typed, validated structs for the other packages to use.
package config
