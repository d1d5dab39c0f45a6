package sentiment

import (
	"strings"
	"testing"
)

func newTestScorer(t testing.TB) *Scorer {
	t.Helper()
	s, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

func hasTerm(r Result, text string) bool {
	for _, t := range r.Terms {
		if t.Text == text {
			return true
		}
	}
	return false
}
