package drivers_test

import (
	"testing"

	"github.com/backlash-monitor/backlash/internal/analyzer/drivers"
	"github.com/backlash-monitor/backlash/internal/demo"
)

func benchCorpus(b *testing.B) (window, baseline []string) {
	var texts []string
	for _, it := range demo.NewScenario(demo.Options{Scale: 5}).Items() {
		if it.Text != "" {
			texts = append(texts, it.Text)
		}
	}
	baseline = make([]string, 100_000)
	for i := range baseline {
		baseline[i] = texts[i%len(texts)]
	}
	return baseline[:1000], baseline
}

// BenchmarkDriversCachedBaseline measures the same alert when the
// baseline's counts are already at hand: counting the window's terms and
// ranking them against 100,000 posts' counts.
func BenchmarkDriversCachedBaseline(b *testing.B) {
	s := newScorer(b)
	window, baseline := benchCorpus(b)
	ex := []string{"Moments", "Paywise"}
	base := drivers.Count(s, baseline, ex)
	b.ResetTimer()
	for b.Loop() {
		drivers.Distinctive(drivers.Count(s, window, ex), base, drivers.Options{Exclude: ex})
	}
}

// BenchmarkDrivers100k measures what drivers add to an alert on a topic
// with 100,000 posts in its baseline: counting the baseline's and a
// 1,000-post window's terms, and ranking them.
func BenchmarkDrivers100k(b *testing.B) {
	s := newScorer(b)
	window, baseline := benchCorpus(b)
	ex := []string{"Moments", "Paywise"}
	b.ResetTimer()
	for b.Loop() {
		drivers.Distinctive(drivers.Count(s, window, ex), drivers.Count(s, baseline, ex), drivers.Options{Exclude: ex})
	}
}
