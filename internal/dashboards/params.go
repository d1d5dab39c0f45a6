package dashboards

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Bounds on what a request may ask for.
const (
	maxRange       = 90 * 24 * time.Hour
	defaultRange   = 24 * time.Hour
	maxFuture      = time.Hour
	maxPostLimit   = 100
	defPostLimit   = 10
	maxIncidents   = 200
	defIncidents   = 50
	incidentWindow = 30 * 24 * time.Hour
)

// badRequest is a request the dashboard refuses; its message is shown to
// the caller.
type badRequest struct{ msg string }

func (e badRequest) Error() string { return e.msg }

func badf(format string, args ...any) error { return badRequest{fmt.Sprintf(format, args...)} }

// quoteInput shows a bit of a rejected value in an error message.
func quoteInput(s string) string {
	if r := []rune(s); len(r) > 40 {
		s = string(r[:40]) + "…"
	}
	return strconv.Quote(s)
}

// query checks a request's query string: only the allowed names, each at
// most once.
func query(u *url.URL, allowed ...string) (url.Values, error) {
	v, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return nil, badf("malformed query string")
	}
	for name, vals := range v {
		if !slices.Contains(allowed, name) {
			if len(allowed) == 0 {
				return nil, badf("unknown parameter %s: this endpoint takes none", quoteInput(name))
			}
			return nil, badf("unknown parameter %s (allowed: %s)", quoteInput(name), strings.Join(allowed, ", "))
		}
		if len(vals) > 1 {
			return nil, badf("parameter %s given %d times", name, len(vals))
		}
	}
	return v, nil
}

// oneOf checks that s is a configured name.
func oneOf(kind, s string, names []string) error {
	if !slices.Contains(names, s) {
		return badf("unknown %s %s", kind, quoteInput(s))
	}
	return nil
}

var relativeRe = regexp.MustCompile(`^([0-9]{1,4})([mhdw])$`)

// parseTime reads an absolute time (RFC 3339, or "2006-01-02T15:04" in
// UTC as a datetime-local input sends it), "now", or a time relative to
// now such as "90m", "24h", "7d" or "2w" (that long ago).
func parseTime(s string, now time.Time) (time.Time, error) {
	if s == "now" {
		return now, nil
	}
	if m := relativeRe.FindStringSubmatch(s); m != nil {
		n, _ := strconv.Atoi(m[1])
		unit := map[string]time.Duration{"m": time.Minute, "h": time.Hour, "d": 24 * time.Hour, "w": 7 * 24 * time.Hour}[m[2]]
		return now.Add(-time.Duration(n) * unit), nil
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, badf("bad time %s: want RFC 3339 (2025-06-01T12:00:00Z), a date, \"now\" or a relative time like 24h or 7d", quoteInput(s))
}

// timeRange reads from and to: to defaults to now, from to def before to,
// rounded down to five minutes.
// The range must be positive, at most 90 days, and end no later than an
// hour from now.
func timeRange(v url.Values, now time.Time, def time.Duration) (from, to time.Time, err error) {
	to = now
	if s := v.Get("to"); s != "" {
		if to, err = parseTime(s, now); err != nil {
			return
		}
	}
	from = to.Add(-def)
	if s := v.Get("from"); s != "" {
		if from, err = parseTime(s, now); err != nil {
			return
		}
	}
	switch {
	case !from.Before(to):
		err = badf("from must be before to")
	case to.Sub(from) > maxRange:
		err = badf("range of %s is longer than the 90 days allowed", to.Sub(from).Round(time.Hour))
	case to.After(now.Add(maxFuture)):
		err = badf("to is in the future")
	case from.Year() < 2000:
		err = badf("from is before 2000")
	}
	// Start on the rollups' 5-minute grid so every panel counts the same
	// posts.
	from = from.Truncate(5 * time.Minute)
	return
}

// limit reads a positive count no larger than max.
func limit(v url.Values, def, max int) (int, error) {
	s := v.Get("limit")
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > max {
		return 0, badf("limit must be a whole number from 1 to %d, got %s", max, quoteInput(s))
	}
	return n, nil
}

// label reads a sentiment label filter.
func label(v url.Values) (string, error) {
	s := v.Get("label")
	switch s {
	case "", "negative", "neutral", "positive":
		return s, nil
	}
	return "", badf("label must be negative, neutral or positive, got %s", quoteInput(s))
}
