package risk

import "math"

// Inputs are the facts about one topic in one window.
type Inputs struct {
	// NegAnomaly is the detector's score of the negative-volume series for
	// the window, in [0,1].
	NegAnomaly float64
	// NegShare is the share of negative posts in the window, in [0,1];
	// BaselineNegShare is its usual value for the topic.
	NegShare, BaselineNegShare float64
	// Posts is the number of posts in the window (it weighs NegShare);
	// Negative is how many of them are negative.
	Posts, Negative int
	// Reach is the summed reach (post.Post.Reach: likes, replies, shares
	// and one per hundred views) of the window's negative posts when first
	// seen; BaselineReach is its usual value for a window (0 if unknown).
	// The analyzer counts both with no 5-minute bucket worth more than
	// the rest of its window.
	Reach, BaselineReach float64
	// Authors and Sources count the distinct authors and sources (sites,
	// forums, feeds) of the negative posts.
	Authors, Sources int
	// Threads counts the distinct threads or conversations they belong to
	// (0 if unknown).
	Threads int
	// Velocity is the growth ratio of negative volume against the previous
	// windows (2 means it doubled).
	Velocity float64
	// Rated counts the window's rated reviews (app-store reviews with
	// stars) and OneStar those with one star. BaselineOneStarShare is the
	// topic's usual one-star share of reviews, over BaselineRated reviews
	// before the window (0 reviews: unknown). Without rated reviews in the
	// window the OneStar component is left out.
	Rated, OneStar       int
	BaselineOneStarShare float64
	BaselineRated        int
	// ColdWiden is how much the topic's history is discounted for being
	// short: the detector's cold-start widening (detect.Point.Widen), up
	// to 2 for a new topic and 1 (or 0, unknown) once it has its warm-up
	// history. The components judged against a baseline learnt from that
	// history (Share, Reach, Velocity, OneStar) have their severity
	// divided by it, as the detector divides its deviations.
	ColdWiden float64
}

// Weights are the relative weights of the components. They are normalised
// to sum to 1; all zero means DefaultWeights. OneStar counts only for a
// window with rated reviews: otherwise the other five are normalised
// alone, so a topic without reviews scores as if it had no such part.
type Weights struct {
	Anomaly, Share, Reach, Spread, Velocity, OneStar float64
}

// DefaultWeights returns the weights documented in the package comment.
func DefaultWeights() Weights {
	return Weights{Anomaly: 0.35, Share: 0.20, Reach: 0.20, Spread: 0.10, Velocity: 0.15, OneStar: 0.15}
}

// Score is a brand-risk score with its parts.
type Score struct {
	// Total is the brand-risk score in [0,100]: Gate times the sum of the
	// components.
	Total float64
	// Anomaly, Share, Reach, Spread, Velocity and OneStar are the
	// components' contributions in points before the gate
	// (100·weight·severity); they sum to at most 100. OneStar is 0 for a
	// window without rated reviews.
	Anomaly, Share, Reach, Spread, Velocity, OneStar float64
	// Gate in [0,1] scales the sum down when too few authors, venues or
	// negative posts carry it.
	Gate float64
}

// Constants of the formula; see the package comment.
const (
	sharePrior   = 20  // posts' worth of baseline share mixed into NegShare
	reachFull    = 10  // reach ratio at which Reach is full
	reachNoBase  = 6   // decades of reach at which Reach is full without a baseline
	authorsFull  = 50  // authors at which the author part of Spread is full
	sourcesFull  = 10  // sources at which the source part of Spread is full
	velocityFull = 8   // growth ratio at which Velocity is full
	minAuthors   = 5   // authors needed to open the author gate fully
	minVenues    = 3   // sources or threads needed to open the venue gate fully
	venueFloor   = 0.4 // venue gate with a single source or thread
	minNegative  = 5   // negative posts needed to open the volume gate fully
	authorsShare = 0.7 // part of Spread given to authors (the rest to sources)
	oneStarPrior = 10  // reviews' worth of baseline one-star share mixed in
	oneStarBase  = 0.1 // one-star share assumed before a topic has reviews
)

// clamp01 limits x to [0,1], mapping NaN to 0.
func clamp01(x float64) float64 {
	if !(x > 0) {
		return 0
	}
	if x > 1 {
		return 1
	}
	return x
}

// pos maps NaN, infinities below zero and negatives to 0.
func pos(x float64) float64 {
	if !(x > 0) {
		return 0
	}
	return x
}

// Compute returns the brand-risk score of in under weights w.
func Compute(in Inputs, w Weights) Score {
	if sum := pos(w.Anomaly) + pos(w.Share) + pos(w.Reach) + pos(w.Spread) + pos(w.Velocity) + pos(w.OneStar); !(sum > 0) || math.IsInf(sum, 0) {
		w = DefaultWeights()
	}
	if in.Rated <= 0 {
		w.OneStar = 0
	}
	w = w.normalised()
	var s Score
	s.Anomaly = 100 * w.Anomaly * clamp01(in.NegAnomaly)
	cold := 1.0
	if in.ColdWiden > 1 && !math.IsInf(in.ColdWiden, 0) {
		cold = in.ColdWiden
	}
	s.Share = 100 * w.Share * shareSeverity(in) / cold
	s.Reach = 100 * w.Reach * reachSeverity(in.Reach, in.BaselineReach) / cold
	s.Spread = 100 * w.Spread * spreadSeverity(in.Authors, in.Sources)
	s.Velocity = 100 * w.Velocity * clamp01(math.Log2(pos(in.Velocity))/math.Log2(velocityFull)) / cold
	s.OneStar = 100 * w.OneStar * oneStarSeverity(in) / cold
	s.Gate = gate(in)
	s.Total = s.Gate * (s.Anomaly + s.Share + s.Reach + s.Spread + s.Velocity + s.OneStar)
	s.Total = math.Min(100, math.Max(0, s.Total))
	return s
}

func (w Weights) normalised() Weights {
	w = Weights{pos(w.Anomaly), pos(w.Share), pos(w.Reach), pos(w.Spread), pos(w.Velocity), pos(w.OneStar)}
	sum := w.Anomaly + w.Share + w.Reach + w.Spread + w.Velocity + w.OneStar
	if !(sum > 0) || math.IsInf(sum, 0) {
		return DefaultWeights().normalised()
	}
	return Weights{w.Anomaly / sum, w.Share / sum, w.Reach / sum, w.Spread / sum, w.Velocity / sum, w.OneStar / sum}
}

// oneStarSeverity is how far the window's one-star share of reviews lies
// above the topic's usual share, as Share measures negative posts: the
// share is shrunk towards the baseline by a prior worth 10 reviews, and
// full severity is half-way from the baseline to all one-star.
func oneStarSeverity(in Inputs) float64 {
	if in.Rated <= 0 {
		return 0
	}
	b := oneStarBase
	if in.BaselineRated > 0 {
		b = clamp01(in.BaselineOneStarShare)
	}
	n := float64(in.Rated)
	est := (clamp01(float64(in.OneStar)/n)*n + oneStarPrior*b) / (n + oneStarPrior)
	room := 1 - b
	if room <= 0 {
		return 0
	}
	return clamp01((est - b) / (0.5 * room))
}

func shareSeverity(in Inputs) float64 {
	if in.Posts <= 0 {
		return 0
	}
	b := clamp01(in.BaselineNegShare)
	n := float64(in.Posts)
	est := (clamp01(in.NegShare)*n + sharePrior*b) / (n + sharePrior)
	room := 1 - b
	if room <= 0 {
		return 0
	}
	return clamp01((est - b) / (0.5 * room))
}

func reachSeverity(reach, base float64) float64 {
	reach, base = pos(reach), pos(base)
	if math.IsInf(reach, 0) {
		return 1
	}
	if base > 0 && !math.IsInf(base, 0) {
		if reach == 0 {
			return 0
		}
		return clamp01(math.Log2(reach/base) / math.Log2(reachFull))
	}
	return clamp01(math.Log10(1+reach) / reachNoBase)
}

func spreadSeverity(authors, sources int) float64 {
	a := clamp01(math.Log(float64(max(authors, 1))) / math.Log(authorsFull))
	src := clamp01(math.Log(float64(max(sources, 1))) / math.Log(sourcesFull))
	return authorsShare*a + (1-authorsShare)*src
}

func gate(in Inputs) float64 {
	authors := clamp01(float64(in.Authors-1) / (minAuthors - 1))
	venues := float64(max(in.Sources, in.Threads))
	vg := math.Min(1, math.Max(venueFloor, venueFloor+(1-venueFloor)*(venues-1)/(minVenues-1)))
	volume := clamp01(float64(in.Negative) / minNegative)
	return authors * vg * volume
}
