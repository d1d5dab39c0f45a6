package analyzer

import (
	"context"
	"testing"
	"time"

	"github.com/backlash-monitor/backlash/internal/series"
)

// bucketReader is an in-memory SeriesReader of fixed buckets and window
// statistics.
type bucketReader struct {
	buckets []series.Bucket
	stats   series.WindowStats
}

func (r bucketReader) Series(_ context.Context, _, _ string, from, to time.Time) ([]series.Bucket, error) {
	var out []series.Bucket
	for _, b := range r.buckets {
		if !b.Start.Before(from) && b.Start.Before(to) {
			out = append(out, b)
		}
	}
	return out, nil
}

func (r bucketReader) Window(context.Context, string, time.Time, time.Time) (series.WindowStats, error) {
	return r.stats, nil
}

// TestAssessReachOfOnePost: a quiet topic's negative reach, two weeks of
// a few interactions an hour and a widely followed news item every three
// days (too rare for the baseline's 95th percentile), against windows
// with the same negative posts and about the same summed reach, carried
// by one post or spread over the window. One far-reaching post, such as
// an outlet's post whose sentiment was misread, can at most double the
// window's reach; a wave of reach counts in full.
func TestAssessReachOfOnePost(t *testing.T) {
	at := time.Date(2026, 3, 18, 10, 30, 0, 0, time.UTC)
	history := 14 * 24 * time.Hour
	start := at.Add(-history)
	quiet := func() []series.Bucket {
		var bs []series.Bucket
		for i := 0; start.Add(time.Duration(i) * series.BucketSize).Before(at.Add(-time.Hour)); i++ {
			b := series.Bucket{Start: start.Add(time.Duration(i) * series.BucketSize), Posts: 3, Scored: 3}
			if i%3 == 0 {
				b.Negative, b.NegativeReach = 1, 2
			}
			if i%(3*288) == 100 {
				b.NegativeReach += 150 // a news item
			}
			bs = append(bs, b)
		}
		return bs
	}
	// window returns the last hour's twelve buckets, two negative posts
	// each, with reach spread as given (the rest 1 each).
	window := func(reach ...uint64) []series.Bucket {
		bs := make([]series.Bucket, 12)
		for i := range bs {
			bs[i] = series.Bucket{Start: at.Add(-time.Hour + time.Duration(i)*series.BucketSize), Posts: 4, Scored: 4, Negative: 2, NegativeReach: 1}
			if i < len(reach) {
				bs[i].NegativeReach = reach[i]
			}
		}
		return bs
	}
	stats := series.WindowStats{Posts: 48, Negative: 24, Authors: 40, Sources: 3, NegativeAuthors: 22, NegativeSources: 3, NegativeThreads: 8}
	for _, tc := range []struct {
		name     string
		window   []series.Bucket
		min, max float64 // bounds of the reach part, in points
	}{
		{"usual reach", window(), 0, 1},
		// 150 + 11: about as much as the rest of the window (11) and the
		// baseline allow, so at most 20·log₂ 2/log₂ 10 ≈ 6 points.
		{"one far-reaching post", window(150), 0, 6.1},
		{"the same reach from two posts", window(75, 1, 1, 1, 1, 1, 75), 15, 20},
		{"a wave of reach", window(14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 7), 15, 20},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := bucketReader{buckets: append(quiet(), tc.window...), stats: stats}
			a, err := Assess(context.Background(), r, "quiet", at, AssessOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if got := a.Risk.Reach; got < tc.min || got > tc.max {
				t.Errorf("reach part %.1f, want %.1f to %.1f (risk %+v)", got, tc.min, tc.max, a.Risk)
			}
		})
	}
}

func TestSpreadReach(t *testing.T) {
	for _, tc := range []struct {
		xs   []float64
		want float64
	}{
		{nil, 0},
		{[]float64{150}, 150}, // one bucket has no others to be held to
		{[]float64{150, 1, 1}, 4},
		{[]float64{10, 10}, 20},
		{[]float64{75, 1, 75}, 151},
		{[]float64{0, 0, 0}, 0},
	} {
		if got := spreadReach(tc.xs); got != tc.want {
			t.Errorf("spreadReach(%v) = %v, want %v", tc.xs, got, tc.want)
		}
	}
	// windowSums is spreadReach of every run, in one pass.
	xs := make([]float64, 200)
	for i := range xs {
		xs[i] = float64((i * 37 % 23) * (i % 7))
	}
	for _, w := range []int{1, 2, 3, 12, 200} {
		got := windowSums(xs, w)
		if len(got) != len(xs)-w+1 {
			t.Fatalf("w %d: %d sums, want %d", w, len(got), len(xs)-w+1)
		}
		for i, s := range got {
			if want := spreadReach(xs[i : i+w]); s != want {
				t.Fatalf("w %d: run %d: %v, want %v", w, i, s, want)
			}
		}
	}
	if got := windowSums(xs, 201); got != nil {
		t.Errorf("a run longer than the values: %v", got)
	}
}
