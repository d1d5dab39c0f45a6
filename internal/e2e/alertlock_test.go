package e2e

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/backlash-monitor/backlash/internal/alerts/slackserver"
	"github.com/backlash-monitor/backlash/internal/serve"
	"github.com/backlash-monitor/backlash/internal/store/chtest"
)

// TestAlertBesideRun starts `backlash alert` while `backlash run` is
// crawling, both with a backlash to report: alert waits for the run's lock,
// and Slack gets the alert exactly once. With the lock held for longer than
// --wait, alert fails saying who holds it, and posts nothing.
func TestAlertBesideRun(t *testing.T) {
	addr, db := chtest.Database(t)
	dropDatabase(t, addr, db)
	bin := binary(t)
	now := time.Now().UTC()
	site := newForum(t, time.Now)
	site.Add(calmHistory("calm", now.Add(-73*time.Hour), now.Add(-time.Hour), 72)...)
	site.Add(burst("angry", now.Add(-time.Minute), 40*time.Minute, 12)...)
	slack := slackserver.New(slackserver.Options{Channels: []string{"#comms"}})
	defer slack.Close()
	t.Setenv(slackTokEnv, slack.Token())
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "backlash.yaml")
	if err := os.WriteFile(cfgPath, []byte(configYAML(cfgOpts{StateDir: dir, Addr: addr, DB: db, ForumURL: site.URL(), SlackURL: slack.URL})), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := func(args ...string) (*exec.Cmd, *bytes.Buffer) {
		var out bytes.Buffer
		c := exec.Command(bin, append(args, "--config", cfgPath)...)
		c.Stdout, c.Stderr = &out, &out
		return c, &out
	}
	if c, out := cmd("crawl"); c.Run() != nil {
		t.Fatalf("crawl: %s", out)
	}
	if n := len(slack.Messages()); n != 0 {
		t.Fatalf("crawl posted %d messages", n)
	}

	// The run holds the lock while it crawls a slow page.
	site.SetDelay(3 * time.Second)
	pages := site.Pages()
	runCmd, runOut := cmd("run")
	if err := runCmd.Start(); err != nil {
		t.Fatal(err)
	}
	runDone := make(chan time.Time, 1)
	go func() { runCmd.Wait(); runDone <- time.Now() }()
	waitFor(t, 60*time.Second, "the run to crawl", func() bool { return site.Pages() > pages })
	alertCmd, alertOut := cmd("alert")
	if err := alertCmd.Run(); err != nil {
		t.Fatalf("alert beside run: %v\n%s", err, alertOut)
	}
	alertEnd := time.Now()
	runEnd := <-runDone
	if !runCmd.ProcessState.Success() {
		t.Fatalf("run: %s\n%s", runCmd.ProcessState, runOut)
	}
	if alertEnd.Before(runEnd) {
		t.Errorf("alert finished %s before the run it should have waited for", runEnd.Sub(alertEnd))
	}
	msgs := topLevel(slack.Messages())
	if len(msgs) != 1 {
		t.Fatalf("Slack got %d top-level messages from run and alert, want exactly 1\nrun:\n%s\nalert:\n%s", len(msgs), runOut, alertOut)
	}
	t.Logf("one alert posted; run:\n%s\nalert:\n%s", runOut, alertOut)

	// A lock held longer than --wait: alert gives up and says so.
	release, err := serve.Lock(filepath.Join(dir, "backlash.lock"))
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	c, out := cmd("alert", "--wait", "500ms")
	err = c.Run()
	if code := c.ProcessState.ExitCode(); err == nil || code != 1 || !strings.Contains(out.String(), "holds") {
		t.Errorf("alert with the lock held: exit %d, want 1 naming the holder:\n%s", code, out)
	}
	if n := len(slack.Messages()); n != len(msgs) {
		t.Errorf("alert posted with the lock held elsewhere")
	}
}

// TestAmbiguousSlackAnswerAcrossRuns has Slack post the alert but answer
// unreadably, with no retry left in the run: the next run looks for the
// message by its dedup key, finds it, and threads its updates under it;
// Slack holds one top-level message.
func TestAmbiguousSlackAnswerAcrossRuns(t *testing.T) {
	addr, db := chtest.Database(t)
	dropDatabase(t, addr, db)
	clk := newClock(base.Add(72 * time.Hour))
	site := newForum(t, clk.Now)
	site.Add(calmHistory("calm", base, base.Add(72*time.Hour), 72)...)
	slack := slackserver.New(slackserver.Options{Channels: []string{"#comms"}, Now: clk.Now})
	defer slack.Close()
	t.Setenv(slackTokEnv, slack.Token())
	dir := t.TempDir()
	yaml := configYAML(cfgOpts{StateDir: dir, Addr: addr, DB: db, ForumURL: site.URL(), SlackURL: slack.URL})
	yaml = strings.Replace(yaml, "retry: {attempts: 2,", "retry: {attempts: 1,", 1)
	cfg := parseConfig(t, yaml)
	sys := openSystem(t, cfg, clk.Now, filepath.Join(dir, "spool"), false)
	defer sys.Close()
	mustRun(t, sys, "calm", clk.Now())

	clk.Set(clk.Now().Add(time.Hour))
	site.Add(burst("angry", clk.Now(), 40*time.Minute, 12)...)
	slack.AcceptUnreadable(1)
	res, err := run(t, sys, "burst", clk.Now())
	if res.Alerts.Pending == 0 || len(slack.Messages()) != 1 {
		t.Fatalf("unreadable answer: pending %d, Slack holds %d messages, err %v; want the post in Slack and still pending",
			res.Alerts.Pending, len(slack.Messages()), err)
	}
	clk.Set(clk.Now().Add(15 * time.Minute))
	res = mustRun(t, sys, "next", clk.Now())
	if res.Alerts.Pending != 0 {
		t.Errorf("still %d pending after the look found the post", res.Alerts.Pending)
	}
	top := topLevel(slack.Messages())
	if len(top) != 1 {
		t.Fatalf("Slack holds %d top-level messages, want exactly 1", len(top))
	}
	for _, m := range slack.Messages() {
		if m.ThreadTS != "" && m.ThreadTS != top[0].TS {
			t.Errorf("reply %s is in thread %s, not under the alert %s", m.TS, m.ThreadTS, top[0].TS)
		}
	}
	t.Logf("Slack holds %d messages, one top-level", len(slack.Messages()))
}
