package drivers_test

import (
	"context"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/backlash-monitor/backlash/internal/analyzer/drivers"
	"github.com/backlash-monitor/backlash/internal/demo"
)

func benchCorpus(b *testing.B) (window, baseline []string) {
	_, baseline = benchDocs(b)
	return baseline[:1000], baseline
}

// benchDocs returns a 1,000-post window with its authors, as the alert
// engine counts it, and a 100,000-post baseline.
func benchDocs(b *testing.B) (window []drivers.Doc, baseline []string) {
	var docs []drivers.Doc
	for _, it := range demo.NewScenario(demo.Options{Scale: 5}).Items() {
		if it.Text != "" {
			docs = append(docs, drivers.Doc{Author: it.Author, Text: it.Text})
		}
	}
	baseline = make([]string, 100_000)
	window = make([]drivers.Doc, 1000)
	for i := range baseline {
		baseline[i] = docs[i%len(docs)].Text
		if i < len(window) {
			window[i] = docs[i%len(docs)]
		}
	}
	return window, baseline
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

// BenchmarkDriversBaseline100k measures what drivers add to an alert on a
// topic with 100,000 posts in its week of baseline when the baseline is a
// drivers.Baseline, as the alert engine keeps it: each alert comes 15
// minutes after the last, with the posts stored meanwhile (about 150),
// and counts a 1,000-post window with its authors, refreshes the baseline (reading only
// the new posts and sliding the week) and ranks. The first fill, counting
// the week once, is outside the timing; it is what BenchmarkDrivers100k
// pays at every alert. The store's read of the new rows is an in-memory
// stand-in here.
func BenchmarkDriversBaseline100k(b *testing.B) {
	s := newScorer(b)
	window, baseline := benchDocs(b)
	ex := []string{"Moments", "Paywise"}
	src := &memSource{}
	week := 7 * 24 * time.Hour
	t0 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	step := week / time.Duration(len(baseline))
	for i, text := range baseline {
		src.add("moments", drivers.Post{Key: fmt.Sprint(i), Published: t0.Add(time.Duration(i) * step), Text: text})
	}
	var before runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	cache := drivers.NewBaseline(s, src, drivers.BaselineOptions{})
	ctx := context.Background()
	at := t0.Add(week)
	if _, err := cache.Rank(ctx, "moments", ex, at.Add(-week), at, drivers.CountDocs(s, window, ex), drivers.Options{Exclude: ex}); err != nil {
		b.Fatal(err)
	}
	var after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&after)
	n := len(baseline)
	b.ResetTimer()
	for b.Loop() {
		b.StopTimer()
		for k := range 150 { // the posts stored since the last alert
			src.add("moments", drivers.Post{Key: fmt.Sprint(n), Published: at.Add(time.Duration(k) * 6 * time.Second), Text: baseline[n%len(baseline)]})
			n++
		}
		at = at.Add(15 * time.Minute)
		b.StartTimer()
		if _, err := cache.Rank(ctx, "moments", ex, at.Add(-week), at, drivers.CountDocs(s, window, ex), drivers.Options{Exclude: ex}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "cache-MiB")
	b.ReportMetric(float64(cache.Stats().Entries), "entries")
}
