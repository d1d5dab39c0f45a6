package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/backlash-monitor/backlash/alerts"
	"github.com/backlash-monitor/backlash/config"
	"github.com/backlash-monitor/backlash/demo"
	"github.com/backlash-monitor/backlash/pipeline"
	"github.com/backlash-monitor/backlash/store"
	"github.com/backlash-monitor/backlash/store/chserver"
	"log/slog"
)

func cmdDemo(ctx context.Context, e *env, args []string) error {
	fs, g := flagSet(e, "demo", "demo [--step 15m] [--pace 0s] [--scale 1] [--keep-serving]")
	step := fs.Duration("step", 15*time.Minute, "simulated time between crawls")
	pace := fs.Duration("pace", 0, "wall time to wait between crawls (0: as fast as possible)")
	scale := fs.Float64("scale", 1, "volume multiplier for the scenario")
	keep := fs.Bool("keep-serving", false, "keep the dashboard up after the replay until interrupted")
	stateDir := fs.String("state-dir", ".backlash", "where the embedded ClickHouse keeps its files")
	if err := parse(fs, args); err != nil {
		return err
	}
	if _, err := chserver.Binary(); err != nil {
		return fmt.Errorf("the demo runs its own ClickHouse server: %w", err)
	}
	log := g.logger(e)
	sc := demo.NewScenario(demo.Options{Scale: *scale})
	site := demo.NewSite(sc)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: site, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	defer srv.Close()
	base := "http://" + ln.Addr().String()
	cfg, err := config.Parse("built-in demo configuration", demo.Config(base, sc))
	if err != nil {
		return fmt.Errorf("demo configuration: %w", err)
	}
	cfg.StateDir = *stateDir

	sim := sc.Start()
	clock := func() time.Time { return sim }
	// Every demo starts from an empty database so its summary is its own.
	if err := resetDatabase(ctx, cfg, log); err != nil {
		return err
	}
	sys, err := wire(ctx, cfg, log, e.stdout, wireOptions{now: clock})
	if err != nil {
		return err
	}
	defer sys.Close()
	dash, dashURL, err := startDashboard(sys, cfg, clock, log)
	if err != nil {
		return err
	}
	defer dash.Close()
	backlashTopic, calmTopic := sc.Topics()
	fmt.Fprintf(e.stdout, "demo: %s launches on %s; replaying %s of posts in %s steps\n",
		backlashTopic, sc.Start().Format("Mon 2 Jan 15:04"), sc.End().Sub(sc.Start()).Round(time.Hour), *step)
	fmt.Fprintf(e.stdout, "demo: site %s, dashboard %s\n", base, dashURL)

	sum := demoSummary{onset: sc.Onset(), backlash: backlashTopic, calm: calmTopic}
	started := time.Now()
	for sim = sc.Start().Add(*step); !sim.After(sc.End()); sim = sim.Add(*step) {
		if ctx.Err() != nil {
			break
		}
		site.SetNow(sim)
		res, err := sys.Job.Run(ctx, newRunID(), cfg.Sources, sim)
		if err != nil && ctx.Err() == nil {
			log.Warn("demo run", "at", sim, "err", err)
		}
		sum.add(sim, res)
		if sim.Minute() == 0 && sim.Hour()%6 == 0 || len(res.Alerts.Events) > 0 {
			printDemoProgress(e, sim, res, sum.posts)
		}
		if *pace > 0 {
			select {
			case <-time.After(*pace):
			case <-ctx.Done():
			}
		}
	}
	sum.write(e.stdout, time.Since(started))
	fmt.Fprintf(e.stdout, "\nquery the data:\n  clickhouse-client --port %s -d %s -q \"SELECT topic, sum(posts), sum(negative) FROM topic_rollup_5m GROUP BY topic\"\n",
		storePort(sys), cfg.ClickHouse.Database)
	fmt.Fprintf(e.stdout, "stop the embedded ClickHouse with: backlash clickhouse stop --state-dir? (or: kill the pid in %s/clickhouse/server.pid)\n", cfg.StateDir)
	if *keep {
		fmt.Fprintf(e.stdout, "dashboard: %s  (Ctrl-C to stop)\n", dashURL)
		<-ctx.Done()
	}
	return nil
}

// demoSummary tracks what the replay did against the ground truth.
type demoSummary struct {
	onset          time.Time
	backlash, calm string
	posts          int
	firstAlert     time.Time
	events         []string
	falseAlerts    []string
}

func (s *demoSummary) add(at time.Time, res pipeline.RunResult) {
	for _, r := range res.Sources {
		s.posts += r.New
	}
	for _, ev := range res.Alerts.Events {
		line := fmt.Sprintf("%s  %s", at.Format("Mon 15:04"), describeEvent(ev))
		s.events = append(s.events, line)
		if ev.Kind == alerts.KindResolve || ev.Kind == alerts.KindUpdate || ev.Kind == alerts.KindEscalate {
			continue
		}
		switch {
		case ev.Topic == s.backlash && !at.Before(s.onset):
			if s.firstAlert.IsZero() {
				s.firstAlert = at
			}
		default:
			s.falseAlerts = append(s.falseAlerts, line)
		}
	}
}

func (s *demoSummary) write(w interface{ Write([]byte) (int, error) }, wall time.Duration) {
	fmt.Fprintf(w, "\nsummary\n")
	fmt.Fprintf(w, "  backlash began (ground truth): %s\n", s.onset.Format("Mon 2 Jan 15:04"))
	for _, e := range s.events {
		fmt.Fprintf(w, "  alert: %s\n", e)
	}
	if s.firstAlert.IsZero() {
		fmt.Fprintf(w, "  first alert: none\n")
	} else {
		fmt.Fprintf(w, "  first alert: %s, %s after onset\n", s.firstAlert.Format("Mon 15:04"), s.firstAlert.Sub(s.onset))
	}
	if len(s.falseAlerts) == 0 {
		fmt.Fprintf(w, "  false alerts: none (calm topic %q stayed quiet, and so did the calm days)\n", s.calm)
	} else {
		fmt.Fprintf(w, "  false alerts: %d\n", len(s.falseAlerts))
	}
	fmt.Fprintf(w, "  posts stored: %d in %s wall time\n", s.posts, wall.Round(time.Millisecond))
}

func printDemoProgress(e *env, at time.Time, res pipeline.RunResult, posts int) {
	line := fmt.Sprintf("%s  posts %6d", at.Format("Mon 02 15:04"), posts)
	for _, a := range res.Assessments {
		line += fmt.Sprintf("  %s risk %5.1f", a.Topic, a.Risk.Total)
	}
	fmt.Fprintln(e.stdout, line)
}

// resetDatabase drops the demo's database so a replay starts empty.
func resetDatabase(ctx context.Context, cfg *config.Config, log *slog.Logger) error {
	st, err := store.OpenConfig(ctx, cfg.ClickHouse, cfg.StateDir, log)
	if err != nil {
		return err
	}
	defer st.Close()
	return st.DropDatabase(ctx)
}

// storePort is the ClickHouse native port the system talks to.
func storePort(s *pipeline.System) string {
	_, p, _ := net.SplitHostPort(s.Store.Addr())
	return p
}
