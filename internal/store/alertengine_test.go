package store_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/backlash-monitor/backlash/internal/alerts"
	"github.com/backlash-monitor/backlash/internal/alerts/alertstest"
	"github.com/backlash-monitor/backlash/internal/alerts/slackserver"
	"github.com/backlash-monitor/backlash/internal/config"
	"github.com/backlash-monitor/backlash/internal/incident"
	"github.com/backlash-monitor/backlash/internal/post"
	"github.com/backlash-monitor/backlash/internal/store/chtest"
)

// engineStore is what the alert engine needs of a store, plus the alerts
// table the dashboard reads.
type engineStore interface {
	alerts.IncidentStore
	Alerts(ctx context.Context, topic string, from, to time.Time) ([]incident.AlertRow, error)
}

// TestAlertEngineOnClickHouse is the alert engine's integration test: one
// incident's whole life (open, escalate, repeat, silence, resolve, reopen),
// with a new engine for every run as the CLI makes them, on the ClickHouse
// store and on the in-memory store the alert engine's own tests use. Both
// must send the same Slack messages and record the same alert rows, so
// the engine's tests in memory speak for ClickHouse.
func TestAlertEngineOnClickHouse(t *testing.T) {
	ch := runEngineScenario(t, chtest.Store(t))
	mem := runEngineScenario(t, alertstest.New())
	if len(ch.messages) == 0 || len(ch.rows) == 0 {
		t.Fatalf("the scenario sent %d messages and recorded %d rows on ClickHouse", len(ch.messages), len(ch.rows))
	}
	if !reflect.DeepEqual(ch.events, mem.events) {
		t.Errorf("events differ\nClickHouse: %q\nin memory:  %q", ch.events, mem.events)
	}
	if !reflect.DeepEqual(ch.messages, mem.messages) {
		t.Errorf("Slack messages differ\nClickHouse: %q\nin memory:  %q", ch.messages, mem.messages)
	}
	if !reflect.DeepEqual(ch.rows, mem.rows) {
		t.Errorf("alert rows differ\nClickHouse: %q\nin memory:  %q", ch.rows, mem.rows)
	}
	want := "firing:warn,escalated:page,escalated:page,update:page,silenced:page,update:page,resolved:page,firing:warn"
	if got := strings.Join(ch.rows, ","); got != want {
		t.Errorf("alert rows on ClickHouse: %s, want %s", got, want)
	}
}

// scenarioResult is what one run of the scenario left behind, in a form
// two stores can be compared by.
type scenarioResult struct {
	events, messages, rows []string
}

func runEngineScenario(t *testing.T, st engineStore) scenarioResult {
	t.Helper()
	ctx := context.Background()
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	slack := slackserver.New(slackserver.Options{Token: "xoxb-test-token", Channels: []string{"#comms", "#leadership"}, Now: clock})
	t.Cleanup(slack.Close)
	t.Setenv("BACKLASH_TEST_SLACK_TOKEN", "xoxb-test-token")
	cfg, err := config.Parse("alerts.yaml", []byte(fmt.Sprintf(`topics: [{name: checkout, keywords: [checkout]}]
alerts:
  console: false
  rules:
    - {name: risk, topic: checkout, metric: risk, severities: {watch: 40, warn: 60, page: 80}, for: 10m,
       min_posts: 3, min_authors: 2, repeat_interval: 1h, resolve_after: 30m}
  retry: {attempts: 2, initial_backoff: 1s, max_backoff: 2s}
  slack: {token_env: BACKLASH_TEST_SLACK_TOKEN, api_url: %s, channel: "#comms", channels: {page: "#leadership"}}
`, slack.URL)))
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	neg := &post.Sentiment{Compound: -0.7, Label: "negative", Terms: []string{"broken"}}
	ev := evidence{{Source: "forum", ID: "1", URL: "https://forum.example.com/t/1", Author: "dana",
		Text: "checkout is broken", Published: now.Add(-20 * time.Minute), Likes: 12, Sentiment: neg}}
	var res scenarioResult
	step := func(d time.Duration, risk float64) {
		t.Helper()
		now = now.Add(d)
		n, err := alerts.BuildNotifier(cfg.Alerts, io.Discard, log)
		if err != nil {
			t.Fatal(err)
		}
		e := alerts.NewEngine(cfg.Alerts, st, ev, n, alerts.Options{Logger: log, Now: clock,
			DashboardURL: "https://backlash.example.com", Sleep: func(context.Context, time.Duration) error { return nil }})
		if err := e.Flush(ctx); err != nil {
			t.Fatalf("flush: %v", err)
		}
		rep, err := e.Evaluate(ctx, []alerts.Signal{{Topic: "checkout", At: now, Window: time.Hour, Risk: risk,
			Components: map[string]float64{"anomaly": risk / 2, "share": risk / 2}, Observed: 46, Expected: 12,
			NegativeRatio: 46.0 / 12, Deviation: 5.2, Posts: 140, Negative: 46, Authors: 90, NegativeAuthors: 31,
			Sources: 3, Reach: 12345, Baseline: 7 * 24 * time.Hour}})
		if err != nil {
			t.Fatalf("evaluate: %v", err)
		}
		for _, e := range rep.Events {
			res.events = append(res.events, fmt.Sprintf("%s %s:%s silenced=%v", now.Format("15:04"), e.Kind, e.Severity, e.Silenced))
		}
	}
	step(0, 65)
	step(10*time.Minute, 65) // opens at warn
	step(10*time.Minute, 85)
	step(10*time.Minute, 85) // escalates to page
	step(70*time.Minute, 86) // repeats after the interval
	if _, err := alerts.SilenceFrom(ctx, st, "checkout", now, 2*time.Hour, "known", "ops"); err != nil {
		t.Fatal(err)
	}
	step(70*time.Minute, 88) // silenced repeat
	step(70*time.Minute, 20) // the silence is over: the repeat goes out
	step(40*time.Minute, 20) // resolves
	step(10*time.Minute, 65)
	step(10*time.Minute, 65) // a new incident opens

	parents := map[string]int{}
	for i, m := range slack.Messages() {
		where := m.ChannelName
		if m.ThreadTS != "" {
			where += fmt.Sprintf(" in the thread of message %d", parents[m.Channel+"/"+m.ThreadTS])
		} else {
			parents[m.Channel+"/"+m.TS] = i
		}
		res.messages = append(res.messages, fmt.Sprintf("%s (%d updates): %s", where, m.Updates, m.Text))
	}
	rows, err := st.Alerts(ctx, "checkout", now.Add(-24*time.Hour), now.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		res.rows = append(res.rows, r.State+":"+r.Severity)
	}
	return res
}

// evidence serves fixed posts as the quoted evidence.
type evidence []post.Post

func (e evidence) TopPosts(context.Context, string, string, time.Time, time.Time, int) ([]post.Post, error) {
	return e, nil
}
