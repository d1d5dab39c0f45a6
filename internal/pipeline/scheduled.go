package pipeline

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/backlash-monitor/backlash/internal/incident"
)

// DigestJob is the daily digest's name among the scheduled jobs; source
// names cannot start with @.
const DigestJob = "@digest"

// Observer receives what a scheduled run found, for /metrics;
// *serve.Metrics is one.
type Observer interface {
	TopicAssessed(topic string, risk, observed float64)
	AlertsDelivered(receiver string, sent, failed int)
	IncidentsOpen(bySeverity map[string]int, severities []string)
}

// Scheduled runs the jobs `backlash serve` schedules: one crawl per source
// and the daily digest. Sources crawl in parallel, but assessing and
// alerting run one at a time (the alert lock) so incidents see a
// consistent order.
type Scheduled struct {
	Sys     *System
	Metrics Observer
	// NewRunID names each crawl run.
	NewRunID func() string
	// OnRun receives each source run's result, for the CLI's output; nil
	// for none.
	OnRun  func(RunResult)
	Logger *slog.Logger

	alertMu sync.Mutex
}

// Run runs the named job: DigestJob or a configured source's name.
func (s *Scheduled) Run(ctx context.Context, name string) error {
	sys, cfg := s.Sys, s.Sys.Config
	if name == DigestJob {
		s.alertMu.Lock()
		defer s.alertMu.Unlock()
		as, err := sys.Job.AssessAll(ctx, time.Now())
		if err != nil {
			return err
		}
		s.observe(ctx, RunResult{Assessments: as})
		return sys.Engine.Digest(ctx, Signals(as), time.Now())
	}
	src, ok := cfg.Source(name)
	if !ok {
		return fmt.Errorf("no source %q", name)
	}
	runID := s.NewRunID()
	res := sys.Job.Collector.Collect(ctx, runID, src)
	s.alertMu.Lock()
	defer s.alertMu.Unlock()
	out, err := sys.Job.Run(ctx, runID, nil, time.Now())
	out.Sources = []SourceResult{res}
	if s.OnRun != nil {
		s.OnRun(out)
	}
	s.observe(ctx, out)
	if res.Err != nil {
		return res.Err
	}
	return err
}

// observe puts a run's assessments, deliveries and the open incidents on
// the metrics.
func (s *Scheduled) observe(ctx context.Context, out RunResult) {
	m, sys, cfg := s.Metrics, s.Sys, s.Sys.Config
	for _, a := range out.Assessments {
		m.TopicAssessed(a.Topic, a.Risk.Total, a.Observed)
	}
	receiver := "console"
	switch {
	case cfg.Alerts.Slack.TokenEnv != "":
		receiver = "slack"
	case cfg.Alerts.Slack.WebhookURLEnv != "":
		receiver = "webhook"
	}
	m.AlertsDelivered(receiver, len(out.Alerts.Sent), len(out.Alerts.Failed))
	if sys.Store == nil {
		return
	}
	incs, err := sys.Store.LatestIncidents(ctx)
	if err != nil {
		s.Logger.Warn("metrics: read open incidents", "err", err)
		return
	}
	open := map[string]int{}
	for _, in := range incs {
		if in.State == incident.StateOpen {
			open[string(in.Severity)]++
		}
	}
	sevs := make([]string, 0, 3)
	for _, sv := range incident.Severities() {
		sevs = append(sevs, string(sv))
	}
	m.IncidentsOpen(open, sevs)
}
