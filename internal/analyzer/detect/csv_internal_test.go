package detect

import (
	"testing"
	"time"
)

func TestInferIntervalShortestRecurring(t *testing.T) {
	at := func(mins ...int) []csvRow {
		rows := make([]csvRow, len(mins))
		t0 := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
		for i, m := range mins {
			rows[i].t = t0.Add(time.Duration(m) * time.Minute)
		}
		return rows
	}
	cases := []struct {
		name string
		rows []csvRow
		want time.Duration
	}{
		{"regular", at(0, 5, 10, 15, 20, 25), 5 * time.Minute},
		// Every 5 minutes, two readings in three lost: the median spacing
		// is 10 minutes, the bucket 5.
		{"readings lost", at(0, 5, 15, 25, 30, 40, 50, 55, 65, 75, 80, 90, 100), 5 * time.Minute},
		// One short spacing in many is a stray reading, not the bucket.
		{"stray reading", at(0, 60, 120, 180, 181, 240, 300, 360, 420, 480, 540, 600, 660, 720, 780, 840, 900, 960, 1020, 1080), time.Hour},
		{"duplicates only", at(0, 0, 0), 0},
		{"hourly with gaps", at(0, 60, 180, 240, 300, 420, 480), time.Hour},
	}
	for _, c := range cases {
		if got := inferInterval(c.rows); got != c.want {
			t.Errorf("%s: inferInterval = %v, want %v", c.name, got, c.want)
		}
	}
}
