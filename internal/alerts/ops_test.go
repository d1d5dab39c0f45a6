package alerts_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/backlash-monitor/backlash/internal/alerts"
	"github.com/backlash-monitor/backlash/internal/alerts/alertstest"
	"github.com/backlash-monitor/backlash/internal/alerts/notify"
	"github.com/backlash-monitor/backlash/internal/config"
	"github.com/backlash-monitor/backlash/internal/health"
)

// recorder keeps what a receiver was asked to deliver.
type recorder struct{ msgs []*notify.Message }

func (r *recorder) Notify(_ context.Context, m *notify.Message) (bool, error) {
	m.SentChannel, m.SentTS = m.Channel, m.Key
	if m.Mode == notify.ModeUpdate {
		m.SentChannel, m.SentTS = m.UpdateChannel, m.UpdateTS
	}
	r.msgs = append(r.msgs, m)
	return false, nil
}

// TestSourceIncidentLifecycle opens one ops incident for a broken source,
// stays quiet while it stays broken, repeats after repeat_interval,
// resolves on the first healthy verdict, and sends everything to the ops
// route, none of it to the brand alerts' receiver.
func TestSourceIncidentLifecycle(t *testing.T) {
	clk := newClock(time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC))
	st := alertstest.New()
	brand, ops := &recorder{}, &recorder{}
	h := config.Health{Channel: "#ops", RepeatInterval: config.Duration(24 * time.Hour)}
	e := alerts.NewEngine(config.Alerts{Retry: config.Retry{Attempts: 1}}, st, nil, brand,
		alerts.Options{Now: clk.Now, Sleep: clk.Sleep, Health: h, Ops: ops})
	ctx := context.Background()
	broken := func() health.Verdict {
		return health.Verdict{Source: "forum", At: clk.Now(), RunID: "run-2",
			Problems:    []health.Problem{{Rule: health.RuleLayout, Detail: `selector "div.post" matched nothing on 3 of 3 pages`}},
			BrokenSince: time.Date(2026, 3, 2, 11, 45, 0, 0, time.UTC), LastGood: time.Date(2026, 3, 2, 11, 31, 0, 0, time.UTC),
			LastGoodRun: "run-1"}
	}
	kinds := func(rep alerts.Report) string {
		var out []string
		for _, ev := range rep.Events {
			out = append(out, ev.Kind)
		}
		return strings.Join(out, ",")
	}
	steps := []struct {
		advance time.Duration
		v       health.Verdict
		want    string
	}{
		{0, broken(), "open"},
		{15 * time.Minute, broken(), ""},
		{time.Hour, broken(), ""},
		{24 * time.Hour, broken(), "update"},
		{15 * time.Minute, health.Verdict{Source: "forum", RunID: "run-9"}, "resolve"},
		{15 * time.Minute, health.Verdict{Source: "forum", RunID: "run-10"}, ""},
	}
	for i, s := range steps {
		clk.Advance(s.advance)
		rep, err := e.EvaluateSources(ctx, []health.Verdict{s.v})
		if err != nil {
			t.Fatal(err)
		}
		if got := kinds(rep); got != s.want {
			t.Errorf("step %d: events %q, want %q", i, got, s.want)
		}
	}
	if len(brand.msgs) != 0 {
		t.Errorf("%d ops messages went to the brand receiver", len(brand.msgs))
	}
	// open, update, resolve, and the edit of the first message.
	if len(ops.msgs) != 4 {
		t.Fatalf("ops route got %d messages, want 4", len(ops.msgs))
	}
	first := ops.msgs[0]
	for _, want := range []string{"Source forum is broken", `selector "div.post" matched nothing`, "Since:* Mar 2 11:45 UTC",
		"Last good run:* Mar 2 11:31 UTC (run `run-1`)", "`backlash crawl --dry-run --source forum`"} {
		if !strings.Contains(first.Text, want) {
			t.Errorf("open message lacks %q:\n%s", want, first.Text)
		}
	}
	if first.Channel != "#ops" || first.ThreadTS != "" {
		t.Errorf("open message went to %q (thread %q), want a new message in #ops", first.Channel, first.ThreadTS)
	}
	for _, m := range ops.msgs[1:3] {
		if m.ThreadTS != first.Key {
			t.Errorf("%s is not a reply in the incident's thread", m.Kind)
		}
	}
	edit := ops.msgs[3]
	if edit.Mode != notify.ModeUpdate || !strings.Contains(edit.Text, "RESOLVED") || !strings.Contains(edit.Text, "div.post") {
		t.Errorf("the first message was not edited to RESOLVED keeping what broke: %+v", edit)
	}
	incs := st.Incidents()
	if len(incs) != 1 || incs[0].Topic != "source:forum" || incs[0].State != "resolved" {
		t.Errorf("incidents = %+v, want one resolved incident for source:forum", incs)
	}
}

// TestSourceIncidentAgain opens a new incident when a source breaks again
// after recovering.
func TestSourceIncidentAgain(t *testing.T) {
	clk := newClock(time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC))
	st := alertstest.New()
	ops := &recorder{}
	e := alerts.NewEngine(config.Alerts{Retry: config.Retry{Attempts: 1}}, st, nil, ops,
		alerts.Options{Now: clk.Now, Sleep: clk.Sleep, Health: config.Health{RepeatInterval: config.Duration(time.Hour)}})
	ctx := context.Background()
	bad := health.Verdict{Source: "api", Problems: []health.Problem{{Rule: "denied", Detail: "HTTP 403 on 1 of 1 pages"}}}
	for _, v := range []health.Verdict{bad, {Source: "api"}, bad} {
		clk.Advance(15 * time.Minute)
		if _, err := e.EvaluateSources(ctx, []health.Verdict{v}); err != nil {
			t.Fatal(err)
		}
	}
	opened := 0
	for _, m := range ops.msgs {
		if m.ThreadTS == "" && m.Mode == notify.ModePost {
			opened++
		}
	}
	if opened != 2 {
		t.Errorf("%d incidents opened, want 2 (one per episode)", opened)
	}
}

// fakeHealth serves fixed verdicts.
type fakeHealth map[string]health.Verdict

func (f fakeHealth) LatestSourceHealth(context.Context) (map[string]health.Verdict, error) {
	return f, nil
}

// TestDigestStartsWithSourceHealth: the digest's first line counts the
// healthy sources or names the broken ones.
func TestDigestStartsWithSourceHealth(t *testing.T) {
	day := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	since := day.Add(9 * time.Hour)
	for _, tc := range []struct {
		name   string
		latest fakeHealth
		want   string
	}{
		{"all healthy", fakeHealth{"forum": {Source: "forum"}, "news": {Source: "news"}}, "2 of 2 sources healthy"},
		{"one broken", fakeHealth{"forum": {Source: "forum", BrokenSince: since,
			Problems: []health.Problem{{Rule: "layout"}, {Rule: "stale"}}}}, "1 of 2 sources healthy* · broken: forum (layout, stale since Mar 2 09:00 UTC)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clk := newClock(day.Add(20 * time.Hour))
			rec := &recorder{}
			e := alerts.NewEngine(config.Alerts{Retry: config.Retry{Attempts: 1}}, alertstest.New(), nil, rec,
				alerts.Options{Now: clk.Now, Sleep: clk.Sleep, Sources: []string{"forum", "news"}, SourceHealth: tc.latest})
			if err := e.Digest(context.Background(), nil, day); err != nil {
				t.Fatal(err)
			}
			if len(rec.msgs) != 1 {
				t.Fatalf("%d messages, want the digest", len(rec.msgs))
			}
			lines := strings.Split(rec.msgs[0].Text, "\n")
			if len(lines) < 2 || !strings.Contains(lines[1], tc.want) {
				t.Errorf("digest opens with %q, want %q after the header", lines[:min(2, len(lines))], tc.want)
			}
		})
	}
}
