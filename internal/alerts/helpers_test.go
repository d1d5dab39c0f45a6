package alerts_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/backlash-monitor/backlash/internal/alerts"
	"github.com/backlash-monitor/backlash/internal/alerts/alertstest"
	"github.com/backlash-monitor/backlash/internal/alerts/notify"
	"github.com/backlash-monitor/backlash/internal/alerts/slackserver"
	"github.com/backlash-monitor/backlash/internal/config"
	"github.com/backlash-monitor/backlash/internal/post"
)

// fakeClock is a clock that moves only when told to, or when a retry sleeps.
type fakeClock struct {
	mu     sync.Mutex
	t      time.Time
	sleeps []time.Duration
}

func newClock(t time.Time) *fakeClock { return &fakeClock{t: t} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func (c *fakeClock) Sleep(_ context.Context, d time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sleeps = append(c.sleeps, d)
	c.t = c.t.Add(d)
	return nil
}

func (c *fakeClock) Sleeps() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.sleeps...)
}

// fakeEvidence serves fixed posts.
type fakeEvidence struct{ posts []post.Post }

func (f fakeEvidence) TopPosts(_ context.Context, topic, label string, _, _ time.Time, limit int) ([]post.Post, error) {
	var out []post.Post
	for _, p := range f.posts {
		if label != "" && (p.Sentiment == nil || p.Sentiment.Label != label) {
			continue
		}
		out = append(out, p)
		if len(out) == limit {
			break
		}
	}
	return out, nil
}

func samplePosts(at time.Time) []post.Post {
	neg := func(terms ...string) *post.Sentiment {
		return &post.Sentiment{Compound: -0.7, Label: "negative", Terms: terms}
	}
	return []post.Post{
		{Source: "forum", ID: "1", URL: "https://forum.example.com/t/1", Author: "dana", Text: "The new checkout keeps failing at the payment step. Refund please.",
			Published: at.Add(-20 * time.Minute), Likes: 120, Replies: 30, Shares: 4, Sentiment: neg("failing", "refund")},
		{Source: "news", ID: "2", URL: "https://news.example.com/a?x=1&y=2", Author: "Tech Daily", Title: "Checkout outage angers shoppers",
			Text: "Shoppers report a broken checkout and double charges.", Published: at.Add(-35 * time.Minute), Likes: 80, Shares: 50,
			Sentiment: neg("broken", "double charges", "failing")},
		{Source: "feed", ID: "3", URL: "https://feed.example.com/p/3", Author: "sam", Text: "worst update ever, checkout is broken",
			Published: at.Add(-50 * time.Minute), Likes: 3, Sentiment: neg("worst", "broken")},
	}
}

const testToken = "xoxb-test-token"

// alertsYAML is a configuration with the rule used by most tests.
func alertsYAML(apiURL string) string {
	return fmt.Sprintf(`topics:
  - name: checkout
    keywords: [checkout]
alerts:
  console: false
  rules:
    - name: risk
      topic: checkout
      metric: risk
      severities: {watch: 40, warn: 60, page: 80}
      for: 10m
      min_posts: 3
      min_authors: 2
      repeat_interval: 1h
      resolve_after: 30m
  retry:
    attempts: 4
    initial_backoff: 1s
    max_backoff: 8s
  slack:
    token_env: BACKLASH_TEST_SLACK_TOKEN
    api_url: %s
    channel: "#comms"
    channels: {page: "#leadership"}
`, apiURL)
}

func loadAlerts(t *testing.T, yml string) config.Alerts {
	t.Helper()
	cfg, err := config.Parse("test.yaml", []byte(yml))
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	return cfg.Alerts
}

// rig is a Slack stand-in, an in-memory store and a clock, from which engines are made
// as each run of the CLI would make them.
type rig struct {
	t     *testing.T
	clock *fakeClock
	slack *slackserver.Server
	cfg   config.Alerts
	st    *alertstest.Store
	ev    alerts.Evidence
}

func newRig(t *testing.T, start time.Time) *rig {
	t.Helper()
	clock := newClock(start)
	srv := slackserver.New(slackserver.Options{Token: testToken, Channels: []string{"#comms", "#leadership"}, Now: clock.Now})
	t.Cleanup(srv.Close)
	t.Setenv("BACKLASH_TEST_SLACK_TOKEN", testToken)
	return &rig{t: t, clock: clock, slack: srv, cfg: loadAlerts(t, alertsYAML(srv.URL)), st: alertstest.New(),
		ev: fakeEvidence{posts: samplePosts(start)}}
}

func (r *rig) engine() *alerts.Engine {
	r.t.Helper()
	n, err := alerts.BuildNotifier(r.cfg, io.Discard, quietLogger(r.t))
	if err != nil {
		r.t.Fatalf("notifier: %v", err)
	}
	return alerts.NewEngine(r.cfg, r.st, r.ev, n, alerts.Options{Logger: quietLogger(r.t),
		DashboardURL: "https://backlash.example.com", Now: r.clock.Now, Sleep: r.clock.Sleep})
}

// run is one CLI run: flush what is left, then evaluate.
func (r *rig) run(e *alerts.Engine, risk float64) alerts.Report {
	r.t.Helper()
	ctx := context.Background()
	if err := e.Flush(ctx); err != nil {
		r.t.Fatalf("flush: %v", err)
	}
	rep, err := e.Evaluate(ctx, []alerts.Signal{signal(r.clock.Now(), risk)})
	if err != nil {
		r.t.Fatalf("evaluate: %v", err)
	}
	return rep
}

func signal(at time.Time, risk float64) alerts.Signal {
	return alerts.Signal{Topic: "checkout", At: at, Window: time.Hour, Risk: risk,
		Components: map[string]float64{"anomaly": risk * 0.4, "share": risk * 0.2, "reach": risk * 0.2, "spread": risk * 0.1, "velocity": risk * 0.1},
		Observed:   46, Expected: 12, NegativeRatio: 46.0 / 12, Deviation: 5.2, Posts: 140, Negative: 46, Authors: 90,
		NegativeAuthors: 31, Sources: 3, Reach: 12345, Baseline: 7 * 24 * time.Hour}
}

func kinds(rep alerts.Report) string {
	var ks []string
	for _, e := range rep.Events {
		ks = append(ks, e.Kind+":"+string(e.Severity))
	}
	return strings.Join(ks, ",")
}

func quietLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// notifyCounter counts what it is asked to deliver.
func notifyCounter(n *int) notify.NotifierFunc {
	return func(context.Context, *notify.Message) (bool, error) {
		*n++
		return false, nil
	}
}
