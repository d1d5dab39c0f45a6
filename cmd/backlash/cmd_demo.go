package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/backlash-monitor/backlash/internal/demo"
	"github.com/backlash-monitor/backlash/internal/pipeline"
)

func cmdDemo(ctx context.Context, e *env, args []string) error {
	fs, g := flagSet(e, "demo", "demo [--lang en|zh] [--step 15m] [--pace 0s] [--scale 5] [--seed 0] [--keep-serving] [--state-dir DIR]")
	lang := fs.String("lang", demo.LangEnglish, "the language the story is told in: "+strings.Join(demo.Languages(), " or ")+
		" (zh: the same timeline on a Weibo-like microblog, a Chinese forum and news feed)")
	step := fs.Duration("step", 15*time.Minute, "simulated time between crawls")
	pace := fs.Duration("pace", 0, "wall time to wait between crawls (0: as fast as possible)")
	scale := fs.Float64("scale", 5, "volume multiplier for the scenario (1: about 450 posts a day)")
	seed := fs.Int64("seed", 0, "the scenario's random seed: another seed gives other posts at other times, on the same timeline")
	keep := fs.Bool("keep-serving", false, "keep the dashboard up after the replay until interrupted")
	stateDir := fs.String("state-dir", ".backlash", "where the embedded ClickHouse keeps its files")
	logs := fs.String("logs", "", "where the logs go (default STATE-DIR/demo.log; - for stderr)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if !slices.Contains(demo.Languages(), *lang) {
		return usageError{fmt.Errorf("--lang %q: want one of %s", *lang, strings.Join(demo.Languages(), ", "))}
	}
	// The story goes to stdout; the logs of a few thousand crawls would
	// drown it, so they go to a file unless asked for.
	logEnv := *e
	if *logs == "" {
		*logs = filepath.Join(*stateDir, "demo.log")
	}
	if *logs != "-" {
		if err := os.MkdirAll(filepath.Dir(*logs), 0o750); err != nil {
			return err
		}
		f, err := os.OpenFile(*logs, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o640)
		if err != nil {
			return fmt.Errorf("demo logs: %w", err)
		}
		defer f.Close()
		logEnv.stderr = f
	}
	log := g.logger(&logEnv)
	out := &storyWriter{w: e.stdout, live: isTerminal(e.stdout)}
	storyEnv := *e
	storyEnv.stdout = out
	e = &storyEnv
	w, err := demo.OpenWorld(ctx, demo.Options{Scale: *scale, Seed: *seed, Lang: *lang}, *stateDir, "backlash_demo", log, out)
	if errors.Is(err, pipeline.ErrConfig) {
		return usageError{err}
	}
	if err != nil {
		return err
	}
	defer w.Close()
	sc, site, cfg, sys := w.Scenario, w.Site, w.Config, w.System
	dash, dashURL, err := startDashboard(sys, cfg, w.Clock.Now, log)
	if err != nil {
		return err
	}
	defer dash.Close()
	backlashTopic, _ := sc.Topics()
	fmt.Fprintf(e.stdout, "demo: %s launches on %s; replaying %s of posts in %s steps\n",
		backlashTopic, sc.Launch().Format("Mon 2 Jan 15:04"), sc.End().Sub(sc.Start()).Round(time.Hour), *step)
	fmt.Fprintf(e.stdout, "demo: site %s, live dashboard %s\n", w.Base, dashURL)
	if *logs != "-" {
		fmt.Fprintf(e.stdout, "demo: logs in %s (--logs - to see them here)\n", *logs)
	}
	posts := 0
	sum, err := demo.Replay(ctx, sc, site, sys.Job, cfg.Sources, demo.ReplayOptions{Step: *step, Pace: *pace,
		SetClock: w.Clock.Set,
		OnStep: func(at time.Time, res pipeline.RunResult, err error) {
			for _, r := range res.Sources {
				posts += r.New
			}
			if err != nil && ctx.Err() == nil {
				log.Warn("demo run", "at", at, "err", err)
			}
			switch {
			case len(res.Alerts.Events) > 0 || (!out.live && at.Minute() == 0 && at.Hour()%6 == 0):
				printDemoProgress(e, at, res, posts)
			case out.live:
				out.progress(demoLine(at, res, posts) + fmt.Sprintf("  (%.0f%%)", 100*float64(at.Sub(sc.Start()))/float64(sc.End().Sub(sc.Start()))))
			}
		}})
	fmt.Fprintln(e.stdout)
	sum.Write(e.stdout)
	fmt.Fprintf(e.stdout, "\nquery the data:\n  clickhouse-client --port %s -d %s -q \"SELECT topic, sum(posts), sum(negative) FROM topic_rollup_5m GROUP BY topic\"\n",
		storePort(sys), cfg.ClickHouse.Database)
	fmt.Fprintf(e.stdout, "the embedded ClickHouse keeps running for that; stop it with: backlash clickhouse stop --state-dir %s\n", cfg.StateDir)
	if err != nil {
		return err
	}
	if *keep {
		fmt.Fprintf(e.stdout, "dashboard: %s  (Ctrl-C to stop)\n", dashURL)
		<-ctx.Done()
	}
	return nil
}

func printDemoProgress(e *env, at time.Time, res pipeline.RunResult, posts int) {
	fmt.Fprintln(e.stdout, demoLine(at, res, posts))
}

// demoLine says where a replay is: the simulated time, the posts stored
// and each topic's risk.
func demoLine(at time.Time, res pipeline.RunResult, posts int) string {
	line := fmt.Sprintf("%s  posts %6d", at.Format("Mon 02 15:04"), posts)
	for _, a := range res.Assessments {
		line += fmt.Sprintf("  %s risk %5.1f", a.Topic, a.Risk.Total)
	}
	return line
}

// storyWriter is the demo's stdout. On a terminal (live) it keeps one
// progress line at the bottom, rewritten in place, and clears it before
// anything else is written, so alerts and the summary stay on screen.
type storyWriter struct {
	w    io.Writer
	live bool

	mu    sync.Mutex
	shown bool
}

func (s *storyWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.shown {
		io.WriteString(s.w, "\r\033[K")
		s.shown = false
	}
	return s.w.Write(p)
}

// progress replaces the progress line with line.
func (s *storyWriter) progress(line string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	io.WriteString(s.w, "\r\033[K"+line)
	s.shown = true
}

// storePort is the ClickHouse native port the system talks to.
func storePort(s *pipeline.System) string {
	_, p, _ := net.SplitHostPort(s.Store.Addr())
	return p
}
