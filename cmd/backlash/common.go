package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/backlash-monitor/backlash/internal/config"
	"github.com/backlash-monitor/backlash/internal/store"
)

// errHelp is returned after --help printed a command's usage.
var errHelp = errors.New("help requested")

// flagSet makes a command's flag set with the flags every command shares.
func flagSet(e *env, name, usage string) (*flag.FlagSet, *globalFlags) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	g := &globalFlags{}
	fs.StringVar(&g.config, "config", "", "configuration file (default $BACKLASH_CONFIG or ./backlash.yaml)")
	fs.StringVar(&g.logLevel, "log-level", "info", "log level: debug, info, warn or error")
	fs.BoolVar(&g.jsonLogs, "log-json", false, "write logs as JSON")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: backlash %s\n\nflags:\n", usage)
		fs.PrintDefaults()
	}
	return fs, g
}

// parse parses flags, which may come before or after positional arguments
// ("config check --config F"), mapping --help to errHelp and bad flags to a
// usage error. fs.Args() holds the positional arguments afterwards.
func parse(fs *flag.FlagSet, args []string) error {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return errHelp
			}
			return usageError{err}
		}
		rest := fs.Args()
		if len(rest) == 0 {
			break
		}
		// A "--" ends flags: everything after it is positional.
		if len(args) > len(rest) && args[len(args)-len(rest)-1] == "--" {
			pos = append(pos, rest...)
			break
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
	return fs.Parse(append([]string{"--"}, pos...))
}

// globalFlags are the flags every command has.
type globalFlags struct {
	config   string
	logLevel string
	jsonLogs bool
}

// logger builds the structured logger; logs go to stderr so stdout stays
// for a command's output.
func (g *globalFlags) logger(e *env) *slog.Logger {
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(g.logLevel)); err != nil {
		lvl = slog.LevelInfo
	}
	opts := &slog.HandlerOptions{Level: lvl}
	if g.jsonLogs {
		return slog.New(slog.NewJSONHandler(e.stderr, opts))
	}
	return slog.New(slog.NewTextHandler(e.stderr, opts))
}

// load reads and validates the configuration; problems are usage errors.
func (g *globalFlags) load() (*config.Config, error) {
	cfg, err := config.Load(config.Path(g.config))
	if err != nil {
		return nil, usageError{err}
	}
	return cfg, nil
}

// openStore opens and migrates the configured store.
func openStore(ctx context.Context, cfg *config.Config, log *slog.Logger) (*store.Store, error) {
	st, err := store.OpenConfig(ctx, cfg.ClickHouse, cfg.StateDir, log)
	if err != nil {
		return nil, err
	}
	if _, err := st.Migrate(ctx); err != nil {
		st.Close()
		return nil, err
	}
	st.SetRepostWindow(cfg.Analyzer.RepostWindow.D())
	return st, nil
}

// newRunID returns a short random id for one run's logs and rows.
func newRunID() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return time.Now().UTC().Format("20060102T150405") + "-" + hex.EncodeToString(b)
}

// isTerminal reports whether w is a terminal, for live progress lines.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// parseAt reads an --at flag: an RFC3339 time, or now when empty.
func parseAt(s string) (time.Time, error) {
	if s == "" {
		return time.Now(), nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return t, usagef("--at: %v", err)
	}
	return t, nil
}
