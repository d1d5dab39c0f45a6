package e2e

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/backlash-monitor/backlash/internal/alerts/slackserver"
	"github.com/backlash-monitor/backlash/internal/store/chserver"
	"github.com/backlash-monitor/backlash/internal/store/chtest"
)

// ownServer starts a private ClickHouse the test may kill; it is stopped
// when the test ends.
func ownServer(t testing.TB, dir string, port int) *chserver.Server {
	t.Helper()
	if _, err := chserver.Binary(); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("ClickHouse is required under CI: %v", err)
		}
		t.Skipf("skipping: needs clickhouse-server: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	srv, err := chserver.Start(ctx, chserver.Options{Dir: dir, Port: port})
	if err != nil {
		t.Fatalf("start ClickHouse: %v", err)
	}
	t.Cleanup(func() { srv.Stop() })
	return srv
}

// spoolFiles lists the spool's files.
func spoolFiles(t *testing.T, dir string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.spool"))
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// olderPosts returns n posts about the topic, one a minute, ending a minute
// before end.
func olderPosts(prefix string, end time.Time, n int) []forumPost {
	out := make([]forumPost, n)
	for i := range out {
		out[i] = forumPost{ID: fmt.Sprintf("%s-%04d", prefix, i), Author: fmt.Sprintf("user%d", i%37),
			Text: fmt.Sprintf("Post %d about the checkout: it works, mostly.", i), At: end.Add(-time.Duration(n-i) * time.Minute), Likes: i % 5}
	}
	return out
}

// TestClickHouseCrash kills ClickHouse in the middle of a crawl, and has it
// down when a run starts: each run fails but spools what it collected, and
// the run after the restart stores every served post exactly once.
func TestClickHouseCrash(t *testing.T) {
	chDir := t.TempDir()
	srv := ownServer(t, chDir, 0)
	port := srv.Port()
	// The restarted server belongs to the parent test, so it outlives the
	// subtest that restarted it.
	parent := t
	restart := func() {
		srv.Stop()
		srv = ownServer(parent, chDir, port)
	}

	t.Run("killed mid-crawl", func(t *testing.T) {
		clk := newClock(base.Add(24 * time.Hour))
		site := newForum(t, clk.Now)
		site.Add(olderPosts("p", clk.Now(), 600)...) // 30 pages of 20
		var once sync.Once
		site.BeforePage = func(n int) {
			if n == 10 {
				once.Do(func() {
					if err := srv.Kill(); err != nil {
						t.Errorf("kill ClickHouse: %v", err)
					}
				})
			}
		}
		dir := t.TempDir()
		spool := filepath.Join(dir, "spool")
		cfg := parseConfig(t, configYAML(cfgOpts{StateDir: dir, Addr: srv.Addr(), DB: "crash_mid", ForumURL: site.URL()}))
		sys := openSystem(t, cfg, clk.Now, spool, true)
		res, err := run(t, sys, "run-1", clk.Now())
		sys.Close()
		if err == nil {
			t.Fatal("run with ClickHouse killed mid-crawl returned no error")
		}
		served1 := len(site.Served())
		t.Logf("run 1 (ClickHouse killed at page 10): pages %d, posts %d, stored %d, spooled %d; err: %.200v",
			res.Sources[0].Pages, res.Sources[0].Posts, res.Sources[0].Stored, res.Sources[0].Spooled, err)
		if res.Sources[0].Spooled == 0 {
			t.Fatalf("run 1 spooled nothing; result %+v", res.Sources[0])
		}
		if res.Sources[0].Spooled+res.Sources[0].Stored < served1 {
			t.Errorf("run 1: site served %d posts, only %d stored + %d spooled", served1, res.Sources[0].Stored, res.Sources[0].Spooled)
		}
		if files := spoolFiles(t, spool); len(files) == 0 {
			t.Fatal("spool directory has no files after the failed run")
		}

		restart()
		clk.Set(clk.Now().Add(15 * time.Minute))
		sys = openSystem(t, cfg, clk.Now, spool, true)
		defer sys.Close()
		res = mustRun(t, sys, "run-2", clk.Now())
		t.Logf("run 2 after restart: replayed %d, pages %d, posts %d, new %d, updated %d",
			res.Replayed, res.Sources[0].Pages, res.Sources[0].Posts, res.Sources[0].New, res.Sources[0].Updated)
		if res.Replayed == 0 {
			t.Error("run 2 replayed nothing from the spool")
		}
		if files := spoolFiles(t, spool); len(files) != 0 {
			t.Errorf("spool still holds %v after a successful replay", files)
		}
		c := assertExactlyOnce(t, sys.Store, site.Served())
		t.Logf("store after recovery: %+v (site served %d distinct)", c, len(site.Served()))
	})

	t.Run("down at start", func(t *testing.T) {
		clk := newClock(base.Add(24 * time.Hour))
		site := newForum(t, clk.Now)
		site.Add(olderPosts("q", clk.Now(), 120)...)
		dir := t.TempDir()
		spool := filepath.Join(dir, "spool")
		cfg := parseConfig(t, configYAML(cfgOpts{StateDir: dir, Addr: srv.Addr(), DB: "crash_start", ForumURL: site.URL()}))
		sys := openSystem(t, cfg, clk.Now, spool, true)
		if err := srv.Kill(); err != nil {
			t.Fatal(err)
		}
		res, err := run(t, sys, "run-1", clk.Now())
		sys.Close()
		if err == nil {
			t.Fatal("run with ClickHouse down returned no error")
		}
		t.Logf("run 1 (ClickHouse down): pages %d, posts %d, spooled %d; err: %.200v",
			res.Sources[0].Pages, res.Sources[0].Posts, res.Sources[0].Spooled, err)
		if res.Sources[0].Spooled != len(site.Served()) || res.Sources[0].Spooled == 0 {
			t.Fatalf("run 1 spooled %d posts, the site served %d", res.Sources[0].Spooled, len(site.Served()))
		}

		restart()
		sys = openSystem(t, cfg, clk.Now, spool, true)
		defer sys.Close()
		// The site is unchanged, so the posts come from the spool and the
		// re-crawl; both must end up as one row each.
		res = mustRun(t, sys, "run-2", clk.Now())
		t.Logf("run 2: replayed %d, new %d, updated %d", res.Replayed, res.Sources[0].New, res.Sources[0].Updated)
		if res.Replayed != 120 {
			t.Errorf("replayed %d posts, want 120", res.Replayed)
		}
		assertExactlyOnce(t, sys.Store, site.Served())
		// And once more, for good measure: nothing new, nothing doubled.
		res = mustRun(t, sys, "run-3", clk.Now().Add(5*time.Minute))
		if res.Replayed != 0 || res.Sources[0].New != 0 {
			t.Errorf("run 3 replayed %d and stored %d new posts, want 0 and 0", res.Replayed, res.Sources[0].New)
		}
		assertExactlyOnce(t, sys.Store, site.Served())
	})
}

// TestSlackOutage keeps Slack down while a burst fires: the alert waits in
// the outbox and the first run after the outage delivers it exactly once.
func TestSlackOutage(t *testing.T) {
	addr, db := chtest.Database(t)
	dropDatabase(t, addr, db)
	clk := newClock(base.Add(72 * time.Hour))
	site := newForum(t, clk.Now)
	site.Add(calmHistory("calm", base, base.Add(72*time.Hour), 72)...)
	slack := slackserver.New(slackserver.Options{Channels: []string{"#comms"}, Now: clk.Now})
	defer slack.Close()
	t.Setenv(slackTokEnv, slack.Token())
	dir := t.TempDir()
	cfg := parseConfig(t, configYAML(cfgOpts{StateDir: dir, Addr: addr, DB: db, ForumURL: site.URL(), SlackURL: slack.URL}))
	sys := openSystem(t, cfg, clk.Now, filepath.Join(dir, "spool"), false)
	defer sys.Close()
	mustRun(t, sys, "calm", clk.Now())

	clk.Set(clk.Now().Add(time.Hour))
	site.Add(burst("angry", clk.Now(), 40*time.Minute, 12)...)
	outageEnd := clk.Now().Add(30 * time.Minute)
	slack.Down(outageEnd)
	for i, at := range []time.Time{clk.Now(), clk.Now().Add(15 * time.Minute)} {
		clk.Set(at)
		res, err := run(t, sys, fmt.Sprintf("outage-%d", i), at)
		t.Logf("run during outage at +%s: pending %d, sent %v, events %d, err %.150v", at.Sub(base), res.Alerts.Pending, res.Alerts.Sent, len(res.Alerts.Events), err)
		if res.Alerts.Pending == 0 {
			t.Fatalf("run %d during the outage left nothing pending (report %+v)", i, res.Alerts)
		}
		if n := len(slack.Messages()); n != 0 {
			t.Fatalf("Slack is down but %d messages arrived", n)
		}
	}

	clk.Set(outageEnd.Add(5 * time.Minute))
	res, err := run(t, sys, "after", clk.Now())
	t.Logf("run after outage: pending %d, sent %v, err %v", res.Alerts.Pending, res.Alerts.Sent, err)
	if err != nil {
		t.Errorf("run after the outage: %v", err)
	}
	if res.Alerts.Pending != 0 {
		t.Errorf("%d notifications still pending after the outage", res.Alerts.Pending)
	}
	clk.Set(clk.Now().Add(5 * time.Minute))
	mustRun(t, sys, "later", clk.Now())
	top := topLevel(slack.Messages())
	if len(top) != 1 {
		t.Fatalf("after the outage %d top-level messages arrived, want exactly 1", len(top))
	}
	if !bytes.Contains([]byte(top[0].Text), []byte(topic)) {
		t.Errorf("delivered alert does not name %q: %.200s", topic, top[0].Text)
	}
	t.Logf("slack received %d messages (%d top-level)", len(slack.Messages()), len(top))
}

// TestCrawlKilled kills `backlash crawl` with SIGKILL in the middle of a
// slow crawl — after its first batch of 5000 posts is stored, before the
// rest is — then crawls again to completion: no post is lost or doubled.
func TestCrawlKilled(t *testing.T) {
	addr, db := chtest.Database(t)
	dropDatabase(t, addr, db)
	bin := binary(t)
	site := newForum(t, time.Now)
	site.PerPage = 200
	// 60 pages at 100 ms each: the first batch of 5,000 posts is full
	// after page 25, and the 35 pages left give storing it seconds of
	// margin before the crawl could end on its own.
	const total, pages = 12000, 60
	site.Add(olderPosts("k", time.Now().Add(-time.Minute), total)...)
	site.SetDelay(100 * time.Millisecond)
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "backlash.yaml")
	if err := os.WriteFile(cfgPath, []byte(configYAML(cfgOpts{StateDir: dir, Addr: addr, DB: db, ForumURL: site.URL()})), 0o600); err != nil {
		t.Fatal(err)
	}
	st := openStore(t, addr, db)
	var out bytes.Buffer
	cmd := exec.Command(bin, "crawl", "--config", cfgPath)
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	stored := func() uint64 {
		var n uint64
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := st.Conn().QueryRow(ctx, "SELECT count() FROM "+st.Table("posts")).Scan(&n); err != nil {
			return 0 // the table is not there until the crawl has migrated
		}
		return n
	}
	waitFor(t, 60*time.Second, "the crawl's first batch to be stored", func() bool { return stored() > 0 })
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	err := <-exited
	before := count(t, st)
	t.Logf("crawl killed after %d pages (%d posts served), %d posts stored: %v", site.Pages(), len(site.Served()), before.Final, err)
	if err == nil || site.Pages() >= pages {
		t.Fatalf("the crawl was not killed mid-crawl (exit %v after %d pages)\n%s", err, site.Pages(), out.String())
	}
	if before.Final == 0 || before.Final >= total {
		t.Fatalf("%d posts stored when the crawl was killed; want a partial crawl", before.Final)
	}

	site.SetDelay(0)
	for i := 0; i < 2; i++ {
		out.Reset()
		cmd = exec.Command(bin, "crawl", "--config", cfgPath)
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Run(); err != nil {
			t.Fatalf("crawl %d after the kill: %v\n%s", i+2, err, out.String())
		}
	}
	c := assertExactlyOnce(t, st, site.Served())
	if len(site.Served()) != total {
		t.Errorf("the site served %d distinct posts, want all %d", len(site.Served()), total)
	}
	t.Logf("after the kill and two crawls: site served %d distinct posts over %d pages; store %+v", len(site.Served()), site.Pages(), c)
}

// TestClickHouseDownAtProcessStart runs `backlash run` with ClickHouse
// unreachable from the first moment: the run must fail, and what it
// crawled should wait in the spool.
func TestClickHouseDownAtProcessStart(t *testing.T) {
	bin := binary(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := l.Addr().String()
	l.Close()
	site := newForum(t, time.Now)
	site.Add(olderPosts("d", time.Now().Add(-time.Minute), 50)...)
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "backlash.yaml")
	if err := os.WriteFile(cfgPath, []byte(configYAML(cfgOpts{StateDir: dir, Addr: dead, DB: "down", ForumURL: site.URL()})), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, bin, "run", "--config", cfgPath).CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() == 0 {
		t.Fatalf("run with ClickHouse unreachable: %v, want a non-zero exit\n%s", err, out)
	}
	files := spoolFiles(t, filepath.Join(dir, "spool"))
	t.Logf("run with ClickHouse unreachable: exit %d, %d pages crawled, %d spool files; %s",
		exit.ExitCode(), site.Pages(), len(files), strings.TrimSpace(string(out)))
	if len(files) == 0 {
		t.Fatalf("nothing was spooled while ClickHouse was unreachable")
	}
}
