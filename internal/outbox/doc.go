// Package outbox is the model of the alert outbox: each notification is an
// Item written before it is sent and marked sent after, so a crash or a
// Slack outage neither loses nor repeats a message.
//
// It holds the type and its statuses only; alerts fills and drains the
// outbox, store keeps it.
package outbox
