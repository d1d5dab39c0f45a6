package sentiment

import (
	"os"
	"testing"
)

// TestDevSetBeatsVader is the accuracy bar: on the hand-rated development
// set this scorer must beat govader's VADER on Pearson r and macro-F1.
func TestDevSetBeatsVader(t *testing.T) { beatsVader(t, "testdata/dev.jsonl", 300) }

// TestHoldoutBeatsVader checks the same on posts written and rated after
// the rules were tuned on the development set, and never tuned on, so it
// estimates how the rules generalise.
func TestHoldoutBeatsVader(t *testing.T) { beatsVader(t, "testdata/holdout.jsonl", 100) }

func beatsVader(t *testing.T, path string, minN int) {
	s := newTestScorer(t)
	rep, err := Evaluate(path, s)
	if err != nil {
		t.Fatal(err)
	}
	if err := rep.Write(os.Stdout); err != nil {
		t.Fatal(err)
	}
	if rep.N < minN {
		t.Errorf("%s has %d posts, want at least %d", path, rep.N, minN)
	}
	if rep.Ours.Pearson <= rep.Vader.Pearson {
		t.Errorf("pearson r %.3f not above vader %.3f", rep.Ours.Pearson, rep.Vader.Pearson)
	}
	if rep.Ours.MacroF1 <= rep.Vader.MacroF1 {
		t.Errorf("macro-F1 %.3f not above vader %.3f", rep.Ours.MacroF1, rep.Vader.MacroF1)
	}
}

func TestEvaluateErrors(t *testing.T) {
	s := newTestScorer(t)
	dir := t.TempDir()
	bad := dir + "/bad.jsonl"
	if err := os.WriteFile(bad, []byte("{\"text\":\"ok\",\"rating\":1}\n{oops\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Evaluate(bad, s); err == nil || !contains(err.Error(), "line 2") {
		t.Fatalf("want error naming line 2, got %v", err)
	}
}
