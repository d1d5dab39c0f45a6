package config

import (
	"net/url"
	"time"
)

// Alerts holds alert rules and where notifications go.
type Alerts struct {
	// Rules decide when a topic's series deserves attention.
	Rules []Rule `yaml:"rules"`
	// Slack delivers notifications to Slack; empty means console only.
	Slack Slack `yaml:"slack"`
	// Console prints notifications to standard output (default true when
	// Slack is not configured).
	Console *bool `yaml:"console"`
}

// Rule fires when a topic's metric crosses a threshold.
type Rule struct {
	// Name identifies the rule in alerts and logs.
	Name string `yaml:"name"`
	// Topic the rule watches; empty or "*" means every topic.
	Topic string `yaml:"topic"`
	// Metric is what the threshold applies to: "risk" (the brand-risk score,
	// 0-100) or "negative_ratio" (negative posts in the window over the
	// baseline's expectation).
	Metric string `yaml:"metric"`
	// Threshold is the value at or above which the rule fires.
	Threshold float64 `yaml:"threshold"`
	// Severity is watch, warn or page (default warn).
	Severity string `yaml:"severity"`
	// Window is how far back the rule looks (default 1h).
	Window Duration `yaml:"window"`
	// Baseline is the history the window is compared with (default 7d).
	Baseline Duration `yaml:"baseline"`
	// MinPosts is the least number of negative posts in the window.
	MinPosts int `yaml:"min_posts"`
	// MinAuthors is the least number of distinct authors in the window.
	MinAuthors int `yaml:"min_authors"`
	// Cooldown suppresses a repeat notification for this long.
	Cooldown Duration `yaml:"cooldown"`
}

// Slack configures delivery to Slack.
type Slack struct {
	// TokenEnv names the environment variable holding a bot token.
	TokenEnv SecretEnv `yaml:"token_env"`
	// Channel is the channel notifications go to.
	Channel string `yaml:"channel"`
	// APIURL overrides Slack's API base URL (for tests and proxies).
	APIURL string `yaml:"api_url"`
}

// Severities in rising order.
var severities = []string{"watch", "warn", "page"}

// ConsoleEnabled reports whether notifications are printed to stdout.
func (a *Alerts) ConsoleEnabled() bool {
	if a.Console != nil {
		return *a.Console
	}
	return a.Slack.TokenEnv == ""
}

func (a *Alerts) setDefaults() {
	for i := range a.Rules {
		r := &a.Rules[i]
		if r.Topic == "" {
			r.Topic = "*"
		}
		if r.Metric == "" {
			r.Metric = "negative_ratio"
		}
		if r.Severity == "" {
			r.Severity = "warn"
		}
		if r.Window == 0 {
			r.Window = Duration(time.Hour)
		}
		if r.Baseline == 0 {
			r.Baseline = Duration(7 * 24 * time.Hour)
		}
		if r.Cooldown == 0 {
			r.Cooldown = Duration(6 * time.Hour)
		}
	}
}

func (a *Alerts) validate(v *validator, c *Config) {
	names := map[string]bool{}
	for i, r := range a.Rules {
		p := path{"alerts", "rules", i}
		if r.Name == "" {
			v.errorf(p, "rule needs a name")
		} else if names[r.Name] {
			v.errorf(append(p, "name"), "duplicate rule name %q", r.Name)
		}
		names[r.Name] = true
		if r.Topic != "*" {
			found := false
			for _, t := range c.Topics {
				found = found || t.Name == r.Topic
			}
			if !found {
				v.errorf(append(p, "topic"), "unknown topic %q", r.Topic)
			}
		}
		switch r.Metric {
		case "risk", "negative_ratio":
		default:
			v.errorf(append(p, "metric"), "unknown metric %q (want risk or negative_ratio)", r.Metric)
		}
		ok := false
		for _, s := range severities {
			ok = ok || s == r.Severity
		}
		if !ok {
			v.errorf(append(p, "severity"), "unknown severity %q (want watch, warn or page)", r.Severity)
		}
		if r.Threshold <= 0 {
			v.errorf(append(p, "threshold"), "threshold must be above 0")
		}
		if r.Baseline <= r.Window {
			v.errorf(append(p, "baseline"), "baseline must be longer than window")
		}
	}
	if a.Slack.APIURL != "" {
		if u, err := url.Parse(a.Slack.APIURL); err != nil || u.Host == "" {
			v.errorf(path{"alerts", "slack", "api_url"}, "api_url %q is not an absolute URL", a.Slack.APIURL)
		}
	}
	if a.Slack.TokenEnv != "" && a.Slack.Channel == "" {
		v.errorf(path{"alerts", "slack"}, "slack needs a channel when token_env is set")
	}
}
