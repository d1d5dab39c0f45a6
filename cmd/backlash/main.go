// Command backlash watches public posts about a company's features and tells
// leadership, early and with evidence, when opinion turns against one.
//
// Run `backlash help` for the commands.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"syscall"
)

// Exit codes.
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

// command is one subcommand.
type command struct {
	summary string
	run     func(ctx context.Context, env *env, args []string) error
}

// env is what every command gets: its streams.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
}

// usageError marks a bad invocation or configuration (exit code 2).
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

func commands() map[string]command {
	return map[string]command{
		"run":        {"crawl every source, analyze, store and alert (the cron job)", cmdRun},
		"crawl":      {"crawl sources and store their posts", cmdCrawl},
		"analyze":    {"assess topics and store their risk; --rescore re-scores stored posts", cmdAnalyze},
		"alert":      {"evaluate alert rules and notify; --dry-run prints the Slack blocks", cmdAlert},
		"migrate":    {"create or upgrade the ClickHouse schema", cmdMigrate},
		"config":     {"config check: validate the configuration and print a summary", cmdConfig},
		"import":     {"import --source NAME FILE: load posts from JSONL or CSV (history, exports)", cmdImport},
		"score":      {"score texts (arguments or JSONL on stdin) and write JSONL", cmdScore},
		"eval":       {"eval sentiment FILE: compare the scorer with VADER on rated posts", cmdEval},
		"detect":     {"detect --input series.csv: write anomaly scores as CSV", cmdDetect},
		"backtest":   {"replay stored history through the alert rules", cmdBacktest},
		"silence":    {"silence a topic's alerts, list or expire silences", cmdSilence},
		"serve":      {"run the scheduler, dashboard and metrics", cmdServe},
		"demo":       {"replay a built-in backlash end to end on a private ClickHouse", cmdDemo},
		"bench":      {"measure the hot paths: score, detect, crawl, e2e", cmdBench},
		"clickhouse": {"clickhouse stop: stop the embedded ClickHouse server", cmdClickHouse},
		"version":    {"print the version", cmdVersion},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := runMain(ctx, &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr}, os.Args[1:])
	stop()
	os.Exit(code)
}

// runMain dispatches to a command and maps its error to an exit code.
func runMain(ctx context.Context, e *env, args []string) int {
	cmds := commands()
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		printUsage(e.stdout, cmds)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	c, ok := cmds[args[0]]
	if !ok {
		fmt.Fprintf(e.stderr, "backlash: unknown command %q\n\n", args[0])
		printUsage(e.stderr, cmds)
		return exitUsage
	}
	err := c.run(ctx, e, args[1:])
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, errHelp):
		return exitOK
	case errors.As(err, new(usageError)):
		fmt.Fprintf(e.stderr, "backlash %s: %v\n", args[0], err)
		return exitUsage
	default:
		fmt.Fprintf(e.stderr, "backlash %s: %v\n", args[0], err)
		return exitFailure
	}
}

func printUsage(w io.Writer, cmds map[string]command) {
	fmt.Fprintln(w, "usage: backlash COMMAND [flags]   (backlash COMMAND --help for its flags)")
	fmt.Fprintln(w, "\ncommands:")
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-11s %s\n", n, cmds[n].summary)
	}
	fmt.Fprintln(w, "\nThe configuration is read from --config, else $BACKLASH_CONFIG, else ./backlash.yaml.")
}
