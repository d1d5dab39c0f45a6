package post

import (
	"testing"
	"time"
)

func TestSettleTimes(t *testing.T) {
	now := time.Date(2026, 3, 6, 12, 0, 0, 0, time.UTC)
	fetched := now.Add(-time.Hour)
	cases := []struct {
		name        string
		in          Post
		published   time.Time
		fetchedWant time.Time
		guessed     bool
	}{
		{"read time kept", Post{Published: fetched.Add(-time.Hour), Fetched: fetched}, fetched.Add(-time.Hour), fetched, false},
		{"no time: fetch time", Post{Fetched: fetched}, fetched, fetched, true},
		{"no fetch time: now", Post{}, now, now, true},
		{"within the skew", Post{Published: fetched.Add(MaxSkew), Fetched: fetched}, fetched.Add(MaxSkew), fetched, false},
		{"future: fetch time", Post{Published: fetched.Add(MaxSkew + time.Second), Fetched: fetched}, fetched, fetched, true},
	}
	for _, c := range cases {
		p := c.in
		p.SettleTimes(now)
		if !p.Published.Equal(c.published) || !p.Fetched.Equal(c.fetchedWant) || p.TimeGuessed != c.guessed {
			t.Errorf("%s: published %v fetched %v guessed %v, want %v %v %v", c.name, p.Published, p.Fetched, p.TimeGuessed,
				c.published, c.fetchedWant, c.guessed)
		}
	}
}
