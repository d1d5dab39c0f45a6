package risk_test

import (
	"math"
	"testing"

	"github.com/backlash-monitor/backlash/internal/analyzer/risk"
)

func TestOneStarShare(t *testing.T) {
	base := risk.Inputs{NegAnomaly: 0.8, NegShare: 0.4, BaselineNegShare: 0.1, Posts: 100, Negative: 40,
		Reach: 2000, BaselineReach: 500, Authors: 30, Sources: 3, Threads: 5, Velocity: 3}
	plain := risk.Compute(base, risk.DefaultWeights())
	// Without rated reviews the five components weigh as they always did.
	if math.Abs(plain.Anomaly-35*0.8) > 1e-9 || plain.OneStar != 0 {
		t.Errorf("no reviews: %+v, want anomaly 28 and no one-star part", plain)
	}

	bomb := base
	bomb.Rated, bomb.OneStar, bomb.BaselineRated, bomb.BaselineOneStarShare = 40, 30, 200, 0.1
	b := risk.Compute(bomb, risk.DefaultWeights())
	// (30 + 10·0.1) / (40 + 10) = 0.62 is past half-way from 0.1 to 1: full.
	if want := 100 * 0.15 / 1.15; math.Abs(b.OneStar-want) > 1e-9 {
		t.Errorf("review bomb: one-star part %.3f, want %.3f", b.OneStar, want)
	}
	sum := b.Anomaly + b.Share + b.Reach + b.Spread + b.Velocity + b.OneStar
	if math.Abs(b.Total-b.Gate*sum) > 1e-9 || b.Total <= plain.Total {
		t.Errorf("review bomb: total %.2f (plain %.2f), parts %+v", b.Total, plain.Total, b)
	}

	usual := bomb
	usual.OneStar = 4 // 10 %, the topic's usual share
	if u := risk.Compute(usual, risk.DefaultWeights()); u.OneStar != 0 || u.Total >= plain.Total {
		t.Errorf("usual ratings: %+v, want no one-star part and the others weighed down", u)
	}

	// More one-star reviews never lower it; few reviews count little.
	prev := -1.0
	for ones := 0; ones <= 40; ones += 5 {
		in := bomb
		in.OneStar = ones
		got := risk.Compute(in, risk.DefaultWeights()).OneStar
		if got < prev-1e-9 {
			t.Errorf("%d one-star reviews: %.2f after %.2f", ones, got, prev)
		}
		prev = got
	}
	few := bomb
	few.Rated, few.OneStar = 2, 2
	if f := risk.Compute(few, risk.DefaultWeights()).OneStar; f >= b.OneStar/2 {
		t.Errorf("two one-star reviews weigh %.2f, want less than half of a bomb's %.2f", f, b.OneStar)
	}

	// A topic without review history is measured against a 10 % share.
	fresh := bomb
	fresh.BaselineRated, fresh.BaselineOneStarShare = 0, 0
	if f := risk.Compute(fresh, risk.DefaultWeights()); math.Abs(f.OneStar-b.OneStar) > 1e-9 {
		t.Errorf("no history: %.3f, want %.3f", f.OneStar, b.OneStar)
	}
	// Weights that leave the part out leave it out.
	if o := risk.Compute(bomb, risk.Weights{Anomaly: 1, Share: 1}); o.OneStar != 0 {
		t.Errorf("weights without OneStar: %+v", o)
	}
}
