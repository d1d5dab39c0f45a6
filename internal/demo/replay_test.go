package demo_test

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/backlash-monitor/backlash/internal/config"
	"github.com/backlash-monitor/backlash/internal/demo"
	"github.com/backlash-monitor/backlash/internal/pipeline"
	"github.com/backlash-monitor/backlash/internal/store/chtest"
)

func TestMain(m *testing.M) { chtest.Main(m) }

// TestReplayDetectsTheBacklash runs the demo scenario through the whole
// pipeline (crawler, scorer, ClickHouse, rollups, detector, risk, alert
// engine) and holds it to the targets: the first alert within 30 simulated
// minutes of the ground-truth onset, no alert on the calm topic or the calm
// days, an incident that escalates, and a replay fast enough for the demo
// to show a week in minutes.
func TestReplayDetectsTheBacklash(t *testing.T) {
	if testing.Short() {
		t.Skip("replay takes a minute or two; skipped in -short mode")
	}
	sc := demo.NewScenario(demo.Options{Scale: 5})
	sum := replay(t, sc, nil)
	checkSummary(t, sum)
}

// checkSummary logs a replay's summary and holds it to the demo's targets:
// no failed run, a first alert within 30 simulated minutes of the onset,
// no false alert, an escalation, no ops alert, and at most a minute of
// wall time per simulated day. About 7 s a day here when the machine is
// otherwise idle; the bound leaves room for the other packages' tests
// running beside the replay.
func checkSummary(t *testing.T, sum demo.Summary) {
	t.Helper()
	t.Logf("onset %s, first alert %s (delay %s), false alerts %d, escalated %v, %d posts in %d runs, %s per simulated day",
		sum.Onset.Format(time.RFC3339), sum.FirstAlert.Format(time.RFC3339), sum.DetectionDelay(), len(sum.FalseAlerts),
		sum.Escalated, sum.Posts, sum.Runs, sum.WallPerSimDay())
	if sum.Errors > 0 {
		t.Errorf("%d runs failed", sum.Errors)
	}
	if d := sum.DetectionDelay(); d < 0 || d > 30*time.Minute {
		t.Errorf("detection delay %s, want within 30 simulated minutes of the onset", d)
	}
	if len(sum.FalseAlerts) > 0 {
		t.Errorf("false alerts: %+v", sum.FalseAlerts)
	}
	if !sum.Escalated {
		t.Errorf("the backlash incident never escalated")
	}
	if len(sum.OpsAlerts) > 0 {
		t.Errorf("the demo's sources never break, yet source health alerted: %+v", sum.OpsAlerts)
	}
	if w := sum.WallPerSimDay(); w > time.Minute {
		t.Errorf("a simulated day took %s of wall time, want at most a minute", w.Round(time.Millisecond))
	}
}

// replay runs sc through the whole pipeline on a test database from its
// start to 18 simulated hours after the onset, with the configuration
// demo.Config writes, changed by edit when it is not nil, and holds the
// drivers its alerts stored to the scenario's ground truth
// (checkFirstAlertDrivers).
func replay(t *testing.T, sc *demo.Scenario, edit func(*config.Config)) demo.Summary {
	t.Helper()
	addr, db := chtest.Database(t)
	site := demo.NewSite(sc)
	srv := httptest.NewServer(site)
	defer srv.Close()
	cfg, err := config.Parse("demo", demo.Config(srv.URL, sc))
	if err != nil {
		t.Fatal(err)
	}
	cfg.StateDir = t.TempDir()
	cfg.ClickHouse.Embedded = false
	cfg.ClickHouse.Addr = []string{addr}
	cfg.ClickHouse.Database = db
	if edit != nil {
		edit(cfg)
	}
	var now atomic.Int64
	now.Store(sc.Start().UnixNano())
	clock := func() time.Time { return time.Unix(0, now.Load()).UTC() }
	ctx := context.Background()
	sys, err := pipeline.Open(ctx, cfg, pipeline.SystemOptions{Logger: slog.New(slog.DiscardHandler), Stdout: io.Discard,
		Now: clock, Entities: func([]string) []string { return nil }})
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		sys.Store.DropDatabase(context.Background())
		sys.Close()
	}()
	sum, err := demo.Replay(ctx, sc, site, sys.Job, cfg.Sources, demo.ReplayOptions{
		Step:     15 * time.Minute,
		Until:    sc.Onset().Add(18 * time.Hour),
		SetClock: func(t time.Time) { now.Store(t.UnixNano()) },
	})
	if err != nil {
		t.Fatal(err)
	}
	checkFirstAlertDrivers(t, sc, sys.Store, sum)
	return sum
}
