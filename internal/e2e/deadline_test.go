package e2e

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/backlash-monitor/backlash/internal/alerts/slackserver"
	"github.com/backlash-monitor/backlash/internal/store/chtest"
)

// trickle is a site whose pages send one byte a second for as long as the
// client listens.
func trickle(t testing.TB) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fl, _ := w.(http.Flusher)
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for {
			if _, err := w.Write([]byte("<")); err != nil {
				return
			}
			if fl != nil {
				fl.Flush()
			}
			select {
			case <-tick.C:
			case <-r.Context().Done():
				return
			}
		}
	}))
	t.Cleanup(func() {
		srv.CloseClientConnections()
		srv.Close()
	})
	return srv
}

// TestSlowSourceDoesNotDelayAlert crawls a fast forum beside a source that
// sends one byte a second: the fast topic's alert reaches Slack within 10s
// of its source finishing, while the slow source is still crawling, and the
// slow source is cut at its deadline with the reason recorded.
func TestSlowSourceDoesNotDelayAlert(t *testing.T) {
	addr, db := chtest.Database(t)
	dropDatabase(t, addr, db)
	clk := newClock(base.Add(72 * time.Hour))
	site := newForum(t, clk.Now)
	site.Add(calmHistory("calm", base, base.Add(72*time.Hour), 72)...)
	slow := trickle(t)
	slack := slackserver.New(slackserver.Options{Channels: []string{"#comms"}, Now: clk.Now})
	defer slack.Close()
	t.Setenv(slackTokEnv, slack.Token())
	dir := t.TempDir()
	const slowDeadline = 15 * time.Second
	yaml := configYAML(cfgOpts{StateDir: dir, Addr: addr, DB: db, ForumURL: site.URL(), SlackURL: slack.URL})
	// The forum feeds only the checkout topic; the slow site feeds travel.
	yaml = strings.Replace(yaml, "    allow_private: true\n", "    allow_private: true\n    topics: ["+topic+"]\n", 1)
	yaml = strings.Replace(yaml, "sources:\n", fmt.Sprintf(`sources:
  - name: slow
    kind: html
    urls: [%q]
    topics: [travel]
    allow_private: true
    ignore_robots: true
    deadline: %s
    html: {item: article.post, text: .body}
`, slow.URL+"/latest", slowDeadline), 1)
	yaml = strings.Replace(yaml, "topics:\n", "topics:\n  - name: travel\n    keywords: [travel]\n", 1)
	cfg := parseConfig(t, yaml)
	sys := openSystem(t, cfg, clk.Now, filepath.Join(dir, "spool"), false)
	defer sys.Close()
	forumOnly := cfg.Sources[1:]
	if forumOnly[0].Name != "forum" {
		t.Fatalf("sources are %+v", cfg.Sources)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	if _, err := sys.Job.Run(ctx, "calm", forumOnly, clk.Now()); err != nil {
		t.Fatalf("calm run: %v", err)
	}

	clk.Set(clk.Now().Add(time.Hour))
	site.Add(burst("angry", clk.Now(), 40*time.Minute, 12)...)
	// The forum's last page is its first: its crawl ends right after it.
	var mu sync.Mutex
	var forumServed time.Time
	site.BeforePage = func(int) {
		mu.Lock()
		forumServed = time.Now()
		mu.Unlock()
	}
	alerted := make(chan time.Time, 1)
	go func() {
		for ctx.Err() == nil {
			if len(slack.Messages()) > 0 {
				alerted <- time.Now()
				return
			}
			time.Sleep(20 * time.Millisecond)
		}
	}()
	start := time.Now()
	res, err := sys.Job.Run(ctx, "burst", cfg.Sources, clk.Now())
	took := time.Since(start)
	if err == nil {
		t.Error("run with a source cut at its deadline returned no error")
	}
	var at time.Time
	select {
	case at = <-alerted:
	case <-time.After(5 * time.Second):
		t.Fatalf("no alert reached Slack; run took %s, err %v", took, err)
	}
	mu.Lock()
	lag := at.Sub(forumServed)
	mu.Unlock()
	t.Logf("forum served its page at +%s, the alert reached Slack %s later (+%s); the run took %s",
		forumServed.Sub(start).Round(time.Millisecond), lag.Round(time.Millisecond), at.Sub(start).Round(time.Millisecond), took.Round(time.Millisecond))
	if lag > 10*time.Second {
		t.Errorf("the fast topic's alert reached Slack %s after its source finished, want within 10s", lag)
	}
	if at.Sub(start) >= slowDeadline {
		t.Errorf("the alert waited for the slow source: it arrived %s into the run, the slow source's deadline is %s", at.Sub(start), slowDeadline)
	}
	if took < slowDeadline || took > slowDeadline+10*time.Second {
		t.Errorf("run took %s, want the slow source cut at its %s deadline", took, slowDeadline)
	}
	byName := map[string]int{}
	for i, s := range res.Sources {
		byName[s.Source] = i
	}
	sr := res.Sources[byName["slow"]]
	if sr.Cut != "source deadline 15s" {
		t.Errorf("slow source: cut %q, want %q (err %v)", sr.Cut, "source deadline 15s", sr.Err)
	}
	if fr := res.Sources[byName["forum"]]; fr.Cut != "" || fr.Err != nil || fr.New != 12 {
		t.Errorf("forum: cut %q, err %v, new %d; want a whole crawl storing the 12 new posts", fr.Cut, fr.Err, fr.New)
	}
	if len(res.Alerts.Sent) == 0 {
		t.Errorf("run reports no alert sent: %+v", res.Alerts)
	}
	st := openStore(t, addr, db)
	var lastErr string
	if err := st.Conn().QueryRow(ctx, "SELECT last_error FROM "+st.Table("crawl_runs")+" WHERE source = 'slow' AND run_id = 'burst'").Scan(&lastErr); err != nil {
		t.Fatalf("read the slow source's run: %v", err)
	}
	if !strings.Contains(lastErr, "cut at the source deadline 15s") {
		t.Errorf("crawl_runs.last_error of the slow source is %q, want the deadline named", lastErr)
	}
}
