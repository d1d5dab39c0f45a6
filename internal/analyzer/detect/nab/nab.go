// Package nab scores anomaly detections the way the Numenta Anomaly
// Benchmark (NAB) does, so a detector can be evaluated offline on labelled
// series. It implements NAB's sweep scorer: probationary period, scaled
// sigmoid weighting of the earliest detection in each window, false
// positives weighted by their distance past the previous window, and the
// normalised score 100·(raw − null)/(perfect − null).
//
// It is an evaluation tool: nothing in the product depends on it or on the
// benchmark's data files.
package nab

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"time"
)

// Profile is a NAB cost matrix.
type Profile struct {
	TPWeight float64 `json:"tpWeight"`
	FNWeight float64 `json:"fnWeight"`
	FPWeight float64 `json:"fpWeight"`
	TNWeight float64 `json:"tnWeight"`
}

// Standard is NAB's standard profile.
var Standard = Profile{TPWeight: 1, FNWeight: 1, FPWeight: 0.11, TNWeight: 1}

// Window is a labelled anomaly window, both ends inclusive.
type Window struct {
	Start, End time.Time
}

// Result is the score of one series (or, summed, of a corpus).
type Result struct {
	// Raw is the sum of the window scores and false-positive costs.
	Raw float64
	// Null and Perfect are the raw scores of a detector that never fires
	// and of one that fires at the first row of every window.
	Null, Perfect float64
	// TP, FN and FP count detected windows, missed windows and detections
	// outside every window (after the probationary period).
	TP, FN, FP int
}

// Add returns the sum of two results, for scoring a corpus.
func (r Result) Add(o Result) Result {
	return Result{Raw: r.Raw + o.Raw, Null: r.Null + o.Null, Perfect: r.Perfect + o.Perfect,
		TP: r.TP + o.TP, FN: r.FN + o.FN, FP: r.FP + o.FP}
}

// Normalized returns 100·(Raw − Null)/(Perfect − Null), NAB's reported
// figure (0 for a result with no windows).
func (r Result) Normalized() float64 {
	if r.Perfect == r.Null {
		return 0
	}
	return 100 * (r.Raw - r.Null) / (r.Perfect - r.Null)
}

// ProbationaryLength is the number of leading rows NAB leaves unscored:
// 15% of the rows, at most 750.
func ProbationaryLength(rows int) int {
	return int(math.Min(math.Floor(0.15*float64(rows)), 0.15*5000))
}

// scaledSigmoid is NAB's weighting, 2/(1+e^{5x}) − 1, and −1 beyond x > 3.
func scaledSigmoid(x float64) float64 {
	if x > 3 {
		return -1
	}
	return 2/(1+math.Exp(5*x)) - 1
}

// Score scores one series. times are the row timestamps in order, detected
// says whether each row is a detection (score at or above the threshold).
// A window's first row is the first at or after its start, its last row
// the last at or before its end.
func Score(times []time.Time, detected []bool, windows []Window, p Profile) Result {
	n := len(times)
	prob := ProbationaryLength(n)
	maxTP := scaledSigmoid(-1)

	// Row index ranges of the windows.
	type span struct{ l, r int }
	var spans []span
	for _, w := range windows {
		l, r := -1, -1
		for i, t := range times {
			if l < 0 && !t.Before(w.Start) {
				l = i
			}
			if !t.After(w.End) {
				r = i
			}
		}
		if l >= 0 && r >= l {
			spans = append(spans, span{l, r})
		}
	}
	slices.SortFunc(spans, func(a, b span) int { return a.l - b.l })

	var res Result
	best := make([]float64, len(spans))
	scored := make([]bool, len(spans))
	for k := range best {
		best[k] = -p.FNWeight
	}
	k := 0 // next or current window
	prevRight, prevWidth := -1, 0
	for i := 0; i < n; i++ {
		in := k < len(spans) && i >= spans[k].l && i <= spans[k].r
		var s float64
		if in {
			width := float64(spans[k].r - spans[k].l + 1)
			pos := -float64(spans[k].r-i+1) / width
			s = scaledSigmoid(pos) * p.TPWeight / maxTP
		} else if prevRight < 0 {
			s = -1 * p.FPWeight
		} else {
			d := math.Abs(float64(prevRight-i)) / float64(prevWidth-1)
			if prevWidth <= 1 {
				d = math.Inf(1)
			}
			s = scaledSigmoid(d) * p.FPWeight
		}
		if i >= prob {
			if in {
				scored[k] = true
				if detected[i] && s > best[k] {
					best[k] = s
				}
			} else if detected[i] {
				res.Raw += s
				res.FP++
			}
		}
		if in && i == spans[k].r {
			prevRight, prevWidth = i, spans[k].r-spans[k].l+1
			k++
		}
	}
	for j := range spans {
		if !scored[j] {
			continue // wholly inside the probationary period
		}
		res.Raw += best[j]
		res.Null -= p.FNWeight
		res.Perfect += p.TPWeight
		if best[j] > -p.FNWeight {
			res.TP++
		} else {
			res.FN++
		}
	}
	return res
}

// nabTimeLayout is the timestamp layout of NAB's label files.
const nabTimeLayout = "2006-01-02 15:04:05.999999"

// ReadLabels parses NAB's combined_windows JSON: {"dir/file.csv": [[start,
// end], ...]}. Keys are returned as given; a series with no window (a
// list that is empty) is kept, with no windows, since its false positives
// still count.
func ReadLabels(r io.Reader) (map[string][]Window, error) {
	var raw map[string][][2]string
	if err := json.NewDecoder(r).Decode(&raw); err != nil {
		return nil, fmt.Errorf("decode NAB labels: %w", err)
	}
	out := make(map[string][]Window, len(raw))
	for name, ws := range raw {
		out[name] = []Window{}
		for _, w := range ws {
			s, err := time.Parse(nabTimeLayout, strings.TrimSpace(w[0]))
			if err != nil {
				return nil, fmt.Errorf("NAB labels %s: window start: %w", name, err)
			}
			e, err := time.Parse(nabTimeLayout, strings.TrimSpace(w[1]))
			if err != nil {
				return nil, fmt.Errorf("NAB labels %s: window end: %w", name, err)
			}
			out[name] = append(out[name], Window{Start: s, End: e})
		}
	}
	return out, nil
}

// ReadProfiles parses NAB's profiles.json into cost matrices by name.
func ReadProfiles(r io.Reader) (map[string]Profile, error) {
	var raw map[string]struct {
		CostMatrix Profile `json:"CostMatrix"`
	}
	if err := json.NewDecoder(r).Decode(&raw); err != nil {
		return nil, fmt.Errorf("decode NAB profiles: %w", err)
	}
	out := make(map[string]Profile, len(raw))
	for k, v := range raw {
		out[k] = v.CostMatrix
	}
	return out, nil
}
