package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/backlash-monitor/backlash/internal/config"
	"github.com/backlash-monitor/backlash/internal/dashboards"
	"github.com/backlash-monitor/backlash/internal/pipeline"
	"github.com/backlash-monitor/backlash/internal/serve"
)

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
		scheds = append(scheds, serve.Schedule{Name: pipeline.DigestJob, Cron: cfg.Alerts.Digest.Schedule})
	}
	jobs := &pipeline.Scheduled{Sys: sys, Metrics: metrics, NewRunID: newRunID, Logger: log,
		OnRun: func(out pipeline.RunResult) { printRun(e.stdout, out) }}
	serving := func(addr net.Addr) {
		digest := "no daily digest"
		if cfg.Alerts.Digest.Schedule != "off" {
			digest = fmt.Sprintf("daily digest at %q", cfg.Alerts.Digest.Schedule)
		}
		fmt.Fprintf(e.stdout, "backlash serving http://%s (dashboard, /healthz, /readyz, /metrics); %d sources scheduled, %s\n",
			addr, len(cfg.Sources), digest)
	}
	return serve.Run(ctx, serve.Options{Listen: cfg.Serve.Listen, Sources: scheds, Job: jobs.Run, Handler: dash,
		Ready: serve.StoreReady(sys.Store), Logger: log, Registry: reg, Metrics: metrics, Serving: serving,
		LockPath: filepath.Join(cfg.StateDir, "backlash.lock")})
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
