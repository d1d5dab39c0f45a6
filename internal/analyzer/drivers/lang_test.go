package drivers_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/backlash-monitor/backlash/internal/analyzer/drivers"
	"github.com/backlash-monitor/backlash/internal/demo"
)

// TestDemoDriversEachEvaluation ranks, in English and Chinese, what the
// alert engine ranks at each of the demo's evaluations in the backlash's
// first hour (every 15 minutes, a 1-hour window): the window's negative
// posts, less those pushing back, with their authors, against the topic's
// week before and the language's background (DefaultBackground). It holds
// the top three terms to the scenario's explicit ground truth
// (demo.Scenario.Complaints):
//
//   - at the first evaluation (the replay's first English alert is at +15
//     minutes), every term named among the top three is a complaint word;
//   - at the first evaluation that names three terms, at least two of them
//     are;
//   - at every evaluation, none is a generic sentiment word.
//
// The target (three complaint words from the first alert) is not met and
// is logged, not held: see internal/alerts/README.md for why.
//
// The scenario's texts were read while writing the function words and
// stance cues, and while choosing the background's weight, so this is a
// figure on seen data; the Chinese scenario was written separately,
// against its own ground truth.
func TestDemoDriversEachEvaluation(t *testing.T) {
	s := newScorer(t)
	for _, lang := range demo.Languages() {
		t.Run(lang, func(t *testing.T) {
			sc := demo.NewScenario(demo.Options{Scale: 5, Lang: lang})
			topic, _ := sc.Topics()
			kw, _ := sc.Keywords(topic)
			exclude := []string{topic}
			var words []string
			for _, c := range sc.Complaints() {
				words = append(words, c.Terms...)
			}
			complaintWord := func(term string) bool {
				for _, w := range words {
					if strings.Contains(term, w) || strings.Contains(w, term) && (isCJKTerm(term) || strings.Contains(" "+w+" ", " "+term+" ")) {
						return true
					}
				}
				return false
			}
			named := time.Duration(-1)
			three := false
			for d := 15 * time.Minute; d <= time.Hour; d += 15 * time.Minute {
				at := sc.Onset().Add(d)
				from := at.Add(-time.Hour)
				var neg []drivers.Doc
				var base []string
				for _, it := range sc.Items() {
					if it.Topic != topic {
						continue
					}
					text := drivers.Body(it.Title, it.Text)
					switch {
					case it.Published.Before(from) && !it.Published.Before(from.Add(-7*24*time.Hour)):
						base = append(base, text)
					case !it.Published.Before(from) && it.Published.Before(at):
						if cue, _ := drivers.PushesBack(text); cue == "" && s.Score(text).Label == "negative" {
							neg = append(neg, drivers.Doc{Author: it.Author, Text: text})
						}
					}
				}
				terms := drivers.Distinctive(drivers.CountDocs(s, neg, exclude), drivers.Count(s, base, exclude),
					drivers.Options{Exclude: exclude, Keywords: kw, Top: 10})
				var b strings.Builder
				for _, tm := range terms {
					fmt.Fprintf(&b, "%s (%d posts, %d authors, z %.1f, %d before, %.3f%% in general); ", tm.Text, tm.Posts, tm.Voices, tm.Z, tm.BaselinePosts, 100*tm.Background)
				}
				t.Logf("+%s: %d negative posts, %d in the week before: %s", d, len(neg), len(base), b.String())
				good := 0
				top := terms[:min(3, len(terms))]
				for _, tm := range top {
					if complaintWord(strings.ToLower(tm.Text)) {
						good++
					} else if d == 15*time.Minute {
						t.Errorf("+%s: top term %q is none of the complaints' words", d, tm.Text)
					}
					for _, w := range strings.Fields(tm.Text) {
						for _, g := range generic {
							if w == g {
								t.Errorf("+%s: top term %q is a generic sentiment word", d, tm.Text)
							}
						}
					}
				}
				t.Logf("+%s: %d of the top %d are complaint words", d, good, len(top))
				if len(top) == 3 && !three {
					three = true
					if good < 2 {
						t.Errorf("+%s, the first evaluation naming three terms: only %d of them are complaint words", d, good)
					}
				}
				if good >= 3 && named < 0 {
					named = d
				}
			}
			if named < 0 {
				t.Logf("no evaluation in the first hour names three complaint words")
			} else {
				t.Logf("three complaint words named from +%s", named)
			}
		})
	}
}

func isCJKTerm(s string) bool {
	for _, r := range s {
		if r < 0x2E80 {
			return false
		}
	}
	return s != ""
}
