package e2e

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/backlash-monitor/backlash/internal/alerts/slackserver"
	"github.com/backlash-monitor/backlash/internal/store/chtest"
)

// TestSpine crawls a forum into ClickHouse twice without double counting,
// then turns opinion on the topic and expects exactly one Slack alert that
// names the topic and quotes the evidence, and no repeat on the next run.
func TestSpine(t *testing.T) {
	addr, db := chtest.Database(t)
	dropDatabase(t, addr, db)
	clk := newClock(base.Add(72 * time.Hour))
	site := newForum(t, clk.Now)
	site.Add(calmHistory("calm", base, base.Add(72*time.Hour), 144)...)
	slack := slackserver.New(slackserver.Options{Channels: []string{"#comms"}, Now: clk.Now})
	defer slack.Close()
	t.Setenv(slackTokEnv, slack.Token())

	dir := t.TempDir()
	cfg := parseConfig(t, configYAML(cfgOpts{StateDir: dir, Addr: addr, DB: db, ForumURL: site.URL(), SlackURL: slack.URL}))
	sys := openSystem(t, cfg, clk.Now, filepath.Join(dir, "spool"), false)
	defer sys.Close()
	st := openStore(t, addr, db)

	// Two crawls of the same calm forum: every post lands once.
	r1 := mustRun(t, sys, "run-1", clk.Now())
	c1 := count(t, st)
	clk.Set(clk.Now().Add(15 * time.Minute))
	r2 := mustRun(t, sys, "run-2", clk.Now())
	c2 := assertExactlyOnce(t, st, site.Served())
	t.Logf("calm runs: run 1 pages %d posts %d new %d; run 2 pages %d posts %d new %d updated %d; store %+v",
		r1.Sources[0].Pages, r1.Sources[0].Posts, r1.Sources[0].New,
		r2.Sources[0].Pages, r2.Sources[0].Posts, r2.Sources[0].New, r2.Sources[0].Updated, c2)
	if c1 != c2 || c1.Final != 144 {
		t.Errorf("after run 1 %+v, after run 2 %+v; want 144 posts both times", c1, c2)
	}
	if c2.Negative != 0 {
		t.Errorf("calm history has %d negative posts in the rollup; the test's premise is a calm past", c2.Negative)
	}
	if r2.Sources[0].New != 0 {
		t.Errorf("second crawl of an unchanged forum stored %d new posts", r2.Sources[0].New)
	}
	if msgs := slack.Messages(); len(msgs) != 0 {
		t.Fatalf("calm runs sent %d Slack messages, first: %q", len(msgs), msgs[0].Text)
	}

	// Opinion turns: 12 angry posts by 12 people in the last 40 minutes.
	clk.Set(clk.Now().Add(45 * time.Minute))
	neg := burst("angry", clk.Now(), 40*time.Minute, 12)
	site.Add(neg...)
	r3 := mustRun(t, sys, "run-3", clk.Now())
	c3 := assertExactlyOnce(t, st, site.Served())
	t.Logf("burst run: posts %d new %d; alerts %d events, %v sent, %d pending; store %+v",
		r3.Sources[0].Posts, r3.Sources[0].New, len(r3.Alerts.Events), r3.Alerts.Sent, r3.Alerts.Pending, c3)
	if c3.Negative < 12 {
		t.Errorf("rollup counts %d negative posts after the burst, want at least 12", c3.Negative)
	}
	top := topLevel(slack.Messages())
	if len(top) != 1 {
		t.Fatalf("burst sent %d top-level messages, want 1: %+v", len(top), top)
	}
	m := top[0]
	if m.ChannelName != "comms" {
		t.Errorf("alert went to #%s, want #comms", m.ChannelName)
	}
	all := m.Text + "\n" + strings.Join(blockStrings(t, m.Blocks), "\n")
	if !strings.Contains(all, topic) {
		t.Errorf("alert does not name the topic %q:\n%s", topic, all)
	}
	quoted := false
	for _, p := range neg {
		if strings.Contains(all, p.Author) || strings.Contains(all, "charged twice") || strings.Contains(all, "lost my cart") {
			quoted = true
			break
		}
	}
	if !quoted {
		t.Errorf("alert quotes no negative author or phrase as evidence:\n%s", all)
	}
	t.Logf("alert text: %.300s", m.Text)

	// The next run, five minutes on, must not alert again.
	clk.Set(clk.Now().Add(5 * time.Minute))
	r4 := mustRun(t, sys, "run-4", clk.Now())
	if top := topLevel(slack.Messages()); len(top) != 1 {
		t.Errorf("run after the alert: %d top-level messages, want still 1 (report %+v)", len(top), r4.Alerts)
	}
	t.Logf("slack received %d messages in all (%d top-level)", len(slack.Messages()), len(topLevel(slack.Messages())))
}
