package e2e

import (
	"bufio"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/backlash-monitor/backlash/internal/demo"
	"github.com/backlash-monitor/backlash/internal/pipeline"
	"github.com/backlash-monitor/backlash/internal/store/chtest"
)

// vmRSS returns the process's resident set size as /proc reports it.
func vmRSS() string {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return "unknown"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}

// heapAfterGC returns the live heap after a full collection.
func heapAfterGC() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// TestSoak replays one simulated day of the demo world, through the
// backlash's onset, in 15-minute runs of one long-lived system, and checks
// that goroutines and the heap come back to where they started.
func TestSoak(t *testing.T) {
	if testing.Short() {
		t.Skip("soak test skipped in -short mode")
	}
	addr, db := chtest.Database(t)
	dropDatabase(t, addr, db)
	sc := demo.NewScenario(demo.Options{Seed: 7, Scale: 1})
	site := demo.NewSite(sc)
	srv := httptest.NewServer(site)
	defer srv.Close()

	start := sc.Onset().Add(-12 * time.Hour)
	clk := newClock(start)
	site.SetNow(start)
	dir := t.TempDir()
	cfg := parseConfig(t, string(demo.Config(srv.URL, sc)))
	cfg.StateDir = dir
	cfg.ClickHouse.Embedded = false
	cfg.ClickHouse.Addr = []string{addr}
	cfg.ClickHouse.Database = db
	sys := openSystem(t, cfg, clk.Now, filepath.Join(dir, "spool"), false)
	defer sys.Close()

	// The first run reads the backlog and warms every pool; the baseline is
	// taken after it.
	first := mustRun(t, sys, "soak-000", start)
	time.Sleep(100 * time.Millisecond)
	g0, h0, rss0 := runtime.NumGoroutine(), heapAfterGC(), vmRSS()
	t.Logf("start: after the backlog run (%d posts) goroutines %d, heap %.1f MB, RSS %s",
		postsOf(first), g0, float64(h0)/1e6, rss0)

	began := time.Now()
	runs, posts, alerts := 0, 0, 0
	for now := start.Add(15 * time.Minute); !now.After(start.Add(24 * time.Hour)); now = now.Add(15 * time.Minute) {
		clk.Set(now)
		site.SetNow(now)
		res := mustRun(t, sys, "soak-"+now.Format("150405"), now)
		runs++
		posts += postsOf(res)
		alerts += len(res.Alerts.Events)
		if runs%24 == 0 {
			t.Logf("%s simulated (%s): goroutines %d, RSS %s", now.Sub(start), sc.PhaseAt(now), runtime.NumGoroutine(), vmRSS())
		}
	}
	wall := time.Since(began)

	// Let idle connections and finished crawls wind down.
	var g1 int
	deadline := time.Now().Add(3 * time.Second)
	for {
		g1 = runtime.NumGoroutine()
		if g1 <= g0+3 || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	h1, rss1 := heapAfterGC(), vmRSS()
	c := count(t, sys.Store)
	t.Logf("end: %d runs over 24h simulated in %s wall (%.0f ms/run), %d posts crawled, %d alert events; store %+v",
		runs, wall.Round(time.Millisecond), float64(wall.Milliseconds())/float64(runs), posts, alerts, c)
	t.Logf("end: goroutines %d (start %d), heap %.1f MB (start %.1f MB), RSS %s (start %s)",
		g1, g0, float64(h1)/1e6, float64(h0)/1e6, rss1, rss0)
	if g1 > g0+3 {
		buf := make([]byte, 1<<20)
		n := runtime.Stack(buf, true)
		t.Errorf("goroutines grew from %d to %d over %d runs:\n%s", g0, g1, runs, buf[:n])
	}
	if limit := 2*h0 + 20<<20; h1 > limit {
		t.Errorf("heap after GC grew from %d to %d bytes (limit %d)", h0, h1, limit)
	}
	if c.Final != c.Distinct || c.Final == 0 {
		t.Errorf("store after the soak: %+v; want FINAL = distinct", c)
	}
	if runs != 96 {
		t.Errorf("ran %d times, want 96", runs)
	}
}

// postsOf sums the posts crawled by a run's sources.
func postsOf(r pipeline.RunResult) int {
	n := 0
	for _, s := range r.Sources {
		n += s.Posts
	}
	return n
}
