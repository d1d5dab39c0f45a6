package when

import (
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	now := time.Date(2026, 3, 10, 15, 30, 0, 0, time.UTC)
	shanghai, _ := time.LoadLocation("Asia/Shanghai")
	cases := []struct {
		in     string
		loc    *time.Location
		layout string
		want   time.Time
		ok     bool
	}{
		{in: "2026-03-09T08:15:00Z", want: time.Date(2026, 3, 9, 8, 15, 0, 0, time.UTC), ok: true},
		{in: "2026-03-09T08:15:00+02:00", want: time.Date(2026, 3, 9, 6, 15, 0, 0, time.UTC), ok: true},
		{in: "2026-03-09T08:15:00.123Z", want: time.Date(2026, 3, 9, 8, 15, 0, 123e6, time.UTC), ok: true},
		{in: "Mon, 09 Mar 2026 08:15:00 GMT", want: time.Date(2026, 3, 9, 8, 15, 0, 0, time.UTC), ok: true},
		{in: "Mon, 09 Mar 2026 08:15:00 +0100", want: time.Date(2026, 3, 9, 7, 15, 0, 0, time.UTC), ok: true},
		{in: "Mon, 9 Mar 2026 08:15:00 -0500", want: time.Date(2026, 3, 9, 13, 15, 0, 0, time.UTC), ok: true},
		{in: "2026-03-09 08:15", want: time.Date(2026, 3, 9, 8, 15, 0, 0, time.UTC), ok: true},
		{in: "2026-03-09 08:15", loc: shanghai, want: time.Date(2026, 3, 9, 0, 15, 0, 0, time.UTC), ok: true},
		{in: "Mar 9, 2026 3:04 PM", want: time.Date(2026, 3, 9, 15, 4, 0, 0, time.UTC), ok: true},
		{in: "Mar 9, 2026, 3:04 pm", want: time.Date(2026, 3, 9, 15, 4, 0, 0, time.UTC), ok: true},
		{in: "March 9, 2026", want: time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC), ok: true},
		{in: "9 March 2026 10:00", want: time.Date(2026, 3, 9, 10, 0, 0, 0, time.UTC), ok: true},
		{in: "2026年3月9日 08:15", loc: shanghai, want: time.Date(2026, 3, 9, 0, 15, 0, 0, time.UTC), ok: true},
		{in: "1773043200", want: time.Date(2026, 3, 9, 8, 0, 0, 0, time.UTC), ok: true},
		{in: "1773043200000", want: time.Date(2026, 3, 9, 8, 0, 0, 0, time.UTC), ok: true},
		{in: "09/03/26 08h15", layout: "02/01/06 15h04", want: time.Date(2026, 3, 9, 8, 15, 0, 0, time.UTC), ok: true},
		{in: "5 min ago", want: now.Add(-5 * time.Minute), ok: true},
		{in: "5 minutes ago", want: now.Add(-5 * time.Minute), ok: true},
		{in: "2 hours ago", want: now.Add(-2 * time.Hour), ok: true},
		{in: "an hour ago", want: now.Add(-time.Hour), ok: true},
		{in: "3 days ago", want: now.AddDate(0, 0, -3), ok: true},
		{in: "1 week ago", want: now.AddDate(0, 0, -7), ok: true},
		{in: "just now", want: now, ok: true},
		{in: "yesterday 14:02", want: time.Date(2026, 3, 9, 14, 2, 0, 0, time.UTC), ok: true},
		{in: "Yesterday at 2:02 PM", want: time.Date(2026, 3, 9, 14, 2, 0, 0, time.UTC), ok: true},
		{in: "today 09:00", want: time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC), ok: true},
		{in: "3小时前", want: now.Add(-3 * time.Hour), ok: true},
		{in: "10分钟前", want: now.Add(-10 * time.Minute), ok: true},
		{in: "2天前", want: now.AddDate(0, 0, -2), ok: true},
		{in: "刚刚", want: now, ok: true},
		{in: "昨天 14:02", want: time.Date(2026, 3, 9, 14, 2, 0, 0, time.UTC), ok: true},
		{in: "前天 08:30", want: time.Date(2026, 3, 8, 8, 30, 0, 0, time.UTC), ok: true},
		{in: "5分前", want: now.Add(-5 * time.Minute), ok: true},
		{in: "3時間前", want: now.Add(-3 * time.Hour), ok: true},
		{in: "5m", want: now.Add(-5 * time.Minute), ok: true},
		{in: "2h", want: now.Add(-2 * time.Hour), ok: true},
		{in: "3d", want: now.AddDate(0, 0, -3), ok: true},
		{in: "Mar 9", want: time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC), ok: true},
		{in: "Mar 9 at 3:04 PM", want: time.Date(2026, 3, 9, 15, 4, 0, 0, time.UTC), ok: true},
		{in: "Dec 24", want: time.Date(2025, 12, 24, 0, 0, 0, 0, time.UTC), ok: true},
		{in: "03-09 14:02", loc: shanghai, want: time.Date(2026, 3, 9, 6, 2, 0, 0, time.UTC), ok: true},
		{in: "3月9日 14:02", want: time.Date(2026, 3, 9, 14, 2, 0, 0, time.UTC), ok: true},
		{in: "", ok: false},
		{in: "sometime last spring", ok: false},
		{in: "yesterday 25:99", ok: false},
		{in: "0001-01-01T00:00:00Z", ok: false},
		{in: "12345", ok: false},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			got, ok := Parse(c.in, Options{Now: now, Location: c.loc, Layout: c.layout})
			if ok != c.ok {
				t.Fatalf("Parse(%q) ok = %v, want %v (got %v)", c.in, ok, c.ok, got)
			}
			if ok && !got.Equal(c.want) {
				t.Errorf("Parse(%q) = %v, want %v", c.in, got.UTC(), c.want.UTC())
			}
		})
	}
}

func FuzzParseTime(f *testing.F) {
	for _, s := range []string{"2026-03-09T08:15:00Z", "5 min ago", "昨天 14:02", "1773043200", "Mar 9, 2026 3:04 PM"} {
		f.Add(s)
	}
	now := time.Date(2026, 3, 10, 15, 30, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := Parse(s, Options{Now: now})
		if ok && got.IsZero() {
			t.Fatalf("Parse(%q) returned ok with a zero time", s)
		}
		if !ok && !got.IsZero() {
			t.Fatalf("Parse(%q) returned a time without ok", s)
		}
	})
}
