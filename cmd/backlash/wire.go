package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/backlash-monitor/backlash/internal/config"
	"github.com/backlash-monitor/backlash/internal/crawler"
	"github.com/backlash-monitor/backlash/internal/pipeline"
	"github.com/backlash-monitor/backlash/internal/serve"
)

// wireOptions adjusts wiring for a command.
type wireOptions struct {
	progress io.Writer
	now      func() time.Time
	noAlerts bool
	metrics  pipeline.Metrics
	// spoolWhenDown crawls into the spool when ClickHouse is unreachable.
	spoolWhenDown bool
}

// wire builds the system; configuration problems become usage errors.
func wire(ctx context.Context, cfg *config.Config, log *slog.Logger, stdout io.Writer, o wireOptions) (*pipeline.System, error) {
	sys, err := pipeline.Open(ctx, cfg, pipeline.SystemOptions{Logger: log, Stdout: stdout, Progress: o.progress,
		Now: o.now, NoAlerts: o.noAlerts, Metrics: o.metrics, SpoolWhenDown: o.spoolWhenDown})
	if errors.Is(err, pipeline.ErrConfig) {
		return nil, usageError{err}
	}
	return sys, err
}

// lock takes the configuration's run lock so overlapping cron runs do not
// both crawl.
func lock(cfg *config.Config) (func(), error) {
	if err := os.MkdirAll(cfg.StateDir, 0o750); err != nil {
		return nil, err
	}
	path := filepath.Join(cfg.StateDir, "backlash.lock")
	release, err := serve.Lock(path)
	if err != nil {
		return nil, fmt.Errorf("another backlash run or serve holds %s: %w", path, err)
	}
	return release, nil
}

// lockWait takes the run lock like lock, waiting up to wait for a run that
// holds it, so `alert` never delivers the outbox beside a run.
func lockWait(ctx context.Context, cfg *config.Config, wait time.Duration, log *slog.Logger) (func(), error) {
	if err := os.MkdirAll(cfg.StateDir, 0o750); err != nil {
		return nil, err
	}
	path := filepath.Join(cfg.StateDir, "backlash.lock")
	release, err := serve.LockWait(ctx, path, wait, func(err error) {
		log.Info("waiting for the run lock", "wait", wait, "held", err)
	})
	if err != nil {
		return nil, fmt.Errorf("another backlash run or serve holds %s (waited %s): %w", path, wait, err)
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
