package config

import (
	"slices"
	"time"
)

// Health configures the source-health rules, evaluated per source after
// every crawl run, and where operators are told about a broken source.
type Health struct {
	// Off turns source health off altogether.
	Off bool `yaml:"off"`
	// Channel is the Slack channel for operators' messages (e.g. "#ops");
	// empty sends them to the console only, never to a leadership channel.
	Channel string `yaml:"channel"`
	// RepeatInterval is how often an open source incident is repeated
	// (default 24h).
	RepeatInterval Duration `yaml:"repeat_interval"`
	// Failing fires after this many consecutive failed runs: runs with
	// errors and no posts (default runs: 3).
	Failing HealthRuns `yaml:"failing"`
	// Layout fires when pages were fetched but the item selector matched
	// nothing on at least share of them (default 0.5).
	Layout HealthShare `yaml:"layout"`
	// Denied fires when at least share of a run's pages were refused with
	// 401/403 or came back as a captcha or login page (default 0.5).
	Denied HealthShare `yaml:"denied"`
	// Field fires when a field present on at least Was of the items over
	// the last BaselineRuns runs is present on less than Now of a run's
	// items (defaults 0.9, 0.5, 10 runs, and at least MinItems items: 5).
	Field HealthField `yaml:"field"`
	// Stale fires when a source has had no new post for longer than Factor
	// times the longest gap between its posts over Learn (defaults 3, 14d),
	// and at least Min (default 20m); it needs MinHistory of posts first
	// (default 48h).
	Stale HealthStale `yaml:"stale"`
	// HighWater fires when this many consecutive runs stored new posts but
	// the high-water mark did not move (default runs: 4): the posts' times
	// no longer parse, or they are all older than the mark.
	HighWater HealthRuns `yaml:"high_water"`
}

// HealthRuns is a rule that counts consecutive runs.
type HealthRuns struct {
	// Off turns the rule off.
	Off bool `yaml:"off"`
	// Runs is how many consecutive runs it takes.
	Runs int `yaml:"runs"`
}

// HealthShare is a rule on the share of a run's pages.
type HealthShare struct {
	// Off turns the rule off.
	Off bool `yaml:"off"`
	// Share of the run's pages, 0-1.
	Share float64 `yaml:"share"`
}

// HealthField is the missing-field rule.
type HealthField struct {
	// Off turns the rule off.
	Off bool `yaml:"off"`
	// Was is the share of items that used to have the field, 0-1.
	Was float64 `yaml:"was"`
	// Now is the share below which the field counts as missing, 0-1.
	Now float64 `yaml:"now"`
	// BaselineRuns is how many earlier runs "used to" looks at.
	BaselineRuns int `yaml:"baseline_runs"`
	// MinItems is the least items a run needs to be judged.
	MinItems int `yaml:"min_items"`
}

// HealthStale is the no-new-post rule.
type HealthStale struct {
	// Off turns the rule off.
	Off bool `yaml:"off"`
	// Factor multiplies the longest gap seen in the history.
	Factor float64 `yaml:"factor"`
	// Min is the shortest silence that can fire.
	Min Duration `yaml:"min"`
	// Learn is how much history the usual gap is learnt from.
	Learn Duration `yaml:"learn"`
	// MinHistory is how long a source must have been posting before the
	// rule judges it.
	MinHistory Duration `yaml:"min_history"`
}

func (h *Health) setDefaults() {
	if h.RepeatInterval == 0 {
		h.RepeatInterval = Duration(24 * time.Hour)
	}
	if h.Failing.Runs == 0 {
		h.Failing.Runs = 3
	}
	if h.Layout.Share == 0 {
		h.Layout.Share = 0.5
	}
	if h.Denied.Share == 0 {
		h.Denied.Share = 0.5
	}
	f := &h.Field
	if f.Was == 0 {
		f.Was = 0.9
	}
	if f.Now == 0 {
		f.Now = 0.5
	}
	if f.BaselineRuns == 0 {
		f.BaselineRuns = 10
	}
	if f.MinItems == 0 {
		f.MinItems = 5
	}
	s := &h.Stale
	if s.Factor == 0 {
		s.Factor = 3
	}
	if s.Min == 0 {
		s.Min = Duration(20 * time.Minute)
	}
	if s.Learn == 0 {
		s.Learn = Duration(14 * 24 * time.Hour)
	}
	if s.MinHistory == 0 {
		s.MinHistory = Duration(48 * time.Hour)
	}
	if h.HighWater.Runs == 0 {
		h.HighWater.Runs = 4
	}
}

func (h *Health) validate(v *validator) {
	p := path{"health"}
	if h.RepeatInterval < 0 {
		v.errorf(append(p, "repeat_interval"), "repeat_interval must not be negative")
	}
	if h.Failing.Runs < 0 {
		v.errorf(path{"health", "failing", "runs"}, "runs must be at least 1")
	}
	if h.HighWater.Runs < 0 {
		v.errorf(path{"health", "high_water", "runs"}, "runs must be at least 1")
	}
	for name, s := range map[string]float64{"layout": h.Layout.Share, "denied": h.Denied.Share} {
		if s < 0 || s > 1 {
			v.errorf(path{"health", name, "share"}, "share %g must be between 0 and 1", s)
		}
	}
	f := h.Field
	if f.Was < 0 || f.Was > 1 {
		v.errorf(path{"health", "field", "was"}, "was %g must be between 0 and 1", f.Was)
	}
	if f.Now < 0 || f.Now > 1 || f.Now >= f.Was {
		v.errorf(path{"health", "field", "now"}, "now %g must be between 0 and 1 and below was (%g)", f.Now, f.Was)
	}
	if f.BaselineRuns < 0 || f.MinItems < 0 {
		v.errorf(path{"health", "field"}, "baseline_runs and min_items must not be negative")
	}
	s := h.Stale
	if s.Factor < 1 {
		v.errorf(path{"health", "stale", "factor"}, "factor %g must be at least 1", s.Factor)
	}
	if s.Min < 0 || s.Learn < 0 || s.MinHistory < 0 {
		v.errorf(path{"health", "stale"}, "min, learn and min_history must not be negative")
	}
}

// Feeds maps each topic to the sources whose posts are matched against it.
func (c *Config) Feeds() map[string][]string {
	out := map[string][]string{}
	for _, t := range c.Topics {
		out[t.Name] = nil
		for _, s := range c.Sources {
			if len(s.Topics) == 0 || slices.Contains(s.Topics, t.Name) {
				out[t.Name] = append(out[t.Name], s.Name)
			}
		}
	}
	return out
}
