package demo

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/backlash-monitor/backlash/internal/config"
	"github.com/backlash-monitor/backlash/internal/pipeline"
	"github.com/backlash-monitor/backlash/internal/store"
	"github.com/backlash-monitor/backlash/internal/store/chserver"
)

// Clock is the simulated time a replay runs at; the dashboard reads it
// from another goroutine.
type Clock struct{ ns atomic.Int64 }

// Now returns the simulated time.
func (c *Clock) Now() time.Time { return time.Unix(0, c.ns.Load()).UTC() }

// Set moves the simulated time.
func (c *Clock) Set(t time.Time) { c.ns.Store(t.UnixNano()) }

// World is the built-in demo site served on a local port, its
// configuration and a system wired to crawl it on a fresh database.
type World struct {
	Scenario *Scenario
	Site     *Site
	// Base is the site's address.
	Base   string
	Config *config.Config
	System *pipeline.System
	Clock  *Clock

	srv *http.Server
}

// OpenWorld serves the scenario built with opts and wires a system to
// crawl it, on database emptied first so a replay's summary is its own.
// The system logs to log and prints console alerts to stdout. An error
// from pipeline.Open is returned as is (errors.Is pipeline.ErrConfig).
func OpenWorld(ctx context.Context, opts Options, stateDir, database string, log *slog.Logger, stdout io.Writer) (*World, error) {
	return openWorld(ctx, opts, stateDir, database, "", log, stdout)
}

// openWorld is OpenWorld with the system's spool in spoolDir ("": the
// default, under stateDir).
func openWorld(ctx context.Context, opts Options, stateDir, database, spoolDir string, log *slog.Logger, stdout io.Writer) (*World, error) {
	if _, err := chserver.Binary(); err != nil {
		return nil, fmt.Errorf("the demo runs its own ClickHouse server: %w", err)
	}
	w := &World{Scenario: NewScenario(opts), Clock: &Clock{}}
	w.Site = NewSite(w.Scenario)
	w.Clock.Set(w.Scenario.Start())
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	w.srv = &http.Server{Handler: w.Site, ReadHeaderTimeout: 5 * time.Second}
	go w.srv.Serve(ln)
	w.Base = "http://" + ln.Addr().String()
	w.Config, err = config.Parse("built-in demo configuration", Config(w.Base, w.Scenario))
	if err != nil {
		w.srv.Close()
		return nil, fmt.Errorf("demo configuration: %w", err)
	}
	w.Config.StateDir = stateDir
	w.Config.ClickHouse.Database = database
	if err := ResetDatabase(ctx, w.Config, log); err != nil {
		w.srv.Close()
		return nil, err
	}
	w.System, err = pipeline.Open(ctx, w.Config, pipeline.SystemOptions{Logger: log, Stdout: stdout, Now: w.Clock.Now, SpoolDir: spoolDir})
	if err != nil {
		w.srv.Close()
		return nil, err
	}
	return w, nil
}

// Close closes the system and stops the site.
func (w *World) Close() {
	w.System.Close()
	w.srv.Close()
}

// ResetDatabase drops the configured database so a replay starts empty.
func ResetDatabase(ctx context.Context, cfg *config.Config, log *slog.Logger) error {
	st, err := store.OpenConfig(ctx, cfg.ClickHouse, cfg.StateDir, log)
	if err != nil {
		return err
	}
	defer st.Close()
	return st.DropDatabase(ctx)
}

// Replayer runs the scenario headless, each replay on a database of its
// own, and drops them all once done (DropAll).
//
// Dropping a populated database deletes thousands of part files at once,
// and on ext4 the file creations of the next few minutes then search past
// those recently deleted inodes: ClickHouse's inserts, and so the whole
// pipeline, ran about 40% slower right after a drop. A system in service
// never drops its database between crawls, so no replay is measured
// straight after one, unless OneDB asks for exactly that.
//
// Replays may run at once from several goroutines (not with OneDB): each
// has its own database, site and spool, and they share the embedded
// ClickHouse server.
type Replayer struct {
	StateDir string
	// OneDB puts every replay on one database, dropped first.
	OneDB bool

	mu   sync.Mutex
	cfg  *config.Config // the last replay's configuration, to drop with
	used int            // databases handed out so far
}

// Replay runs the scenario built with opts, crawling every step with the
// site's pages pageSize items long, on a database no earlier replay used.
func (r *Replayer) Replay(ctx context.Context, opts Options, step time.Duration, pageSize int, onStep func(time.Time, pipeline.RunResult, error)) (Summary, error) {
	// Worlds open one at a time, so the first starts the embedded server
	// and the others find it running. OpenWorld empties the database
	// first: only a bench that was interrupted leaves one behind.
	r.mu.Lock()
	r.used++
	db := r.database(r.used)
	w, err := openWorld(ctx, opts, r.StateDir, db, filepath.Join(r.StateDir, "spool", db), slog.New(slog.DiscardHandler), io.Discard)
	if err == nil {
		r.cfg = w.Config
	}
	r.mu.Unlock()
	if err != nil {
		return Summary{}, err
	}
	defer w.Close()
	w.Site.SetPageSize(pageSize)
	return Replay(ctx, w.Scenario, w.Site, w.System.Job, w.Config.Sources, ReplayOptions{Step: step, SetClock: w.Clock.Set, OnStep: onStep})
}

func (r *Replayer) database(n int) string {
	if r.OneDB {
		n = 1
	}
	return fmt.Sprintf("backlash_bench_%d", n)
}

// DropAll drops the databases the replays used.
func (r *Replayer) DropAll(ctx context.Context, log *slog.Logger) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.cfg == nil {
		return
	}
	for n := 1; n <= r.used; n++ {
		cfg := *r.cfg
		cfg.ClickHouse.Database = r.database(n)
		if err := ResetDatabase(ctx, &cfg, log); err != nil {
			log.Warn("drop benchmark database", "database", cfg.ClickHouse.Database, "err", err)
		}
	}
}
