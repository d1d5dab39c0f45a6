package sentiment

import (
	"encoding/json"
	"os"
	"testing"
)

// TestCalmWithModel holds the full scorer (English through its learned
// model) to the labels of the calm-talk cases the rules were fixed on:
// calm approval and recovered failures must not read as negative.
func TestCalmWithModel(t *testing.T) {
	s := newTestScorer(t)
	data, err := os.ReadFile("testdata/golden/calm.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []goldenCase
	if err := json.Unmarshal(data, &cases); err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		r := s.Score(c.Text)
		if r.Language != "en" || !meets(r.Label, c.Expect) {
			t.Errorf("%q: %s %s (%.3f, terms %v), want en %s", c.Text, r.Language, r.Label, r.Compound, r.Terms, c.Expect)
		}
		if len(r.Terms) == 0 {
			t.Errorf("%q: no terms explain the score", c.Text)
		}
	}
}
