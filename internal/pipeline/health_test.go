package pipeline

import (
	"testing"
	"time"
)

func TestMergeSpans(t *testing.T) {
	at := func(m int) time.Time { return time.Date(2026, 3, 2, 12, m, 0, 0, time.UTC) }
	got := mergeSpans([]time.Time{at(0), at(5), at(20)}, []time.Time{at(5), at(10), at(25)}, at(5))
	want := []time.Time{at(5), at(10), at(20), at(25)}
	if len(got) != len(want) {
		t.Fatalf("merged %v, want %v", got, want)
	}
	for i := range want {
		if !got[i].Equal(want[i]) {
			t.Fatalf("merged %v, want %v", got, want)
		}
	}
}
