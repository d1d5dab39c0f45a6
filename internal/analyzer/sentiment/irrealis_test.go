package sentiment

import "testing"

// TestIrrealisWithModel holds the full scorer (English through its learned
// model) to the labels of conditional and instructional posts: tips and
// advice about what to do if something goes wrong are not complaints,
// while complaints that mention a condition stay negative.
func TestIrrealisWithModel(t *testing.T) {
	s := newTestScorer(t)
	cases := []struct {
		text string
		want Label
	}{
		{"From choosing local currency at the till to freezing the card when you lose it, getting the most from a travel card.", Neutral},
		{"If your card is stolen, freeze it in the app and call us.", Neutral},
		{"In case of loss or theft, call us", Neutral},
		{"How to avoid fees abroad", Neutral},
		{"they froze my account when I complained", Negative},
		{"when you froze my account I lost my rent money", Negative},
		{"The app crashes when you open the camera", Negative},
		{"If it fails again I'm done with this bank", Negative},
		{"I would be furious if this happened to me", Negative},
	}
	for _, c := range cases {
		r := s.Score(c.text)
		if r.Language != "en" || r.Label != c.want {
			t.Errorf("%q: %s %s (%.3f, terms %v), want en %s", c.text, r.Language, r.Label, r.Compound, r.Terms, c.want)
		}
	}
}

// TestPastTense checks the tense test that tells a past event after "when
// you" from a generic case.
func TestPastTense(t *testing.T) {
	for w, want := range map[string]bool{
		"froze": true, "charged": true, "lost": true, "lose": false, "open": false, "need": false, "proceed": false, "bed": false, "took": true,
	} {
		if got := pastTense([]byte(w)); got != want {
			t.Errorf("pastTense(%q) = %v, want %v", w, got, want)
		}
	}
}
