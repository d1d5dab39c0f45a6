package sentiment

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"

	"github.com/jonreiter/govader"
)

// Metrics are agreement figures between a scorer and human ratings.
type Metrics struct {
	Pearson  float64 // correlation of compound with the human rating
	Accuracy float64 // 3-class accuracy
	MacroF1  float64 // mean F1 over positive, neutral and negative
}

// Report compares this scorer and govader's VADER on one labelled file.
type Report struct {
	Path     string
	N        int     // posts evaluated
	Unscored int     // posts this scorer left unscored (counted as 0, neutral)
	Scale    float64 // rating scale detected from the largest |rating|
	Ours     Metrics
	Vader    Metrics
}

// evalRecord is one line of an evaluation file.
type evalRecord struct {
	ID     json.RawMessage `json:"id"`
	Text   string          `json:"text"`
	Rating *float64        `json:"rating"`
}

// Evaluate scores every {"id","text","rating"} line of the JSONL file at
// path with s and with govader, and compares both with the ratings. The
// rating scale is the smallest of ±1, 2, 3, 4, 5, 10 or 100 that holds the
// largest |rating|; a human label is positive
// above 0.125 of it and negative below -0.125 of it (±0.5 on -4..4), the
// scorers' labels use the compound cut-offs ±0.05. Posts s leaves unscored
// count as compound 0, neutral.
func Evaluate(path string, s *Scorer) (Report, error) {
	f, err := os.Open(path)
	if err != nil {
		return Report{}, fmt.Errorf("evaluate: %w", err)
	}
	defer f.Close()
	var ratings, ours, vader []float64
	rep := Report{Path: path}
	sia := govader.NewSentimentIntensityAnalyzer()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 4*1024*1024)
	var r Result
	for line := 1; sc.Scan(); line++ {
		if len(sc.Bytes()) == 0 {
			continue
		}
		var rec evalRecord
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			return Report{}, fmt.Errorf("evaluate %s line %d: %w", path, line, err)
		}
		if rec.Rating == nil {
			return Report{}, fmt.Errorf("evaluate %s line %d: missing rating", path, line)
		}
		s.ScoreInto(rec.Text, &r)
		if !r.Scored {
			rep.Unscored++
		}
		ratings = append(ratings, *rec.Rating)
		ours = append(ours, r.Compound)
		vader = append(vader, sia.PolarityScores(rec.Text).Compound)
	}
	if err := sc.Err(); err != nil {
		return Report{}, fmt.Errorf("evaluate %s: %w", path, err)
	}
	if len(ratings) < 2 {
		return Report{}, fmt.Errorf("evaluate %s: %w", path, errors.New("need at least two rated posts"))
	}
	rep.N = len(ratings)
	rep.Scale = detectScale(ratings)
	human := make([]Label, len(ratings))
	for i, x := range ratings {
		human[i] = threeWay(x, 0.125*rep.Scale, -0.125*rep.Scale)
	}
	rep.Ours = metrics(ratings, ours, human, s.pos, s.neg)
	rep.Vader = metrics(ratings, vader, human, 0.05, -0.05)
	return rep, nil
}

// detectScale returns the smallest common symmetric rating scale (±1, 2,
// 3, 4, 5, 10 or 100) that holds every rating, so a -4..4 set whose extreme
// ratings happen to be ±3.5 is still read as -4..4.
func detectScale(ratings []float64) float64 {
	m := 0.0
	for _, x := range ratings {
		m = math.Max(m, math.Abs(x))
	}
	for _, s := range []float64{1, 2, 3, 4, 5, 10, 100} {
		if m <= s {
			return s
		}
	}
	return m
}

func threeWay(x, pos, neg float64) Label {
	switch {
	case x > pos:
		return Positive
	case x < neg:
		return Negative
	}
	return Neutral
}

func metrics(ratings, scores []float64, human []Label, pos, neg float64) Metrics {
	var m Metrics
	m.Pearson = pearson(ratings, scores)
	labels := [3]Label{Positive, Neutral, Negative}
	var tp, fp, fn [3]float64
	correct := 0
	for i, x := range scores {
		pred := Neutral
		switch {
		case x >= pos:
			pred = Positive
		case x <= neg:
			pred = Negative
		}
		if pred == human[i] {
			correct++
		}
		for k, l := range labels {
			switch {
			case pred == l && human[i] == l:
				tp[k]++
			case pred == l:
				fp[k]++
			case human[i] == l:
				fn[k]++
			}
		}
	}
	m.Accuracy = float64(correct) / float64(len(scores))
	for k := range labels {
		if d := 2*tp[k] + fp[k] + fn[k]; d > 0 {
			m.MacroF1 += 2 * tp[k] / d
		}
	}
	m.MacroF1 /= 3
	return m
}

func pearson(x, y []float64) float64 {
	n := float64(len(x))
	var mx, my float64
	for i := range x {
		mx += x[i]
		my += y[i]
	}
	mx, my = mx/n, my/n
	var sxy, sxx, syy float64
	for i := range x {
		dx, dy := x[i]-mx, y[i]-my
		sxy += dx * dy
		sxx += dx * dx
		syy += dy * dy
	}
	if sxx == 0 || syy == 0 {
		return 0
	}
	return sxy / math.Sqrt(sxx*syy)
}

// Write prints the report as an aligned side-by-side table.
func (r Report) Write(w io.Writer) error {
	_, err := fmt.Fprintf(w, "%s: N=%d (unscored %d), rating scale ±%g\n"+
		"%-10s %10s %10s\n"+
		"%-10s %10.3f %10.3f\n"+
		"%-10s %10.3f %10.3f\n"+
		"%-10s %10.3f %10.3f\n",
		r.Path, r.N, r.Unscored, r.Scale,
		"metric", "backlash", "vader",
		"pearson_r", r.Ours.Pearson, r.Vader.Pearson,
		"accuracy", r.Ours.Accuracy, r.Vader.Accuracy,
		"macro_f1", r.Ours.MacroF1, r.Vader.MacroF1)
	if err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}
