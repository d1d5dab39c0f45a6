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
// posts, less those pushing back, against the topic's week before. It
// holds every term named among the top three to the scenario's explicit
// ground truth (demo.Scenario.Complaints): each is one of the complaints'
// words, and none is a generic sentiment word. A window may name fewer
// than three terms, or none, when its complaints share no word yet.
//
// It holds the first evaluation's terms (the replay's first alert is at
// +15 minutes) to the ground truth, and every evaluation's to having no
// generic word; the later evaluations' complaint words are logged, not
// held: the target (three complaint words from the first alert) is not
// met, see internal/alerts/README.md.
//
// The scenario's texts were read while writing the function words and
// stance cues, so this is a figure on seen data; the Chinese scenario was
// written separately, against its own ground truth.
func TestDemoDriversEachEvaluation(t *testing.T) {
	s := newScorer(t)
	for _, lang := range demo.Languages() {
		t.Run(lang, func(t *testing.T) {
			sc := demo.NewScenario(demo.Options{Scale: 5, Lang: lang})
			topic, _ := sc.Topics()
			kw, _ := sc.Keywords(topic)
			exclude := append([]string{topic}, kw...)
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
			for d := 15 * time.Minute; d <= time.Hour; d += 15 * time.Minute {
				at := sc.Onset().Add(d)
				from := at.Add(-time.Hour)
				var neg, base []string
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
							neg = append(neg, text)
						}
					}
				}
				terms := drivers.Distinctive(drivers.Count(s, neg, exclude), drivers.Count(s, base, exclude),
					drivers.Options{Exclude: exclude, Top: 10})
				var b strings.Builder
				for _, tm := range terms {
					fmt.Fprintf(&b, "%s (%d posts, z %.1f, %d before); ", tm.Text, tm.Posts, tm.Z, tm.BaselinePosts)
				}
				t.Logf("+%s: %d negative posts, %d in the week before: %s", d, len(neg), len(base), b.String())
				good := 0
				for _, tm := range terms[:min(3, len(terms))] {
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
				t.Logf("+%s: %d of the top %d are complaint words", d, good, min(3, len(terms)))
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
