package alerts

import (
	"context"
	"log/slog"
	"time"

	"github.com/backlash-monitor/backlash/internal/alerts/notify"
	"github.com/backlash-monitor/backlash/internal/analyzer/drivers"
	"github.com/backlash-monitor/backlash/internal/config"
	"github.com/backlash-monitor/backlash/internal/health"
	"github.com/backlash-monitor/backlash/internal/incident"
	"github.com/backlash-monitor/backlash/internal/outbox"
	"github.com/backlash-monitor/backlash/internal/post"
	"github.com/backlash-monitor/backlash/internal/silence"
)

// Signal is the analyzer's verdict on one topic at one evaluation.
//
// A topic may have several signals in one evaluation, one per window and
// baseline the rules ask for (config.Rule's Window and Baseline): each rule
// is evaluated on the signal assessed over its own window and baseline,
// falling back to the topic's first signal when none matches.
type Signal struct {
	// Topic is the topic evaluated.
	Topic string
	// At is the evaluation time, the end of the window.
	At time.Time
	// Window is the span evaluated, ending at At.
	Window time.Duration
	// Risk is the brand-risk score, 0-100.
	Risk float64
	// Components are the risk's parts (anomaly, share, reach, spread,
	// velocity, and one_star when the window has rated reviews), each a
	// 0-100 contribution.
	Components map[string]float64
	// Observed is the number of negative posts in the window; Expected what
	// the baseline predicts.
	Observed, Expected float64
	// NegativeRatio is Observed over Expected, at least 0.
	NegativeRatio float64
	// Deviation is the robust z-score of Observed.
	Deviation float64
	// Posts, Negative, Authors, NegativeAuthors and Sources count the
	// window's posts, negative posts, distinct authors, distinct negative
	// authors and distinct sources.
	Posts, Negative, Authors, NegativeAuthors, Sources int
	// Reach is the window's total reach (engagement, plus one per hundred
	// views; see post.Post.Reach).
	Reach uint64
	// SharedPosts counts the negative posts whose text other authors
	// posted too, and SharedTexts the texts they share: each is a voice,
	// but together they may be a campaign.
	SharedPosts, SharedTexts int
	// Rated and OneStar count the window's rated reviews and those with
	// one star (0 for a topic without review sources).
	Rated, OneStar int
	// ColdStart is true while the baseline is still being learnt.
	ColdStart bool
	// Baseline is the history the expectation comes from (0: unknown,
	// matching any rule's baseline).
	Baseline time.Duration
	// BlindSince, when set, is since when every source feeding the topic
	// has been broken: the figures then show silence, not calm.
	BlindSince time.Time
}

// Evidence reads the posts a message quotes. *store.Store satisfies it.
type Evidence interface {
	TopPosts(ctx context.Context, topic, label string, from, to time.Time, limit int) ([]post.Post, error)
}

// IncidentStore keeps incidents, rule conditions, the outbox, silences and
// the alerts table. *store.Store satisfies it, and alertstest.Store in
// memory.
type IncidentStore interface {
	SilenceStore
	LatestIncidents(ctx context.Context) ([]incident.Incident, error)
	SaveIncidents(ctx context.Context, incs []incident.Incident) error
	Conditions(ctx context.Context) ([]incident.Condition, error)
	SaveConditions(ctx context.Context, cs []incident.Condition) error
	PutOutbox(ctx context.Context, items []outbox.Item) error
	OutboxItems(ctx context.Context, keys []string) (map[string]outbox.Item, error)
	PendingOutbox(ctx context.Context) ([]outbox.Item, error)
	RecordAlerts(ctx context.Context, rows []incident.AlertRow) error
}

// SilenceStore keeps silences. *store.Store and alertstest.Store satisfy
// it.
type SilenceStore interface {
	SaveSilence(ctx context.Context, s silence.Silence) error
	Silences(ctx context.Context) ([]silence.Silence, error)
}

// Notifier delivers a message; see package notify.
type Notifier = notify.Notifier

// Options tune an Engine.
type Options struct {
	// Logger receives the engine's logs (default slog.Default()).
	Logger *slog.Logger
	// DashboardURL is the dashboard's base URL; messages link to it.
	DashboardURL string
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Entities, when set, names the entities in the quoted posts.
	Entities func(texts []string) []string
	// Tokenizer, when set, makes every message say what drives the
	// incident: the window's distinctive terms against the topic's week
	// before, the themes of its negative posts, and quoted posts that
	// represent them (see package internal/analyzer/drivers). The scorer is one.
	Tokenizer drivers.Tokenizer
	// TopicNames are each topic's keywords: drivers only when new to the
	// topic (drivers.Options.Keywords).
	TopicNames map[string][]string
	// Sleep waits between delivery attempts (default a real timer); tests
	// inject a fake clock.
	Sleep func(ctx context.Context, d time.Duration) error
	// Health configures source-health incidents: their channel and repeat
	// interval.
	Health config.Health
	// Ops delivers source-health messages (the ops route); nil uses the
	// engine's notifier.
	Ops Notifier
	// Sources are the configured source names and SourceHealth where their
	// latest verdicts are read, for the digest's first line; nil leaves the
	// line out.
	Sources      []string
	SourceHealth SourceHealthReader
}

// SourceHealthReader reads each source's latest health verdict.
// *store.Store satisfies it.
type SourceHealthReader interface {
	LatestSourceHealth(ctx context.Context) (map[string]health.Verdict, error)
}

// Event kinds.
const (
	KindOpen     = "open"
	KindReopen   = "reopen"
	KindEscalate = "escalate"
	KindUpdate   = "update"
	KindResolve  = "resolve"
	KindRoute    = "route"
	KindParent   = "parent"
	KindDigest   = "digest"
)

// Event is one thing that happened to an incident in an evaluation.
type Event struct {
	// Kind is open, reopen, escalate, update or resolve.
	Kind string
	// Topic and IncidentID say which incident.
	Topic, IncidentID string
	// Rule, Severity, Value and Threshold describe the firing rule.
	Rule             string
	Severity         incident.Severity
	Value, Threshold float64
	// Silenced is true when a silence kept the notification back.
	Silenced bool
}

// Report says what an evaluation did.
type Report struct {
	// Events are the incidents' changes, in order.
	Events []Event
	// Sent are the dedup keys of notifications delivered in this run.
	Sent []string
	// Pending counts notifications left in the outbox for the next run.
	Pending int
	// Failed are the dedup keys of notifications the receiver refused.
	Failed []string
}
