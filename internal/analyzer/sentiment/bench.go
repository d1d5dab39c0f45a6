package sentiment

import (
	"fmt"
	"io"
	"runtime"
	"time"

	"github.com/jonreiter/govader"
)

// BenchFigures are throughput figures for one scorer.
type BenchFigures struct {
	PostsPerSec   float64
	AllocsPerPost float64
	BytesPerPost  float64
}

// BenchReport compares this scorer's ScoreInto with govader's
// PolarityScores on the same posts, each on a single goroutine.
type BenchReport struct {
	Posts    int // distinct posts cycled through
	Ours     BenchFigures
	Vader    BenchFigures
	Speedup  float64 // Ours.PostsPerSec / Vader.PostsPerSec
	Duration time.Duration
}

// Bench scores texts repeatedly for about d with each scorer (d split
// evenly) on the calling goroutine and reports posts per second and heap
// allocations per post.
func Bench(texts []string, d time.Duration) BenchReport {
	rep := BenchReport{Posts: len(texts), Duration: d}
	if len(texts) == 0 {
		return rep
	}
	s, err := New(Options{})
	if err != nil {
		return rep
	}
	sia := govader.NewSentimentIntensityAnalyzer()
	var r Result
	r.Terms = make([]Term, 0, MaxTerms)
	rep.Ours = measure(texts, d/2, func(t string) { s.ScoreInto(t, &r) })
	rep.Vader = measure(texts, d/2, func(t string) { sia.PolarityScores(t) })
	if rep.Vader.PostsPerSec > 0 {
		rep.Speedup = rep.Ours.PostsPerSec / rep.Vader.PostsPerSec
	}
	return rep
}

func measure(texts []string, d time.Duration, score func(string)) BenchFigures {
	for _, t := range texts { // warm up pools and caches
		score(t)
	}
	var m0, m1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m0)
	start := time.Now()
	n := 0
	for time.Since(start) < d {
		for _, t := range texts {
			score(t)
		}
		n += len(texts)
	}
	el := time.Since(start)
	runtime.ReadMemStats(&m1)
	return BenchFigures{
		PostsPerSec:   float64(n) / el.Seconds(),
		AllocsPerPost: float64(m1.Mallocs-m0.Mallocs) / float64(n),
		BytesPerPost:  float64(m1.TotalAlloc-m0.TotalAlloc) / float64(n),
	}
}

// Write prints the report as an aligned table.
func (b BenchReport) Write(w io.Writer) error {
	_, err := fmt.Fprintf(w, "%d posts, single goroutine, %v\n"+
		"%-14s %12s %12s\n"+
		"%-14s %12.0f %12.0f\n"+
		"%-14s %12.2f %12.2f\n"+
		"%-14s %12.0f %12.0f\n"+
		"speedup %.2fx\n",
		b.Posts, b.Duration,
		"scorer", "backlash", "vader",
		"posts/s", b.Ours.PostsPerSec, b.Vader.PostsPerSec,
		"allocs/post", b.Ours.AllocsPerPost, b.Vader.AllocsPerPost,
		"bytes/post", b.Ours.BytesPerPost, b.Vader.BytesPerPost,
		b.Speedup)
	if err != nil {
		return fmt.Errorf("write bench report: %w", err)
	}
	return nil
}
