package incident

import "time"

// Driver is one thing driving an incident at one message: a distinctive
// term of the window or a theme of its negative posts.
type Driver struct {
	IncidentID, Topic string
	// At is the message's evaluation time and WindowStart its window's
	// start.
	At, WindowStart time.Time
	// Kind is "term" or "theme"; Rank orders each kind from 1.
	Kind string
	Rank int
	// Text is the term, or the theme's terms joined by " · ".
	Text string
	// Subject is what a term is about when it is a subject of the
	// scorer's lexicons, named by its words in Text ("sex" for "brothel ·
	// meat market"); empty otherwise.
	Subject string
	// Posts counts the window's posts holding a term or a theme's posts;
	// BaselinePosts a term's posts in the week before.
	Posts, BaselinePosts int
	// Z and LogOdds are a term's z-score and log-odds ratio.
	Z, LogOdds float64
	// Share is a theme's fraction of the negative posts.
	Share float64
	// Example is a theme's representative post's text.
	Example string
}
