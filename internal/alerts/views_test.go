package alerts_test

import (
	"context"
	"testing"
	"time"

	"github.com/backlash-monitor/backlash/internal/alerts"
	"github.com/backlash-monitor/backlash/internal/config"
)

// TestRuleEvaluatesItsOwnWindow checks that a rule with its own window and
// baseline is evaluated on the signal assessed over them, not on the
// topic's standard one-hour signal.
func TestRuleEvaluatesItsOwnWindow(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name              string
		hourRisk, dayRisk float64
		want              string
	}{
		{"slow burn seen only over the day", 20, 70, "open:warn"},
		{"hour spike not seen by the day rule", 70, 20, ""},
		{"both views calm", 20, 20, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, t0)
			r.cfg.Rules[0] = config.Rule{Name: "slow-burn", Topic: "checkout", Metric: "risk",
				Severities: map[string]float64{"warn": 60}, Window: config.Duration(24 * time.Hour),
				Baseline: config.Duration(28 * 24 * time.Hour), Cooldown: config.Duration(6 * time.Hour),
				RepeatInterval: config.Duration(time.Hour), ResolveAfter: config.Duration(30 * time.Minute)}
			e := r.engine()
			hour := signal(r.clock.Now(), tc.hourRisk)
			hour.Baseline = 14 * 24 * time.Hour
			day := signal(r.clock.Now(), tc.dayRisk)
			day.Window, day.Baseline = 24*time.Hour, 28*24*time.Hour
			rep, err := e.Evaluate(ctx, []alerts.Signal{hour, day})
			if err != nil {
				t.Fatal(err)
			}
			if got := kinds(rep); got != tc.want {
				t.Fatalf("events %q, want %q", got, tc.want)
			}
			if tc.want != "" && rep.Events[0].Value != tc.dayRisk {
				t.Errorf("incident value %v, want the day view's risk %v", rep.Events[0].Value, tc.dayRisk)
			}
		})
	}
}
