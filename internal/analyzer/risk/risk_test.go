package risk_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/backlash-monitor/backlash/internal/analyzer/risk"
)

// backlash is a full-blown negative wave: many authors on many sites.
var backlash = risk.Inputs{
	NegAnomaly: 1, NegShare: 0.7, BaselineNegShare: 0.15, Posts: 800, Negative: 560,
	Reach: 2e6, BaselineReach: 1e5, Authors: 400, Sources: 12, Threads: 60, Velocity: 10,
}

// quiet is an ordinary window.
var quiet = risk.Inputs{
	NegAnomaly: 0.05, NegShare: 0.15, BaselineNegShare: 0.15, Posts: 120, Negative: 18,
	Reach: 1e5, BaselineReach: 1e5, Authors: 15, Sources: 3, Threads: 10, Velocity: 1,
}

func TestCompute(t *testing.T) {
	with := func(f func(*risk.Inputs)) risk.Inputs { in := backlash; f(&in); return in }
	cases := []struct {
		name     string
		in       risk.Inputs
		min, max float64
	}{
		{"full backlash", backlash, 90, 100},
		{"quiet window", quiet, 0, 20},
		{"nothing", risk.Inputs{}, 0, 0},
		{"one account cannot trigger it", with(func(in *risk.Inputs) { in.Authors = 1 }), 0, 0},
		{"one thread on one site stays under 40", with(func(in *risk.Inputs) { in.Sources, in.Threads = 1, 1 }), 0, 40},
		{"a trickle of posts is damped", with(func(in *risk.Inputs) { in.Negative, in.Posts = 2, 3 }), 0, 40},
		{"anomaly alone is moderate", with(func(in *risk.Inputs) {
			in.NegShare, in.Reach, in.Velocity = in.BaselineNegShare, in.BaselineReach, 1
		}), 35, 55},
		{"no reach baseline", with(func(in *risk.Inputs) { in.BaselineReach = 0 }), 90, 100},
		{"NaN and negatives count as nothing", risk.Inputs{NegAnomaly: math.NaN(), NegShare: -1, Reach: math.NaN(), Velocity: -3, Authors: -5}, 0, 0},
		{"infinite reach", with(func(in *risk.Inputs) { in.Reach = math.Inf(1) }), 90, 100},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := risk.Compute(tc.in, risk.DefaultWeights())
			if s.Total < tc.min || s.Total > tc.max || math.IsNaN(s.Total) {
				t.Errorf("Total = %.1f, want in [%g, %g] (%+v)", s.Total, tc.min, tc.max, s)
			}
			sum := s.Anomaly + s.Share + s.Reach + s.Spread + s.Velocity
			if math.Abs(s.Gate*sum-s.Total) > 1e-9 {
				t.Errorf("Total %.3f is not Gate %.3f × components %.3f", s.Total, s.Gate, sum)
			}
			for _, c := range []float64{s.Anomaly, s.Share, s.Reach, s.Spread, s.Velocity, s.Gate} {
				if c < 0 || math.IsNaN(c) {
					t.Errorf("negative or NaN part in %+v", s)
				}
			}
		})
	}
}

// TestMonotone checks that more of any risk factor never lowers the score.
func TestMonotone(t *testing.T) {
	bumps := map[string]func(*risk.Inputs){
		"anomaly":  func(in *risk.Inputs) { in.NegAnomaly += 0.2 },
		"share":    func(in *risk.Inputs) { in.NegShare += 0.1 },
		"reach":    func(in *risk.Inputs) { in.Reach *= 2 },
		"authors":  func(in *risk.Inputs) { in.Authors += 3 },
		"sources":  func(in *risk.Inputs) { in.Sources++ },
		"velocity": func(in *risk.Inputs) { in.Velocity *= 1.5 },
		"negative": func(in *risk.Inputs) { in.Negative++ },
	}
	base := quiet
	base.Authors, base.Sources, base.Negative = 2, 1, 2
	for name, bump := range bumps {
		in := base
		prev := risk.Compute(in, risk.DefaultWeights()).Total
		for range 8 {
			bump(&in)
			got := risk.Compute(in, risk.DefaultWeights()).Total
			if got < prev-1e-9 {
				t.Errorf("%s: score fell from %.2f to %.2f", name, prev, got)
			}
			prev = got
		}
	}
}

func TestWeightsAreNormalised(t *testing.T) {
	a := risk.Compute(backlash, risk.Weights{Anomaly: 7, Share: 4, Reach: 4, Spread: 2, Velocity: 3})
	b := risk.Compute(backlash, risk.DefaultWeights())
	if math.Abs(a.Total-b.Total) > 1e-9 {
		t.Errorf("scaled weights changed the score: %.3f vs %.3f", a.Total, b.Total)
	}
	if z := risk.Compute(backlash, risk.Weights{}); math.Abs(z.Total-b.Total) > 1e-9 {
		t.Errorf("zero weights are not the defaults: %.3f vs %.3f", z.Total, b.Total)
	}
	only := risk.Compute(backlash, risk.Weights{Anomaly: 1})
	if only.Anomaly != 100 || only.Share != 0 {
		t.Errorf("anomaly-only weights: %+v", only)
	}
}

func ExampleCompute() {
	s := risk.Compute(risk.Inputs{
		NegAnomaly: 0.9, NegShare: 0.45, BaselineNegShare: 0.15, Posts: 300, Negative: 135,
		Reach: 4e5, BaselineReach: 1e5, Authors: 90, Sources: 4, Threads: 12, Velocity: 3,
	}, risk.DefaultWeights())
	fmt.Printf("total %.0f: anomaly %.0f, share %.0f, reach %.0f, spread %.0f, velocity %.0f, gate %.2f\n",
		s.Total, s.Anomaly, s.Share, s.Reach, s.Spread, s.Velocity, s.Gate)
	// Output: total 74: anomaly 32, share 13, reach 12, spread 9, velocity 8, gate 1.00
}

func BenchmarkCompute(b *testing.B) {
	w := risk.DefaultWeights()
	var sink float64
	for b.Loop() {
		sink += risk.Compute(backlash, w).Total
	}
	_ = sink
}

// TestColdWiden checks that a topic with a short history has the
// components judged against that history discounted by the detector's
// cold-start widening, and the others not.
func TestColdWiden(t *testing.T) {
	in := risk.Inputs{
		NegAnomaly: 0.4, NegShare: 0.5, BaselineNegShare: 0.2, Posts: 60, Negative: 30,
		Reach: 5e4, BaselineReach: 1e4, Authors: 20, Sources: 4, Threads: 8, Velocity: 6,
		Rated: 10, OneStar: 6, BaselineOneStarShare: 0.1, BaselineRated: 40,
	}
	w := risk.DefaultWeights()
	warm := risk.Compute(in, w)
	for _, cw := range []float64{0, 1, 0.5, math.NaN(), math.Inf(1)} {
		in.ColdWiden = cw
		if got := risk.Compute(in, w); got != warm {
			t.Errorf("ColdWiden %v changed the score: %+v, want %+v", cw, got, warm)
		}
	}
	in.ColdWiden = 2
	cold := risk.Compute(in, w)
	near := func(a, b float64) bool { return math.Abs(a-b) < 1e-9 }
	if !near(cold.Share, warm.Share/2) || !near(cold.Reach, warm.Reach/2) || !near(cold.Velocity, warm.Velocity/2) || !near(cold.OneStar, warm.OneStar/2) {
		t.Errorf("cold start: share %.2f reach %.2f velocity %.2f one-star %.2f, want half of %.2f %.2f %.2f %.2f",
			cold.Share, cold.Reach, cold.Velocity, cold.OneStar, warm.Share, warm.Reach, warm.Velocity, warm.OneStar)
	}
	if cold.Anomaly != warm.Anomaly || cold.Spread != warm.Spread || cold.Gate != warm.Gate {
		t.Errorf("cold start changed anomaly, spread or gate: %+v vs %+v", cold, warm)
	}
	if !(cold.Total < warm.Total) {
		t.Errorf("cold total %.1f not below warm %.1f", cold.Total, warm.Total)
	}
}
