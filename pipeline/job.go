package pipeline

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/backlash-monitor/backlash/alerts"
	"github.com/backlash-monitor/backlash/analyzer"
	"github.com/backlash-monitor/backlash/config"
	"github.com/backlash-monitor/backlash/post"
	"github.com/backlash-monitor/backlash/store"
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
	Logger *slog.Logger
}

// RunResult is what a run did.
type RunResult struct {
	// Replayed is how many spooled posts from earlier runs were stored.
	Replayed    int
	Sources     []SourceResult
	Assessments []analyzer.Assessment
	Alerts      alerts.Report
}

// Run collects the sources, then assesses every topic at now and evaluates
// the alert rules. Alerts still go out when some sources failed: what was
// collected is evidence too. The error joins every stage's errors.
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
		n, err := j.Spool.Replay(ctx, func(ctx context.Context, posts []post.Post) error {
			_, err := j.Collector.store.SavePosts(ctx, posts)
			return err
		})
		res.Replayed = n
		if err != nil {
			errs = append(errs, fmt.Errorf("replay spool: %w", err))
		}
	}
	if len(sources) > 0 {
		srcs, err := j.Collector.CollectAll(ctx, runID, sources)
		res.Sources = srcs
		if err != nil {
			errs = append(errs, err)
		}
	}
	if ctx.Err() != nil {
		return res, errors.Join(append(errs, ctx.Err())...)
	}
	if j.Store == nil {
		// ClickHouse is down: what was crawled is in the spool.
		spooled := 0
		for _, s := range res.Sources {
			spooled += s.Spooled
		}
		errs = append(errs, fmt.Errorf("ClickHouse unavailable: %d posts spooled for the next run", spooled))
		return res, errors.Join(errs...)
	}
	t0 := time.Now()
	as, err := j.AssessAll(ctx, now)
	res.Assessments = as
	if err != nil {
		errs = append(errs, err)
	}
	j.logger().Debug("topics assessed", "run", runID, "topics", len(as), "duration", time.Since(t0).Round(time.Millisecond))
	if j.Alerter != nil && len(as) > 0 {
		t0 = time.Now()
		rep, err := j.Alerter.Evaluate(ctx, Signals(as))
		j.logger().Debug("alerts evaluated", "run", runID, "events", len(rep.Events), "duration", time.Since(t0).Round(time.Millisecond))
		res.Alerts = rep
		if err != nil {
			errs = append(errs, fmt.Errorf("alerts: %w", err))
		}
	}
	return res, errors.Join(errs...)
}

func (j *Job) logger() *slog.Logger {
	if j.Logger == nil {
		return slog.Default()
	}
	return j.Logger
}

// AssessAll assesses every topic at now and stores the results.
func (j *Job) AssessAll(ctx context.Context, now time.Time) ([]analyzer.Assessment, error) {
	var as []analyzer.Assessment
	var errs []error
	for _, t := range j.Topics {
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
	return as, errors.Join(errs...)
}

// Signals converts assessments into the alert engine's input.
func Signals(as []analyzer.Assessment) []alerts.Signal {
	out := make([]alerts.Signal, len(as))
	for i, a := range as {
		out[i] = alerts.Signal{
			Topic:  a.Topic,
			At:     a.At,
			Window: a.Window,
			Risk:   a.Risk.Total,
			Components: map[string]float64{
				"anomaly":  a.Risk.Anomaly,
				"share":    a.Risk.Share,
				"reach":    a.Risk.Reach,
				"spread":   a.Risk.Spread,
				"velocity": a.Risk.Velocity,
			},
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
			Velocity: a.Risk.Velocity, Observed: a.Observed, Expected: a.Expected, Deviation: a.Peak.Deviation,
			Posts: a.Stats.Posts, Negative: a.Stats.Negative, Authors: a.Stats.Authors, Sources: a.Stats.Sources,
			ColdStart: a.ColdStart, SharedPosts: a.Stats.SharedPosts, SharedTexts: a.Stats.SharedTexts}
	}
	return out
}
