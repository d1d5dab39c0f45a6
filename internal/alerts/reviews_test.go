package alerts

import (
	"strings"
	"testing"
	"time"
)

// TestNumbersShowRatings: the risk explanation counts a window's rated
// reviews and lists the one-star part among the risk parts; a topic
// without reviews shows neither.
func TestNumbersShowRatings(t *testing.T) {
	sig := Signal{Topic: "sync", At: time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC), Window: time.Hour,
		Observed: 30, Expected: 4, NegativeRatio: 7.5, Posts: 60, Negative: 30, Authors: 55, NegativeAuthors: 28, Sources: 2,
		Components: map[string]float64{"anomaly": 30, "share": 12, "reach": 8, "spread": 6, "velocity": 9, "one_star": 13}}
	plain := sig
	plain.Components = map[string]float64{"anomaly": 30}
	sig.Rated, sig.OneStar = 40, 30
	got := numbers(view{sig: sig})
	for _, want := range []string{"*Reviews:* 40 rated, 30 one-star (75%)", "one_star 13"} {
		if !strings.Contains(got, want) {
			t.Errorf("numbers lack %q:\n%s", want, got)
		}
	}
	if got := numbers(view{sig: plain}); strings.Contains(got, "Reviews") || strings.Contains(got, "one_star") {
		t.Errorf("a topic without reviews shows them:\n%s", got)
	}
}
