package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/backlash-monitor/backlash/config"
	"github.com/backlash-monitor/backlash/dashboards"
	"github.com/backlash-monitor/backlash/incident"
	"github.com/backlash-monitor/backlash/pipeline"
	"github.com/backlash-monitor/backlash/serve"
)

// digestJob is the daily digest's name among the scheduled jobs; source
// names cannot start with @.
const digestJob = "@digest"

func cmdServe(ctx context.Context, e *env, args []string) error {
	fs, g := flagSet(e, "serve", "serve [--config FILE] [--listen ADDR]")
	listen := fs.String("listen", "", "dashboard and metrics address (default serve.listen)")
	if err := parse(fs, args); err != nil {
		return err
	}
	cfg, err := g.load()
	if err != nil {
		return err
	}
	if *listen != "" {
		cfg.Serve.Listen = *listen
	}
	log := g.logger(e)
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	metrics := serve.NewMetrics(reg)
	sys, err := wire(ctx, cfg, log, e.stdout, wireOptions{metrics: metrics})
	if err != nil {
		return err
	}
	defer sys.Close()
	dash, err := newDashboard(sys, cfg, time.Now, log)
	if err != nil {
		return usageError{err}
	}
	var scheds []serve.Schedule
	for _, s := range cfg.Sources {
		scheds = append(scheds, serve.Schedule{Name: s.Name, Cron: s.Schedule})
	}
	if cfg.Alerts.Digest.Schedule != "off" {
		scheds = append(scheds, serve.Schedule{Name: digestJob, Cron: cfg.Alerts.Digest.Schedule})
	}
	// Sources crawl in parallel, but assessing and alerting run one at a
	// time so incidents see a consistent order.
	var alertMu sync.Mutex
	job := func(ctx context.Context, name string) error {
		if name == digestJob {
			alertMu.Lock()
			defer alertMu.Unlock()
			as, err := sys.Job.AssessAll(ctx, time.Now())
			if err != nil {
				return err
			}
			observe(ctx, sys, metrics, cfg, pipeline.RunResult{Assessments: as}, log)
			return sys.Engine.Digest(ctx, pipeline.Signals(as), time.Now())
		}
		src, ok := cfg.Source(name)
		if !ok {
			return fmt.Errorf("no source %q", name)
		}
		runID := newRunID()
		res := sys.Job.Collector.Collect(ctx, runID, src)
		alertMu.Lock()
		defer alertMu.Unlock()
		out, err := sys.Job.Run(ctx, runID, nil, time.Now())
		out.Sources = []pipeline.SourceResult{res}
		printRun(e.stdout, out)
		observe(ctx, sys, metrics, cfg, out, log)
		if res.Err != nil {
			return res.Err
		}
		return err
	}
	serving := func(addr net.Addr) {
		digest := "no daily digest"
		if cfg.Alerts.Digest.Schedule != "off" {
			digest = fmt.Sprintf("daily digest at %q", cfg.Alerts.Digest.Schedule)
		}
		fmt.Fprintf(e.stdout, "backlash serving http://%s (dashboard, /healthz, /readyz, /metrics); %d sources scheduled, %s\n",
			addr, len(cfg.Sources), digest)
	}
	return serve.Run(ctx, serve.Options{Listen: cfg.Serve.Listen, Sources: scheds, Job: job, Handler: dash,
		Ready: serve.StoreReady(sys.Store), Logger: log, Registry: reg, Metrics: metrics, Serving: serving,
		LockPath: filepath.Join(cfg.StateDir, "backlash.lock")})
}

// observe puts a run's assessments, deliveries and the open incidents on
// /metrics.
func observe(ctx context.Context, sys *pipeline.System, m *serve.Metrics, cfg *config.Config, out pipeline.RunResult, log *slog.Logger) {
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
		log.Warn("metrics: read open incidents", "err", err)
		return
	}
	open := map[string]int{}
	for _, in := range incs {
		if in.State == incident.StateOpen {
			open[string(in.Severity)]++
		}
	}
	sevs := make([]string, 0, 3)
	for _, s := range incident.Severities() {
		sevs = append(sevs, string(s))
	}
	m.IncidentsOpen(open, sevs)
}

// newDashboard builds the dashboard handler for the configuration.
func newDashboard(sys *pipeline.System, cfg *config.Config, now func() time.Time, log *slog.Logger) (http.Handler, error) {
	var sources []string
	for _, s := range cfg.Sources {
		sources = append(sources, s.Name)
	}
	return dashboards.New(sys.Store, dashboards.Options{Topics: cfg.TopicNames(), Sources: sources, Feeds: cfg.Feeds(),
		Token: cfg.Serve.TokenEnv.Value().Reveal(), Loopback: isLoopback(cfg.Serve.Listen), Now: now, Logger: log})
}

// isLoopback reports whether addr listens on loopback only.
func isLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// startDashboard serves the dashboard on a free loopback port.
func startDashboard(sys *pipeline.System, cfg *config.Config, now func() time.Time, log *slog.Logger) (*http.Server, string, error) {
	h, err := newDashboard(sys, cfg, now, log)
	if err != nil {
		return nil, "", err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	return srv, "http://" + ln.Addr().String() + "/", nil
}
