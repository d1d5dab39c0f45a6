// Package risk turns what the analyzer knows about one topic in one time
// window into a brand-risk score from 0 to 100 that a communications lead
// can act on, and keeps every part of it visible so an analyst can see why
// a score is high.
//
// # Formula
//
// Five components each measure a severity s in [0,1]; component i
// contributes 100·wᵢ·sᵢ points, with the weights wᵢ normalised to sum to 1
// (defaults in brackets):
//
//   - Anomaly [0.35]: the detector's anomaly score of the negative-volume
//     series, s = NegAnomaly.
//   - Share [0.20]: how far the negative share has moved from its baseline
//     b, after shrinking it towards b by a prior worth 20 posts so that a
//     handful of posts cannot move it: ŝ = (NegShare·Posts + 20·b)/(Posts +
//     20), s = (ŝ − b)/(0.5·(1 − b)). It is full when the share has moved
//     half-way from its baseline to all-negative.
//   - Reach [0.20]: the reach of the negative posts against its baseline,
//     s = log₂(Reach/BaselineReach)/log₂(10), full at ten times the usual
//     reach; without a baseline, s = log₁₀(1+Reach)/6, full at a million.
//     The reach of one post is post.Post.Reach, its likes, replies and
//     shares plus one per hundred views, counted by the store's rollups
//     when the post is first seen. The analyzer counts a window's largest
//     5-minute bucket for no more than its others together, in the window
//     and the baseline's windows alike, so one far-reaching post can at
//     most double a window's reach.
//   - Spread [0.10]: how many distinct authors and sources carry it, s =
//     0.7·log(Authors)/log(50) + 0.3·log(Sources)/log(10).
//   - Velocity [0.15]: the growth ratio of negative volume against the
//     previous windows, s = log₂(Velocity)/log₂(8), full at eight-fold.
//
// Every s is clamped to [0,1]; NaN and negative inputs count as 0.
//
// A new topic's baselines come from a short history: a morning's first
// posts after a quiet night double and redouble the negative volume
// without anything being wrong, and the share and reach of a few hours
// say little about the usual. While the detector is in cold start it
// widens its bounds by a factor (Inputs.ColdWiden, 2 at the first bucket
// easing to 1 after two days; the anomaly score is already damped by it),
// and the severities of Share, Reach, Velocity and OneStar, each judged
// against that history, are divided by the same factor. Spread, which
// counts authors and sources and needs no baseline, is not.
//
// The sum is then multiplied by a gate in [0,1] so that one account, one
// thread or a trickle of posts cannot raise the alarm alone:
//
//	Gate = authors · venues · volume
//	authors = clamp((Authors − 1)/(5 − 1))        one author → 0
//	venues  = clamp(0.4 + 0.6·(V − 1)/(3 − 1), 0.4, 1), V = max(Sources, Threads)
//	volume  = clamp(Negative/5)
//
//	Total = Gate · (Anomaly + Share + Reach + Spread + Velocity)
//
// With the default weights a single author scores 0 and a single thread or
// source at most 40, whatever else happens. The components in Score are
// the ungated contributions, so they show what drove the score even when
// the gate held it down.
//
// The package computes; it does not collect the inputs (the analyzer's
// rollups do) nor decide when to alert (the alert engine does).
package risk
