// Package notify delivers alert messages. It follows Alertmanager's model: a
// receiver is a Notifier with one method, Notify, that says whether a failure
// is worth retrying, and cross-cutting behaviour (retry with backoff, fan-out
// to a mirror) is written once as stages that wrap notifiers.
//
// The receivers live in sub-packages: slack (bot token or incoming webhook)
// and console. Deciding what to send, deduplicating and keeping the outbox is
// the alerts package's job, not this one's.
package notify
