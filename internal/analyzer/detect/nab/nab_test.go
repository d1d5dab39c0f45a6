package nab

import (
	"math"
	"strings"
	"testing"
	"time"
)

func TestScore(t *testing.T) {
	t0 := time.Date(2015, 3, 1, 0, 0, 0, 0, time.UTC)
	times := make([]time.Time, 100)
	for i := range times {
		times[i] = t0.Add(time.Duration(i) * 5 * time.Minute)
	}
	win := []Window{{Start: times[40], End: times[49]}}
	sig := func(x float64) float64 { return 2/(1+math.Exp(5*x)) - 1 }
	cases := []struct {
		name   string
		rows   []int
		raw    float64
		tp, fp int
	}{
		{"nothing", nil, -1, 0, 0},
		{"first row of the window", []int{40}, 1, 1, 0},
		{"earliest detection counts", []int{49, 45, 40}, 1, 1, 0},
		{"last row of the window", []int{49}, sig(-0.1) / sig(-1), 1, 0},
		{"false positive before the first window", []int{20}, -1 - 0.11, 0, 1},
		{"false positive after the window", []int{60, 40}, 1 + 0.11*sig(11.0/9), 1, 1},
		{"far false positive", []int{99, 40}, 1 - 0.11, 1, 1},
		{"probationary period is not scored", []int{5, 14}, -1, 0, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			det := make([]bool, len(times))
			for _, r := range tc.rows {
				det[r] = true
			}
			got := Score(times, det, win, Standard)
			if math.Abs(got.Raw-tc.raw) > 1e-9 || got.TP != tc.tp || got.FP != tc.fp {
				t.Errorf("got raw %.6f TP %d FP %d, want raw %.6f TP %d FP %d", got.Raw, got.TP, got.FP, tc.raw, tc.tp, tc.fp)
			}
			if got.Null != -1 || got.Perfect != 1 {
				t.Errorf("null %v perfect %v", got.Null, got.Perfect)
			}
		})
	}
	if p := ProbationaryLength(100); p != 15 {
		t.Errorf("probation of 100 rows = %d", p)
	}
	if p := ProbationaryLength(15000); p != 750 {
		t.Errorf("probation of 15000 rows = %d", p)
	}
	perfect := Result{Raw: 2, Null: -2, Perfect: 2}
	if perfect.Normalized() != 100 || (Result{Raw: -2, Null: -2, Perfect: 2}).Normalized() != 0 {
		t.Error("normalisation")
	}
}

func TestReadLabels(t *testing.T) {
	in := `{"realTweets/x.csv": [["2015-03-03 04:37:53.000000", "2015-03-04 13:37:53.000000"]], "artificialNoAnomaly/y.csv": []}`
	got, err := ReadLabels(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	w := got["realTweets/x.csv"]
	if len(w) != 1 || w[0].Start.Format(time.DateTime) != "2015-03-03 04:37:53" || w[0].End.Format(time.DateTime) != "2015-03-04 13:37:53" {
		t.Errorf("got %+v", got)
	}
	if w, ok := got["artificialNoAnomaly/y.csv"]; !ok || len(w) != 0 {
		t.Errorf("series without windows: %v, %v (want kept, empty)", w, ok)
	}
	if _, err := ReadLabels(strings.NewReader(`{"x": [["nope", "2015-03-04 13:37:53"]]}`)); err == nil {
		t.Error("bad timestamp accepted")
	}
	p, err := ReadProfiles(strings.NewReader(`{"standard": {"CostMatrix": {"tpWeight": 1.0, "fnWeight": 1.0, "fpWeight": 0.11, "tnWeight": 1.0}}}`))
	if err != nil || p["standard"] != Standard {
		t.Errorf("profiles %+v, %v", p, err)
	}
}
