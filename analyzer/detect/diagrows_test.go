package detect_test

import (
	"strconv"
	"strings"
	"time"

	"github.com/backlash-monitor/backlash/analyzer/detect"
)

type detectRow struct {
	t time.Time
	v float64
}

func readRows(b []byte) []detectRow {
	var out []detectRow
	for i, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		if i == 0 {
			continue
		}
		a, v, _ := strings.Cut(l, ",")
		tt, err := detect.ParseTime(a)
		if err != nil {
			continue
		}
		f, _ := strconv.ParseFloat(strings.TrimSpace(v), 64)
		out = append(out, detectRow{tt, f})
	}
	return out
}
