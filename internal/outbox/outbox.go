package outbox

import "time"

// Statuses of an Item.
const (
	// Pending is a notification not yet delivered.
	Pending = "pending"
	// Sent is a notification delivered.
	Sent = "sent"
	// Failed is a notification the receiver refused for good.
	Failed = "failed"
	// Silenced is a notification kept back by a silence.
	Silenced = "silenced"
)

// Item is one notification in the outbox: written before it is sent,
// marked sent after.
type Item struct {
	// Key deduplicates: incident id + kind + sequence number.
	Key string
	// IncidentID is the incident the notification is about ("" for digests).
	IncidentID string
	// Kind is open, reopen, escalate, update, resolve, route, parent or digest.
	Kind string
	// Seq orders an incident's notifications.
	Seq uint32
	// Topic, Rule and Severity describe the alert.
	Topic, Rule, Severity string
	// AlertState is the state written to the alerts table when sent; empty
	// for notifications that are not alerts (parent updates, digests).
	AlertState string
	// Mode is "post" for a new message or "update" to edit the message of
	// ParentKey.
	Mode string
	// Channel is where to post.
	Channel string
	// ParentKey is the notification whose message this one replies to (or
	// updates); empty for a top-level message.
	ParentKey string
	// Text is the plain-text fallback; Blocks the Block Kit JSON.
	Text, Blocks string
	// Value, Threshold, Observed and Expected are the numbers that crossed.
	Value, Threshold, Observed, Expected float64
	// WindowStart and WindowEnd bound the evaluated window.
	WindowStart, WindowEnd time.Time
	// Summary is a one-line description.
	Summary string
	// Status is pending, sent, failed or silenced.
	Status string
	// Attempts counts delivery attempts; LastError is the latest failure.
	Attempts  uint32
	LastError string
	// Created and Updated are when the item was queued and last changed.
	Created, Updated time.Time
	// SentChannel and SentTS identify the delivered message.
	SentChannel, SentTS string
}
