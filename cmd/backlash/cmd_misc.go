package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"time"

	"github.com/backlash-monitor/backlash/internal/config"
	"github.com/backlash-monitor/backlash/internal/store"
	"github.com/backlash-monitor/backlash/internal/store/chserver"
)

func cmdVersion(_ context.Context, e *env, args []string) error {
	fs, _ := flagSet(e, "version", "version")
	if err := parse(fs, args); err != nil {
		return err
	}
	v := version
	if bi, ok := debug.ReadBuildInfo(); ok && v == "dev" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		v = bi.Main.Version
	}
	fmt.Fprintf(e.stdout, "backlash %s\n", v)
	return nil
}

func cmdMigrate(ctx context.Context, e *env, args []string) error {
	fs, g := flagSet(e, "migrate", "migrate [--config FILE]")
	if err := parse(fs, args); err != nil {
		return err
	}
	cfg, err := g.load()
	if err != nil {
		return err
	}
	log := g.logger(e)
	st, err := store.OpenConfig(ctx, cfg.ClickHouse, cfg.StateDir, log)
	if err != nil {
		return err
	}
	defer st.Close()
	applied, err := st.Migrate(ctx)
	if err != nil {
		return err
	}
	if len(applied) == 0 {
		fmt.Fprintf(e.stdout, "schema of %s is current\n", st.Database())
	}
	for _, m := range applied {
		fmt.Fprintf(e.stdout, "applied %s\n", m)
	}
	dropped, err := st.ApplyRetention(ctx, cfg.ClickHouse.Retention.D(), time.Now())
	printRetention(e.stdout, cfg.ClickHouse.Retention, dropped)
	return err
}

// printRetention says which partitions retention dropped.
func printRetention(w io.Writer, keep config.Duration, dropped []store.DroppedPartition) {
	for _, d := range dropped {
		node := ""
		if d.Node != "" {
			node = " on " + d.Node
		}
		fmt.Fprintf(w, "retention %s: dropped %s partition %s (%d rows)%s\n", keep.D(), d.Table, d.Partition, d.Rows, node)
	}
}

func cmdClickHouse(_ context.Context, e *env, args []string) error {
	fs, g := flagSet(e, "clickhouse", "clickhouse status|stop [--config FILE | --state-dir DIR]")
	stateDir := fs.String("state-dir", "", "state directory of the embedded server (default: the config's state_dir)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 || (fs.Arg(0) != "stop" && fs.Arg(0) != "status") {
		fs.Usage()
		return usagef("want: clickhouse status or clickhouse stop")
	}
	// With --state-dir alone the database is not known: the line names none.
	dir, database := *stateDir, ""
	if dir == "" {
		cfg, err := g.load()
		if err != nil {
			return err
		}
		dir, database = cfg.StateDir, cfg.ClickHouse.Database
	}
	if fs.Arg(0) == "status" {
		srv, ok := chserver.Running(store.EmbeddedDir(dir))
		if !ok {
			fmt.Fprintf(e.stdout, "no embedded ClickHouse is running in %s\n", store.EmbeddedDir(dir))
			return errors.New("embedded ClickHouse not running")
		}
		fmt.Fprintf(e.stdout, "embedded ClickHouse running: pid %d, native protocol %s, files in %s\n", srv.PID(), srv.Addr(), srv.Dir())
		line := fmt.Sprintf("clickhouse-client --host 127.0.0.1 --port %d", srv.Port())
		if database != "" {
			line += " --database " + database
		}
		fmt.Fprintf(e.stdout, "query it:  %s\n", line)
		return nil
	}
	stopped, err := chserver.StopDir(store.EmbeddedDir(dir))
	if err != nil {
		return err
	}
	if stopped {
		fmt.Fprintln(e.stdout, "embedded ClickHouse stopped")
	} else {
		fmt.Fprintln(e.stdout, "no embedded ClickHouse was running")
	}
	return nil
}
