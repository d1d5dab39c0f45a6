package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"time"

	"github.com/backlash-monitor/backlash/alerts"
	"github.com/backlash-monitor/backlash/alerts/notify"
	"github.com/backlash-monitor/backlash/analyzer"
	"github.com/backlash-monitor/backlash/config"
	"github.com/backlash-monitor/backlash/pipeline"
	"github.com/backlash-monitor/backlash/store"
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
	bt, err := backtest(ctx, st, cfg, *topic, start, end, *step, log)
	if err != nil {
		return err
	}
	bt.write(e.stdout)
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

// backtestResult is what a replay found.
type backtestResult struct {
	topic      string
	from, to   time.Time
	peak       time.Time
	peakNeg    uint64
	lines      []string
	firstFired time.Time
}

// backtest replays the topic's stored history through the configured rules.
// The alert engine runs for real, against a scratch database on the same
// server that is dropped afterwards, with a notifier that only records; so
// the replay follows exactly the production state machine and touches
// neither the real incidents nor Slack.
func backtest(ctx context.Context, st *store.Store, cfg *config.Config, topic string, from, to time.Time, step time.Duration, log interface {
	Info(string, ...any)
}) (*backtestResult, error) {
	series, err := st.Series(ctx, topic, "", from, to)
	if err != nil {
		return nil, err
	}
	res := &backtestResult{topic: topic, from: from, to: to}
	for _, b := range series {
		if b.Negative > res.peakNeg {
			res.peakNeg, res.peak = b.Negative, b.Start
		}
	}
	var rnd [4]byte
	_, _ = rand.Read(rnd[:])
	scratch, err := store.Open(ctx, store.Options{Addr: []string{st.Addr()}, Database: st.Database() + "_backtest_" + hex.EncodeToString(rnd[:]),
		Username: cfg.ClickHouse.Username, Password: cfg.ClickHouse.PasswordEnv.Value().Reveal(), TLS: cfg.ClickHouse.TLS})
	if err != nil {
		return nil, fmt.Errorf("backtest: scratch database: %w", err)
	}
	defer func() {
		_ = scratch.DropDatabase(context.WithoutCancel(ctx))
		scratch.Close()
	}()
	if _, err := scratch.Migrate(ctx); err != nil {
		return nil, err
	}
	sim := from
	record := notify.NotifierFunc(func(context.Context, *notify.Message) (bool, error) { return false, nil })
	acfg := cfg.Alerts
	acfg.Slack = config.Slack{}
	engine := alerts.NewEngine(acfg, scratch, st, record, alerts.Options{Now: func() time.Time { return sim }})
	for sim = from.Add(step); !sim.After(to); sim = sim.Add(step) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		a, err := analyzer.Assess(ctx, st, topic, sim, analyzer.AssessOptions{})
		if err != nil {
			return nil, err
		}
		rep, err := engine.Evaluate(ctx, pipeline.Signals([]analyzer.Assessment{a}))
		if err != nil {
			return nil, err
		}
		for _, ev := range rep.Events {
			res.lines = append(res.lines, fmt.Sprintf("%s  %s  (risk %.1f, %0.f negative vs %.1f expected)",
				sim.Format("2006-01-02 15:04"), describeEvent(ev), a.Risk.Total, a.Observed, a.Expected))
			if res.firstFired.IsZero() && (ev.Kind == alerts.KindOpen || ev.Kind == alerts.KindReopen) {
				res.firstFired = sim
			}
		}
	}
	return res, nil
}

func (r *backtestResult) write(w io.Writer) {
	fmt.Fprintf(w, "backtest of %s from %s to %s\n", r.topic, r.from.Format(time.RFC3339), r.to.Format(time.RFC3339))
	if len(r.lines) == 0 {
		fmt.Fprintln(w, "no alert would have fired")
	}
	for _, l := range r.lines {
		fmt.Fprintln(w, l)
	}
	if r.peakNeg > 0 {
		fmt.Fprintf(w, "peak of negative volume: %d posts in the 5 minutes from %s\n", r.peakNeg, r.peak.Format("2006-01-02 15:04"))
	}
	if !r.firstFired.IsZero() && r.peakNeg > 0 {
		fmt.Fprintf(w, "lead time before the peak: %s\n", r.peak.Sub(r.firstFired))
	}
}
