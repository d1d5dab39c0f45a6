// Package alerts turns the analyzer's per-topic signals into incidents and
// notifications: it evaluates the configured rules, keeps one incident per
// topic episode (open, escalate, update, resolve) in whatever IncidentStore it
// is given (store's ClickHouse, or alertstest's memory in tests), renders Block
// Kit messages with the evidence (the numbers that crossed, the top negative
// posts, terms and entities, a dashboard link) and delivers them through an
// outbox so a crash or a Slack outage neither loses nor repeats one.
//
// Delivery follows Alertmanager: receivers (package notify and its slack and
// console sub-packages) have one Notify method; the outbox, deduplication and
// retry are stages written once around them. Silences mute a topic's
// notifications while its incidents are still recorded.
//
// Its model (incidents, conditions, outbox items, silences) lives in the
// packages incident, outbox and silence, so the engine builds and is tested
// without the store. It does not compute scores (the analyzer does) nor read configuration
// files (package config does).
package alerts
