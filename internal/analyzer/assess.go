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
	var basePosts, baseNeg float64
	var baseReaches, windowReaches []float64
	var recentNeg, earlierNeg float64
	half := windowStart.Add(o.Window / 2)
	for _, b := range buckets[started(buckets):] {
		p := d.Update(b.Start, float64(b.Negative))
		if b.Start.Before(windowStart) {
			basePosts += float64(b.Posts)
			baseNeg += float64(b.Negative)
			baseReaches = append(baseReaches, float64(b.NegativeReach))
			continue
		}
		windowReaches = append(windowReaches, float64(b.NegativeReach))
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
	// when first seen, in the window against windows of the baseline,
	// each counted by spreadReach, so one widely followed item (a news
	// outlet's post, which a quiet topic sees every few days, and whose
	// one misread would otherwise carry the whole component) adds at most
	// as much as the rest of its window. The baseline is the larger of the
	// mean window and the 95th percentile of its windows; a floor of one
	// interaction per bucket keeps a topic's first likes from looking like
	// a surge.
	windowNegReach := spreadReach(windowReaches)
	var baselineReach float64
	if len(baseReaches) > 0 {
		w := max(len(windowReaches), 1)
		sums := windowSums(baseReaches, w)
		if len(sums) == 0 {
			// A history shorter than one window, counted as one.
			sums = []float64{spreadReach(baseReaches) * float64(w) / float64(len(baseReaches))}
		}
		mean := 0.0
		for _, x := range sums {
			mean += x
		}
		mean = math.Max(mean/float64(len(sums)), float64(w))
		baselineReach = math.Max(mean, quantile(sums, 0.95))
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

// spreadReach is the summed reach of a span's 5-minute buckets with the
// largest bucket counted for no more than all the others together: one
// far-reaching post, which lands in one bucket, can at most double a
// span's reach, while a wave, spread over several buckets, counts in
// full. A span of one bucket has no others and counts as it is.
func spreadReach(xs []float64) float64 {
	var sum, top float64
	for _, x := range xs {
		sum += x
		top = math.Max(top, x)
	}
	return capTop(sum, top, len(xs))
}

// capTop is the sum of n values whose largest is top, with top counted
// for no more than the rest.
func capTop(sum, top float64, n int) float64 {
	if n < 2 {
		return sum
	}
	return math.Min(sum, 2*(sum-top))
}

// windowSums returns spreadReach of every run of w consecutive values,
// in one pass (a running sum and a queue of the run's falling maxima).
func windowSums(xs []float64, w int) []float64 {
	if len(xs) < w || w <= 0 {
		return nil
	}
	sums := make([]float64, 0, len(xs)-w+1)
	var sum float64
	var maxima []int // indices of the run whose values fall, largest first
	for i, x := range xs {
		sum += x
		for len(maxima) > 0 && xs[maxima[len(maxima)-1]] <= x {
			maxima = maxima[:len(maxima)-1]
		}
		maxima = append(maxima, i)
		if i < w-1 {
			continue
		}
		if i >= w {
			sum -= xs[i-w]
		}
		if maxima[0] <= i-w {
			maxima = maxima[1:]
		}
		sums = append(sums, capTop(sum, xs[maxima[0]], w))
	}
	return sums
}

// quantile returns the q-quantile of xs (0 for none), sorting xs.
func quantile(xs []float64, q float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	sort.Float64s(xs)
	return xs[int(q*float64(len(xs)-1))]
}
