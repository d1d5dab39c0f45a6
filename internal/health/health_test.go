package health

import (
	"strings"
	"testing"
	"time"

	"github.com/backlash-monitor/backlash/internal/config"
)

var t0 = time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)

func defaults(t *testing.T) config.Health {
	t.Helper()
	cfg, err := config.Parse("test.yaml", []byte("sources: []\n"))
	if err != nil {
		t.Fatal(err)
	}
	return cfg.Health
}

// ok is a healthy run number i, 15 minutes apart, with 10 posts having
// every field and a high-water mark that moves.
func ok(i int) Run {
	at := t0.Add(time.Duration(i) * 15 * time.Minute)
	return Run{ID: "r" + string(rune('a'+i)), Started: at, Finished: at.Add(time.Minute), Pages: 2, Posts: 10,
		NewPosts: 3, HighWater: at, Items: 10, With: map[string]int{"title": 10, "author": 10, "time": 10, "url": 10}}
}

func history(n int, last ...func(i int, r *Run)) []Run {
	runs := make([]Run, n)
	for i := range runs {
		runs[i] = ok(i)
	}
	for k, f := range last {
		i := n - len(last) + k
		f(i, &runs[i])
	}
	return runs
}

func failedRun(i int, r *Run) {
	r.Posts, r.Items, r.NewPosts, r.Errors, r.LastError = 0, 0, 0, 2, "crawl x: HTTP 500"
	r.HighWater = t0
}
func layoutRun(i int, r *Run) {
	*r = Run{ID: r.ID, Started: r.Started, Finished: r.Finished, Pages: 3, Errors: 3, Unmatched: 3,
		UnmatchedSelector: "div.post", HighWater: r.HighWater}
}
func deniedRun(i int, r *Run) {
	*r = Run{ID: r.ID, Started: r.Started, Finished: r.Finished, Pages: 1, Errors: 1, Denied: 1, DeniedStatus: 403,
		HighWater: r.HighWater}
}
func captchaRun(i int, r *Run) {
	*r = Run{ID: r.ID, Started: r.Started, Finished: r.Finished, Pages: 2, Errors: 2, Challenged: 2,
		ChallengeMarker: "g-recaptcha", HighWater: r.HighWater}
}
func noTextRun(i int, r *Run) { r.Posts, r.Items, r.NoText, r.NewPosts = 0, 0, 20, 0 }
func noAuthorRun(i int, r *Run) {
	r.With = map[string]int{"title": 10, "author": 1, "time": 10, "url": 10}
}
func stuckRun(i int, r *Run) { r.HighWater = t0.Add(5 * 15 * time.Minute) }

// steady posts every 10 minutes for three days until end.
func steady(end time.Time) []time.Time {
	var out []time.Time
	for at := end.Add(-72 * time.Hour); !at.After(end); at = at.Add(10 * time.Minute) {
		out = append(out, at.Truncate(Span))
	}
	return out
}

func TestEvaluate(t *testing.T) {
	cfg := defaults(t)
	now := t0.Add(10 * 15 * time.Minute)
	tests := []struct {
		name     string
		runs     []Run
		act      []time.Time
		now      time.Time
		tune     func(*config.Health)
		want     []string // rules that fire
		contains string   // in the detail
	}{
		{name: "healthy", runs: history(10), act: steady(now), want: nil},
		{name: "two failures are not yet a problem", runs: history(10, failedRun, failedRun), want: nil},
		{name: "three consecutive failures", runs: history(10, failedRun, failedRun, failedRun),
			want: []string{RuleFailing}, contains: "failed 3 consecutive runs since Mar 2 13:45 UTC: crawl x: HTTP 500"},
		{name: "failures with a success between", runs: history(10, failedRun, failedRun, func(int, *Run) {}, failedRun), want: nil},
		{name: "failing tuned to 1 run", runs: history(10, failedRun), tune: func(h *config.Health) { h.Failing.Runs = 1 },
			want: []string{RuleFailing}},
		{name: "failing off", runs: history(10, failedRun, failedRun, failedRun), tune: func(h *config.Health) { h.Failing.Off = true }},
		{name: "layout change names the selector", runs: history(10, layoutRun), want: []string{RuleLayout},
			contains: `selector "div.post" matched nothing on 3 of 3 pages`},
		{name: "one unmatched page of many is not a layout change", runs: history(10, func(_ int, r *Run) {
			r.Pages, r.Unmatched, r.Errors, r.UnmatchedSelector = 10, 1, 1, "div.post"
		})},
		{name: "403", runs: history(10, deniedRun), want: []string{RuleDenied}, contains: "HTTP 403 on 1 of 1 pages"},
		{name: "captcha", runs: history(10, captchaRun), want: []string{RuleDenied}, contains: `captcha or login page ("g-recaptcha")`},
		{name: "denied off", runs: history(10, deniedRun), tune: func(h *config.Health) { h.Denied.Off = true }},
		{name: "text field renamed", runs: history(10, noTextRun), want: []string{"field:text"},
			contains: `field "text" (selector "body") present on 0 of 20 items, was on 100% in the 9 runs before`},
		{name: "author gone", runs: history(10, noAuthorRun), want: []string{"field:author"}, contains: "present on 1 of 10 items"},
		{name: "author never there", runs: func() []Run {
			rs := history(10)
			for i := range rs {
				rs[i].With["author"] = 0
			}
			return rs
		}()},
		{name: "small run not judged", runs: history(10, func(_ int, r *Run) { r.Items, r.With = 2, map[string]int{} })},
		{name: "silent far longer than usual", runs: history(10), act: steady(now.Add(-2 * time.Hour)), want: []string{RuleStale},
			contains: "no new post since Mar 2 12:30 UTC (2h); its longest gap over the last 3d was 10m"},
		{name: "silent but within the floor", runs: history(10), act: steady(now.Add(-15 * time.Minute))},
		{name: "silent for three times its longest gap", runs: history(10), act: steady(now.Add(-35 * time.Minute)), want: []string{RuleStale}},
		{name: "floor raised", runs: history(10), act: steady(now.Add(-40 * time.Minute)),
			tune: func(h *config.Health) { h.Stale.Min = config.Duration(time.Hour) }},
		{name: "stale off", runs: history(10), act: steady(now.Add(-2 * time.Hour)),
			tune: func(h *config.Health) { h.Stale.Off = true }},
		{name: "too little history to learn the gap", runs: history(10), act: steady(now.Add(-2 * time.Hour))[400:]},
		{name: "high-water stuck", runs: history(10, stuckRun, stuckRun, stuckRun, stuckRun, stuckRun),
			want: []string{RuleHighWater}, contains: "stuck at Mar 2 13:15 UTC over 4 runs that stored 12 new posts"},
		{name: "high-water still on runs without new posts", runs: history(10, func(_ int, r *Run) { r.NewPosts, r.HighWater = 0, t0 })},
		{name: "two at once", runs: history(10, layoutRun, layoutRun, layoutRun), want: []string{RuleFailing, RuleLayout}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := cfg
			if tc.tune != nil {
				tc.tune(&c)
			}
			at := now
			if !tc.now.IsZero() {
				at = tc.now
			}
			v := Evaluate(c, Input{Source: "forum", Runs: tc.runs, Activity: tc.act,
				Selectors: map[string]string{"text": "body"}}, at)
			if got := strings.Join(v.Rules(), ","); got != strings.Join(tc.want, ",") {
				t.Fatalf("rules = %q, want %q (detail %q)", got, strings.Join(tc.want, ","), v.Detail())
			}
			if tc.contains != "" && !strings.Contains(v.Detail(), tc.contains) {
				t.Errorf("detail %q lacks %q", v.Detail(), tc.contains)
			}
			if v.Healthy() != (len(tc.want) == 0) {
				t.Errorf("healthy = %v", v.Healthy())
			}
		})
	}
}

func TestVerdictSinceAndLastGood(t *testing.T) {
	cfg := defaults(t)
	runs := history(10, layoutRun, layoutRun)
	v := Evaluate(cfg, Input{Source: "forum", Runs: runs}, runs[9].Finished)
	if !v.BrokenSince.Equal(runs[8].Started) {
		t.Errorf("broken since %s, want %s", v.BrokenSince, runs[8].Started)
	}
	if v.LastGoodRun != runs[7].ID || !v.LastGood.Equal(runs[7].Finished) {
		t.Errorf("last good %s %s, want %s", v.LastGoodRun, v.LastGood, runs[7].ID)
	}
	// The previous verdict carries the start of the trouble and the last
	// good run even once the history no longer holds them.
	prev := Verdict{Problems: []Problem{{Rule: RuleLayout}}, BrokenSince: t0, LastGood: t0.Add(-time.Hour), LastGoodRun: "old"}
	v = Evaluate(cfg, Input{Source: "forum", Runs: runs[8:], Prev: prev}, runs[9].Finished)
	if !v.BrokenSince.Equal(t0) || v.LastGoodRun != "old" {
		t.Errorf("got since %s last good %s, want the previous verdict's", v.BrokenSince, v.LastGoodRun)
	}
	// Recovery: the next healthy run is the last good one.
	runs = append(runs, ok(10))
	v = Evaluate(cfg, Input{Source: "forum", Runs: runs, Prev: v}, runs[10].Finished)
	if !v.Healthy() || v.LastGoodRun != runs[10].ID || !v.BrokenSince.IsZero() {
		t.Errorf("after recovery: %+v", v)
	}
}

func TestFieldStaysOpenOnceTheBaselineIsGone(t *testing.T) {
	cfg := defaults(t)
	runs := make([]Run, 12)
	for i := range runs {
		runs[i] = ok(i)
		noAuthorRun(i, &runs[i])
	}
	in := Input{Source: "api", Runs: runs}
	if v := Evaluate(cfg, in, t0); !v.Healthy() {
		t.Fatalf("a field never present fired: %s", v.Detail())
	}
	in.Prev = Verdict{Problems: []Problem{{Rule: "field:author"}}, BrokenSince: t0}
	if v := Evaluate(cfg, in, t0); strings.Join(v.Rules(), ",") != "field:author" {
		t.Fatalf("open field problem resolved while the field is still missing: %v", v.Rules())
	}
}

func TestOff(t *testing.T) {
	cfg := defaults(t)
	cfg.Off = true
	if v := Evaluate(cfg, Input{Runs: history(10, deniedRun)}, t0); !v.Healthy() {
		t.Fatal("health off still fired")
	}
}
