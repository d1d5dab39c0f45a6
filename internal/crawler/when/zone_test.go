package when

import (
	"strings"
	"testing"
	"time"
)

func TestZone(t *testing.T) {
	at := time.Date(2026, 7, 1, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		name   string
		offset int // seconds east of UTC on 1 July 2026
		err    string
	}{
		{"Asia/Shanghai", 8 * 3600, ""},
		{"America/New_York", -4 * 3600, ""}, // daylight saving time
		{"+08:00", 8 * 3600, ""},
		{"+0530", 5*3600 + 30*60, ""},
		{"UTC+8", 8 * 3600, ""},
		{"GMT-5", -5 * 3600, ""},
		{"-03:30", -(3*3600 + 30*60), ""},
		{"+15:00", 0, "at most 14 hours"},
		{"Beijing", 0, `unknown time zone "Beijing" (want an IANA name such as Asia/Shanghai`},
		{"CST", 0, "unknown time zone"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			loc, err := Zone(c.name)
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("err %v, want %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if _, off := at.In(loc).Zone(); off != c.offset {
				t.Errorf("offset %d, want %d", off, c.offset)
			}
		})
	}
}
