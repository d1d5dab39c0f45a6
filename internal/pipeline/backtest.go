package pipeline

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/backlash-monitor/backlash/internal/alerts"
	"github.com/backlash-monitor/backlash/internal/alerts/notify"
	"github.com/backlash-monitor/backlash/internal/analyzer"
	"github.com/backlash-monitor/backlash/internal/config"
	"github.com/backlash-monitor/backlash/internal/store"
)

// BacktestEvent is an incident event a replay would have raised.
type BacktestEvent struct {
	// At is the evaluation time.
	At time.Time
	alerts.Event
	// Risk, Observed and Expected are the assessment that raised it.
	Risk, Observed, Expected float64
}

// BacktestResult is what replaying a topic's history found.
type BacktestResult struct {
	Topic    string
	From, To time.Time
	// Events are the incident events, in order.
	Events []BacktestEvent
	// FirstFired is when the first incident opened (zero if none).
	FirstFired time.Time
	// Peak is the 5-minute bucket with the most negative posts, and
	// PeakNegative their number.
	Peak         time.Time
	PeakNegative uint64
}

// LeadTime is how long before the peak the first incident opened; false
// when nothing fired or there was no negative post.
func (r *BacktestResult) LeadTime() (time.Duration, bool) {
	if r.FirstFired.IsZero() || r.PeakNegative == 0 {
		return 0, false
	}
	return r.Peak.Sub(r.FirstFired), true
}

// Backtest replays a topic's stored history from `from` to `to` through the
// configured rules, assessing it every step exactly as production does. The
// alert engine runs for real against a scratch database on the same server,
// dropped afterwards, with a notifier that only records; so the replay
// follows the production state machine and touches neither the real
// incidents nor Slack.
func Backtest(ctx context.Context, st *store.Store, cfg *config.Config, topic string, from, to time.Time, step time.Duration) (*BacktestResult, error) {
	series, err := st.Series(ctx, topic, "", from, to)
	if err != nil {
		return nil, err
	}
	res := &BacktestResult{Topic: topic, From: from, To: to}
	for _, b := range series {
		if b.Negative > res.PeakNegative {
			res.PeakNegative, res.Peak = b.Negative, b.Start
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
		return nil, fmt.Errorf("backtest: %w", err)
	}
	sim := from
	record := notify.NotifierFunc(func(context.Context, *notify.Message) (bool, error) { return false, nil })
	acfg := cfg.Alerts
	acfg.Slack = config.Slack{}
	engine := alerts.NewEngine(acfg, scratch, st, record, alerts.Options{Now: func() time.Time { return sim }, Logger: slog.New(slog.DiscardHandler),
		Entities: func([]string) []string { return nil }})
	for sim = from.Add(step); !sim.After(to); sim = sim.Add(step) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		a, err := analyzer.Assess(ctx, st, topic, sim, analyzer.AssessOptions{})
		if err != nil {
			return nil, err
		}
		rep, err := engine.Evaluate(ctx, Signals([]analyzer.Assessment{a}))
		if err != nil {
			return nil, err
		}
		for _, ev := range rep.Events {
			res.Events = append(res.Events, BacktestEvent{At: sim, Event: ev, Risk: a.Risk.Total, Observed: a.Observed, Expected: a.Expected})
			if res.FirstFired.IsZero() && (ev.Kind == alerts.KindOpen || ev.Kind == alerts.KindReopen) {
				res.FirstFired = sim
			}
		}
	}
	return res, nil
}

// Write prints the result for an analyst.
func (r *BacktestResult) Write(w io.Writer) {
	fmt.Fprintf(w, "backtest of %s from %s to %s\n", r.Topic, r.From.Format(time.RFC3339), r.To.Format(time.RFC3339))
	if len(r.Events) == 0 {
		fmt.Fprintln(w, "no alert would have fired")
	}
	for _, e := range r.Events {
		fmt.Fprintf(w, "%s  %-8s %s  rule %s  %.1f ≥ %.1f  (risk %.1f, %.0f negative vs %.1f expected)\n",
			e.At.Format("2006-01-02 15:04"), e.Kind, e.Severity, e.Rule, e.Value, e.Threshold, e.Risk, e.Observed, e.Expected)
	}
	if r.PeakNegative > 0 {
		fmt.Fprintf(w, "peak of negative volume: %d posts in the 5 minutes from %s\n", r.PeakNegative, r.Peak.Format("2006-01-02 15:04"))
	}
	if lead, ok := r.LeadTime(); ok {
		fmt.Fprintf(w, "lead time before the peak: %s\n", lead)
	}
}
