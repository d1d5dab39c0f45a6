package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/backlash-monitor/backlash/internal/alerts"
	"github.com/backlash-monitor/backlash/internal/analyzer/entities"
	"github.com/backlash-monitor/backlash/internal/crawler"
	"github.com/backlash-monitor/backlash/internal/pipeline"
	"github.com/backlash-monitor/backlash/internal/post"
)

func cmdRun(ctx context.Context, e *env, args []string) error {
	fs, g := flagSet(e, "run", "run [--config FILE] [--source NAMES] [--shard i/n]")
	sources := fs.String("source", "", "comma-separated source names (default all)")
	shard := fs.String("shard", "", "crawl only shard i of n (e.g. 0/4), for several cron hosts")
	if err := parse(fs, args); err != nil {
		return err
	}
	cfg, err := g.load()
	if err != nil {
		return err
	}
	srcs, err := selectSources(cfg, *sources, *shard)
	if err != nil {
		return err
	}
	release, err := lock(cfg)
	if err != nil {
		return err
	}
	defer release()
	log := g.logger(e)
	sys, err := wire(ctx, cfg, log, e.stdout, wireOptions{progress: progressWriter(e), spoolWhenDown: true})
	if err != nil {
		return err
	}
	defer sys.Close()
	runID := newRunID()
	res, err := sys.Job.Run(ctx, runID, srcs, time.Now())
	printRun(e.stdout, res)
	if keep := cfg.ClickHouse.Retention; keep > 0 && sys.Store != nil && ctx.Err() == nil {
		dropped, rerr := sys.Store.ApplyRetention(ctx, keep.D(), time.Now())
		printRetention(e.stdout, keep, dropped)
		if rerr != nil {
			// A writer without ALTER rights cannot drop: the migrator's
			// `backlash migrate` applies retention too.
			log.Warn("retention not applied; run backlash migrate with the migrator's credentials", "err", rerr)
		}
	}
	return err
}

func cmdCrawl(ctx context.Context, e *env, args []string) error {
	fs, g := flagSet(e, "crawl", "crawl [--config FILE] [--source NAMES] [--shard i/n] [--dry-run [-n N]]")
	sources := fs.String("source", "", "comma-separated source names (default all)")
	shard := fs.String("shard", "", "crawl only shard i of n (e.g. 0/4)")
	dry := fs.Bool("dry-run", false, "print the first extracted posts of --source as a table; store nothing")
	n := fs.Int("n", 10, "posts to print with --dry-run")
	if err := parse(fs, args); err != nil {
		return err
	}
	cfg, err := g.load()
	if err != nil {
		return err
	}
	srcs, err := selectSources(cfg, *sources, *shard)
	if err != nil {
		return err
	}
	log := g.logger(e)
	if *dry {
		if len(srcs) != 1 {
			return usagef("--dry-run needs exactly one --source")
		}
		c := pipeline.NewCrawler(cfg, log, nil, nil)
		defer c.Close()
		return crawler.DryRun(ctx, c, &srcs[0], *n, e.stdout)
	}
	release, err := lock(cfg)
	if err != nil {
		return err
	}
	defer release()
	sys, err := wire(ctx, cfg, log, e.stdout, wireOptions{progress: progressWriter(e), noAlerts: true})
	if err != nil {
		return err
	}
	defer sys.Close()
	results, err := sys.Job.Collector.CollectAll(ctx, newRunID(), srcs)
	printRun(e.stdout, pipeline.RunResult{Sources: results})
	return err
}

func cmdAnalyze(ctx context.Context, e *env, args []string) error {
	fs, g := flagSet(e, "analyze", "analyze [--config FILE] [--at TIME] | analyze --rescore --since TIME")
	at := fs.String("at", "", "assess as of this time (RFC3339; default now)")
	rescore := fs.Bool("rescore", false, "re-score stored posts whose lexicon version differs, and rebuild their rollups")
	since := fs.String("since", "30d", "with --rescore or --entities: posts published since (RFC3339 or a duration ago)")
	ents := fs.Bool("entities", false, "name the people, organisations and places in each topic's most engaged negative posts")
	entLimit := fs.Int("entities-limit", 500, "with --entities: posts per topic")
	if err := parse(fs, args); err != nil {
		return err
	}
	cfg, err := g.load()
	if err != nil {
		return err
	}
	when, err := parseAt(*at)
	if err != nil {
		return err
	}
	sys, err := wire(ctx, cfg, g.logger(e), e.stdout, wireOptions{noAlerts: true})
	if err != nil {
		return err
	}
	defer sys.Close()
	if *rescore {
		from, err := parseWhen(*since, time.Now().UTC())
		if err != nil {
			return usagef("--since: %v", err)
		}
		n, err := sys.Store.Rescore(ctx, from, sys.Scorer.Version(), sys.Analyzer.Score)
		fmt.Fprintf(e.stdout, "re-scored %d posts since %s with lexicons %s; rollups rebuilt\n", n, from.Format(time.RFC3339), sys.Scorer.Version())
		if err != nil {
			return err
		}
	}
	if *ents {
		from, err := parseWhen(*since, time.Now().UTC())
		if err != nil {
			return usagef("--since: %v", err)
		}
		x := entities.NewExtractor()
		for _, topic := range cfg.TopicNames() {
			n, err := sys.Store.Enrich(ctx, topic, from, *entLimit, func(p *post.Post) []string {
				var names []string
				for _, en := range x.Extract([]string{p.Text}, 8) {
					names = append(names, en.Text)
				}
				return names
			})
			fmt.Fprintf(e.stdout, "entities: %d negative posts about %s named since %s\n", n, topic, from.Format(time.RFC3339))
			if err != nil {
				return err
			}
		}
	}
	as, err := sys.Job.AssessAll(ctx, when)
	printRun(e.stdout, pipeline.RunResult{Assessments: as})
	return err
}

// progressWriter returns stderr when it is a terminal, so cron logs never
// get progress lines.
func progressWriter(e *env) io.Writer {
	if isTerminal(e.stderr) {
		return e.stderr
	}
	return nil
}

// printRun writes a run's outcome for people.
func printRun(w io.Writer, r pipeline.RunResult) {
	if r.Replayed > 0 {
		fmt.Fprintf(w, "replayed %d spooled posts from earlier runs\n", r.Replayed)
	}
	if r.Quarantined > 0 {
		fmt.Fprintf(w, "quarantined %d unreadable spool lines (see the spool's quarantine directory)\n", r.Quarantined)
	}
	for _, s := range r.Sources {
		status := "ok"
		if s.Err != nil {
			status = "error: " + s.Err.Error()
			if errors.Is(s.Err, context.Canceled) {
				status = "cancelled"
			}
		}
		if s.Spooled > 0 {
			status += fmt.Sprintf(" (%d posts spooled)", s.Spooled)
		}
		fmt.Fprintf(w, "source %-16s pages %4d  posts %5d  stored %5d  new %5d  errors %3d  %s\n",
			s.Source, s.Pages, s.Posts, s.Stored, s.New, s.Errors, status)
	}
	for _, a := range r.Assessments {
		cold := ""
		if a.ColdStart {
			cold = "  (cold start: short history, wider bounds)"
		}
		fmt.Fprintf(w, "topic  %-16s risk %5.1f  negative %4.0f vs %5.1f expected in %s  anomaly %.2f%s\n",
			a.Topic, a.Risk.Total, a.Observed, a.Expected, a.Window, a.Peak.Score, cold)
	}
	for _, ev := range r.Alerts.Events {
		fmt.Fprintf(w, "alert  %s\n", describeEvent(ev))
	}
	if r.Alerts.Pending > 0 {
		fmt.Fprintf(w, "alerts: %d notifications wait in the outbox for the next run\n", r.Alerts.Pending)
	}
}

// describeEvent says what happened to an incident, in one line.
func describeEvent(ev alerts.Event) string {
	s := fmt.Sprintf("%-8s %s  %s  rule %s  %.1f ≥ %.1f  incident %s", ev.Kind, ev.Topic, ev.Severity, ev.Rule,
		ev.Value, ev.Threshold, ev.IncidentID)
	if ev.Silenced {
		s += "  (silenced)"
	}
	return s
}
