package main

import (
	"context"
	"fmt"
	"os"
	"os/user"
	"text/tabwriter"
	"time"

	"github.com/backlash-monitor/backlash/internal/alerts"
	"github.com/backlash-monitor/backlash/internal/config"
	"github.com/backlash-monitor/backlash/internal/pipeline"
)

func cmdAlert(ctx context.Context, e *env, args []string) error {
	fs, g := flagSet(e, "alert", "alert [--config FILE] [--dry-run] [--at TIME] [--digest] [--wait D]")
	dry := fs.Bool("dry-run", false, "print the Slack blocks as JSON; send and store nothing")
	at := fs.String("at", "", "evaluate as of this time (RFC3339; default now)")
	digest := fs.Bool("digest", false, "send the daily digest for the day of --at")
	wait := fs.Duration("wait", 2*time.Minute, "how long to wait for a run holding the lock (alerts are delivered by one process at a time)")
	if err := parse(fs, args); err != nil {
		return err
	}
	cfg, err := g.load()
	if err != nil {
		return err
	}
	when, err := parseAt(*at)
	if err != nil {
		return err
	}
	if !*dry {
		// A run delivers the same outbox: one process at a time, so no
		// item is posted by both.
		release, err := lockWait(ctx, cfg, *wait, g.logger(e))
		if err != nil {
			return err
		}
		defer release()
	}
	sys, err := wire(ctx, cfg, g.logger(e), e.stdout, wireOptions{now: func() time.Time { return when }})
	if err != nil {
		return err
	}
	defer sys.Close()
	assessments, err := sys.Job.AssessAll(ctx, when)
	if err != nil {
		return err
	}
	sigs := pipeline.Signals(assessments)
	switch {
	case *dry:
		return sys.Engine.DryRunNotes(ctx, sigs, e.stdout, e.stderr)
	case *digest:
		return sys.Engine.Digest(ctx, sigs, when)
	}
	if err := sys.Engine.Flush(ctx); err != nil {
		return err
	}
	rep, err := sys.Engine.Evaluate(ctx, sigs)
	printRun(e.stdout, pipeline.RunResult{Assessments: assessments, Alerts: rep})
	return err
}

func cmdSilence(ctx context.Context, e *env, args []string) error {
	fs, g := flagSet(e, "silence", "silence TOPIC --for 2h --reason TEXT | silence list [--all] | silence expire ID")
	dur := fs.String("for", "2h", "how long to silence (e.g. 30m, 2h, 1d)")
	reason := fs.String("reason", "", "why, for the people reading the list")
	all := fs.Bool("all", false, "with list: include ended silences")
	// Flags may follow the topic: move them first.
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return usagef("want a topic, list or expire")
	}
	cfg, err := g.load()
	if err != nil {
		return err
	}
	log := g.logger(e)
	st, err := openStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer st.Close()
	switch fs.Arg(0) {
	case "list":
		sls, err := alerts.ListSilences(ctx, st, *all)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tTOPIC\tENDS\tBY\tREASON")
		for _, s := range sls {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", s.ID, s.Topic, s.Ends.Format(time.RFC3339), s.CreatedBy, s.Reason)
		}
		return tw.Flush()
	case "expire":
		if fs.NArg() != 2 {
			return usagef("want: silence expire ID")
		}
		if err := alerts.ExpireSilence(ctx, st, fs.Arg(1)); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "silence %s expired\n", fs.Arg(1))
		return nil
	}
	topic := fs.Arg(0)
	if topic != "*" && !hasTopic(cfg, topic) {
		return usagef("no topic named %q in %s", topic, cfg.File)
	}
	d, err := config.ParseDuration(*dur)
	if err != nil || d <= 0 {
		return usagef("--for %q: want a positive duration like 2h", *dur)
	}
	by := "unknown"
	if u, err := user.Current(); err == nil {
		by = u.Username
	}
	if h, err := os.Hostname(); err == nil {
		by += "@" + h
	}
	id, err := alerts.Silence(ctx, st, topic, d, *reason, by)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "silenced %s until %s (%s); incidents are still recorded\n", topic,
		time.Now().Add(d).Format(time.RFC3339), id)
	return nil
}

func hasTopic(cfg *config.Config, name string) bool {
	for _, t := range cfg.Topics {
		if t.Name == name {
			return true
		}
	}
	return false
}
