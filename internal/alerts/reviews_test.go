package alerts

import (
	"github.com/backlash-monitor/backlash/internal/analyzer/drivers"
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

// TestDriversText renders a word by itself and a subject of the lexicons
// by its words and what they are about, both escaped.
func TestDriversText(t *testing.T) {
	got := driversText([]drivers.Term{
		{Text: "hookup", Posts: 41, Z: 8.14, BaselinePosts: 0},
		{Text: "brothel · meat market", Subject: "sex", Posts: 7, Z: 4.2, BaselinePosts: 1},
		{Text: "<b>", Posts: 2, Z: 2},
	})
	want := "*What's new:* *hookup* 41 posts, z 8.1, 0 in the week before · *brothel, meat market* (sex) 7 posts, z 4.2, 1 in the week before · *&lt;b&gt;* 2 posts, z 2.0, 0 in the week before"
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}
