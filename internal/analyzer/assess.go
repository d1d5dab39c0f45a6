package analyzer

import (
	"context"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/backlash-monitor/backlash/internal/analyzer/detect"
	"github.com/backlash-monitor/backlash/internal/analyzer/risk"
	"github.com/backlash-monitor/backlash/internal/series"
)

// SeriesReader reads a topic's rollups and window statistics; *store.Store
// is one.
type SeriesReader interface {
	Series(ctx context.Context, topic, source string, from, to time.Time) ([]series.Bucket, error)
	Window(ctx context.Context, topic string, from, to time.Time) (series.WindowStats, error)
}

// RatingReader counts a topic's rated reviews and one-star reviews in a
// period; a SeriesReader that is one (as *store.Store) gives the one-star
// share of a window its baseline from the topic's history.
type RatingReader interface {
	Ratings(ctx context.Context, topic string, from, to time.Time) (rated, oneStar uint64, err error)
}

// AssessOptions sets the windows an assessment looks at.
type AssessOptions struct {
	// Window is the recent period assessed (default 1h).
	Window time.Duration
	// History is how much past the detector learns from (default 14d).
	History time.Duration
	// Detector configures spike detection (default detect.DefaultConfig()).
	Detector *detect.Config
	// Weights combine the risk components (default risk.DefaultWeights()).
	Weights *risk.Weights
}

// DefaultWindow is the window o assesses, its default filled in.
func DefaultWindow(o AssessOptions) time.Duration { return o.withDefaults().Window }

// DefaultHistory is the history o learns from, its default filled in.
func DefaultHistory(o AssessOptions) time.Duration { return o.withDefaults().History }

func (o AssessOptions) withDefaults() AssessOptions {
	if o.Window <= 0 {
		o.Window = time.Hour
	}
	if o.History <= 0 {
		o.History = 14 * 24 * time.Hour
	}
	if o.Detector == nil {
		c := detect.DefaultConfig()
		c.Interval = series.BucketSize
		o.Detector = &c
	}
	if o.Weights == nil {
		w := risk.DefaultWeights()
		o.Weights = &w
	}
	return o
}

// Assessment is one topic's state at one time: how its negative volume in
// the recent window compares with what its history predicts, and the
// brand-risk score that follows.
type Assessment struct {
	Topic  string
	At     time.Time
	Window time.Duration
	// History is how much past the detector learnt from.
	History time.Duration
	// Last is the detector's verdict on the newest bucket of negative volume.
	Last detect.Point
	// Peak is the most anomalous bucket in the window.
	Peak detect.Point
	// Observed and Expected are negative posts in the window and the
	// baseline's prediction for them.
	Observed, Expected float64
	// Risk is the brand-risk score and its components.
	Risk risk.Score
	// Stats counts the window's posts, authors and sources.
	Stats series.WindowStats
	// BaselineShare is the negative share of posts before the window.
	BaselineShare float64
	// BaselineRated and BaselineOneStar count the rated and one-star
	// reviews before the window, read only when the window has rated
	// reviews.
	BaselineRated, BaselineOneStar uint64
	// ColdStart is set when the topic has too little history for a full
	// baseline; bounds are wider then.
	ColdStart bool
	// Points are the detector's verdicts on the window's buckets.
	Points []detect.Point
}

// NegativeRatio is observed over expected negative posts in the window.
func (a Assessment) NegativeRatio() float64 {
	return a.Observed / math.Max(a.Expected, 1)
}

// Assess computes a topic's assessment at time at. It reads History of
// 5-minute buckets and replays them through a fresh detector, which is
// causal: nothing after at is read.
func Assess(ctx context.Context, r SeriesReader, topic string, at time.Time, o AssessOptions) (Assessment, error) {
	o = o.withDefaults()
	a := Assessment{Topic: topic, At: at, Window: o.Window, History: o.History}
	buckets, err := r.Series(ctx, topic, "", at.Add(-o.History), at)
	if err != nil {
		return a, fmt.Errorf("assess %s: %w", topic, err)
	}
	stats, err := r.Window(ctx, topic, at.Add(-o.Window), at)
	if err != nil {
		return a, fmt.Errorf("assess %s: %w", topic, err)
	}
	a.Stats = stats
	if rr, ok := r.(RatingReader); ok && stats.Rated > 0 {
		if a.BaselineRated, a.BaselineOneStar, err = rr.Ratings(ctx, topic, at.Add(-o.History), at.Add(-o.Window)); err != nil {
			return a, fmt.Errorf("assess %s: %w", topic, err)
		}
	}
	return assessBuckets(a, buckets, o), nil
}

// started returns the index of the first non-empty bucket, so a new topic's
// empty past does not count as calm history.
func started(buckets []series.Bucket) int {
	for i, b := range buckets {
		if b.Posts > 0 {
			return i
		}
	}
	return len(buckets)
}

func assessBuckets(a Assessment, buckets []series.Bucket, o AssessOptions) Assessment {
	d := detect.New(*o.Detector)
	windowStart := a.At.Add(-o.Window)
	var basePosts, baseNeg, baseNegReach, windowNegReach float64
	var baseBuckets, windowBuckets int
	var baseReaches []float64
	var recentNeg, earlierNeg float64
	half := windowStart.Add(o.Window / 2)
	for _, b := range buckets[started(buckets):] {
		p := d.Update(b.Start, float64(b.Negative))
		if b.Start.Before(windowStart) {
			basePosts += float64(b.Posts)
			baseNeg += float64(b.Negative)
			baseNegReach += float64(b.NegativeReach)
			baseReaches = append(baseReaches, float64(b.NegativeReach))
			baseBuckets++
			continue
		}
		windowNegReach += float64(b.NegativeReach)
		windowBuckets++
		a.Points = append(a.Points, p)
		a.Observed += float64(b.Negative)
		if !math.IsNaN(p.Expected) {
			a.Expected += p.Expected
		}
		if p.Score >= a.Peak.Score || a.Peak.Time.IsZero() {
			a.Peak = p
		}
		if b.Start.Before(half) {
			earlierNeg += float64(b.Negative)
		} else {
			recentNeg += float64(b.Negative)
		}
		a.Last = p
	}
	a.ColdStart = a.Last.ColdStart || a.Last.Time.IsZero()
	if basePosts > 0 {
		a.BaselineShare = baseNeg / basePosts
	}
	share := 0.0
	if a.Stats.Posts > 0 {
		share = float64(a.Stats.Negative) / float64(a.Stats.Posts)
	}
	// Reach is compared like with like: the engagement of negative posts
	// when first seen, in the window against windows of the baseline. The
	// baseline is the larger of the mean window and the 95th percentile of
	// its windows, so one widely followed news item, which a quiet topic
	// sees every few days, does not look like a tenfold surge; a floor of
	// one interaction per bucket does the same for a topic's first likes.
	var baselineReach float64
	if baseBuckets > 0 {
		w := max(windowBuckets, 1)
		mean := math.Max(baseNegReach/float64(baseBuckets), 1) * float64(w)
		baselineReach = math.Max(mean, windowQuantile(baseReaches, w, 0.95))
	}
	oneStarBase := 0.0
	if a.BaselineRated > 0 {
		oneStarBase = float64(a.BaselineOneStar) / float64(a.BaselineRated)
	}
	a.Risk = risk.Compute(risk.Inputs{
		BaselineOneStarShare: oneStarBase,
		NegAnomaly:           a.Peak.Score,
		NegShare:             share,
		BaselineNegShare:     a.BaselineShare,
		Posts:                int(a.Stats.Posts),
		Negative:             int(a.Stats.Negative),
		Reach:                windowNegReach,
		BaselineReach:        baselineReach,
		Authors:              int(a.Stats.NegativeAuthors),
		Sources:              int(a.Stats.NegativeSources),
		Threads:              int(a.Stats.NegativeThreads),
		Velocity:             (recentNeg + 1) / (earlierNeg + 1),
		Rated:                int(a.Stats.Rated),
		OneStar:              int(a.Stats.OneStar),
		BaselineRated:        int(a.BaselineRated),
		ColdWiden:            a.Last.Widen,
	}, *o.Weights)
	return a
}

// windowQuantile returns the q-quantile of the sums of w consecutive values.
func windowQuantile(xs []float64, w int, q float64) float64 {
	if len(xs) < w || w <= 0 {
		return 0
	}
	sums := make([]float64, 0, len(xs)-w+1)
	var sum float64
	for i, x := range xs {
		sum += x
		if i >= w {
			sum -= xs[i-w]
		}
		if i >= w-1 {
			sums = append(sums, sum)
		}
	}
	sort.Float64s(sums)
	return sums[int(q*float64(len(sums)-1))]
}
