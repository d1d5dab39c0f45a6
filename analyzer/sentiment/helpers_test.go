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
