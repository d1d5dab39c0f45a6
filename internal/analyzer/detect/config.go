package detect

import (
	"fmt"
	"time"
)

// Transform is the variance-stabilising transform applied to values before
// the baseline is modelled. Deviations are measured in transformed units.
type Transform int

const (
	// TransformSqrt takes the (sign-preserving) square root. It suits counts:
	// Poisson noise becomes roughly constant (standard deviation 0.5), so a
	// quiet night and a busy afternoon are judged on the same scale.
	TransformSqrt Transform = iota
	// TransformNone models raw values. Use it for shares and other bounded
	// or already well-behaved series, together with a suitable MinScale.
	TransformNone
	// TransformLog models log(1+v) (sign-preserving). It suits series whose
	// noise grows in proportion to their level, such as reach-weighted volume.
	TransformLog
)

// String returns the transform's name.
func (t Transform) String() string {
	switch t {
	case TransformSqrt:
		return "sqrt"
	case TransformNone:
		return "none"
	case TransformLog:
		return "log"
	}
	return fmt.Sprintf("Transform(%d)", int(t))
}

// GapPolicy says how missing buckets between two observations are treated.
type GapPolicy int

const (
	// GapZero treats missing buckets as zero observations, which is what a
	// missing bucket means for a volume series built from posts (no post,
	// no row), where a zero is plausible: the series is counts (every
	// value a non-negative integer) expected at 9.2 or fewer per bucket
	// there (a Poisson count of that mean is 0 once in ten thousand).
	// Elsewhere (a speed, a latency, a busy topic) a missing bucket is a
	// lost reading and is skipped as under GapSkip, as are gaps longer
	// than Config.MaxGapFill.
	GapZero GapPolicy = iota
	// GapSkip leaves the baselines untouched across a gap: the next
	// observation is scored as if it directly followed the previous one,
	// with time-of-day and day-of-week taken from its own timestamp.
	GapSkip
)

// String returns the policy's name.
func (g GapPolicy) String() string {
	switch g {
	case GapZero:
		return "zero"
	case GapSkip:
		return "skip"
	}
	return fmt.Sprintf("GapPolicy(%d)", int(g))
}

// Config parameterises a Detector. The zero value of a field means "use the
// default" (see DefaultConfig), so Config{Interval: time.Minute} is valid.
type Config struct {
	// Interval is the bucket width of the series. 0 infers it from the
	// first two distinct timestamps.
	Interval time.Duration
	// Season is the length of the main cycle (24h). Negative disables the
	// seasonal profile; the baseline is then the recent level alone.
	Season time.Duration
	// Week is the length of the long cycle (7 × 24h), modelled as a
	// per-day-of-week factor on the daily profile: the median, over the
	// last Weeks weeks, of that day's total relative to its profile.
	// Negative disables it.
	Week time.Duration
	// SeasonBin is the resolution of the seasonal profile (1h). Each bin
	// holds the bin means of the last SeasonDays cycles; the baseline is
	// their median, interpolated between neighbouring bins.
	SeasonBin time.Duration
	// SeasonDays is how many past cycles the seasonal median covers (7).
	SeasonDays int
	// Weeks is how many past weeks the day-of-week correction covers (4).
	Weeks int
	// LevelHalfLife is the half-life of the recent level blended onto the
	// seasonal profile (3h). It absorbs slow growth and lasting shifts.
	LevelHalfLife time.Duration
	// ScaleHalfLife is the half-life of the robust noise scale (24h).
	ScaleHalfLife time.Duration
	// Spans are the time scales at which the residual is smoothed (an EWMA
	// of that span) and scored: 0 (or anything up to the interval) is the
	// single bucket, and longer spans let a sustained rise fire before any
	// single bucket is extreme (0, 30m, 3h; at most 4). Each scale has its
	// own robust scale and learnt tail; the score is the best of them.
	Spans []time.Duration
	// Warmup is the history below which the detector reports ColdStart and
	// widens its bounds (2 × Season, or 24h without a season).
	Warmup time.Duration
	// ColdWiden multiplies the bounds at the very start; the factor decays
	// linearly to 1 over Warmup (2).
	ColdWiden float64
	// Transform is the variance-stabilising transform (TransformSqrt).
	Transform Transform
	// MinScale floors the noise scale, in transformed units (0.5, the
	// Poisson floor for square-rooted counts). With TransformSqrt or
	// TransformLog it applies while every value seen is a non-negative
	// integer (counts); a series with other values (levels, rates, shares)
	// is floored at 1 % of its typical transformed level instead. With
	// TransformNone it always applies: set it to the smallest meaningful
	// change.
	MinScale float64
	// TwoSided also scores drops. By default only rises are anomalous.
	TwoSided bool
	// Gap is the policy for missing buckets (GapZero).
	Gap GapPolicy
	// MaxGapFill bounds zero-filling under GapZero (24h, and never more
	// than 65536 buckets); longer gaps are skipped.
	MaxGapFill time.Duration
	// Threshold is the score at which an event starts (0.5).
	Threshold float64
	// Refractory is how long the score must stay below Threshold/2 before
	// an event ends and a new onset may fire (6h).
	Refractory time.Duration
	// Location gives time-of-day and day-of-week (UTC).
	Location *time.Location
}

// DefaultConfig returns the configuration used in production for 5-minute
// volume series; the interval is inferred.
func DefaultConfig() Config {
	return Config{
		Season:        24 * time.Hour,
		Week:          7 * 24 * time.Hour,
		SeasonBin:     time.Hour,
		SeasonDays:    7,
		Weeks:         4,
		LevelHalfLife: 24 * time.Hour,
		ScaleHalfLife: 24 * time.Hour,
		Spans:         []time.Duration{0, 30 * time.Minute, 3 * time.Hour},
		ColdWiden:     2,
		Transform:     TransformSqrt,
		MinScale:      0.5,
		Gap:           GapZero,
		MaxGapFill:    24 * time.Hour,
		Threshold:     0.5,
		Refractory:    6 * time.Hour,
		Location:      time.UTC,
	}
}

// Validate reports the first field that New would not use as given:
// negative durations or counts (other than Season and Week, where negative
// disables), a Threshold outside (0,1], a ColdWiden below 1, too many
// Spans, or an unknown Transform or Gap. Zero fields are valid: they take
// their defaults.
func (c Config) Validate() error {
	durs := []struct {
		name string
		d    time.Duration
	}{
		{"Interval", c.Interval}, {"SeasonBin", c.SeasonBin}, {"LevelHalfLife", c.LevelHalfLife},
		{"ScaleHalfLife", c.ScaleHalfLife}, {"Warmup", c.Warmup}, {"MaxGapFill", c.MaxGapFill},
		{"Refractory", c.Refractory},
	}
	for _, f := range durs {
		if f.d < 0 {
			return fmt.Errorf("detect config: %s is negative (%v)", f.name, f.d)
		}
	}
	for i, sp := range c.Spans {
		if sp < 0 {
			return fmt.Errorf("detect config: Spans[%d] is negative (%v)", i, sp)
		}
	}
	switch {
	case len(c.Spans) > maxSpans:
		return fmt.Errorf("detect config: %d Spans, at most %d", len(c.Spans), maxSpans)
	case c.SeasonDays < 0:
		return fmt.Errorf("detect config: SeasonDays is negative (%d)", c.SeasonDays)
	case c.Weeks < 0:
		return fmt.Errorf("detect config: Weeks is negative (%d)", c.Weeks)
	case c.Threshold < 0 || c.Threshold > 1 || c.Threshold != c.Threshold:
		return fmt.Errorf("detect config: Threshold %v is outside (0,1]", c.Threshold)
	case c.ColdWiden != 0 && !(c.ColdWiden >= 1):
		return fmt.Errorf("detect config: ColdWiden %v is below 1", c.ColdWiden)
	case c.MinScale < 0 || c.MinScale != c.MinScale:
		return fmt.Errorf("detect config: MinScale %v is negative", c.MinScale)
	case c.Transform < TransformSqrt || c.Transform > TransformLog:
		return fmt.Errorf("detect config: unknown Transform %v", c.Transform)
	case c.Gap < GapZero || c.Gap > GapSkip:
		return fmt.Errorf("detect config: unknown Gap %v", c.Gap)
	}
	return nil
}

// withDefaults fills zero fields from DefaultConfig.
func (c Config) withDefaults() Config {
	d := DefaultConfig()
	if c.Season == 0 {
		c.Season = d.Season
	}
	if c.Week == 0 {
		c.Week = d.Week
	}
	if c.SeasonBin <= 0 {
		c.SeasonBin = d.SeasonBin
	}
	if c.SeasonDays <= 0 {
		c.SeasonDays = d.SeasonDays
	}
	if c.Weeks <= 0 {
		c.Weeks = d.Weeks
	}
	if c.LevelHalfLife <= 0 {
		c.LevelHalfLife = d.LevelHalfLife
	}
	if c.ScaleHalfLife <= 0 {
		c.ScaleHalfLife = d.ScaleHalfLife
	}
	if len(c.Spans) == 0 {
		c.Spans = d.Spans
	}
	if len(c.Spans) > maxSpans {
		c.Spans = c.Spans[:maxSpans]
	}
	if c.Warmup <= 0 {
		if c.Season > 0 {
			c.Warmup = 2 * c.Season
		} else {
			c.Warmup = 24 * time.Hour
		}
	}
	if !(c.ColdWiden >= 1) {
		c.ColdWiden = d.ColdWiden
	}
	if !(c.MinScale > 0) {
		c.MinScale = d.MinScale
	}
	if c.MaxGapFill <= 0 {
		c.MaxGapFill = d.MaxGapFill
	}
	if !(c.Threshold > 0 && c.Threshold <= 1) {
		c.Threshold = d.Threshold
	}
	if c.Refractory <= 0 {
		c.Refractory = d.Refractory
	}
	if c.Location == nil {
		c.Location = d.Location
	}
	return c
}
