package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/backlash-monitor/backlash/internal/alerts"
	"github.com/backlash-monitor/backlash/internal/analyzer"
	"github.com/backlash-monitor/backlash/internal/analyzer/entities"
	"github.com/backlash-monitor/backlash/internal/analyzer/sentiment"
	"github.com/backlash-monitor/backlash/internal/config"
	"github.com/backlash-monitor/backlash/internal/crawler"
	"github.com/backlash-monitor/backlash/internal/crawler/render"
	"github.com/backlash-monitor/backlash/internal/post"
	"github.com/backlash-monitor/backlash/internal/store"
)

// ErrConfig marks failures caused by the configuration (a lexicon file, a
// topic's pattern, a missing Slack token) rather than by the world.
var ErrConfig = errors.New("configuration")

// SystemOptions adjusts how a System is built.
type SystemOptions struct {
	// Logger receives every part's logs (default slog.Default()).
	Logger *slog.Logger
	// Stdout receives console notifications.
	Stdout io.Writer
	// Progress receives live crawl progress lines (nil for none).
	Progress io.Writer
	// Now is the clock for crawling and alerting (default time.Now).
	Now func() time.Time
	// NoAlerts leaves the alert engine out.
	NoAlerts bool
	// Notifier replaces the notifier the configuration describes.
	Notifier alerts.Notifier
	// Metrics receives crawl and insert figures.
	Metrics Metrics
	// SpoolDir is where unstored posts wait (default StateDir/spool).
	SpoolDir string
	// Entities names the people, organisations and places in alert
	// evidence; nil extracts them with the built-in model.
	Entities func(texts []string) []string
	// SpoolWhenDown builds a system even when ClickHouse cannot be reached:
	// it crawls into the spool, and Job.Run then fails saying how many
	// posts wait there. The cron job uses it so an outage loses nothing.
	SpoolWhenDown bool
}

// System is every part of backlash wired from one configuration.
type System struct {
	Config   *config.Config
	Store    *store.Store
	Scorer   *sentiment.Scorer
	Analyzer *analyzer.Analyzer
	Crawler  *crawler.Crawler
	// Engine is nil with SystemOptions.NoAlerts, or when the store is down.
	Engine *alerts.Engine
	Job    *Job
	// StoreErr is why the store could not be opened; Store is nil then
	// (only with SystemOptions.SpoolWhenDown).
	StoreErr error
}

// Open builds the system: the store (opened and migrated; an embedded
// server is started when configured), the scorer, the crawler, the
// analyzer, the alert engine and the job that runs them in order.
func Open(ctx context.Context, cfg *config.Config, o SystemOptions) (*System, error) {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Stdout == nil {
		o.Stdout = io.Discard
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.SpoolDir == "" {
		o.SpoolDir = filepath.Join(cfg.StateDir, "spool")
	}
	log := o.Logger
	scorer, err := sentiment.New(sentiment.Options{Lexicons: cfg.Analyzer.Lexicons,
		PositiveCutoff: cfg.Analyzer.PositiveCutoff, NegativeCutoff: cfg.Analyzer.NegativeCutoff})
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrConfig, err)
	}
	matcher, err := analyzer.NewMatcher(cfg.Topics)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrConfig, err)
	}
	var notifier alerts.Notifier
	if !o.NoAlerts {
		notifier = o.Notifier
		if notifier == nil {
			if notifier, err = alerts.BuildNotifier(cfg.Alerts, o.Stdout, log); err != nil {
				return nil, fmt.Errorf("%w: %w", ErrConfig, err)
			}
		}
	}
	sys := &System{Config: cfg, Scorer: scorer, Analyzer: analyzer.New(matcher, scorer), Crawler: NewCrawler(cfg, log, o.Progress, o.Now)}
	spool := NewSpool(o.SpoolDir)
	st, err := openStore(ctx, cfg, log)
	if err != nil {
		if !o.SpoolWhenDown {
			return nil, err
		}
		log.Error("ClickHouse unavailable; crawling into the spool", "err", err)
		sys.StoreErr = err
		collector := NewCollector(sys.Crawler, sys.Analyzer, unavailable{err},
			Options{Concurrency: cfg.Crawler.Concurrency, Logger: log, Now: o.Now, Spool: spool, Metrics: o.Metrics,
				SourceDeadline: cfg.Crawler.SourceDeadline.D()})
		sys.Job = &Job{Collector: collector, Topics: cfg.TopicNames(), Logger: log, RunDeadline: cfg.Crawler.RunDeadline.D()}
		return sys, nil
	}
	sys.Store = st
	collector := NewCollector(sys.Crawler, sys.Analyzer, st,
		Options{Concurrency: cfg.Crawler.Concurrency, Logger: log, Now: o.Now, Spool: spool, Metrics: o.Metrics,
			SourceDeadline: cfg.Crawler.SourceDeadline.D()})
	sys.Job = &Job{Collector: collector, Store: st, Topics: cfg.TopicNames(), Logger: log, Spool: spool,
		RunDeadline: cfg.Crawler.RunDeadline.D(), Views: ViewsOf(cfg.Alerts.Rules),
		Health: &HealthChecker{Store: st, Config: cfg, Logger: log}}
	if hm, ok := o.Metrics.(HealthMetrics); ok {
		sys.Job.Health.Metrics = hm
	}
	if !o.NoAlerts {
		ents := o.Entities
		if ents == nil {
			ents = entityNames(entities.NewExtractor())
		}
		ops := notifier
		if o.Notifier == nil {
			ops = alerts.BuildOpsNotifier(cfg.Alerts, cfg.Health, notifier, o.Stdout)
		}
		sys.Engine = alerts.NewEngine(cfg.Alerts, st, st, notifier, alerts.Options{Logger: log,
			DashboardURL: cfg.Serve.PublicURL, Now: o.Now, Entities: ents, Health: cfg.Health, Ops: ops,
			Sources: sourceNames(cfg.Sources), SourceHealth: st, Tokenizer: scorer, TopicNames: topicNames(cfg.Topics)})
		sys.Job.Alerter = sys.Engine
		sys.Job.Ops = sys.Engine
	}
	return sys, nil
}

// Close stops the crawler's headless browser and closes the store.
func (s *System) Close() error {
	if s.Crawler != nil {
		s.Crawler.Close()
	}
	if s.Store == nil {
		return nil
	}
	return s.Store.Close()
}

func openStore(ctx context.Context, cfg *config.Config, log *slog.Logger) (*store.Store, error) {
	st, err := store.OpenConfig(ctx, cfg.ClickHouse, cfg.StateDir, log)
	if err != nil {
		return nil, err
	}
	if _, err := st.Migrate(ctx); err != nil {
		st.Close()
		return nil, err
	}
	st.SetRepostWindow(cfg.Analyzer.RepostWindow.D())
	return st, nil
}

// unavailable is the store while ClickHouse cannot be reached: every call
// fails with the reason, so the collector spools what it crawls.
type unavailable struct{ err error }

func (u unavailable) SavePosts(context.Context, []post.Post) (store.SaveResult, error) {
	return store.SaveResult{}, u.err
}
func (u unavailable) State(context.Context, string) (store.SourceState, error) {
	return store.SourceState{}, u.err
}
func (u unavailable) SetStates(context.Context, map[string]store.SourceState) error { return u.err }
func (u unavailable) RecordRuns(context.Context, []store.Run) error                 { return u.err }

// NewCrawler builds the crawler the configuration describes.
func NewCrawler(cfg *config.Config, log *slog.Logger, progress io.Writer, now func() time.Time) *crawler.Crawler {
	return crawler.New(crawler.Options{UserAgent: cfg.Crawler.UserAgentHeader(), Timeout: cfg.Crawler.Timeout.D(),
		MaxBodyBytes: cfg.Crawler.MaxBodyBytes, Retries: cfg.Crawler.Retries, Logger: log,
		Progress: progress, Now: now,
		Render: render.Options{Path: cfg.Crawler.Chromium, Tabs: cfg.Crawler.RenderTabs,
			MaxMemory: int64(cfg.Crawler.RenderMemoryMB) << 20}})
}

// entityNames adapts the extractor to the alert engine: the names of the
// most mentioned entities across the evidence.
func entityNames(x *entities.Extractor) func([]string) []string {
	return func(texts []string) []string {
		var out []string
		for _, e := range x.Extract(texts, 8) {
			out = append(out, e.Text)
		}
		return out
	}
}

func sourceNames(srcs []config.Source) []string {
	out := make([]string, len(srcs))
	for i, s := range srcs {
		out[i] = s.Name
	}
	return out
}

// topicNames maps each topic to its keywords, which are never reported as
// what drives an incident.
func topicNames(topics []config.Topic) map[string][]string {
	m := make(map[string][]string, len(topics))
	for _, t := range topics {
		m[t.Name] = append([]string(nil), t.Keywords...)
	}
	return m
}
