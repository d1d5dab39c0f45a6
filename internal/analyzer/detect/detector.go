package detect

import (
	"math"
	"slices"
	"time"
)

// Point is the detector's verdict on one bucket, with what an analyst needs
// to see why: what was observed, what was expected and how far apart they
// are in robust standard units.
type Point struct {
	// Time is the bucket's timestamp as given to Update.
	Time time.Time
	// Observed is the value given to Update (NaN for a missing value).
	Observed float64
	// Expected is the baseline: seasonal profile plus recent level.
	Expected float64
	// Lower and Upper bound the values this bucket could take without its
	// score at the first span (the single bucket by default) reaching the
	// detector's Threshold; a sustained rise can fire inside them. They are
	// wider during cold start.
	Lower, Upper float64
	// Deviation is the deviation, in robust standard units of the
	// transformed series, at the time scale (Config.Spans) that gave the
	// score; positive means above the baseline. It is not widened for cold
	// start.
	Deviation float64
	// Cusum is the accumulated excess of the bucket's deviations over 1
	// robust standard unit since they last stayed low (a one-sided CUSUM,
	// each bucket counting at most 3): how long and how far the series
	// has been running above its baseline.
	Cusum float64
	// Sustained is set when Cusum, rather than the deviation at one of
	// the spans, gave the score: a rise unusual for its persistence more
	// than its height.
	Sustained bool
	// Entropy is the relative-entropy statistic of the last reW buckets
	// (4 hours at 5 minutes): 2·W·KL of the histogram of their values
	// against the closest histogram the series has established as normal,
	// χ² with 4 degrees of freedom when the window is like it (0 until
	// one is established).
	Entropy float64
	// Novel is set when Entropy, rather than the deviation or the CUSUM,
	// gave the score: the recent values are distributed as the series has
	// not been before (a new level or a new shape), and the deviation
	// already made the bucket notable.
	Novel bool
	// Velocity is how fast the deviation at the shortest span is rising,
	// in robust standard units per hour (smoothed over that span).
	Velocity float64
	// Score is the calibrated anomaly score in [0,1]: a score s means a
	// deviation this large has a probability of about 10^(−8s) per bucket
	// under the series' own learnt tail (0.5: one in ten thousand), after
	// cold-start widening. The same threshold therefore means the same
	// thing on every series.
	Score float64
	// ColdStart is set while the history is shorter than Config.Warmup;
	// bounds are then widened and the score damped accordingly.
	ColdStart bool
	// Widen is the factor the bounds are widened by for a short history:
	// Config.ColdWiden at the first bucket, easing to 1 at Config.Warmup
	// and 1 after. Consumers that judge other evidence against the same
	// short history (a risk score's baselines) can discount it alike.
	Widen float64
	// Onset is set on the first bucket of an event: the score reached the
	// threshold and no event was under way.
	Onset bool
	// InEvent is set while an event is under way, from its onset until the
	// score has stayed below half the threshold for Config.Refractory.
	InEvent bool
	// EventStart is the onset time of the current event (zero if none).
	EventStart time.Time
	// Window is the history the baseline was built from: the time since
	// the first observation, capped at the seasonal window.
	Window time.Duration
}

const (
	madToSigma     = 1.2533  // mean absolute deviation → standard deviation (Gaussian)
	clipSigmas     = 4.0     // residuals beyond this many σ are clipped when learning
	minPoints      = 12      // buckets needed before any score is given
	maxSpans       = 4       // most smoothing spans a Detector keeps
	maxFillBuckets = 1 << 16 // longest gap zero-filled, in buckets, whatever MaxGapFill says
	relScaleFloor  = 1e-2    // noise floor of non-count series, relative to their level
	tinyScale      = 1e-12   // absolute noise floor of non-count series
	// zeroFillLevel is the highest expected count at which GapZero reads a
	// missing bucket as zero: a Poisson count of mean 9.2 is 0 with
	// probability 10⁻⁴, so above it a missing bucket is a lost reading.
	zeroFillLevel = 9.2
)

// Detector is a causal, streaming spike detector for one regular-interval
// series. Each Update costs O(1) amortised (O(SeasonDays + Weeks) once per
// seasonal bin). A Detector is not safe for concurrent use; use one per
// series.
type Detector struct {
	cfg Config

	interval time.Duration
	t0       time.Time
	lastIdx  int64
	n        int64 // buckets processed, gap-filled ones included
	nonNeg   bool  // every observation so far was >= 0
	counts   bool  // every observation so far was a non-negative integer

	aLevel, aLevelCold, aScale, aSlow float64
	nSpans                            int
	aSpan, spanFactor                 [maxSpans]float64
	bucketsPerHour                    float64

	// Seasonal profile: per bin of the season, a ring of past bin means.
	seasonOn  bool
	binSec    int64
	seasonSec int64
	nBins     int
	days      ring2
	med       []float64
	curBin    int64 // open bin: season index × nBins + position
	curBinPos int   // position of the open bin in the season
	binSum    float64
	binN      int

	// Day-of-week correction: per season of the week, a ring of past mean
	// residuals against the daily profile.
	weekOn   bool
	perWeek  int64
	dows     ring2
	dowMed   []float64
	curDay   int64
	daySum   float64 // sum of observations this day (with a profile)
	dayProf  float64 // sum of the profile over the same buckets
	dayN     int
	slow     float64           // slow mean, the baseline before any profile exists
	level    float64           // recent level on top of the seasonal profile
	mad      float64           // mean absolute residual
	sm       [maxSpans]float64 // smoothed residual per span
	smMad    [maxSpans]float64 // mean absolute smoothed residual per span
	prevZs   float64
	tails    [maxSpans]tail // per span
	cusum    float64        // one-sided CUSUM of the single-bucket deviation
	cTail    tail           // its learnt tail
	re       relEntropy     // relative-entropy test of the window's values
	vel      float64
	inEvent  bool
	evStart  time.Time
	quiet    int64 // buckets below half the threshold during an event
	quietMax int64
}

// New returns a Detector for cfg; zero fields take their defaults.
func New(cfg Config) *Detector {
	cfg = cfg.withDefaults()
	d := &Detector{cfg: cfg, nonNeg: true, counts: true}
	for k := range d.tails {
		d.tails[k] = newTail()
	}
	d.cTail = newTail()
	if cfg.Season > 0 {
		d.seasonOn = true
		bin := cfg.SeasonBin
		if bin > cfg.Season {
			bin = cfg.Season
		}
		d.binSec = int64(bin / time.Second)
		if d.binSec < 1 {
			d.binSec = 1
		}
		d.seasonSec = int64(cfg.Season / time.Second)
		if d.seasonSec < d.binSec {
			d.seasonSec = d.binSec
		}
		d.nBins = int((d.seasonSec + d.binSec - 1) / d.binSec)
		d.days = newRing2(d.nBins, cfg.SeasonDays)
		d.med = make([]float64, d.nBins)
		d.curBin = math.MinInt64
		if cfg.Week > 0 && cfg.Week%cfg.Season == 0 && cfg.Week > cfg.Season {
			d.weekOn = true
			d.perWeek = int64(cfg.Week / cfg.Season)
			d.dows = newRing2(int(d.perWeek), cfg.Weeks)
			d.dowMed = make([]float64, d.perWeek)
			d.curDay = math.MinInt64
		}
	}
	if cfg.Interval > 0 {
		d.setInterval(cfg.Interval)
	}
	return d
}

// Config returns the detector's configuration with defaults filled in.
func (d *Detector) Config() Config { return d.cfg }

// AlertScore is Score for a bucket that may start an event and 0 for the
// later buckets of an event already under way, so that thresholding it
// yields one detection per event. RunCSV writes it as anomaly_score.
func (p Point) AlertScore() float64 {
	if p.InEvent && !p.Onset {
		return 0
	}
	return p.Score
}

// Interval returns the bucket width, inferred or configured (0 before it
// is known).
func (d *Detector) Interval() time.Duration { return d.interval }

func halfLifeAlpha(h time.Duration, interval time.Duration) float64 {
	b := float64(h) / float64(interval)
	if b < 1 {
		b = 1
	}
	return 1 - math.Exp2(-1/b)
}

func (d *Detector) setInterval(iv time.Duration) {
	d.interval = iv
	d.aLevel = halfLifeAlpha(d.cfg.LevelHalfLife, iv)
	d.aLevelCold = halfLifeAlpha(d.cfg.LevelHalfLife/4, iv)
	d.aScale = halfLifeAlpha(d.cfg.ScaleHalfLife, iv)
	season := d.cfg.Season
	if season <= 0 {
		season = 24 * time.Hour
	}
	d.aSlow = halfLifeAlpha(season, iv)
	d.nSpans = 0
	var seen [maxSpans]float64
	for _, sp := range d.cfg.Spans {
		b := math.Max(1, math.Round(float64(sp)/float64(iv)))
		if slices.Contains(seen[:d.nSpans], b) {
			continue // two spans round to the same number of buckets
		}
		seen[d.nSpans] = b
		a := 2 / (b + 1)
		d.aSpan[d.nSpans] = a
		d.spanFactor[d.nSpans] = math.Sqrt(a / (2 - a))
		d.nSpans++
	}
	d.bucketsPerHour = float64(time.Hour) / float64(iv)
	d.quietMax = int64(math.Ceil(float64(d.cfg.Refractory) / float64(iv)))
}

// Update feeds the value of the bucket at t and returns the verdict on it.
// Timestamps must increase; a timestamp at or before the previous bucket is
// scored against the current baseline but does not change it. A NaN or
// infinite value is a missing observation: it is reported with score 0 and
// not learnt from.
// Missing buckets between two updates are handled per Config.Gap.
func (d *Detector) Update(t time.Time, v float64) Point {
	if d.n == 0 {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return Point{Time: t, Observed: v, Expected: math.NaN(), Lower: math.NaN(), Upper: math.NaN(), ColdStart: true, Widen: d.cfg.ColdWiden}
		}
		d.t0 = t
		d.lastIdx = 0
		return d.step(t, v, true)
	}
	if d.interval == 0 {
		if !t.After(d.t0) {
			return d.peek(t, v)
		}
		d.setInterval(t.Sub(d.t0))
	}
	idx := int64(math.Round(float64(t.Sub(d.t0)) / float64(d.interval)))
	if idx <= d.lastIdx || math.IsNaN(v) || math.IsInf(v, 0) {
		return d.peek(t, v)
	}
	if gap := idx - d.lastIdx - 1; gap > 0 && gap <= maxFillBuckets && d.cfg.Gap == GapZero &&
		time.Duration(gap)*d.interval <= d.cfg.MaxGapFill && d.zeroPlausible(d.t0.Add(time.Duration(d.lastIdx+1)*d.interval)) {
		for j := d.lastIdx + 1; j < idx; j++ {
			d.step(d.t0.Add(time.Duration(j)*d.interval), 0, false)
		}
	}
	d.lastIdx = idx
	return d.step(t, v, true)
}

// zeroPlausible says whether a missing bucket at t can be read as a zero:
// the series is counts (every value a non-negative integer) and its
// expected count there is low enough that an empty bucket happens
// (zeroFillLevel). A series of other values (a speed, a latency, a rate),
// or counts far from zero, reports a missing row because a reading was
// lost, and zeros would teach its baseline a collapse that never happened.
func (d *Detector) zeroPlausible(t time.Time) bool {
	if !d.counts {
		return false
	}
	e, _, _ := d.baseline(d.localSec(t))
	return d.inverse(e) <= zeroFillLevel
}

func (d *Detector) transform(v float64) float64 {
	switch d.cfg.Transform {
	case TransformSqrt:
		if v < 0 {
			return -math.Sqrt(-v)
		}
		return math.Sqrt(v)
	case TransformLog:
		if v < 0 {
			return -math.Log1p(-v)
		}
		return math.Log1p(v)
	}
	return v
}

func (d *Detector) inverse(y float64) float64 {
	if d.nonNeg && d.cfg.Transform != TransformNone && y < 0 {
		y = 0
	}
	switch d.cfg.Transform {
	case TransformSqrt:
		if y < 0 {
			return -y * y
		}
		return y * y
	case TransformLog:
		if y < 0 {
			return -math.Expm1(-y)
		}
		return math.Expm1(y)
	}
	return y
}

func (d *Detector) localSec(t time.Time) int64 {
	s := t.Unix()
	if d.cfg.Location != time.UTC {
		_, off := t.In(d.cfg.Location).Zone()
		s += int64(off)
	}
	return s
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func floorMod(a, b int64) int64 { return a - floorDiv(a, b)*b }

// seasonal returns the daily-profile value at local second ls, if any
// profile exists yet. It interpolates between neighbouring bin medians.
func (d *Detector) seasonal(ls int64) (float64, bool) {
	if !d.seasonOn {
		return 0, false
	}
	pos := float64(floorMod(ls, d.seasonSec))/float64(d.binSec) - 0.5
	i0 := int(math.Floor(pos))
	f := pos - float64(i0)
	i1 := i0 + 1
	if i0 < 0 {
		i0 += d.nBins
	}
	if i1 >= d.nBins {
		i1 -= d.nBins
	}
	ok0, ok1 := d.days.n[i0] > 0, d.days.n[i1] > 0
	switch {
	case ok0 && ok1:
		return d.med[i0]*(1-f) + d.med[i1]*f, true
	case ok0:
		return d.med[i0], true
	case ok1:
		return d.med[i1], true
	}
	return 0, false
}

// roll closes the seasonal bin and day that ls has left.
func (d *Detector) roll(ls int64) {
	if !d.seasonOn {
		return
	}
	pos := floorMod(ls, d.seasonSec) / d.binSec
	if b := floorDiv(ls, d.seasonSec)*int64(d.nBins) + pos; b != d.curBin {
		if d.binN > 0 {
			i := d.curBinPos
			d.days.push(i, d.binSum/float64(d.binN))
			d.med[i] = d.days.median(i)
		}
		d.curBin, d.curBinPos, d.binSum, d.binN = b, int(pos), 0, 0
	}
	if !d.weekOn {
		return
	}
	if day := floorDiv(ls, d.seasonSec); day != d.curDay {
		// A day counts when it has a profile over at least half of it.
		if d.dayN > 0 && 2*float64(d.dayN)*d.interval.Seconds() >= float64(d.seasonSec) && d.dayProf > 0 {
			i := int(floorMod(d.curDay, d.perWeek))
			d.dows.push(i, d.daySum/d.dayProf)
			d.dowMed[i] = d.dows.median(i)
		}
		d.curDay, d.daySum, d.dayProf, d.dayN = day, 0, 0, 0
	}
}

// baseline returns the expected transformed value at ls, the daily profile
// value and whether a profile exists.
func (d *Detector) baseline(ls int64) (exp, daily float64, ok bool) {
	daily, ok = d.seasonal(ls)
	if !ok {
		return d.slow + d.level, 0, false
	}
	s := daily
	if d.weekOn {
		if i := floorMod(floorDiv(ls, d.seasonSec), d.perWeek); d.dows.n[i] >= 2 {
			s *= d.dowMed[i]
		}
	}
	return s + d.level, daily, true
}

// minScale is the floor of the noise scale: Config.MinScale while the
// series looks like counts (every value a non-negative integer), where it
// is the Poisson floor; for other values, which can be of any magnitude,
// a thousandth of the series' typical transformed level.
func (d *Detector) minScale() float64 {
	if d.counts || d.cfg.Transform == TransformNone {
		return d.cfg.MinScale
	}
	return math.Max(relScaleFloor*math.Abs(d.slow), tinyScale)
}

func (d *Detector) sigma() float64 {
	return math.Max(madToSigma*d.mad, d.minScale())
}

func (d *Detector) spanSigma(k int) float64 {
	return math.Max(madToSigma*d.smMad[k], d.minScale()*d.spanFactor[k])
}

func (d *Detector) widen() float64 {
	if d.interval == 0 {
		return d.cfg.ColdWiden
	}
	h := time.Duration(d.n) * d.interval
	if h >= d.cfg.Warmup {
		return 1
	}
	return 1 + (d.cfg.ColdWiden-1)*(1-float64(h)/float64(d.cfg.Warmup))
}

func (d *Detector) window() time.Duration {
	h := time.Duration(d.n) * d.interval
	if d.seasonOn {
		if w := time.Duration(d.cfg.SeasonDays) * d.cfg.Season; h > w {
			h = w
		}
	}
	return h
}

// peek scores v at t against the current state without changing it.
func (d *Detector) peek(t time.Time, v float64) Point {
	p := Point{Time: t, Observed: v, ColdStart: d.widen() > 1, Widen: d.widen(), InEvent: d.inEvent, EventStart: d.evStart, Window: d.window()}
	e, _, _ := d.baseline(d.localSec(t))
	w := d.widen()
	sg := d.sigma()
	p.Expected = d.inverse(e)
	zt := d.tails[0].zAt(d.cfg.Threshold) * w * sg
	p.Lower = d.inverse(e - zt)
	p.Upper = d.inverse(e + zt)
	if math.IsNaN(v) || math.IsInf(v, 0) || d.n < minPoints {
		return p
	}
	z := (d.transform(v) - e) / sg
	p.Deviation = z
	if !d.cfg.TwoSided && z < 0 {
		z = 0
	}
	p.Score = d.tails[0].score(math.Abs(z) / w)
	return p
}

// step processes one bucket. Gap-filled buckets (emit false) learn and may
// end an event but never start one.
func (d *Detector) step(t time.Time, v float64, emit bool) Point {
	if v < 0 {
		d.nonNeg = false
	}
	if d.counts && (v < 0 || v != math.Trunc(v)) {
		d.counts = false
	}
	y := d.transform(v)
	ls := d.localSec(t)
	d.roll(ls)
	e, daily, ok := d.baseline(ls)
	d.n++

	var p Point
	p.Time, p.Observed = t, v

	if d.n == 1 {
		d.slow = y
		d.level = 0
		d.binSum, d.binN = y, 1
		p.Expected, p.Lower, p.Upper = v, math.NaN(), math.NaN()
		p.ColdStart, p.Widen = true, d.widen()
		return p
	}

	sg := d.sigma()
	r := y - e
	warm := d.n > minPoints
	// Learning weights: plain means until the EWMA horizon is reached.
	wt := func(a float64) float64 {
		if inv := 1 / float64(d.n-1); inv > a {
			return inv
		}
		return a
	}
	clip := func(x, s float64) float64 {
		if !warm {
			return x
		}
		return math.Max(-clipSigmas*s, math.Min(clipSigmas*s, x))
	}

	// Deviation at each scale (0 = one bucket), each scored through its
	// own tail; the bucket's score is the best of them.
	var zk, ssg [maxSpans]float64
	for k := 0; k < d.nSpans; k++ {
		d.sm[k] += d.aSpan[k] * (r - d.sm[k])
		ssg[k] = d.spanSigma(k)
		zk[k] = d.sm[k] / ssg[k]
	}
	zs := zk[0] // shortest span's deviation, for the velocity
	w := d.widen()
	if warm {
		best := -1.0
		for k := 0; k < d.nSpans; k++ {
			z := zk[k]
			if !d.cfg.TwoSided && z < 0 {
				z = 0
			}
			z = math.Abs(z)
			if sc := d.tails[k].score(z / w); sc > best || (sc == best && math.Abs(zk[k]) > math.Abs(p.Deviation)) {
				best, p.Deviation = sc, zk[k]
			}
			d.tails[k].learn(z)
		}
		// A sustained rise: the one-sided CUSUM of the bucket's deviation,
		// scored through its own tail like the spans.
		u := math.Max(-cusumClip, math.Min(cusumClip, r/sg))
		d.cusum = math.Max(0, d.cusum+u-cusumK)
		p.Cusum = d.cusum
		zc := d.cusum / cusumNorm
		if sc := d.cTail.score(zc / w); sc > best {
			best = sc
			p.Sustained = true
		}
		d.cTail.learn(zc)
		// A new shape: the last hours' distribution of values matches
		// none the series has established. It can raise a score the
		// deviation already makes notable (reAgree) and, unless TwoSided,
		// only when the window sits above the state it is closest to.
		st, rise := d.re.update(y)
		p.Entropy = st
		if w <= 1 && best >= reAgree && (d.cfg.TwoSided || rise > 0) {
			if rs := chi2Score4(st); rs > best {
				best = rs
				p.Sustained, p.Novel = false, true
			}
		}
		p.Score = best
		d.vel += d.aSpan[0] * ((zs - d.prevZs) - d.vel)
		p.Velocity = d.vel * d.bucketsPerHour
	}
	if !warm {
		d.re.update(y)
	}
	d.prevZs = zs
	p.Expected = d.inverse(e)
	zt := d.tails[0].zAt(d.cfg.Threshold) * w * sg
	p.Lower = d.inverse(e - zt)
	p.Upper = d.inverse(e + zt)
	p.ColdStart, p.Widen = w > 1, w

	// Learn.
	rc := clip(r, sg)
	if ok {
		d.level += d.aLevel * rc
	} else {
		d.level += wt(d.aLevelCold) * rc
	}
	d.mad += wt(d.aScale) * (math.Abs(rc) - d.mad)
	for k := 0; k < d.nSpans; k++ {
		d.smMad[k] += wt(d.aScale) * (math.Abs(clip(d.sm[k], ssg[k])) - d.smMad[k])
	}
	d.slow += wt(d.aSlow) * (y - d.slow)
	d.binSum += y
	d.binN++
	if ok && d.weekOn {
		d.daySum += y
		d.dayProf += daily
		d.dayN++
	}

	// Events.
	if d.inEvent {
		if p.Score < d.cfg.Threshold/2 {
			d.quiet++
			if d.quiet >= d.quietMax {
				d.inEvent = false
				d.evStart = time.Time{}
			}
		} else {
			d.quiet = 0
		}
	} else if emit && p.Score >= d.cfg.Threshold {
		d.inEvent, d.evStart, d.quiet = true, t, 0
		p.Onset = true
	}
	p.InEvent, p.EventStart = d.inEvent, d.evStart
	p.Window = d.window()
	return p
}

const (
	cusumK    = 1.0 // CUSUM drift: a rise of more than 2 robust standard units accumulates
	cusumClip = 3.0 // each bucket adds at most this much, so a lone spike is left to the spans
	// cusumNorm divides the CUSUM before its tail learns and scores it,
	// so that the tail's prior (tailB0, the mean excess of Gaussian
	// deviations, weighing as tailPrior exceedances and still felt after
	// weeks) is of the CUSUM's own size: on noise the CUSUM's mean excess
	// is about tailB0 undivided and half of it divided by 2 (see
	// TestCusumTailMatchesPrior). Divided by 4, as before, its excess
	// was a third of the prior's, which held the tail heavy through a
	// series' first weeks and scored sustained rises low. Undivided fits
	// the prior best, but lets runs of ones and twos on a topic of half a
	// post per bucket (a square root's deviations are coarse there) raise
	// false alarms; 2 does not.
	cusumNorm = 2.0
)

const (
	tailQ      = 0.05  // exceedance probability of the tail's anchor quantile
	tailU0     = 1.645 // its prior: the Gaussian 95% quantile
	tailB0     = 0.42  // prior mean excess: the Gaussian's over tailU0
	tailPrior  = 20    // weight of the prior, in exceedances
	tailMaxN   = 500   // horizon of the mean excess, in exceedances
	tailStep   = 0.05  // step of the quantile tracker, in standard units
	scoreDecad = 8     // score 1 ⇔ tail probability 10^-scoreDecad
)

// tail is the upper tail of one deviation statistic, learnt online by
// peaks over threshold: above the running 95% quantile u the tail
// probability is modelled as exponential, p = 0.05·exp(−(z−u)/β), with β the
// mean excess over u. A heavy-tailed series (frequent harmless bursts) thus
// needs a larger deviation for the same score than a quiet one.
type tail struct {
	u, b, n float64
}

func newTail() tail { return tail{u: tailU0, b: tailB0} }

// score maps a deviation to [0,1]: −log10(p)/8, so 0.5 means p = 10^-4
// per bucket and 1 means p ≤ 10^-8.
func (t *tail) score(z float64) float64 {
	lp := math.Log10(tailQ) - (z-t.u)/t.b/math.Ln10
	return math.Max(0, math.Min(1, -lp/scoreDecad))
}

// zAt is the deviation at which the score reaches s.
func (t *tail) zAt(s float64) float64 {
	return t.u + t.b*(s*scoreDecad+math.Log10(tailQ))*math.Ln10
}

// learn updates the anchor quantile and the mean excess with z.
func (t *tail) learn(z float64) {
	if z > t.u {
		t.n++
		a := math.Max(1/(t.n+tailPrior), 1.0/tailMaxN)
		t.b += a * ((z - t.u) - t.b)
		t.u += tailStep * (1 - tailQ)
	} else {
		t.u -= tailStep * tailQ
	}
}
