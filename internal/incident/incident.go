package incident

import "time"

// Incident is one topic's alert episode, from the first rule that fired to
// its resolution. Each change is stored as a new version.
type Incident struct {
	// ID identifies the incident; it is stable for the incident's life.
	ID string
	// Topic is the topic the incident is about.
	Topic string
	// Rule is the rule behind the incident's current severity.
	Rule string
	// Severity is the highest severity reached.
	Severity Severity
	// State is open or resolved.
	State State
	// Opened is when the incident opened; it never changes.
	Opened time.Time
	// Updated is when the incident last changed.
	Updated time.Time
	// Resolved is when the incident resolved, zero while open.
	Resolved time.Time
	// LastNotified is when a message about the incident was last queued.
	LastNotified time.Time
	// ClearSince is since when no rule's threshold has held, zero while one
	// does; the incident resolves when this lasts long enough.
	ClearSince time.Time
	// Value and Threshold are the firing rule's latest metric and threshold.
	Value, Threshold float64
	// PeakValue is the highest value seen during the incident.
	PeakValue float64
	// Risk is the topic's brand-risk score in the latest message.
	Risk float64
	// Seq counts the messages queued for the incident.
	Seq uint32
}

// Condition records since when one rule's threshold at one severity has held
// for a topic.
type Condition struct {
	// Topic, Rule and Severity identify the condition.
	Topic, Rule string
	Severity    Severity
	// Since is when the threshold started to hold; zero when it does not.
	Since time.Time
	// Seen is when the condition was last evaluated.
	Seen time.Time
}

// AlertRow is one notification sent, printed or silenced, as the dashboard
// reads it from the alerts table.
type AlertRow struct {
	AlertID, IncidentID, Rule, Topic, Severity string
	// State is firing, escalated, update, resolved or silenced.
	State                      string
	At, WindowStart, WindowEnd time.Time
	Value, Threshold           float64
	Observed, Expected         float64
	Summary                    string
	Channel, MessageTS         string
}

// States of an alert row: what the notification did to its incident. An
// incident whose latest row is AlertResolved is closed; any other keeps
// it open.
const (
	AlertFiring    = "firing"
	AlertEscalated = "escalated"
	AlertUpdate    = "update"
	AlertResolved  = "resolved"
	AlertSilenced  = "silenced"
)
