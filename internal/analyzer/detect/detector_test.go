package detect_test

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/backlash-monitor/backlash/internal/analyzer/detect"
)

const step = 5 * time.Minute

// start is a Monday, so day-of-week effects line up with the calendar.
var start = time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)

// rate is the expected tweets per 5 minutes of a topic with a daily cycle
// (quiet at 04:00, busiest at 16:00) and quieter weekends.
func rate(base float64, t time.Time) float64 {
	h := float64(t.Hour()) + float64(t.Minute())/60
	r := base * (1 + 0.8*math.Sin(2*math.Pi*(h-10)/24))
	if wd := t.Weekday(); wd == time.Saturday || wd == time.Sunday {
		r *= 0.6
	}
	return r
}

// poisson draws a Poisson count (normal approximation above 50).
func poisson(rng *rand.Rand, lambda float64) float64 {
	if lambda > 50 {
		return math.Max(0, math.Round(lambda+math.Sqrt(lambda)*rng.NormFloat64()))
	}
	l, k, p := math.Exp(-lambda), 0.0, 1.0
	for {
		p *= rng.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

// series is a synthetic 5-minute volume series.
type series struct {
	times  []time.Time
	values []float64
}

// synth builds days of Poisson volume around rate(base) times mult(t).
func synth(seed uint64, days int, base float64, mult func(time.Time) float64) series {
	rng := rand.New(rand.NewPCG(seed, 1))
	var s series
	for t := start; t.Before(start.Add(time.Duration(days) * 24 * time.Hour)); t = t.Add(step) {
		m := 1.0
		if mult != nil {
			m = mult(t)
		}
		s.times = append(s.times, t)
		s.values = append(s.values, poisson(rng, rate(base, t)*m))
	}
	return s
}

func run(cfg detect.Config, s series) []detect.Point {
	d := detect.New(cfg)
	out := make([]detect.Point, 0, len(s.times))
	for i, t := range s.times {
		out = append(out, d.Update(t, s.values[i]))
	}
	return out
}

func onsets(ps []detect.Point) []time.Time {
	var out []time.Time
	for _, p := range ps {
		if p.Onset {
			out = append(out, p.Time)
		}
	}
	return out
}

func at(day int, hour, minute int) time.Time {
	return start.Add(time.Duration(day)*24*time.Hour + time.Duration(hour)*time.Hour + time.Duration(minute)*time.Minute)
}

func TestSynthetic(t *testing.T) {
	eventDay := 15 // a Tuesday, two weeks in
	cases := []struct {
		name string
		base float64
		mult func(time.Time) float64
		// want is the window in which the first onset after the
		// warm-up must fall; zero means no onset at all.
		wantFrom, wantTo time.Time
		maxOnsets        int
	}{
		{name: "daily cycle, no anomaly", base: 40},
		{name: "quiet topic, no anomaly", base: 0.5},
		{name: "step", base: 40,
			mult: func(t time.Time) float64 {
				if !t.Before(at(eventDay, 11, 0)) {
					return 3
				}
				return 1
			},
			wantFrom: at(eventDay, 11, 0), wantTo: at(eventDay, 11, 30), maxOnsets: 2},
		{name: "ramp fires on the rise", base: 40,
			// Rises linearly from ×1 at 08:00 to ×6 at 14:00, then falls back by 20:00.
			mult: func(t time.Time) float64 {
				x := t.Sub(at(eventDay, 8, 0)).Hours()
				switch {
				case x < 0 || x > 12:
					return 1
				case x <= 6:
					return 1 + 5*x/6
				default:
					return 6 - 5*(x-6)/6
				}
			},
			wantFrom: at(eventDay, 8, 0), wantTo: at(eventDay, 11, 0), maxOnsets: 1},
		{name: "single spike", base: 40,
			mult: func(t time.Time) float64 {
				if t.Equal(at(eventDay, 15, 0)) {
					return 8
				}
				return 1
			},
			wantFrom: at(eventDay, 15, 0), wantTo: at(eventDay, 15, 0), maxOnsets: 1},
		{name: "spike on a quiet topic", base: 0.5,
			mult: func(t time.Time) float64 {
				if t.Equal(at(eventDay, 15, 0)) {
					return 60
				}
				return 1
			},
			wantFrom: at(eventDay, 15, 0), wantTo: at(eventDay, 15, 0), maxOnsets: 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for seed := uint64(1); seed <= 3; seed++ {
				s := synth(seed, 21, tc.base, tc.mult)
				ps := run(detect.DefaultConfig(), s)
				var got []time.Time
				for _, o := range onsets(ps) {
					if !o.Before(at(3, 0, 0)) { // after the cold start
						got = append(got, o)
					}
				}
				if tc.wantFrom.IsZero() {
					if len(got) > 0 {
						t.Errorf("seed %d: false alarms at %v", seed, got)
					}
					continue
				}
				if len(got) == 0 {
					t.Errorf("seed %d: no onset, want one in [%v, %v]", seed, tc.wantFrom, tc.wantTo)
					continue
				}
				if got[0].Before(tc.wantFrom) || got[0].After(tc.wantTo) {
					t.Errorf("seed %d: first onset at %v, want in [%v, %v] (all: %v)", seed, got[0], tc.wantFrom, tc.wantTo, got)
				}
				if len(got) > tc.maxOnsets {
					t.Errorf("seed %d: %d onsets, want at most %d: %v", seed, len(got), tc.maxOnsets, got)
				}
			}
		})
	}
}

// TestLunchtimeIsNotASpike checks that the seasonal baseline follows the
// daily and weekly cycles: the afternoon peak is expected, not anomalous,
// and so is a quiet weekend, and the Monday after it, once two weekends
// have been seen.
func TestLunchtimeIsNotASpike(t *testing.T) {
	s := synth(7, 22, 40, nil) // the last week runs Tuesday to Monday
	ps := run(detect.DefaultConfig(), s)
	for _, p := range ps[len(ps)-7*288:] { // the third week
		want := rate(40, p.Time)
		if math.Abs(p.Expected-want) > 0.25*want+3 {
			t.Errorf("%v: expected %.1f, true rate %.1f", p.Time, p.Expected, want)
		}
		if p.Score >= 0.5 {
			t.Errorf("%v: score %.2f on a normal day", p.Time, p.Score)
		}
	}
}

// TestMondayAfterQuietSunday checks the day-of-week correction: after
// weeks of history, Monday is expected at weekday level, not Sunday's.
func TestMondayAfterQuietSunday(t *testing.T) {
	s := synth(11, 29, 40, nil) // ends on the fifth Monday
	ps := run(detect.DefaultConfig(), s)
	monday := ps[len(ps)-288:]
	for _, p := range monday {
		if p.Time.Weekday() != time.Monday {
			t.Fatalf("last day is %v", p.Time.Weekday())
		}
		want := rate(40, p.Time)
		if p.Expected < 0.75*want-3 {
			t.Errorf("%v: expected %.1f, weekday rate %.1f: Sunday's quiet leaked into Monday", p.Time, p.Expected, want)
		}
	}
}

func TestColdStart(t *testing.T) {
	s := synth(3, 4, 40, nil)
	ps := run(detect.DefaultConfig(), s)
	if got := onsets(ps); len(got) > 0 {
		t.Errorf("false alarms on normal data from a cold start: %v", got)
	}
	day1, day4 := ps[100], ps[3*288+100] // same time of day
	if !day1.ColdStart {
		t.Error("ColdStart not set on day 1")
	}
	if day4.ColdStart {
		t.Error("ColdStart still set on day 4")
	}
	w1 := (day1.Upper - day1.Expected) / math.Sqrt(day1.Expected+1)
	w4 := (day4.Upper - day4.Expected) / math.Sqrt(day4.Expected+1)
	if w1 <= w4 {
		t.Errorf("cold-start bounds not wider: relative width day 1 %.2f, day 4 %.2f", w1, w4)
	}
	if ps[0].Score != 0 || !ps[0].ColdStart {
		t.Errorf("first point: %+v", ps[0])
	}
	// The widening eases from ColdWiden to 1 over the warm-up and says so.
	if ps[0].Widen != 2 || !(day1.Widen > 1 && day1.Widen < 2) || day4.Widen != 1 {
		t.Errorf("Widen: first %v, day 1 %v, day 4 %v; want 2, in (1,2), 1", ps[0].Widen, day1.Widen, day4.Widen)
	}
	// An obvious spike on day 1 still fires.
	s.values[200] = 600
	ps = run(detect.DefaultConfig(), s)
	if !ps[200].Onset {
		t.Errorf("day-1 spike of 600 on ~40 not detected: %+v", ps[200])
	}
}

func TestGaps(t *testing.T) {
	full := synth(5, 14, 40, nil)
	gapFrom, gapTo := at(10, 9, 0), at(10, 13, 0)
	var s series
	for i, tm := range full.times {
		if !tm.Before(gapFrom) && tm.Before(gapTo) {
			continue
		}
		s.times = append(s.times, tm)
		s.values = append(s.values, full.values[i])
	}
	for _, gp := range []detect.GapPolicy{detect.GapZero, detect.GapSkip} {
		cfg := detect.DefaultConfig()
		cfg.Gap = gp
		ps := run(cfg, s)
		for _, p := range ps {
			if p.Time.After(at(3, 0, 0)) && p.Onset {
				t.Errorf("gap policy %v: false alarm at %v", gp, p.Time)
			}
		}
	}
	// NaN is skipped and scored 0; the detector carries on.
	d := detect.New(detect.DefaultConfig())
	for i, tm := range full.times[:3000] {
		v := full.values[i]
		if i%50 == 7 {
			v = math.NaN()
		}
		p := d.Update(tm, v)
		if math.IsNaN(v) && p.Score != 0 {
			t.Fatalf("NaN scored %v", p.Score)
		}
		if math.IsNaN(p.Score) || math.IsNaN(p.Expected) {
			t.Fatalf("row %d: NaN in %+v", i, p)
		}
	}
}

// TestGapZeroOnlyWherePlausible checks that GapZero reads a missing bucket
// as zero only for counts expected near zero: a busy topic's or a
// non-count series' missing rows are lost readings, skipped as GapSkip
// skips them, while a quiet topic's are zeros it learns from.
func TestGapZeroOnlyWherePlausible(t *testing.T) {
	gapFrom, gapTo := at(6, 9, 0), at(6, 15, 0)
	cases := []struct {
		name     string
		base     float64
		scale    float64 // values are multiplied by it (non-integer when not whole)
		zeroFill bool
	}{
		{"busy counts", 200, 1, false},
		{"quiet counts", 1, 1, true},
		{"non-count levels", 200, 1.37, false},
	}
	for _, c := range cases {
		full := synth(21, 9, c.base, nil)
		var s series
		for i, tm := range full.times {
			if !tm.Before(gapFrom) && tm.Before(gapTo) {
				continue
			}
			s.times = append(s.times, tm)
			s.values = append(s.values, full.values[i]*c.scale)
		}
		zero, skip := detect.DefaultConfig(), detect.DefaultConfig()
		skip.Gap = detect.GapSkip
		pz, ps := run(zero, s), run(skip, s)
		same := true
		for i := range pz {
			if pz[i].Expected != ps[i].Expected || pz[i].Score != ps[i].Score {
				same = false
				break
			}
		}
		if same == c.zeroFill {
			t.Errorf("%s: GapZero filled zeros %v, want %v", c.name, !same, c.zeroFill)
		}
	}
}

func TestOutOfOrderDoesNotChangeState(t *testing.T) {
	s := synth(9, 3, 40, nil)
	a, b := detect.New(detect.DefaultConfig()), detect.New(detect.DefaultConfig())
	for i, tm := range s.times {
		pa := a.Update(tm, s.values[i])
		if i == 400 {
			b.Update(s.times[10], 1e6) // late, ignored for learning
		}
		pb := b.Update(tm, s.values[i])
		if pa.Score != pb.Score || pa.Expected != pb.Expected {
			t.Fatalf("row %d: late point changed state: %+v vs %+v", i, pa, pb)
		}
	}
}

func TestInferredInterval(t *testing.T) {
	d := detect.New(detect.Config{})
	d.Update(start, 1)
	d.Update(start.Add(time.Minute), 1)
	if got := d.Interval(); got != time.Minute {
		t.Errorf("inferred interval %v, want 1m", got)
	}
}

// BenchmarkDetect measures Update on a four-week 5-minute series with a
// daily and weekly cycle. It reports points per wall second and points per
// CPU second of the process (user and system time, which includes the
// garbage collector): on a machine shared with other work the second is
// the one that says what one core sustains.
func BenchmarkDetect(b *testing.B) {
	s := synth(1, 28, 40, nil)
	d := detect.New(detect.DefaultConfig())
	n := len(s.times)
	c0, cpuOK := cpuTime()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		j := i % n
		d.Update(s.times[j].Add(time.Duration(i/n)*28*24*time.Hour), s.values[j])
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "points/s")
	if c1, _ := cpuTime(); cpuOK && c1 > c0 {
		b.ReportMetric(float64(b.N)/(c1-c0).Seconds(), "points/cpu-s")
	}
}

func TestConfigValidate(t *testing.T) {
	if err := detect.DefaultConfig().Validate(); err != nil {
		t.Errorf("default config: %v", err)
	}
	if err := (detect.Config{}).Validate(); err != nil {
		t.Errorf("zero config: %v", err)
	}
	bad := map[string]detect.Config{
		"Threshold":  {Threshold: 1.5},
		"Refractory": {Refractory: -time.Hour},
		"ColdWiden":  {ColdWiden: 0.5},
		"Transform":  {Transform: 9},
		"Spans":      {Spans: make([]time.Duration, 5)},
	}
	for field, c := range bad {
		if err := c.Validate(); err == nil || !strings.Contains(err.Error(), field) {
			t.Errorf("%s: error %v, want one naming the field", field, err)
		}
	}
	// An hourly series: the 0 and 30m spans both round to one bucket.
	hourly := detect.DefaultConfig()
	hourly.Interval = time.Hour
	full := synth(2, 21, 40, nil) // for its timestamps
	rng := rand.New(rand.NewPCG(2, 2))
	var s series
	for i := 0; i < len(full.times); i += 12 {
		s.times = append(s.times, full.times[i])
		s.values = append(s.values, poisson(rng, 12*rate(40, full.times[i])))
	}
	for _, p := range run(hourly, s) {
		if p.Onset && p.Time.After(at(3, 0, 0)) {
			t.Errorf("hourly series: false alarm at %v", p.Time)
		}
	}
}

// TestSmallLevelsAreNotFlooredLikeCounts checks that a series of small
// non-integer levels (a cost per click around 0.1) is judged on its own
// noise, not on the Poisson floor meant for counts, under which a 30 %
// jump would be invisible; and that the same series scaled to counts
// keeps the floor.
func TestSmallLevelsAreNotFlooredLikeCounts(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 1))
	jump := at(10, 12, 0)
	var s series
	for tt := start; tt.Before(start.Add(12 * 24 * time.Hour)); tt = tt.Add(step) {
		v := 0.1 * (1 + 0.2*math.Sin(2*math.Pi*float64(tt.Hour())/24)) * (1 + 0.02*rng.NormFloat64())
		if !tt.Before(jump) {
			v *= 1.3
		}
		s.times = append(s.times, tt)
		s.values = append(s.values, v)
	}
	got := onsets(run(detect.DefaultConfig(), s))
	fired, early := false, 0
	for _, o := range got {
		if o.Before(jump) {
			early++
		}
		if !o.Before(jump) && o.Sub(jump) <= time.Hour {
			fired = true
		}
	}
	// One in ten thousand per bucket and scale, over three scales and
	// 2,880 buckets, allows an onset or two in ten calm days.
	if early > 2 {
		t.Errorf("%d false onsets before the jump (onsets %v)", early, got)
	}
	if !fired {
		t.Errorf("a 30%% jump of a small level did not fire within the hour (onsets %v)", got)
	}
	// The same shape as small counts (0 or 1 per bucket): the Poisson
	// floor holds, so neither the calm days nor the jump's first hour,
	// which the counting noise swamps, fire (the long span may later).
	var c series
	for i, v := range s.values {
		c.times = append(c.times, s.times[i])
		c.values = append(c.values, math.Round(v*5))
	}
	for _, p := range run(detect.DefaultConfig(), c) {
		if p.Onset && p.Time.Before(jump.Add(time.Hour)) {
			t.Errorf("count series: onset at %v", p.Time)
		}
	}
}
