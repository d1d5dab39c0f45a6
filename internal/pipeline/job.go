package pipeline

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/backlash-monitor/backlash/internal/alerts"
	"github.com/backlash-monitor/backlash/internal/analyzer"
	"github.com/backlash-monitor/backlash/internal/config"
	"github.com/backlash-monitor/backlash/internal/health"
	"github.com/backlash-monitor/backlash/internal/store"
)

// RiskStore keeps assessments; *store.Store is one.
type RiskStore interface {
	analyzer.SeriesReader
	SaveRisk(ctx context.Context, rows []store.RiskRow) error
}

// Alerter turns topic signals into incidents and notifications;
// *alerts.Engine is one.
type Alerter interface {
	Flush(ctx context.Context) error
	Evaluate(ctx context.Context, sigs []alerts.Signal) (alerts.Report, error)
}

// Job is one full run: collect, assess, alert.
type Job struct {
	Collector *Collector
	Store     RiskStore
	Alerter   Alerter
	Topics    []string
	// Spool, when set, is replayed into the store before collecting.
	Spool  *Spool
	Assess analyzer.AssessOptions
	// Views are the windows and baselines alert rules assess topics over
	// besides Assess's (see ViewsOf); each topic a view applies to gets an
	// extra assessment for it.
	Views  []View
	Logger *slog.Logger
	// RunDeadline bounds the crawling of a run (0: none); the sources
	// still crawling then are cut, and what they collected is assessed.
	RunDeadline time.Duration
	// Health, when set, judges each crawled source after the run, and Ops
	// turns the verdicts into ops incidents.
	Health *HealthChecker
	Ops    OpsAlerter
}

// View is the window and baseline one alert rule compares: the recent
// period assessed and the history the detector learns from.
type View struct {
	// Topic is the topic the rule watches ("*" for every topic).
	Topic            string
	Window, Baseline time.Duration
}

// ViewsOf returns the views of rules, one per distinct topic, window and
// baseline.
func ViewsOf(rules []config.Rule) []View {
	var out []View
	seen := map[View]bool{}
	for _, r := range rules {
		v := View{Topic: r.Topic, Window: r.Window.D(), Baseline: r.Baseline.D()}
		if v.Topic == "" {
			v.Topic = "*"
		}
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

// RunResult is what a run did.
type RunResult struct {
	// Replayed is how many spooled posts from earlier runs were stored.
	Replayed int
	// Quarantined is how many spool lines could not be read back and were
	// moved to the spool's quarantine directory.
	Quarantined int
	Sources     []SourceResult
	Assessments []analyzer.Assessment
	Alerts      alerts.Report
	// Health are the verdicts on the sources crawled; OpsAlerts what the
	// ops route did with them.
	Health    []health.Verdict
	OpsAlerts alerts.Report
}

// Run collects the sources and assesses and alerts every topic at now. A
// topic is assessed and its alerts evaluated as soon as every source that
// feeds it is done, whatever the other sources do; topics no source of the
// run feeds are assessed at the end. Crawling stops at RunDeadline, and
// what was collected is still assessed. Alerts still go out when some
// sources failed: what was collected is evidence too. The error joins
// every stage's errors.
func (j *Job) Run(ctx context.Context, runID string, sources []config.Source, now time.Time) (RunResult, error) {
	var res RunResult
	var errs []error
	if j.Alerter != nil {
		// Deliver what earlier runs could not before anything new.
		if err := j.Alerter.Flush(ctx); err != nil {
			errs = append(errs, fmt.Errorf("deliver pending alerts: %w", err))
		}
	}
	if j.Spool != nil {
		n, bad, err := j.Spool.Replay(ctx, j.Collector.Save)
		res.Replayed, res.Quarantined = n, bad
		if bad > 0 {
			j.logger().Warn("unreadable spool lines quarantined", "run", runID, "lines", bad, "dir", j.Spool.QuarantineDir())
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("replay spool: %w", err))
		}
	}
	as := newAssessor(ctx, j, runID, now, sources)
	if j.Health != nil {
		// Topics whose sources were all broken after their last runs.
		var err error
		if as.blind, err = j.Health.Blind(ctx); err != nil {
			errs = append(errs, err)
		}
	}
	if len(sources) > 0 {
		cctx, cancel := context.WithCancel(ctx)
		if j.RunDeadline > 0 {
			cctx, cancel = context.WithTimeoutCause(ctx, j.RunDeadline, ErrRunDeadline)
		}
		srcs, err := j.Collector.CollectEach(cctx, runID, sources, func(i int, _ SourceResult) {
			as.sourceDone(i)
		})
		cancel()
		res.Sources = srcs
		if err != nil {
			errs = append(errs, err)
		}
	}
	if ctx.Err() != nil {
		as.wait()
		return res, errors.Join(append(errs, ctx.Err())...)
	}
	if j.Store == nil {
		// ClickHouse is down: what was crawled is in the spool.
		spooled := 0
		for _, s := range res.Sources {
			spooled += s.Spooled
		}
		errs = append(errs, fmt.Errorf("ClickHouse unavailable: %d posts spooled for the next run", spooled))
		as.wait()
		return res, errors.Join(errs...)
	}
	as.rest(ctx)
	as.wait()
	res.Assessments, res.Alerts = as.results()
	if j.Health != nil {
		// After the topics' alerts, so the engine delivers one batch at a
		// time.
		vs, err := j.Health.Check(ctx, sources, now)
		res.Health = vs.All
		if err == nil && j.Ops != nil && len(vs.Changed) > 0 {
			res.OpsAlerts, err = j.Ops.EvaluateSources(ctx, vs.Changed)
			if err != nil {
				err = fmt.Errorf("source health alerts: %w", err)
			}
		}
		if err == nil {
			// Saved only once the ops route has seen them, so a change
			// is never lost between the two.
			err = j.Health.Save(ctx, vs)
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	return res, errors.Join(append(errs, as.errs...)...)
}

// assessor assesses and alerts topics in groups, one group at a time, as
// the sources that feed them finish.
type assessor struct {
	ctx   context.Context // the run's, not the crawl's: a cut crawl is still assessed
	j     *Job
	runID string
	now   time.Time
	// feeders counts, per topic, the sources of the run still to finish
	// that feed it; sources lists each source's topics.
	feeders map[string]int
	sources [][]string

	mu    sync.Mutex // guards feeders and the queue
	queue chan []string
	done  chan struct{}

	// blind is, per topic, since when all its sources have been broken;
	// set before the first source is done.
	blind map[string]time.Time

	// written by the worker only, read after wait.
	assessed map[string]analyzer.Assessment
	report   alerts.Report
	errs     []error
}

func newAssessor(ctx context.Context, j *Job, runID string, now time.Time, sources []config.Source) *assessor {
	a := &assessor{ctx: ctx, j: j, runID: runID, now: now, feeders: map[string]int{}, assessed: map[string]analyzer.Assessment{},
		queue: make(chan []string, len(sources)+1), done: make(chan struct{})}
	for _, s := range sources {
		fed := s.Topics
		if len(fed) == 0 {
			fed = j.Topics
		}
		a.sources = append(a.sources, fed)
		for _, t := range fed {
			a.feeders[t]++
		}
	}
	go a.work()
	return a
}

// sourceDone marks source i finished and queues the topics it was the last
// feeder of.
func (a *assessor) sourceDone(i int) {
	if a.j.Store == nil || a.ctx.Err() != nil {
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	var ready []string
	for _, t := range a.sources[i] {
		a.feeders[t]--
		if a.feeders[t] == 0 && slices.Contains(a.j.Topics, t) {
			ready = append(ready, t)
		}
	}
	if len(ready) > 0 {
		a.queue <- ready
	}
}

// rest queues every topic not assessed yet and closes the queue.
func (a *assessor) rest(ctx context.Context) {
	a.mu.Lock()
	defer a.mu.Unlock()
	var ready []string
	for _, t := range a.j.Topics {
		if a.feeders[t] > 0 || !a.fed(t) {
			ready = append(ready, t)
		}
	}
	if len(ready) > 0 && ctx.Err() == nil {
		a.queue <- ready
	}
}

// fed reports whether a source of the run feeds t.
func (a *assessor) fed(t string) bool {
	for _, ts := range a.sources {
		if slices.Contains(ts, t) {
			return true
		}
	}
	return false
}

// wait closes the queue and waits for the worker to finish it.
func (a *assessor) wait() {
	a.mu.Lock()
	close(a.queue)
	a.mu.Unlock()
	<-a.done
}

// work assesses and alerts each queued group of topics in turn.
func (a *assessor) work() {
	defer close(a.done)
	ctx := a.ctx
	for topics := range a.queue {
		if ctx.Err() != nil {
			continue
		}
		t0 := time.Now()
		as, err := a.j.assess(ctx, topics, a.now)
		if err != nil {
			a.errs = append(a.errs, err)
		}
		for _, x := range as {
			a.assessed[x.Topic] = x
		}
		a.j.logger().Debug("topics assessed", "run", a.runID, "topics", len(as), "duration", time.Since(t0).Round(time.Millisecond))
		if a.j.Alerter == nil || len(as) == 0 {
			continue
		}
		t0 = time.Now()
		sigs := Signals(as)
		for i := range sigs {
			sigs[i].BlindSince = a.blind[sigs[i].Topic]
		}
		rep, err := a.j.Alerter.Evaluate(ctx, sigs)
		a.j.logger().Debug("alerts evaluated", "run", a.runID, "topics", topics, "events", len(rep.Events), "duration", time.Since(t0).Round(time.Millisecond))
		a.report.Events = append(a.report.Events, rep.Events...)
		a.report.Sent = append(a.report.Sent, rep.Sent...)
		a.report.Failed = append(a.report.Failed, rep.Failed...)
		a.report.Pending = rep.Pending
		if err != nil {
			a.errs = append(a.errs, fmt.Errorf("alerts: %w", err))
		}
	}
}

// results returns the assessments in the order of the job's topics, and
// the alerts' report.
func (a *assessor) results() ([]analyzer.Assessment, alerts.Report) {
	var out []analyzer.Assessment
	for _, t := range a.j.Topics {
		if x, ok := a.assessed[t]; ok {
			out = append(out, x)
		}
	}
	return out, a.report
}

func (j *Job) logger() *slog.Logger {
	if j.Logger == nil {
		return slog.Default()
	}
	return j.Logger
}

// AssessAll assesses every topic at now with Assess and stores the
// results; they come first, one per topic. Then come the assessments over
// the Views that differ from Assess's window and baseline, which the alert
// rules that ask for them are evaluated on; they are not stored.
func (j *Job) AssessAll(ctx context.Context, now time.Time) ([]analyzer.Assessment, error) {
	return j.assess(ctx, j.Topics, now)
}

// assess assesses topics at now and stores the results.
func (j *Job) assess(ctx context.Context, topics []string, now time.Time) ([]analyzer.Assessment, error) {
	var as []analyzer.Assessment
	var errs []error
	for _, t := range topics {
		a, err := analyzer.Assess(ctx, j.Store, t, now, j.Assess)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		as = append(as, a)
	}
	if len(as) > 0 {
		if err := j.Store.SaveRisk(ctx, RiskRows(as)); err != nil {
			errs = append(errs, err)
		}
	}
	primaries := len(as)
	for _, t := range topics {
		done := map[View]bool{}
		for _, v := range j.Views {
			key := View{Window: v.Window, Baseline: v.Baseline}
			if (v.Topic != "*" && v.Topic != t) || done[key] {
				continue
			}
			done[key] = true
			o := j.Assess
			o.Window, o.History = v.Window, v.Baseline
			if o.Window == analyzer.DefaultWindow(j.Assess) && o.History == analyzer.DefaultHistory(j.Assess) {
				continue // the stored assessment already is this view
			}
			a, err := analyzer.Assess(ctx, j.Store, t, now, o)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			as = append(as, a)
		}
	}
	if len(as) > primaries {
		j.logger().Debug("rule views assessed", "views", len(as)-primaries)
	}
	return as, errors.Join(errs...)
}

// Signals converts assessments into the alert engine's input.
func Signals(as []analyzer.Assessment) []alerts.Signal {
	out := make([]alerts.Signal, len(as))
	for i, a := range as {
		comps := map[string]float64{
			"anomaly":  a.Risk.Anomaly,
			"share":    a.Risk.Share,
			"reach":    a.Risk.Reach,
			"spread":   a.Risk.Spread,
			"velocity": a.Risk.Velocity,
		}
		if a.Stats.Rated > 0 {
			comps["one_star"] = a.Risk.OneStar
		}
		out[i] = alerts.Signal{
			Topic:           a.Topic,
			At:              a.At,
			Window:          a.Window,
			Baseline:        a.History,
			Risk:            a.Risk.Total,
			Components:      comps,
			Rated:           int(a.Stats.Rated),
			OneStar:         int(a.Stats.OneStar),
			Observed:        a.Observed,
			Expected:        a.Expected,
			NegativeRatio:   a.NegativeRatio(),
			Deviation:       a.Peak.Deviation,
			Posts:           int(a.Stats.Posts),
			Negative:        int(a.Stats.Negative),
			Authors:         int(a.Stats.Authors),
			NegativeAuthors: int(a.Stats.NegativeAuthors),
			Sources:         int(a.Stats.Sources),
			Reach:           a.Stats.Reach,
			ColdStart:       a.ColdStart,
			SharedPosts:     int(a.Stats.SharedPosts),
			SharedTexts:     int(a.Stats.SharedTexts),
		}
	}
	return out
}

// RiskRows converts assessments into rows for the topic_risk table.
func RiskRows(as []analyzer.Assessment) []store.RiskRow {
	out := make([]store.RiskRow, len(as))
	for i, a := range as {
		out[i] = store.RiskRow{Topic: a.Topic, At: a.At, Window: a.Window, Score: a.Risk.Total,
			Anomaly: a.Risk.Anomaly, Share: a.Risk.Share, Reach: a.Risk.Reach, Spread: a.Risk.Spread,
			Velocity: a.Risk.Velocity, OneStar: a.Risk.OneStar, Observed: a.Observed, Expected: a.Expected, Deviation: a.Peak.Deviation,
			Posts: a.Stats.Posts, Negative: a.Stats.Negative, Authors: a.Stats.Authors, Sources: a.Stats.Sources,
			ColdStart: a.ColdStart, SharedPosts: a.Stats.SharedPosts, SharedTexts: a.Stats.SharedTexts}
	}
	return out
}
