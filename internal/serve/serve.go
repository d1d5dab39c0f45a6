package serve

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/robfig/cron/v3"
)

// DefaultListen is where Run serves when Options.Listen is empty.
const DefaultListen = "127.0.0.1:8080"

// Job crawls, analyses and alerts for one source. It must return soon after
// ctx is cancelled, having stored what it collected so far.
type Job func(ctx context.Context, source string) error

// Schedule says when a source is crawled.
type Schedule struct {
	// Name is the source's configured name, passed to the Job.
	Name string
	// Cron is a standard 5-field cron expression ("*/15 * * * *") or a
	// descriptor such as "@hourly" or "@every 10m".
	Cron string
}

// Options configures Run.
type Options struct {
	// Listen is the HTTP address (default "127.0.0.1:8080", loopback only).
	// Ignored when Listener is set.
	Listen string
	// Listener, when set, is served instead of listening on Listen (tests,
	// socket activation). Run closes it.
	Listener net.Listener
	// Serving, when set, is called with the address once the daemon
	// listens and its schedules are parsed, so a start line is printed
	// only when serving has begun.
	Serving func(addr net.Addr)
	// Sources are crawled on their schedules.
	Sources []Schedule
	// Job runs one source's crawl.
	Job Job
	// Handler serves every path other than /healthz, /readyz and /metrics:
	// the dashboard. Nil answers 404.
	Handler http.Handler
	// Ready reports whether the process can do its work (ClickHouse
	// reachable, migrations applied); /readyz answers 503 with its error.
	// Nil means always ready.
	Ready func(ctx context.Context) error
	// Logger receives the daemon's logs (default slog.Default()).
	Logger *slog.Logger
	// Registry is exposed on /metrics. Nil creates one with the Go runtime
	// and process collectors.
	Registry *prometheus.Registry
	// Metrics records job runs. Pass the one the pipeline uses, registered
	// on Registry; nil creates one on Registry.
	Metrics *Metrics
	// LockPath, when set, is flocked for the life of Run so that only one
	// daemon runs per configuration.
	LockPath string
	// ShutdownTimeout bounds draining HTTP requests on shutdown (default
	// 30s). Running jobs are always awaited.
	ShutdownTimeout time.Duration
}

// Run schedules the sources and serves HTTP until ctx is cancelled, then
// shuts down gracefully: no new jobs start, running jobs have their context
// cancelled and are awaited, HTTP requests drain. It returns nil after a
// clean shutdown, or the error that stopped it (bad schedule, lock held,
// address in use, server failure).
func Run(ctx context.Context, o Options) (err error) {
	if o.Listener != nil {
		// Close a given listener on every early return too; once serving,
		// Shutdown closes it.
		defer func() {
			if err != nil {
				o.Listener.Close()
			}
		}()
	}
	log := o.Logger
	if log == nil {
		log = slog.Default()
	}
	if o.Job == nil && len(o.Sources) > 0 {
		return errors.New("serve: sources given without a job to run")
	}
	if o.ShutdownTimeout <= 0 {
		o.ShutdownTimeout = 30 * time.Second
	}
	reg := o.Registry
	if reg == nil {
		reg = prometheus.NewRegistry()
		reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	}
	m := o.Metrics
	if m == nil {
		m = NewMetrics(reg)
	}

	if o.LockPath != "" {
		// The state directory may not exist yet on a first start.
		if err := os.MkdirAll(filepath.Dir(o.LockPath), 0o750); err != nil {
			return fmt.Errorf("serve: state directory: %w", err)
		}
		release, err := Lock(o.LockPath)
		if err != nil {
			return err
		}
		defer release()
	}

	// Parse every schedule before starting anything, so a typo stops the
	// daemon at once with the source's name.
	sched := cron.New(cron.WithLogger(cronLogger{log}))
	jobCtx, cancelJobs := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelJobs()
	seen := map[string]bool{}
	for _, s := range o.Sources {
		if seen[s.Name] {
			return fmt.Errorf("serve: source %q scheduled twice", s.Name)
		}
		seen[s.Name] = true
		r := &runner{name: s.Name, job: o.Job, ctx: jobCtx, log: log.With("source", s.Name), m: m}
		if _, err := sched.AddJob(s.Cron, r); err != nil {
			return fmt.Errorf("serve: source %q: bad schedule %q: %w", s.Name, s.Cron, err)
		}
	}

	ln := o.Listener
	if ln == nil {
		if o.Listen == "" {
			o.Listen = DefaultListen
		}
		ln, err = net.Listen("tcp", o.Listen)
		if err != nil {
			return fmt.Errorf("serve: listen: %w", err)
		}
	}
	srv := &http.Server{
		Handler:           routes(o, reg, log),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()
	if o.Serving != nil {
		o.Serving(ln.Addr())
	}
	sched.Start()
	log.Info("serving", "addr", ln.Addr().String(), "sources", len(o.Sources))

	select {
	case <-ctx.Done():
		log.Info("shutting down")
	case err = <-serveErr:
		err = fmt.Errorf("serve: http: %w", err)
		log.Error("http server stopped", "err", err)
	}

	// Stop scheduling, cancel running jobs and drain HTTP at the same time:
	// the listener closes at once, requests in flight finish, and jobs get
	// as long as they need to store what they collected.
	stopped := sched.Stop()
	cancelJobs()
	shutCtx, cancel := context.WithTimeout(context.Background(), o.ShutdownTimeout)
	defer cancel()
	httpDone := make(chan error, 1)
	go func() { httpDone <- srv.Shutdown(shutCtx) }()
	<-stopped.Done() // every running job has returned
	if herr := <-httpDone; herr != nil && err == nil {
		err = fmt.Errorf("serve: drain http: %w", herr)
	}
	log.Info("stopped")
	return err
}

// runner runs one source's job on its schedule, skipping a tick when the
// previous run is still going.
type runner struct {
	name    string
	job     Job
	ctx     context.Context
	log     *slog.Logger
	m       *Metrics
	running atomic.Bool
}

// Run is called by the scheduler on each tick.
func (r *runner) Run() {
	if r.ctx.Err() != nil {
		return
	}
	if !r.running.CompareAndSwap(false, true) {
		r.log.Warn("previous run still going; skipping this one")
		r.m.jobSkip(r.name)
		return
	}
	defer r.running.Store(false)
	start := time.Now()
	r.log.Info("job started")
	err := r.safeJob()
	dur := time.Since(start)
	switch {
	case err == nil:
		r.m.jobDone(r.name, "ok", dur)
		r.log.Info("job finished", "took", dur.Round(time.Millisecond))
	case r.ctx.Err() != nil:
		r.m.jobDone(r.name, "cancelled", dur)
		r.log.Info("job stopped by shutdown", "took", dur.Round(time.Millisecond), "err", err)
	default:
		r.m.jobDone(r.name, "error", dur)
		r.log.Error("job failed", "took", dur.Round(time.Millisecond), "err", err)
	}
}

// safeJob runs the job, turning a panic into an error so one bad source
// does not stop the daemon.
func (r *runner) safeJob() (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	return r.job(r.ctx, r.name)
}

// routes builds the daemon's HTTP handler.
func routes(o Options, reg *prometheus.Registry, log *slog.Logger) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		if o.Ready != nil {
			ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
			defer cancel()
			if err := o.Ready(ctx); err != nil {
				log.Warn("not ready", "err", err)
				w.WriteHeader(http.StatusServiceUnavailable)
				fmt.Fprintf(w, "not ready: %v\n", err)
				return
			}
		}
		fmt.Fprintln(w, "ready")
	})
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}))
	if o.Handler != nil {
		mux.Handle("/", o.Handler)
	}
	return mux
}

// cronLogger sends the scheduler's logs to slog.
type cronLogger struct{ log *slog.Logger }

// Info logs a scheduler event at debug level; they are frequent.
func (l cronLogger) Info(msg string, kv ...any) { l.log.Debug("cron: "+msg, kv...) }

// Error logs a scheduler error.
func (l cronLogger) Error(err error, msg string, kv ...any) {
	l.log.Error("cron: "+msg, append(kv, "err", err)...)
}
