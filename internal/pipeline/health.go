package pipeline

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/backlash-monitor/backlash/internal/alerts"
	"github.com/backlash-monitor/backlash/internal/config"
	"github.com/backlash-monitor/backlash/internal/crawler"
	"github.com/backlash-monitor/backlash/internal/health"
	"github.com/backlash-monitor/backlash/internal/store"
)

// HealthStore is what source health reads and writes; *store.Store is one.
type HealthStore interface {
	RecentRuns(ctx context.Context, sources []string, since time.Time, limit int) (map[string][]store.Run, error)
	PostActivity(ctx context.Context, sources []string, from time.Time) (map[string][]time.Time, error)
	LatestSourceHealth(ctx context.Context) (map[string]health.Verdict, error)
	SaveSourceHealth(ctx context.Context, vs []health.Verdict) error
}

// HealthMetrics receives source-health verdicts for monitoring.
type HealthMetrics interface {
	SourceHealth(source string, up bool)
}

// OpsAlerter turns source-health verdicts into ops incidents;
// *alerts.Engine is one.
type OpsAlerter interface {
	EvaluateSources(ctx context.Context, vs []health.Verdict) (alerts.Report, error)
}

// HealthChecker judges the health of sources after their runs.
type HealthChecker struct {
	Store HealthStore
	// Metrics, when set, is told each verdict; *serve.Metrics is one.
	Metrics HealthMetrics
	// Config holds the rules (Health) and which sources feed which topics.
	Config *config.Config
	Logger *slog.Logger

	// mu guards what earlier checks in this process learnt, so a
	// long-running process reads only what is new: each source's active
	// spans (and up to when they were read) and the latest verdicts.
	mu       sync.Mutex
	spans    map[string][]time.Time
	readTo   map[string]time.Time
	verdicts map[string]health.Verdict
}

// activityOverlap is how far before the last read a source's activity is
// read again, to catch posts stored late.
const activityOverlap = 2 * time.Hour

// activity returns each source's active spans over the learning window,
// reading from the store only what earlier checks did not.
func (h *HealthChecker) activity(ctx context.Context, names []string, now time.Time) (map[string][]time.Time, error) {
	learnFrom := now.Add(-h.Config.Health.Stale.Learn.D())
	h.mu.Lock()
	if h.spans == nil {
		h.spans, h.readTo = map[string][]time.Time{}, map[string]time.Time{}
	}
	from := now
	for _, n := range names {
		t, ok := h.readTo[n]
		if !ok || t.Before(learnFrom) || t.After(now) {
			from, h.spans[n] = learnFrom, nil
			continue
		}
		from = minTime(from, t.Add(-activityOverlap))
	}
	h.mu.Unlock()
	fresh, err := h.Store.PostActivity(ctx, names, from)
	if err != nil {
		return nil, err
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	out := map[string][]time.Time{}
	for _, n := range names {
		merged := mergeSpans(h.spans[n], fresh[n], learnFrom)
		h.spans[n], h.readTo[n], out[n] = merged, now, merged
	}
	return out, nil
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

// mergeSpans unites two sorted span lists, dropping spans before from.
func mergeSpans(a, b []time.Time, from time.Time) []time.Time {
	out := make([]time.Time, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		var t time.Time
		switch {
		case j == len(b) || i < len(a) && a[i].Before(b[j]):
			t, i = a[i], i+1
		default:
			t, j = b[j], j+1
		}
		if t.Before(from) || len(out) > 0 && out[len(out)-1].Equal(t) {
			continue
		}
		out = append(out, t)
	}
	return out
}

// historyRuns bounds the runs of a source the rules look at.
const historyRuns = 100

// Verdicts are the health verdicts of one run's sources.
type Verdicts struct {
	// All are the verdicts on the sources judged, in their order.
	All []health.Verdict
	// Changed are those the ops route must see: unhealthy now, or
	// unhealthy after the source's previous run (a recovery).
	Changed []health.Verdict
	// Latest is every source's latest verdict, these included.
	Latest map[string]health.Verdict
}

// Check judges the sources just crawled at now. Save stores the verdicts;
// call it after the ops route has seen them, so a crash in between leaves
// the previous verdicts and the next run sees the change again.
func (h *HealthChecker) Check(ctx context.Context, sources []config.Source, now time.Time) (Verdicts, error) {
	var out Verdicts
	hc := h.Config.Health
	if hc.Off || len(sources) == 0 {
		return out, nil
	}
	names := make([]string, len(sources))
	for i, s := range sources {
		names[i] = s.Name
	}
	runs, err := h.Store.RecentRuns(ctx, names, now.Add(-30*24*time.Hour), historyRuns)
	if err != nil {
		return out, fmt.Errorf("source health: %w", err)
	}
	var act map[string][]time.Time
	if !hc.Stale.Off {
		if act, err = h.activity(ctx, names, now); err != nil {
			return out, fmt.Errorf("source health: %w", err)
		}
	}
	if out.Latest, err = h.Store.LatestSourceHealth(ctx); err != nil {
		return out, fmt.Errorf("source health: %w", err)
	}
	for i := range sources {
		src := &sources[i]
		rs := runs[src.Name]
		if len(rs) == 0 {
			continue
		}
		prev, had := out.Latest[src.Name]
		v := health.Evaluate(hc, health.Input{Source: src.Name, Runs: HealthRuns(rs), Activity: act[src.Name],
			Selectors: Selectors(src), Prev: prev}, now)
		out.All = append(out.All, v)
		if !v.Healthy() || had && !prev.Healthy() {
			out.Changed = append(out.Changed, v)
		}
		out.Latest[src.Name] = v
		if h.Metrics != nil {
			h.Metrics.SourceHealth(src.Name, v.Healthy())
		}
		if !v.Healthy() {
			h.logger().Warn("source unhealthy", "source", src.Name, "problems", v.Rules(), "since", v.BrokenSince,
				"detail", v.Detail())
		}
	}
	h.mu.Lock()
	h.verdicts = out.Latest
	h.mu.Unlock()
	return out, nil
}

// Save stores the verdicts.
func (h *HealthChecker) Save(ctx context.Context, vs Verdicts) error {
	if err := h.Store.SaveSourceHealth(ctx, vs.All); err != nil {
		return fmt.Errorf("source health: %w", err)
	}
	return nil
}

// Blind returns, per topic, since when every source feeding it has been
// broken, from the latest verdicts stored.
func (h *HealthChecker) Blind(ctx context.Context) (map[string]time.Time, error) {
	if h.Config.Health.Off {
		return nil, nil
	}
	h.mu.Lock()
	latest := h.verdicts
	h.mu.Unlock()
	if latest == nil {
		var err error
		if latest, err = h.Store.LatestSourceHealth(ctx); err != nil {
			return nil, fmt.Errorf("source health: %w", err)
		}
	}
	return BlindSince(h.Config, latest), nil
}

func (h *HealthChecker) logger() *slog.Logger {
	if h.Logger == nil {
		return slog.Default()
	}
	return h.Logger
}

// HealthRuns converts stored runs for the health rules.
func HealthRuns(rs []store.Run) []health.Run {
	out := make([]health.Run, len(rs))
	for i, r := range rs {
		out[i] = health.Run{ID: r.ID, Started: r.Started, Finished: r.Finished, Pages: r.Pages, Posts: r.Posts,
			NewPosts: r.NewPosts, Errors: r.Errs, LastError: r.LastError, HighWater: r.HighWater, Items: r.Items,
			NoText: r.NoText, With: map[string]int{"title": r.WithTitle, "author": r.WithAuthor, "time": r.WithTime,
				"url": r.WithURL},
			Denied: r.Denied, DeniedStatus: r.DeniedStatus, Challenged: r.Challenged, Unmatched: r.Unmatched,
			ChallengeMarker: r.ChallengeMarker, UnmatchedSelector: r.UnmatchedSelector}
	}
	return out
}

// runHealth fills a run's health figures from the crawl's stats.
func runHealth(r *store.Run, s crawler.Stats) {
	r.Items, r.NoText = s.Items, s.NoText
	r.WithTitle, r.WithAuthor, r.WithTime, r.WithURL = s.Fields["title"], s.Fields["author"], s.Fields["time"], s.Fields["url"]
	r.Denied, r.DeniedStatus, r.Challenged, r.ChallengeMarker = s.Denied, s.DeniedStatus, s.Challenged, s.ChallengeMarker
	r.Unmatched, r.UnmatchedSelector = s.Unmatched, s.UnmatchedSelector
}

// Selectors names, per field, what reads it in the source's kind settings
// (a kind's settings say so with a FieldSelectors method).
func Selectors(src *config.Source) map[string]string {
	out := map[string]string{}
	if fs, ok := src.Settings.(interface{ FieldSelectors() map[string]string }); ok {
		for k, v := range fs.FieldSelectors() {
			if v != "" {
				out[k] = v
			}
		}
	}
	return out
}

// BlindSince returns, per topic, since when every source feeding it has
// been broken; a topic with a healthy or unjudged source is absent.
func BlindSince(cfg *config.Config, latest map[string]health.Verdict) map[string]time.Time {
	return health.Blind(cfg.Feeds(), func(src string) (bool, time.Time, bool) {
		h, ok := latest[src]
		return !h.Healthy(), h.BrokenSince, ok
	})
}
