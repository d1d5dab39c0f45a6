package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/backlash-monitor/backlash/alerts"
	"github.com/backlash-monitor/backlash/analyzer"
	"github.com/backlash-monitor/backlash/analyzer/sentiment"
	"github.com/backlash-monitor/backlash/config"
	"github.com/backlash-monitor/backlash/crawler"
	"github.com/backlash-monitor/backlash/pipeline"
	"github.com/backlash-monitor/backlash/serve"
	"github.com/backlash-monitor/backlash/store"
)

// system is every part of backlash wired from one configuration.
type system struct {
	cfg     *config.Config
	log     *slog.Logger
	store   *store.Store
	scorer  *sentiment.Scorer
	crawler *crawler.Crawler
	engine  *alerts.Engine
	job     *pipeline.Job
}

// wireOptions adjusts wiring for a command.
type wireOptions struct {
	// progress receives live crawl progress lines (nil for none).
	progress io.Writer
	// now is the clock (default time.Now).
	now func() time.Time
	// noAlerts leaves the alert engine out.
	noAlerts bool
	// metrics receives crawl and insert figures.
	metrics pipeline.Metrics
	// spool overrides where unstored posts wait (default StateDir/spool).
	spool string
}

// wire builds the system: store (migrated), scorer, crawler, analyzer,
// alert engine and the job that runs them in order.
func wire(ctx context.Context, cfg *config.Config, log *slog.Logger, stdout io.Writer, o wireOptions) (*system, error) {
	if o.now == nil {
		o.now = time.Now
	}
	st, err := openStore(ctx, cfg, log)
	if err != nil {
		return nil, err
	}
	sys := &system{cfg: cfg, log: log, store: st}
	sys.scorer, err = sentiment.New(sentiment.Options{Lexicons: cfg.Analyzer.Lexicons,
		PositiveCutoff: cfg.Analyzer.PositiveCutoff, NegativeCutoff: cfg.Analyzer.NegativeCutoff})
	if err != nil {
		st.Close()
		return nil, usageError{err}
	}
	matcher, err := analyzer.NewMatcher(cfg.Topics)
	if err != nil {
		st.Close()
		return nil, usageError{err}
	}
	sys.crawler = newCrawler(cfg, log, o.progress, o.now)
	if o.spool == "" {
		o.spool = filepath.Join(cfg.StateDir, "spool")
	}
	spool := pipeline.NewSpool(o.spool)
	collector := pipeline.NewCollector(sys.crawler, analyzer.New(matcher, sys.scorer), st,
		pipeline.Options{Concurrency: cfg.Crawler.Concurrency, Logger: log, Now: o.now, Spool: spool, Metrics: o.metrics})
	sys.job = &pipeline.Job{Collector: collector, Store: st, Topics: cfg.TopicNames(), Logger: log, Spool: spool}
	if !o.noAlerts {
		n, err := alerts.BuildNotifier(cfg.Alerts, stdout, log)
		if err != nil {
			st.Close()
			return nil, usageError{err}
		}
		sys.engine = alerts.NewEngine(cfg.Alerts, st, st, n, alerts.Options{Logger: log,
			DashboardURL: cfg.Serve.PublicURL, Now: o.now})
		sys.job.Alerter = sys.engine
	}
	return sys, nil
}

func (s *system) Close() { s.store.Close() }

// lock takes the configuration's run lock so overlapping cron runs do not
// both crawl.
func lock(cfg *config.Config) (func(), error) {
	if err := os.MkdirAll(cfg.StateDir, 0o750); err != nil {
		return nil, err
	}
	release, err := serve.Lock(filepath.Join(cfg.StateDir, "backlash.lock"))
	if err != nil {
		return nil, fmt.Errorf("another backlash run or serve holds %s: %w", filepath.Join(cfg.StateDir, "backlash.lock"), err)
	}
	return release, nil
}

// selectSources picks sources by --source names and --shard.
func selectSources(cfg *config.Config, names, shard string) ([]config.Source, error) {
	srcs := cfg.Sources
	if names != "" {
		srcs = nil
		for _, n := range strings.Split(names, ",") {
			s, ok := cfg.Source(strings.TrimSpace(n))
			if !ok {
				return nil, usagef("no source named %q in %s", n, cfg.File)
			}
			srcs = append(srcs, *s)
		}
	}
	if shard != "" {
		i, n, err := crawler.ParseShard(shard)
		if err != nil {
			return nil, usageError{err}
		}
		srcs = crawler.Shard(srcs, i, n)
	}
	return srcs, nil
}

// newCrawler builds the crawler from the configuration.
func newCrawler(cfg *config.Config, log *slog.Logger, progress io.Writer, now func() time.Time) *crawler.Crawler {
	ua := cfg.Crawler.UserAgent
	if cfg.Crawler.ContactURL != "" {
		ua += " (+" + cfg.Crawler.ContactURL + ")"
	}
	return crawler.New(crawler.Options{UserAgent: ua, Timeout: cfg.Crawler.Timeout.D(),
		MaxBodyBytes: cfg.Crawler.MaxBodyBytes, Retries: cfg.Crawler.Retries, Logger: log,
		Progress: progress, Now: now})
}
