package analyzer

import (
	"context"
	"testing"
	"time"

	"github.com/backlash-monitor/backlash/internal/series"
)

// ratingReader is an in-memory SeriesReader and RatingReader.
type ratingReader struct {
	stats        series.WindowStats
	rated, ones  uint64
	from, to     time.Time
	ratingsCalls int
}

func (r *ratingReader) Series(context.Context, string, string, time.Time, time.Time) ([]series.Bucket, error) {
	return nil, nil
}

func (r *ratingReader) Window(context.Context, string, time.Time, time.Time) (series.WindowStats, error) {
	return r.stats, nil
}

func (r *ratingReader) Ratings(_ context.Context, _ string, from, to time.Time) (uint64, uint64, error) {
	r.ratingsCalls++
	r.from, r.to = from, to
	return r.rated, r.ones, nil
}

// TestAssessOneStar: a window of rated reviews gets the one-star
// component, measured against the topic's history before the window; a
// topic without rated reviews never asks for it.
func TestAssessOneStar(t *testing.T) {
	at := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	stats := series.WindowStats{Posts: 60, Negative: 30, Authors: 55, Sources: 2,
		NegativeAuthors: 28, NegativeSources: 2, NegativeThreads: 2}
	plain := &ratingReader{stats: stats}
	a, err := Assess(context.Background(), plain, "sync", at, AssessOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if plain.ratingsCalls != 0 || a.Risk.OneStar != 0 {
		t.Errorf("no reviews: %d rating reads, one-star part %.2f", plain.ratingsCalls, a.Risk.OneStar)
	}

	stats.Rated, stats.OneStar = 40, 30
	bomb := &ratingReader{stats: stats, rated: 300, ones: 24} // usually 8 % one-star
	b, err := Assess(context.Background(), bomb, "sync", at, AssessOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if bomb.ratingsCalls != 1 || !bomb.from.Equal(at.Add(-14*24*time.Hour)) || !bomb.to.Equal(at.Add(-time.Hour)) {
		t.Errorf("baseline read %d times over %v–%v, want once over the history before the window", bomb.ratingsCalls, bomb.from, bomb.to)
	}
	if b.BaselineRated != 300 || b.BaselineOneStar != 24 || b.Risk.OneStar < 10 || b.Risk.Total <= a.Risk.Total {
		t.Errorf("review bomb: baseline %d/%d, risk %+v (without reviews %+v)", b.BaselineOneStar, b.BaselineRated, b.Risk, a.Risk)
	}

	// The same reviews at the topic's usual one-star share add nothing.
	usual := &ratingReader{stats: stats, rated: 300, ones: 225}
	u, _ := Assess(context.Background(), usual, "sync", at, AssessOptions{})
	if u.Risk.OneStar != 0 {
		t.Errorf("usual share: one-star part %.2f, want 0", u.Risk.OneStar)
	}
}
