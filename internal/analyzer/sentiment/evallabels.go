package sentiment

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"

	"github.com/jonreiter/govader"
)

// LangFigures are agreement figures with categorical labels for the posts
// of one language, for this scorer and for VADER side by side.
type LangFigures struct {
	Language string
	N        int
	Coverage float64 // share of posts this scorer scored
	Ours     Metrics // Pearson is not used with categorical labels
	Vader    Metrics
}

// LabelReport is the result of EvaluateLabels: one row per language and a
// row "all" over every post.
type LabelReport struct {
	Path  string
	Langs []LangFigures
}

// tally accumulates predictions against gold labels.
type tally struct {
	n, scored int
	gold      []Label
	ours, vdr []Label
}

func (t *tally) figures(lang string) LangFigures {
	f := LangFigures{Language: lang, N: t.n}
	if t.n > 0 {
		f.Coverage = float64(t.scored) / float64(t.n)
	}
	f.Ours = labelMetrics(t.gold, t.ours)
	f.Vader = labelMetrics(t.gold, t.vdr)
	return f
}

// labelMetrics computes accuracy and macro-F1 over the classes present in
// gold (so two-class sets average two F1s). An empty prediction (an
// unscored post) is wrong.
func labelMetrics(gold, pred []Label) Metrics {
	var m Metrics
	if len(gold) == 0 {
		return m
	}
	classes := map[Label]bool{}
	for _, g := range gold {
		classes[g] = true
	}
	correct := 0
	for i := range gold {
		if pred[i] == gold[i] {
			correct++
		}
	}
	m.Accuracy = float64(correct) / float64(len(gold))
	for c := range classes {
		var tp, fp, fn float64
		for i := range gold {
			switch {
			case pred[i] == c && gold[i] == c:
				tp++
			case pred[i] == c:
				fp++
			case gold[i] == c:
				fn++
			}
		}
		if d := 2*tp + fp + fn; d > 0 {
			m.MacroF1 += 2 * tp / d
		}
	}
	m.MacroF1 /= float64(len(classes))
	return m
}

func newVader() *govader.SentimentIntensityAnalyzer { return govader.NewSentimentIntensityAnalyzer() }

// vaderLabel is VADER's label with the usual ±0.05 cut-offs.
func vaderLabel(c float64) Label {
	switch {
	case c >= 0.05:
		return Positive
	case c <= -0.05:
		return Negative
	}
	return Neutral
}

// evalPosts scores posts with s and VADER and groups figures by the
// post's language field, or the detected language when it is empty.
func evalPosts(posts []LabelledPost, s *Scorer, sia *govader.SentimentIntensityAnalyzer) []LangFigures {
	by := map[string]*tally{}
	all := &tally{}
	var r Result
	for _, p := range posts {
		s.ScoreInto(p.Text, &r)
		lang := p.Language
		if lang == "" {
			lang = r.Language
		}
		t := by[lang]
		if t == nil {
			t = &tally{}
			by[lang] = t
		}
		ours := Label("")
		if r.Scored {
			ours = r.Label
		}
		vl := vaderLabel(sia.PolarityScores(p.Text).Compound)
		for _, t := range []*tally{t, all} {
			t.n++
			if r.Scored {
				t.scored++
			}
			t.gold = append(t.gold, Label(p.Label))
			t.ours = append(t.ours, ours)
			t.vdr = append(t.vdr, vl)
		}
	}
	langs := make([]string, 0, len(by))
	for l := range by {
		langs = append(langs, l)
	}
	sort.Strings(langs)
	out := make([]LangFigures, 0, len(langs)+1)
	for _, l := range langs {
		out = append(out, by[l].figures(l))
	}
	if len(langs) > 1 {
		out = append(out, all.figures("all"))
	}
	return out
}

// EvaluateLabels scores every {"id","label","text"} line of the JSONL file
// at path (label negative, neutral or positive; an optional "language"
// groups the figures, else the detected language does) with s and with
// govader, and reports coverage, accuracy and macro-F1 per language.
// Unscored posts count as wrong; VADER's label uses compound ±0.05.
func EvaluateLabels(path string, s *Scorer) (LabelReport, error) {
	posts, err := ReadLabelled(path)
	if err != nil {
		return LabelReport{}, fmt.Errorf("evaluate: %w", err)
	}
	if len(posts) == 0 {
		return LabelReport{}, fmt.Errorf("evaluate %s: no labelled posts", path)
	}
	return LabelReport{Path: path, Langs: evalPosts(posts, s, newVader())}, nil
}

// IsLabelled reports whether the first non-empty line of the JSONL file at
// path carries a categorical "label" rather than a numeric "rating".
func IsLabelled(path string) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, fmt.Errorf("evaluate: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 4*1024*1024)
	for sc.Scan() {
		if len(sc.Bytes()) == 0 {
			continue
		}
		var probe struct {
			Label  *string  `json:"label"`
			Rating *float64 `json:"rating"`
		}
		if err := json.Unmarshal(sc.Bytes(), &probe); err != nil {
			return false, fmt.Errorf("evaluate %s line 1: %w", path, err)
		}
		return probe.Label != nil && probe.Rating == nil, nil
	}
	return false, sc.Err()
}

// Write prints one row per language.
func (r LabelReport) Write(w io.Writer) error {
	return WriteFigures(w, r.Path, r.Langs)
}

// WriteFigures prints per-language figures as an aligned table.
func WriteFigures(w io.Writer, title string, rows []LangFigures) error {
	if _, err := fmt.Fprintf(w, "%s\n%-5s %6s %9s %9s %9s %9s %9s\n", title,
		"lang", "N", "coverage", "acc", "macro_f1", "vader_acc", "vader_f1"); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	for _, f := range rows {
		if _, err := fmt.Fprintf(w, "%-5s %6d %9.3f %9.3f %9.3f %9.3f %9.3f\n", f.Language, f.N, f.Coverage,
			f.Ours.Accuracy, f.Ours.MacroF1, f.Vader.Accuracy, f.Vader.MacroF1); err != nil {
			return fmt.Errorf("write report: %w", err)
		}
	}
	return nil
}
