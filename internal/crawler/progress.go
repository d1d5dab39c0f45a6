package crawler

import (
	"fmt"
	"io"
	"time"
)

// progress draws one live line per source on a terminal.
type progress struct {
	w     io.Writer
	name  string
	start time.Time
	now   func() time.Time
	last  time.Time
}

func newProgress(w io.Writer, name string, start time.Time, now func() time.Time) *progress {
	return &progress{w: w, name: name, start: start, now: now}
}

func (p *progress) line(s Stats, final bool) {
	el := p.now().Sub(p.start).Seconds()
	rate := 0.0
	if el > 0 {
		rate = float64(s.Posts) / el
	}
	end := ""
	if final {
		end = "\n"
	}
	fmt.Fprintf(p.w, "\r\x1b[K%s: %d pages, %d posts, %d errors, %.1f posts/s%s", p.name, s.Pages, s.Posts, s.Errors, rate, end)
}

// update redraws the line at most five times a second.
func (p *progress) update(s Stats) {
	if p.w == nil {
		return
	}
	if t := p.now(); t.Sub(p.last) >= 200*time.Millisecond {
		p.last = t
		p.line(s, false)
	}
}

// done draws the final line and ends it.
func (p *progress) done(s Stats) {
	if p.w != nil {
		p.line(s, true)
	}
}
