package alerts_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/backlash-monitor/backlash/internal/alerts"
	"github.com/backlash-monitor/backlash/internal/config"
)

var t0 = time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)

// lifecycle drives one incident through open, escalate, update and resolve,
// making a new engine for every run when restart is set.
func lifecycle(t *testing.T, restart bool) {
	r := newRig(t, t0)
	e := r.engine()
	step := func(d time.Duration, risk float64, want string) {
		t.Helper()
		r.clock.Advance(d)
		if restart {
			e = r.engine()
		}
		if got := kinds(r.run(e, risk)); got != want {
			t.Fatalf("at %s risk %.0f: events %q, want %q", r.clock.Now().Format("15:04"), risk, got, want)
		}
	}
	step(0, 65, "")                       // warn holds, but not yet for 10m
	step(10*time.Minute, 65, "open:warn") // held 10m: opens
	step(5*time.Minute, 85, "")           // page holds, not yet for 10m
	step(10*time.Minute, 85, "escalate:page,route:page")
	step(30*time.Minute, 84, "")            // within the repeat interval
	step(30*time.Minute, 86, "update:page") // an hour after the last message
	step(5*time.Minute, 20, "")             // below every threshold: hysteresis starts
	step(20*time.Minute, 45, "")            // back above watch: clear again resets
	step(5*time.Minute, 20, "")
	step(30*time.Minute, 20, "resolve:page")
	step(5*time.Minute, 20, "")

	comms, lead := r.slack.ChannelID("#comms"), r.slack.ChannelID("#leadership")
	msgs := r.slack.Messages()
	if len(msgs) != 5 {
		for _, m := range msgs {
			t.Logf("%s ts=%s thread=%s: %.80s", m.ChannelName, m.TS, m.ThreadTS, m.Text)
		}
		t.Fatalf("%d messages, want 5 (parent, escalation, leadership copy, update, resolution)", len(msgs))
	}
	parent := msgs[0]
	if parent.Channel != comms || parent.ThreadTS != "" {
		t.Fatalf("first message %+v, want top-level in #comms", parent)
	}
	if parent.Updates != 3 {
		t.Errorf("parent updated %d times, want 3 (escalation, update, resolution)", parent.Updates)
	}
	if !strings.Contains(parent.Text, "RESOLVED") {
		t.Errorf("parent not updated to resolved: %.200s", parent.Text)
	}
	thread := r.slack.Thread(comms, parent.TS)
	want := []string{"Escalated to PAGE", "Update · PAGE", "Resolved · checkout"}
	if len(thread) != len(want) {
		t.Fatalf("thread has %d replies, want %d", len(thread), len(want))
	}
	for i, w := range want {
		if !strings.Contains(thread[i].Text, w) {
			t.Errorf("reply %d: %.120q does not contain %q", i, thread[i].Text, w)
		}
	}
	var copies int
	for _, m := range msgs {
		if m.Channel == lead {
			copies++
			if m.ThreadTS != "" || !strings.Contains(m.Text, "PAGE") {
				t.Errorf("leadership copy %+v", m)
			}
		}
	}
	if copies != 1 {
		t.Errorf("%d messages in #leadership, want 1", copies)
	}
	rows, err := r.st.Alerts(context.Background(), "checkout", t0.Add(-time.Hour), t0.Add(24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	var states []string
	for _, row := range rows {
		states = append(states, row.State+":"+row.Severity)
		if row.MessageTS == "" || row.Channel == "" {
			t.Errorf("alert row without message: %+v", row)
		}
	}
	if got, want := strings.Join(states, ","), "firing:warn,escalated:page,escalated:page,update:page,resolved:page"; got != want {
		t.Errorf("alerts rows %s, want %s", got, want)
	}
}

func TestIncidentLifecycleInOneThread(t *testing.T) { lifecycle(t, false) }

func TestRestartMidIncidentContinuesThread(t *testing.T) { lifecycle(t, true) }

func TestCrawledTextIsEscaped(t *testing.T) {
	r := newRig(t, t0)
	evil := samplePosts(t0)
	evil[0].Author = "<@U024BE7LH> *boss*"
	evil[0].Text = "<!channel> @here wake up <https://evil.example|click> & <!everyone> `code` ~strike~ _it_"
	evil[0].URL = "https://forum.example.com/t/1|fake>"
	evil[1].Sentiment.Terms = []string{"<!here>"}
	r.ev = fakeEvidence{posts: evil}
	r.cfg.Rules[0].For = 0
	if got := kinds(r.run(r.engine(), 65)); got != "open:warn" {
		t.Fatalf("events %q", got)
	}
	msgs := r.slack.Messages()
	if len(msgs) != 1 {
		t.Fatalf("%d messages", len(msgs))
	}
	for _, payload := range []string{msgs[0].Text, msgs[0].Blocks} {
		for _, bad := range []string{"<!channel>", "<!here>", "<!everyone>", "<@U024BE7LH>", "<https://evil", " @here", "fake>", "*boss*", "`code`", "~strike~", "_it_"} {
			if strings.Contains(payload, bad) {
				t.Errorf("payload contains %q unescaped:\n%s", bad, payload)
			}
		}
		for _, good := range []string{"&lt;!\u200bchannel&gt;", "&lt;https://evil.example|click&gt;", "&amp;", "@\u200bhere"} {
			if !strings.Contains(payload, good) && !strings.Contains(payload, jsonEscape(good)) {
				t.Errorf("payload lacks %q:\n%s", good, payload)
			}
		}
	}
}

func jsonEscape(s string) string {
	return strings.NewReplacer("&", `\u0026`, "<", `\u003c`, ">", `\u003e`).Replace(s)
}

func TestSlackOutageDelaysButNeitherLosesNorRepeats(t *testing.T) {
	r := newRig(t, t0)
	r.cfg.Rules[0].For = 0
	r.slack.Down(t0.Add(10 * time.Minute))
	rep := r.run(r.engine(), 65)
	if kinds(rep) != "open:warn" || rep.Pending != 1 || len(rep.Sent) != 0 {
		t.Fatalf("during outage: %+v", rep)
	}
	if n := len(r.slack.Messages()); n != 0 {
		t.Fatalf("%d messages during outage", n)
	}
	if s := r.clock.Sleeps(); len(s) != 3 || s[0] != time.Second || s[1] != 2*time.Second || s[2] != 4*time.Second {
		t.Errorf("backoff %v, want [1s 2s 4s]", s)
	}
	// Next run, five minutes later: still down; the alert stays queued.
	r.clock.Advance(5 * time.Minute)
	r.run(r.engine(), 65)
	if n := len(r.slack.Messages()); n != 0 {
		t.Fatalf("%d messages during outage", n)
	}
	// After the outage: delivered once, then never again.
	r.clock.Advance(6 * time.Minute)
	r.run(r.engine(), 65)
	r.clock.Advance(5 * time.Minute)
	r.run(r.engine(), 65)
	msgs := r.slack.Messages()
	if len(msgs) != 1 || !strings.Contains(msgs[0].Text, "WARN") {
		t.Fatalf("after outage: %d messages, want the one alert", len(msgs))
	}
	pending, err := r.st.PendingOutbox(context.Background())
	if err != nil || len(pending) != 0 {
		t.Fatalf("outbox still holds %d items (%v)", len(pending), err)
	}
	rows, err := r.st.Alerts(context.Background(), "checkout", t0, t0.Add(time.Hour))
	if err != nil || len(rows) != 1 || !rows[0].At.Equal(t0) {
		t.Fatalf("alerts rows %+v (%v), want one firing at %s", rows, err, t0)
	}
}

func TestRateLimitRetryAfterIsHonoured(t *testing.T) {
	r := newRig(t, t0)
	r.cfg.Rules[0].For = 0
	r.slack.RateLimit(30 * time.Second)
	rep := r.run(r.engine(), 65)
	if len(rep.Sent) != 1 || rep.Pending != 0 {
		t.Fatalf("report %+v, want the alert sent after waiting", rep)
	}
	s := r.clock.Sleeps()
	if len(s) != 1 || s[0] != 30*time.Second {
		t.Fatalf("waits %v, want one of 30s as Retry-After asked", s)
	}
	if n := len(r.slack.Messages()); n != 1 {
		t.Fatalf("%d messages", n)
	}
	var limited int
	for _, q := range r.slack.Requests() {
		if q.Status == 429 {
			limited++
		}
	}
	if limited != 1 {
		t.Errorf("%d rate-limited requests, want 1", limited)
	}
}

func TestSilencedIncidentIsRecordedNotSent(t *testing.T) {
	now := time.Now().UTC().Truncate(time.Second)
	r := newRig(t, now)
	r.cfg.Rules[0].For = 0
	ctx := context.Background()
	id, err := alerts.Silence(ctx, r.st, "checkout", 2*time.Hour, "known outage, comms already out", "ops")
	if err != nil {
		t.Fatal(err)
	}
	ls, err := alerts.ListSilences(ctx, r.st, false)
	if err != nil || len(ls) != 1 || ls[0].ID != id {
		t.Fatalf("silences %+v (%v)", ls, err)
	}
	r.clock.Advance(2 * time.Second) // the silence starts at the real now
	rep := r.run(r.engine(), 65)
	if len(rep.Events) != 1 || !rep.Events[0].Silenced {
		t.Fatalf("events %+v", rep.Events)
	}
	if n := len(r.slack.Messages()); n != 0 {
		t.Fatalf("%d messages sent while silenced", n)
	}
	rows, err := r.st.Alerts(ctx, "checkout", now.Add(-time.Hour), now.Add(time.Hour))
	if err != nil || len(rows) != 1 || rows[0].State != "silenced" {
		t.Fatalf("alerts rows %+v (%v), want one silenced", rows, err)
	}
	if err := alerts.ExpireSilence(ctx, r.st, id); err != nil {
		t.Fatal(err)
	}
	ls, _ = alerts.ListSilences(ctx, r.st, false)
	if len(ls) != 0 {
		t.Fatalf("expired silence still listed: %+v", ls)
	}
	// Escalating after the silence ends is sent, top-level since the
	// thread's first message never was.
	r.clock.Advance(time.Minute)
	if got := kinds(r.run(r.engine(), 90)); got != "escalate:page,route:page" {
		t.Fatalf("events %q", got)
	}
	if n := len(r.slack.Messages()); n != 2 {
		t.Fatalf("%d messages after the silence, want 2", n)
	}
}

func TestDigestOncePerDay(t *testing.T) {
	r := newRig(t, t0)
	e := r.engine()
	ctx := context.Background()
	sigs := []alerts.Signal{signal(t0, 12), {Topic: "pricing", At: t0, Window: 24 * time.Hour, Posts: 40, Negative: 3}}
	for range 2 {
		if err := e.Digest(ctx, sigs, t0); err != nil {
			t.Fatal(err)
		}
	}
	msgs := r.slack.Messages()
	if len(msgs) != 1 {
		t.Fatalf("%d digests, want 1", len(msgs))
	}
	for _, w := range []string{"Daily opinion digest", "*checkout*", "*pricing*", "140 posts, 46 negative", "dana"} {
		if !strings.Contains(msgs[0].Text, w) {
			t.Errorf("digest lacks %q:\n%s", w, msgs[0].Text)
		}
	}
}

func TestConsoleOnlyPrintsTheThread(t *testing.T) {
	r := newRig(t, t0)
	r.cfg.Rules[0].For = 0
	r.cfg.Slack = config.Slack{Channel: "#comms"}
	on := true
	r.cfg.Console = &on
	var out strings.Builder
	n, err := alerts.BuildNotifier(r.cfg, &out, quietLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	mk := func() *alerts.Engine {
		return alerts.NewEngine(r.cfg, r.st, r.ev, n, alerts.Options{Logger: quietLogger(t), Now: r.clock.Now, Sleep: r.clock.Sleep})
	}
	r.run(mk(), 65)
	r.clock.Advance(5 * time.Minute)
	r.run(mk(), 90)
	text := out.String()
	for _, w := range []string{"── #comms ──", "WARN · checkout", "(thread console.000001)", "Escalated to PAGE", "── update of console.000001 ──", "dana"} {
		if !strings.Contains(text, w) {
			t.Errorf("console output lacks %q:\n%s", w, text)
		}
	}
	rows, err := r.st.Alerts(context.Background(), "checkout", t0, t0.Add(time.Hour))
	if err != nil || len(rows) != 2 || rows[0].Channel != "console" {
		t.Fatalf("alerts rows %+v (%v)", rows, err)
	}
}
