package detect

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

// TestCusumTailMatchesPrior checks that the CUSUM is scored in units in
// which the tail's prior fits it: on noise with no anomaly, the mean
// excess its tail learns over three weeks is near the prior's tailB0.
// The prior weighs as 20 exceedances, several days' worth, and keeps
// weighing a little for weeks; a CUSUM scaled so that its excess sat far
// below the prior's (as when it was divided by 4) had its tail held heavy
// by the prior and scored sustained rises low in a series' first weeks.
func TestCusumTailMatchesPrior(t *testing.T) {
	cases := []struct {
		name string
		draw func(*rand.Rand) float64
	}{
		{"busy counts", func(r *rand.Rand) float64 { return math.Max(0, math.Round(400+20*r.NormFloat64())) }},
		{"counts near the Poisson floor", func(r *rand.Rand) float64 { return math.Max(0, math.Round(6+2.45*r.NormFloat64())) }},
		{"a level with decimals", func(r *rand.Rand) float64 { return 50 + 2*r.NormFloat64() }},
	}
	t0 := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(7, 1))
			d := New(DefaultConfig())
			for i := 0; i < 288*21; i++ {
				d.Update(t0.Add(time.Duration(i)*5*time.Minute), tc.draw(rng))
			}
			t.Logf("anchor %.2f, mean excess %.3f after %.0f exceedances", d.cTail.u, d.cTail.b, d.cTail.n)
			if r := d.cTail.b / tailB0; r < 0.5 || r > 2 {
				t.Errorf("CUSUM tail's mean excess %.3f is %.2f× the prior's %.2f after %.0f exceedances (anchor %.2f); want within 0.5–2×",
					d.cTail.b, r, tailB0, d.cTail.n, d.cTail.u)
			}
		})
	}
}
