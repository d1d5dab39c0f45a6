package sentiment

import (
	"math"
	"testing"
)

// FuzzScore checks that no input, including invalid UTF-8, panics or
// yields a compound outside [-1, 1].
func FuzzScore(f *testing.F) {
	for _, seed := range []string{"", "not good", "GREAT!!! but :( 😡", "\xff\xfe", "sooo goooood", "#DeleteTheApp @x http://a.b"} {
		f.Add(seed)
	}
	s, err := New(Options{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, text string) {
		r := s.Score(text)
		if math.IsNaN(r.Compound) || r.Compound < -1 || r.Compound > 1 {
			t.Fatalf("compound %v for %q", r.Compound, text)
		}
		if len(r.Terms) > MaxTerms {
			t.Fatalf("%d terms", len(r.Terms))
		}
		if r.Scored {
			if sum := r.Pos + r.Neu + r.Neg; sum != 0 && math.Abs(sum-1) > 1e-9 {
				t.Fatalf("proportions sum to %v for %q", sum, text)
			}
		}
	})
}
