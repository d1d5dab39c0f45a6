// Package detect finds the start of unusual rises in a regular-interval
// series, such as the 5-minute volume, negative volume, negative share or
// reach-weighted negative volume of a topic, and explains each verdict.
//
// # Model
//
// Values are first square-rooted (Config.Transform), which makes the noise
// of counts roughly constant from a quiet night to a busy afternoon. The
// baseline for a bucket is
//
//	expected = profile(time of day) · factor(day of week) + level
//
// where profile is the median, over the last SeasonDays days, of the hourly
// bin means at that time of day (interpolated between bins), factor is the
// median over the last Weeks weeks of that weekday's total relative to the
// profile (so a quiet Sunday is expected on Sunday and not carried into
// Monday), and level is a slow (LevelHalfLife) average of what the profile
// misses, which follows growth and lasting shifts. Before a profile exists
// the baseline is the recent mean and the detector is in cold start.
//
// The residual, observed minus expected, is smoothed at several time
// scales (Config.Spans: one bucket, 30 minutes, 3 hours), so a sustained
// rise is seen before any single bucket is extreme. Each smoothed residual
// is divided by its own robust scale (a running mean absolute deviation
// with outliers clipped), giving a deviation in robust standard units.
//
// # Score
//
// Each scale's deviation z is turned into a tail probability by the
// series' own upper tail, learnt online by peaks over threshold: above its
// running 95% quantile u the tail is exponential with the mean excess β,
// p = 0.05·exp(−(z−u)/β). The score is −log10(p)/8 clamped to [0,1], the
// best over the scales: 0.5 means a one-in-ten-thousand bucket for this
// series, 1 one in a hundred million. Because the tail is the series' own,
// a topic with frequent harmless bursts needs a larger burst for the same
// score than a quiet one, and one threshold serves every series. During
// cold start the deviation is divided by a widening factor (2 at the first
// bucket, 1 after Warmup) and Point.ColdStart is set.
//
// A sustained rise is also scored by its persistence: a one-sided CUSUM of
// the bucket's deviation (each bucket adds its deviation less 1, at most
// 3, and the sum never goes below 0) goes through a learnt tail of its
// own, and the bucket's score is the best of the spans and the CUSUM
// (Point.Cusum, Point.Sustained). The tail learns the CUSUM halved, which
// puts its mean excess on noise within a factor of two of the tail's
// prior (the Gaussian's), so the prior, still felt in a series' first
// weeks, neither holds the tail heavy nor lets sparse counts fire. A level shift that the slow level would
// absorb before any span is extreme is seen this way.
//
// A new state is also scored by how new the distribution of recent values
// is: a relative-entropy test (after Wang et al., 2011) compares the
// histogram of the last 48 transformed values (5 bins over the range seen)
// with reference histograms of windows the series has shown before. The
// statistic 2·48·KL against the closest reference is χ² with 4 degrees of
// freedom when the window is like it; a window that matches no reference
// (at 1 %) becomes one, and a reference counts as normal once windows have
// matched it for 48 buckets. Its χ² tail probability, scored like the
// others, can raise a bucket's score when the spans or the CUSUM already
// give it at least 0.25 and, unless TwoSided, the window's mean is above
// the reference's (Point.Entropy, Point.Novel). Its scores are either low
// or near 1, so events it completes start at the same bucket whatever the
// threshold: it flattens the score's dependence on the threshold.
//
// # Events
//
// An event starts (Point.Onset) when the score reaches Config.Threshold
// and no event is under way; it ends once the score has stayed below half
// the threshold for Config.Refractory. Alert on Onset, not on every bucket
// above the threshold. Point.AlertScore, which RunCSV writes, is the score
// with the later buckets of an event set to 0.
//
// # Properties
//
// The detector is causal (a verdict uses data up to its bucket only) and
// streaming: O(1) work per bucket plus a median over SeasonDays or Weeks
// values when an hourly bin or a day closes. Missing buckets are zeros by
// default (no post, no row) where a zero is plausible (counts expected at
// 9.2 or fewer per bucket) and skipped otherwise, or always skipped
// (Config.Gap); NaN is a missing
// value, reported with score 0 and not learnt from; late or duplicate
// timestamps are scored but not learnt from.
//
// Subpackage nab scores detections with the Numenta Anomaly Benchmark's
// rules for offline evaluation.
package detect
