package detect

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestRelEntropy follows the relative-entropy test through the life of a
// new state: a series that keeps its distribution matches its reference;
// a rise to a new level matches nothing established and scores high, above
// the state it left; once the new level has lasted, it is normal.
func TestRelEntropy(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var r relEntropy
	noise := func(level float64) float64 { return level + rng.NormFloat64() }
	// Two days at one level: a reference, established, and no window far
	// enough from it to reach the default threshold (the largest of some
	// 400 overlapping windows is near χ²₄'s 0.1 % point, a score of 0.3).
	const calm = 0.5
	var maxCalm float64
	for i := 0; i < 576; i++ {
		st, _ := r.update(noise(10))
		if i > 2*reW+reEstablish {
			maxCalm = math.Max(maxCalm, st)
		}
	}
	if s := chi2Score4(maxCalm); s >= calm {
		t.Errorf("stationary series: largest statistic %.1f scores %.2f, want below %.2f", maxCalm, s, calm)
	}
	// A new level 3 standard units up: within half a window the histogram
	// matches no established reference, and the window is above it.
	var peak, rise float64
	for i := 0; i < reW/2; i++ {
		st, rs := r.update(noise(13))
		if st > peak {
			peak, rise = st, rs
		}
	}
	if s := chi2Score4(peak); s < 0.9 {
		t.Errorf("new level: statistic %.1f scores %.2f, want at least 0.9", peak, s)
	}
	if rise <= 0 {
		t.Errorf("new level: window mean %.2f relative to its closest state, want above", rise)
	}
	// After a day at the new level it is established: the statistic is
	// back to what noise gives.
	var last float64
	for i := 0; i < 288; i++ {
		last, _ = r.update(noise(13))
	}
	if s := chi2Score4(last); s >= calm {
		t.Errorf("after a day at the new level: statistic %.1f scores %.2f, want below %.2f", last, s, calm)
	}
	// A drop back below: new again, but not a rise.
	for i := 0; i < reW/2; i++ {
		_, rise = r.update(noise(10))
	}
	if rise >= 0 {
		t.Errorf("drop: window mean %.2f relative to its closest state, want below", rise)
	}
}

// TestChi2Score4 pins the χ² tail with 4 degrees of freedom against
// known quantiles: 13.28 is its 1 % point, 23.51 its 0.01 % point (score
// 0.5), and the score is monotone, 0 at 0 and capped at 1.
func TestChi2Score4(t *testing.T) {
	for _, c := range []struct{ x, want float64 }{{0, 0}, {13.277, 2.0 / 8}, {23.513, 4.0 / 8}, {1e4, 1}} {
		if got := chi2Score4(c.x); math.Abs(got-c.want) > 0.002 {
			t.Errorf("chi2Score4(%v) = %.4f, want %.4f", c.x, got, c.want)
		}
	}
	prev := -1.0
	for x := 0.0; x < 200; x += 0.5 {
		s := chi2Score4(x)
		if s < prev {
			t.Fatalf("chi2Score4 not monotone at %v", x)
		}
		prev = s
	}
}
