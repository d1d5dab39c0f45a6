package main

import (
	"context"
	"fmt"
	"time"

	"github.com/backlash-monitor/backlash/internal/config"
	"github.com/backlash-monitor/backlash/internal/pipeline"
)

func cmdBacktest(ctx context.Context, e *env, args []string) error {
	fs, g := flagSet(e, "backtest", "backtest --topic T --from A --to B [--config FILE] [--step 5m]")
	topic := fs.String("topic", "", "topic to replay (required)")
	from := fs.String("from", "", "start: RFC3339 time or a duration ago like 7d (required)")
	to := fs.String("to", "now", "end: RFC3339 time, a duration ago, or now")
	step := fs.Duration("step", 5*time.Minute, "evaluation interval")
	if err := parse(fs, args); err != nil {
		return err
	}
	cfg, err := g.load()
	if err != nil {
		return err
	}
	if *topic == "" || *from == "" {
		fs.Usage()
		return usagef("--topic and --from are required")
	}
	if !hasTopic(cfg, *topic) {
		return usagef("no topic named %q in %s", *topic, cfg.File)
	}
	now := time.Now().UTC()
	start, err := parseWhen(*from, now)
	if err != nil {
		return usagef("--from: %v", err)
	}
	end, err := parseWhen(*to, now)
	if err != nil {
		return usagef("--to: %v", err)
	}
	if !end.After(start) || *step < time.Minute {
		return usagef("want --from before --to and --step of at least 1m")
	}
	log := g.logger(e)
	st, err := openStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer st.Close()
	bt, err := pipeline.Backtest(ctx, st, cfg, *topic, start, end, *step)
	if err != nil {
		return err
	}
	bt.Write(e.stdout)
	return nil
}

// parseWhen reads an RFC3339 time, "now", or a duration ago ("7d", "36h").
func parseWhen(s string, now time.Time) (time.Time, error) {
	if s == "now" {
		return now, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	d, err := config.ParseDuration(s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is neither RFC3339 nor a duration ago", s)
	}
	return now.Add(-d), nil
}
