package config

import (
	"math"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
	"gopkg.in/yaml.v3"
)

// Bounds of the numeric settings.
const (
	// MinBodyBytes and MaxBodyBytes bound crawler.max_body_bytes.
	MinBodyBytes = 1 << 10
	MaxBodyBytes = 1 << 30
	// MinRetention is the shortest clickhouse.retention: the detector's
	// 14-day baseline and a day of margin.
	MinRetention = 15 * 24 * time.Hour
)

// scalar returns the text of the scalar the file sets at p, if it sets one.
func (v *validator) scalar(p path) (string, bool) {
	n := v.root
	if n == nil {
		return "", false
	}
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	for _, e := range p {
		var next *yaml.Node
		switch e := e.(type) {
		case int:
			if n.Kind == yaml.SequenceNode && e < len(n.Content) {
				next = n.Content[e]
			}
		case string:
			if n.Kind == yaml.MappingNode {
				for i := 0; i+1 < len(n.Content); i += 2 {
					if n.Content[i].Value == e {
						next = n.Content[i+1]
					}
				}
			}
		}
		if next == nil {
			return "", false
		}
		n = next
	}
	if n.Kind != yaml.ScalarNode {
		return "", false
	}
	return n.Value, true
}

// positiveDuration refuses a duration the file sets to zero or less, where
// zero would mean "never" or "at once" and cannot be what was meant. An
// unset key takes its default.
func (v *validator) positiveDuration(p path) {
	if s, ok := v.scalar(p); ok {
		if d, err := ParseDuration(s); err == nil && d <= 0 {
			v.errorf(p, "must be positive, not %s", s)
		}
	}
}

// checkLimits refuses settings that decode but cannot be meant: negative or
// zero timeouts, deadlines and waits, no concurrency, negative retries, a
// body cap beyond reason, a retention shorter than the detector's
// baseline, a schedule that is not cron.
func (c *Config) checkLimits(v *validator) {
	for _, p := range []path{
		{"clickhouse", "dial_timeout"},
		{"crawler", "timeout"}, {"crawler", "source_deadline"}, {"crawler", "run_deadline"},
		{"alerts", "retry", "initial_backoff"}, {"alerts", "retry", "max_backoff"}, {"alerts", "retry", "max_wait"},
		{"alerts", "slack", "timeout"},
		{"alerts", "resolve_after"}, {"alerts", "repeat_interval"},
	} {
		v.positiveDuration(p)
	}
	if r := c.ClickHouse.Retention.D(); r < 0 {
		v.errorf(path{"clickhouse", "retention"}, "must not be negative (0 keeps everything)")
	} else if r > 0 && r < MinRetention {
		v.errorf(path{"clickhouse", "retention"}, "keep at least 15d: the detector compares with the last 14 days")
	}
	cr := c.Crawler
	if s, ok := v.scalar(path{"crawler", "concurrency"}); ok && atoi(s) < 1 {
		v.errorf(path{"crawler", "concurrency"}, "must be at least 1, not %s", s)
	}
	if cr.Retries < 0 {
		v.errorf(path{"crawler", "retries"}, "must not be negative (0 for no retries)")
	}
	if s, ok := v.scalar(path{"crawler", "max_body_bytes"}); ok && (atoi(s) < MinBodyBytes || atoi(s) > MaxBodyBytes) {
		v.errorf(path{"crawler", "max_body_bytes"}, "must be between %d (1 KiB) and %d (1 GiB), not %s", MinBodyBytes, MaxBodyBytes, s)
	}
	for i := range c.Sources {
		s := &c.Sources[i]
		p := path{"sources", i}
		v.positiveDuration(append(append(path{}, p...), "deadline"))
		if s.Lookback < 0 {
			v.errorf(append(append(path{}, p...), "lookback"), "must not be negative (a negative lookback skips posts newer than the last run)")
		}
		checkSchedule(v, append(append(path{}, p...), "schedule"), s.Schedule)
	}
	if c.Alerts.Digest.Schedule != "off" {
		checkSchedule(v, path{"alerts", "digest", "schedule"}, c.Alerts.Digest.Schedule)
	}
}

// atoi reads an integer setting; one too large for an int reads as the
// largest, so a bound refuses it.
func atoi(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil && strings.HasPrefix(strings.TrimSpace(s), "-") {
		return math.MinInt
	}
	if err != nil {
		return math.MaxInt
	}
	return n
}

// checkSchedule refuses a schedule `backlash serve` could not run.
func checkSchedule(v *validator, p path, spec string) {
	if _, err := cron.ParseStandard(spec); err != nil {
		v.errorf(p, "bad schedule %q: %v (want 5 cron fields like \"*/15 * * * *\", or @hourly, @daily, @every 10m)", spec, err)
	}
}

// retriesDefault is crawler.retries when the file leaves it out; an
// explicit 0 means no retries.
const retriesDefault = 3

// warn collects what is valid but probably not what was meant: no alert
// rules at all, and rules that can never fire.
func (c *Config) warn(v *validator) Errors {
	w := &validator{file: v.file, root: v.root}
	if len(c.Alerts.Rules) == 0 {
		w.errorf(path{"alerts", "rules"}, "no alert rules: topics are assessed but nothing will ever alert")
	}
	for i := range c.Alerts.Rules {
		r := &c.Alerts.Rules[i]
		p := path{"alerts", "rules", i}
		if r.Metric != "negative_ratio" && r.Metric != "deviation" {
			for _, l := range r.Levels() {
				if l.Threshold > 100 {
					key := append(append(path{}, p...), "threshold")
					if len(r.Severities) > 0 {
						key = append(append(path{}, p...), "severities", string(l.Severity))
					}
					w.errorf(key, "%s is at most 100: a threshold of %g can never be reached", r.Metric, l.Threshold)
				}
			}
		}
		topics := c.TopicNames()
		if r.Topic != "*" {
			topics = []string{r.Topic}
		}
		most, fastest := 0, time.Duration(0)
		for _, t := range topics {
			n := 0
			for _, s := range c.Sources {
				if len(s.Topics) == 0 || slices.Contains(s.Topics, t) {
					n++
					if d := scheduleInterval(s.Schedule); d > 0 && (fastest == 0 || d < fastest) {
						fastest = d
					}
				}
			}
			most = max(most, n)
		}
		switch {
		case most == 0:
			w.errorf(append(append(path{}, p...), "topic"), "no source feeds topic %s: the rule can never fire", r.Topic)
		case r.MinSources > most:
			w.errorf(append(append(path{}, p...), "min_sources"), "needs posts from %d sources but at most %d feed its topic: the rule can never fire", r.MinSources, most)
		}
		if r.For > 0 && fastest > r.Window.D() {
			w.errorf(append(append(path{}, p...), "for"), "under serve, its sources are crawled every %s at the most, longer than the rule's %s window: evaluations are never consecutive, so for: %s can never be met", fastest, r.Window.D(), r.For.D())
		}
	}
	for i := range c.Sources {
		s := &c.Sources[i]
		for j, raw := range s.URLs {
			if what := privateHost(raw); what != "" && !s.AllowPrivate {
				w.errorf(path{"sources", i, "urls", j}, "%s: the crawl refuses it unless the source sets allow_private: true", what)
			}
		}
	}
	return w.errs
}

// privateHost says what a URL's host is when it names loopback, a private
// network or a link-local address outright ("localhost", "127.0.0.1 is a
// loopback address"), "" otherwise. Names are not resolved: the crawl's
// guard judges every address it dials.
func privateHost(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	h := strings.ToLower(u.Hostname())
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return h + " is a loopback address"
	}
	ip, err := netip.ParseAddr(h)
	if err != nil {
		return ""
	}
	switch ip = ip.Unmap(); {
	case ip.IsLoopback():
		return h + " is a loopback address"
	case ip.IsPrivate():
		return h + " is a private address"
	case ip.IsLinkLocalUnicast(), ip.IsUnspecified():
		return h + " is a local address"
	}
	return ""
}

// scheduleInterval is the time between two runs of a cron schedule, 0
// when it does not parse.
func scheduleInterval(spec string) time.Duration {
	s, err := cron.ParseStandard(spec)
	if err != nil {
		return 0
	}
	t0 := s.Next(time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC))
	return s.Next(t0).Sub(t0)
}
