package sentiment

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"time"

	"github.com/jonreiter/govader"
)

// BenchFigures are throughput figures for one scorer.
type BenchFigures struct {
	PostsPerSec float64 // per second of wall time
	// PostsPerCPUSec is per second of the scoring thread's CPU time
	// (Linux; wall time elsewhere): what one core sustains, which load
	// from other processes does not lower. The garbage collector's work
	// on other threads is not in it, which favours allocating scorers.
	PostsPerCPUSec float64
	AllocsPerPost  float64
	BytesPerPost   float64
}

// BenchReport compares this scorer's ScoreInto with govader's
// PolarityScores on the same posts, each on a single goroutine.
type BenchReport struct {
	Posts      int // distinct posts cycled through
	Ours       BenchFigures
	Vader      BenchFigures
	Speedup    float64 // Ours.PostsPerSec / Vader.PostsPerSec
	CPUSpeedup float64 // Ours.PostsPerCPUSec / Vader.PostsPerCPUSec
	Duration   time.Duration
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
	if rep.Vader.PostsPerCPUSec > 0 {
		rep.CPUSpeedup = rep.Ours.PostsPerCPUSec / rep.Vader.PostsPerCPUSec
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
	cpu := threadCPU(func() {
		for time.Since(start) < d {
			for _, t := range texts {
				score(t)
			}
			n += len(texts)
		}
	})
	el := time.Since(start)
	runtime.ReadMemStats(&m1)
	f := BenchFigures{
		PostsPerSec:   float64(n) / el.Seconds(),
		AllocsPerPost: float64(m1.Mallocs-m0.Mallocs) / float64(n),
		BytesPerPost:  float64(m1.TotalAlloc-m0.TotalAlloc) / float64(n),
	}
	if cpu > 0 {
		f.PostsPerCPUSec = float64(n) / cpu.Seconds()
	}
	return f
}

// Write prints the report as an aligned table.
func (b BenchReport) Write(w io.Writer) error {
	_, err := fmt.Fprintf(w, "%d posts, single goroutine, %v\n"+
		"%-14s %12s %12s\n"+
		"%-14s %12.0f %12.0f\n"+
		"%-14s %12.0f %12.0f\n"+
		"%-14s %12.2f %12.2f\n"+
		"%-14s %12.0f %12.0f\n"+
		"speedup %.2fx (%.2fx in CPU time)\n",
		b.Posts, b.Duration,
		"scorer", "backlash", "vader",
		"posts/s", b.Ours.PostsPerSec, b.Vader.PostsPerSec,
		"posts/cpu-s", b.Ours.PostsPerCPUSec, b.Vader.PostsPerCPUSec,
		"allocs/post", b.Ours.AllocsPerPost, b.Vader.AllocsPerPost,
		"bytes/post", b.Ours.BytesPerPost, b.Vader.BytesPerPost,
		b.Speedup, b.CPUSpeedup)
	if err != nil {
		return fmt.Errorf("write bench report: %w", err)
	}
	return nil
}

// LangBench is one language's single-goroutine scoring throughput, with
// govader's on the same posts for comparison.
type LangBench struct {
	Language            string
	Posts               int // distinct posts cycled through
	PostsPerSec         float64
	VaderPostsPerSec    float64
	PostsPerCPUSec      float64 // see BenchFigures.PostsPerCPUSec
	VaderPostsPerCPUSec float64
}

// BenchLangs scores each language's texts for about d (split evenly with
// govader) on the calling goroutine, languages in sorted order.
func BenchLangs(texts map[string][]string, d time.Duration) ([]LangBench, error) {
	s, err := New(Options{})
	if err != nil {
		return nil, err
	}
	sia := govader.NewSentimentIntensityAnalyzer()
	langs := make([]string, 0, len(texts))
	for l := range texts {
		langs = append(langs, l)
	}
	sort.Strings(langs)
	var r Result
	r.Terms = make([]Term, 0, MaxTerms)
	out := make([]LangBench, 0, len(langs))
	for _, l := range langs {
		ts := texts[l]
		if len(ts) == 0 {
			continue
		}
		b := LangBench{Language: l, Posts: len(ts)}
		ours := measure(ts, d/2, func(t string) { s.ScoreInto(t, &r) })
		vader := measure(ts, d/2, func(t string) { sia.PolarityScores(t) })
		b.PostsPerSec, b.PostsPerCPUSec = ours.PostsPerSec, ours.PostsPerCPUSec
		b.VaderPostsPerSec, b.VaderPostsPerCPUSec = vader.PostsPerSec, vader.PostsPerCPUSec
		out = append(out, b)
	}
	return out, nil
}

// ReadLangBenchTexts reads up to n posts per language from the labelled
// train splits under dir (umsab/<lang>-train.jsonl and, for Chinese,
// zh-reviews-train.jsonl), skipping files that are absent.
func ReadLangBenchTexts(dir string, n int) (map[string][]string, error) {
	files := map[string]string{"zh": filepath.Join(dir, "zh-reviews-train.jsonl")}
	for _, l := range DefaultTrainConfig(dir).Langs {
		files[l] = filepath.Join(dir, "umsab", l+"-train.jsonl")
	}
	out := map[string][]string{}
	for l, f := range files {
		if _, err := os.Stat(f); err != nil {
			continue
		}
		ps, err := ReadLabelled(f)
		if err != nil {
			return nil, err
		}
		for _, p := range ps[:min(n, len(ps))] {
			out[l] = append(out[l], p.Text)
		}
	}
	return out, nil
}
