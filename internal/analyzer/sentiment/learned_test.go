package sentiment

import (
	"math"
	"testing"
)

// TestMinTermD checks minTermD against the float test explain applies to
// every int16 weight difference, at scales around the shipped models'.
func TestMinTermD(t *testing.T) {
	for _, scale := range []float64{0, 1e-9, 3.1e-6, 1e-3, 0.0037, float64(float32(0.0123)), 0.05, 0.1, 0.3, 1, -0.02, math.Inf(1)} {
		dMin := minTermD(scale)
		for d := int32(math.MinInt16); d <= math.MaxInt16; d++ {
			want := math.Abs(float64(d)*scale) >= minTermWeight
			if got := d >= dMin || -d >= dMin; got != want {
				t.Fatalf("scale %g: d %d qualifies %v by minTermD %d, %v by its weight", scale, d, got, dMin, want)
			}
		}
	}
}
