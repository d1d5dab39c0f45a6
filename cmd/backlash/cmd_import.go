package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"github.com/backlash-monitor/backlash/internal/ingest"
)

func cmdImport(ctx context.Context, e *env, args []string) error {
	fs, g := flagSet(e, "import", "import --source NAME [--format jsonl|csv] [--strict] FILE|-")
	source := fs.String("source", "", "the configured source the posts are stored under (required)")
	format := fs.String("format", "", "jsonl or csv (default from the file's extension, else jsonl)")
	strict := fs.Bool("strict", false, "stop at the first bad line instead of reporting it and going on")
	batch := fs.Int("batch", ingest.DefaultBatchSize, "posts stored at once")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("want one FILE (or - for stdin)")
	}
	if *source == "" {
		return usagef("--source is required")
	}
	file := fs.Arg(0)
	f := *format
	if f == "" {
		f = ingest.JSONL
		if strings.EqualFold(filepath.Ext(file), ".csv") {
			f = ingest.CSV
		}
	}
	if f != ingest.JSONL && f != ingest.CSV {
		return usagef("--format %q: want jsonl or csv", f)
	}
	cfg, err := g.load()
	if err != nil {
		return err
	}
	src, ok := cfg.Source(*source)
	if !ok {
		return usagef("no source named %q in %s", *source, cfg.File)
	}
	var in io.Reader = e.stdin
	name := "stdin"
	if file != "-" {
		fh, err := os.Open(file)
		if err != nil {
			return usageError{err}
		}
		defer fh.Close()
		in, name = fh, file
	}
	log := g.logger(e)
	sys, err := wire(ctx, cfg, log, e.stdout, wireOptions{noAlerts: true})
	if err != nil {
		return err
	}
	defer sys.Close()
	o := ingest.Options{Source: src, Format: f, Strict: *strict, BatchSize: *batch,
		Bad: func(le *ingest.LineError) { fmt.Fprintln(e.stderr, le) }}
	// An import holds three batches at a time (one read, one scored, one
	// stored) and makes much short-lived garbage: collecting it less often
	// (GOGC=200) leaves more of the machine's CPU to the server, for some
	// memory more at the default batch size. GOGC in the environment
	// overrides it, and GOMEMLIMIT caps the memory as usual.
	if os.Getenv("GOGC") == "" {
		defer debug.SetGCPercent(debug.SetGCPercent(200))
	}
	t0 := time.Now()
	if isTerminal(e.stderr) {
		o.Progress = func(s ingest.Summary) {
			fmt.Fprintf(e.stderr, "\r%s: %d read, %d stored, %d already present, %d bad (%.0f posts/s)   ",
				name, s.Read, s.Stored, s.Present, s.Bad, float64(s.Read)/time.Since(t0).Seconds())
		}
	}
	sum, err := ingest.New(sys.Store, sys.Analyzer).Import(ctx, in, name, o)
	if o.Progress != nil {
		fmt.Fprintln(e.stderr)
	}
	fmt.Fprintf(e.stdout, "%s: %d read, %d stored (%d counted), %d already present, %d unmatched, %d bad in %s\n",
		name, sum.Read, sum.Stored, sum.Counted, sum.Present, sum.Unmatched, sum.Bad, time.Since(t0).Round(time.Millisecond))
	return err
}
