package pipeline

import (
	"context"
	"testing"
	"time"

	"github.com/backlash-monitor/backlash/internal/config"
	"github.com/backlash-monitor/backlash/internal/series"
	"github.com/backlash-monitor/backlash/internal/store"
)

// fakeRisk serves a flat series of ten negative posts per bucket and
// records what it is asked.
type fakeRisk struct {
	froms []time.Time
	saved int
}

func (f *fakeRisk) Series(_ context.Context, _, _ string, from, to time.Time) ([]series.Bucket, error) {
	f.froms = append(f.froms, from)
	var out []series.Bucket
	for t := from; t.Before(to); t = t.Add(series.BucketSize) {
		out = append(out, series.Bucket{Start: t, Posts: 20, Scored: 20, Negative: 10})
	}
	return out, nil
}

func (f *fakeRisk) Window(context.Context, string, time.Time, time.Time) (series.WindowStats, error) {
	return series.WindowStats{Posts: 20, Negative: 10}, nil
}

func (f *fakeRisk) SaveRisk(_ context.Context, rows []store.RiskRow) error {
	f.saved += len(rows)
	return nil
}

// TestRuleViewsAreAssessed checks that the window and baseline a rule
// sets reach the analyzer: each topic the rule watches is assessed once
// more over them, the signal says so, and only the standard assessment is
// stored.
func TestRuleViewsAreAssessed(t *testing.T) {
	rules := []config.Rule{
		{Name: "default", Topic: "*", Window: config.Duration(time.Hour), Baseline: config.Duration(14 * 24 * time.Hour)},
		{Name: "slow", Topic: "b", Window: config.Duration(6 * time.Hour), Baseline: config.Duration(28 * 24 * time.Hour)},
		{Name: "slow-too", Topic: "b", Window: config.Duration(6 * time.Hour), Baseline: config.Duration(28 * 24 * time.Hour)},
	}
	views := ViewsOf(rules)
	if len(views) != 2 {
		t.Fatalf("views %+v, want 2 distinct", views)
	}
	st := &fakeRisk{}
	j := &Job{Store: st, Topics: []string{"a", "b"}, Views: views}
	now := time.Date(2026, 3, 6, 12, 0, 0, 0, time.UTC)
	as, err := j.AssessAll(context.Background(), now)
	if err != nil {
		t.Fatal(err)
	}
	if len(as) != 3 || st.saved != 2 {
		t.Fatalf("%d assessments, %d stored; want 3 (a, b, b over 6h) and 2", len(as), st.saved)
	}
	v := as[2]
	if v.Topic != "b" || v.Window != 6*time.Hour || v.History != 28*24*time.Hour {
		t.Fatalf("view assessment %s window %v history %v", v.Topic, v.Window, v.History)
	}
	if got := now.Sub(st.froms[2]); got != 28*24*time.Hour {
		t.Errorf("view read %v of history, want the rule's baseline 672h", got)
	}
	if n := len(v.Points); n != 72 {
		t.Errorf("view scored %d buckets of its window, want 72 (6h of 5-minute buckets)", n)
	}
	sigs := Signals(as)
	if sigs[2].Window != 6*time.Hour || sigs[2].Baseline != 28*24*time.Hour || sigs[0].Baseline != 14*24*time.Hour {
		t.Errorf("signals carry windows %v/%v and baselines %v/%v", sigs[0].Window, sigs[2].Window, sigs[0].Baseline, sigs[2].Baseline)
	}
}
