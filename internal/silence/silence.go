package silence

import "time"

// Silence mutes a topic's notifications for a while; incidents are still
// recorded.
type Silence struct {
	// ID identifies the silence.
	ID string
	// Topic is the silenced topic, or "*" for every topic.
	Topic string
	// Reason says why, for the people reading the list.
	Reason string
	// CreatedBy names who silenced.
	CreatedBy string
	// Starts and Ends bound the silence.
	Starts, Ends time.Time
	// Expired is true once the silence was ended early.
	Expired bool
	// Created is when the silence was made; it never changes.
	Created time.Time
}

// Active reports whether the silence mutes notifications at t.
func (s Silence) Active(t time.Time) bool {
	return !s.Expired && !t.Before(s.Starts) && t.Before(s.Ends)
}
