package config

import (
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/backlash-monitor/backlash/internal/incident"
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
	// ResolveAfter is the default hysteresis: an incident resolves once no
	// rule's threshold has held for this long (default 1h).
	ResolveAfter Duration `yaml:"resolve_after"`
	// RepeatInterval is the default interval between update replies in an
	// open incident's thread (default 1h).
	RepeatInterval Duration `yaml:"repeat_interval"`
	// Evidence is how many top negative posts a message quotes (default 5).
	Evidence int `yaml:"evidence"`
	// Retry bounds delivery retries within one run; what is left stays in
	// the outbox for the next run.
	Retry Retry `yaml:"retry"`
	// Digest configures the daily digest.
	Digest Digest `yaml:"digest"`
}

// Rule fires when a topic's metric crosses a threshold. A rule has either
// one Threshold with one Severity, or a Severities map giving a threshold
// per severity.
type Rule struct {
	// Name identifies the rule in alerts and logs.
	Name string `yaml:"name"`
	// Topic the rule watches; empty or "*" means every topic.
	Topic string `yaml:"topic"`
	// Metric is what the threshold applies to: "risk" (the brand-risk score,
	// 0-100), one of its components ("anomaly", "share", "reach", "spread",
	// "velocity", "one_star" (rated reviews), 0-100 each), "negative_ratio"
	// (negative posts in the window over the baseline's expectation) or
	// "deviation" (robust z-score).
	Metric string `yaml:"metric"`
	// Threshold is the value at or above which the rule fires.
	Threshold float64 `yaml:"threshold"`
	// Severity is watch, warn or page (default warn); used with Threshold.
	Severity string `yaml:"severity"`
	// Severities maps severities to thresholds, e.g. {watch: 40, warn: 60,
	// page: 80}; higher severities need higher thresholds.
	Severities map[string]float64 `yaml:"severities"`
	// For is how long the threshold must hold (over consecutive
	// evaluations) before the rule fires (default 0: at once).
	For Duration `yaml:"for"`
	// Window is how far back the rule looks (default 1h).
	Window Duration `yaml:"window"`
	// Baseline is the history the window is compared with: how far back
	// the detector learns the topic's daily and weekly rhythm (default 14d;
	// the weekday correction needs two weeks).
	Baseline Duration `yaml:"baseline"`
	// MinPosts is the least number of negative posts in the window.
	MinPosts int `yaml:"min_posts"`
	// MinAuthors is the least number of distinct negative authors in the
	// window.
	MinAuthors int `yaml:"min_authors"`
	// MinSources is the least number of sources the posts come from.
	MinSources int `yaml:"min_sources"`
	// Cooldown: a rule firing within this long after the topic's last
	// incident resolved reopens that incident in its thread instead of
	// opening a new one (default 6h).
	Cooldown Duration `yaml:"cooldown"`
	// RepeatInterval is how often an open incident gets an update reply
	// (default alerts.repeat_interval).
	RepeatInterval Duration `yaml:"repeat_interval"`
	// ResolveAfter overrides alerts.resolve_after for incidents this rule
	// opened.
	ResolveAfter Duration `yaml:"resolve_after"`
}

// Level is one severity of a rule and the threshold that triggers it.
type Level struct {
	// Severity is watch, warn or page.
	Severity incident.Severity
	// Threshold is the value at or above which the level holds.
	Threshold float64
}

// Levels returns the rule's severities in rising order.
func (r *Rule) Levels() []Level {
	if len(r.Severities) == 0 {
		return []Level{{Severity: incident.Severity(r.Severity), Threshold: r.Threshold}}
	}
	out := make([]Level, 0, len(r.Severities))
	for s, t := range r.Severities {
		out = append(out, Level{Severity: incident.Severity(s), Threshold: t})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Severity.Rank() < out[j].Severity.Rank() })
	return out
}

// Slack configures delivery to Slack.
type Slack struct {
	// TokenEnv names the environment variable holding a bot token; messages
	// go through chat.postMessage and chat.update.
	TokenEnv SecretEnv `yaml:"token_env"`
	// WebhookURLEnv names the environment variable holding an incoming
	// webhook URL, used when there is no token. Webhooks cannot thread or
	// edit, so every message is top-level.
	WebhookURLEnv SecretEnv `yaml:"webhook_url_env"`
	// Channel is the default channel notifications go to.
	Channel string `yaml:"channel"`
	// Channels routes severities to channels, e.g. {watch: "#comms-watch",
	// warn: "#comms", page: "#leadership"}; a severity not listed goes to
	// Channel.
	Channels map[string]string `yaml:"channels"`
	// APIURL overrides Slack's API base URL (for tests and proxies).
	APIURL string `yaml:"api_url"`
	// Timeout bounds each request to Slack (default 10s).
	Timeout Duration `yaml:"timeout"`
}

// Retry bounds delivery retries within one run.
type Retry struct {
	// Attempts is how many times one notification is tried per run
	// (default 4).
	Attempts int `yaml:"attempts"`
	// InitialBackoff is the first wait between attempts (default 1s); it
	// doubles up to MaxBackoff (default 30s). A 429's Retry-After is
	// honoured when longer.
	InitialBackoff Duration `yaml:"initial_backoff"`
	MaxBackoff     Duration `yaml:"max_backoff"`
	// MaxWait caps the total waiting of one run (default 2m).
	MaxWait Duration `yaml:"max_wait"`
}

// Digest configures the daily digest.
type Digest struct {
	// Channel receives the digest (default the warn channel, else
	// slack.channel).
	Channel string `yaml:"channel"`
	// Posts is how many notable posts per topic it quotes (default 3).
	Posts int `yaml:"posts"`
	// Schedule is when `backlash serve` sends it, a 5-field cron
	// expression in UTC (default "0 9 * * *"); "off" disables it.
	Schedule string `yaml:"schedule"`
}

// Severities in rising order.
var severities = []string{"watch", "warn", "page"}

// SeverityRank orders severities: watch 1, warn 2, page 3, anything else 0.
func SeverityRank(s string) int {
	for i, x := range severities {
		if x == s {
			return i + 1
		}
	}
	return 0
}

// ruleMetrics are the metrics a rule can watch.
var ruleMetrics = []string{"risk", "anomaly", "share", "reach", "spread", "velocity", "one_star", "negative_ratio", "deviation"}

// ConsoleEnabled reports whether notifications are printed to stdout.
func (a *Alerts) ConsoleEnabled() bool {
	if a.Console != nil {
		return *a.Console
	}
	return a.Slack.TokenEnv == "" && a.Slack.WebhookURLEnv == ""
}

func (a *Alerts) setDefaults() {
	if a.ResolveAfter == 0 {
		a.ResolveAfter = Duration(time.Hour)
	}
	if a.RepeatInterval == 0 {
		a.RepeatInterval = Duration(time.Hour)
	}
	if a.Evidence == 0 {
		a.Evidence = 5
	}
	if a.Retry.Attempts == 0 {
		a.Retry.Attempts = 4
	}
	if a.Retry.InitialBackoff == 0 {
		a.Retry.InitialBackoff = Duration(time.Second)
	}
	if a.Retry.MaxBackoff == 0 {
		a.Retry.MaxBackoff = Duration(30 * time.Second)
	}
	if a.Retry.MaxWait == 0 {
		a.Retry.MaxWait = Duration(2 * time.Minute)
	}
	if a.Digest.Schedule == "" {
		a.Digest.Schedule = "0 9 * * *"
	}
	if a.Digest.Posts == 0 {
		a.Digest.Posts = 3
	}
	if a.Slack.Timeout == 0 {
		a.Slack.Timeout = Duration(10 * time.Second)
	}
	for i := range a.Rules {
		r := &a.Rules[i]
		if r.Topic == "" {
			r.Topic = "*"
		}
		if r.Metric == "" {
			r.Metric = "negative_ratio"
		}
		if r.Severity == "" && len(r.Severities) == 0 {
			r.Severity = "warn"
		}
		if r.Window == 0 {
			r.Window = Duration(time.Hour)
		}
		if r.Baseline == 0 {
			r.Baseline = Duration(14 * 24 * time.Hour)
		}
		if r.Cooldown == 0 {
			r.Cooldown = Duration(6 * time.Hour)
		}
		if r.RepeatInterval == 0 {
			r.RepeatInterval = a.RepeatInterval
		}
		if r.ResolveAfter == 0 {
			r.ResolveAfter = a.ResolveAfter
		}
	}
}

func (a *Alerts) validate(v *validator, c *Config) {
	names := map[string]bool{}
	for i := range a.Rules {
		r := &a.Rules[i]
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
		if !contains(ruleMetrics, r.Metric) {
			v.errorf(append(p, "metric"), "unknown metric %q (want %s)", r.Metric, strings.Join(ruleMetrics, ", "))
		}
		if len(r.Severities) > 0 {
			if r.Threshold != 0 {
				v.errorf(append(p, "threshold"), "use either threshold (with severity) or severities, not both")
			}
			if r.Severity != "" {
				v.errorf(append(p, "severity"), "use either severity (with threshold) or severities, not both")
			}
			prev := Level{}
			for _, l := range r.Levels() {
				lp := path{"alerts", "rules", i, "severities", string(l.Severity)}
				if l.Severity.Rank() == 0 {
					v.errorf(lp, "unknown severity %q (want watch, warn or page)", l.Severity)
					continue
				}
				if l.Threshold <= 0 {
					v.errorf(lp, "threshold must be above 0")
				} else if prev.Severity != "" && l.Threshold <= prev.Threshold {
					v.errorf(lp, "%s threshold %g must be above %s threshold %g", l.Severity, l.Threshold, prev.Severity, prev.Threshold)
				}
				prev = l
			}
		} else {
			if incident.Severity(r.Severity).Rank() == 0 {
				v.errorf(append(p, "severity"), "unknown severity %q (want watch, warn or page)", r.Severity)
			}
			if r.Threshold <= 0 {
				v.errorf(append(p, "threshold"), "threshold must be above 0")
			}
		}
		if r.Baseline <= r.Window {
			v.errorf(append(p, "baseline"), "baseline must be longer than window")
		}
		for _, d := range []struct {
			key string
			val Duration
		}{{"for", r.For}, {"cooldown", r.Cooldown}, {"repeat_interval", r.RepeatInterval}, {"resolve_after", r.ResolveAfter}} {
			if d.val < 0 {
				v.errorf(append(p, d.key), "%s must not be negative", d.key)
			}
		}
		for _, n := range []struct {
			key string
			val int
		}{{"min_posts", r.MinPosts}, {"min_authors", r.MinAuthors}, {"min_sources", r.MinSources}} {
			if n.val < 0 {
				v.errorf(append(p, n.key), "%s must not be negative", n.key)
			}
		}
		if r.MinAuthors > 0 && r.MinPosts > 0 && r.MinAuthors > r.MinPosts {
			v.errorf(append(p, "min_authors"), "min_authors (%d) cannot exceed min_posts (%d): each negative author wrote at least one negative post", r.MinAuthors, r.MinPosts)
		}
	}
	if a.ResolveAfter < 0 {
		v.errorf(path{"alerts", "resolve_after"}, "resolve_after must not be negative")
	}
	if a.RepeatInterval < 0 {
		v.errorf(path{"alerts", "repeat_interval"}, "repeat_interval must not be negative")
	}
	if a.Evidence < 0 || a.Evidence > 10 {
		v.errorf(path{"alerts", "evidence"}, "evidence must be between 0 and 10 posts")
	}
	if a.Retry.Attempts < 1 {
		v.errorf(path{"alerts", "retry", "attempts"}, "attempts must be at least 1")
	}
	if a.Retry.MaxBackoff < a.Retry.InitialBackoff {
		v.errorf(path{"alerts", "retry", "max_backoff"}, "max_backoff must not be below initial_backoff")
	}
	sp := path{"alerts", "slack"}
	if a.Slack.APIURL != "" {
		if u, err := url.Parse(a.Slack.APIURL); err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
			v.errorf(append(sp, "api_url"), "api_url %q is not an absolute http(s) URL", a.Slack.APIURL)
		}
	}
	if a.Slack.TokenEnv != "" && a.Slack.WebhookURLEnv != "" {
		v.errorf(append(sp, "webhook_url_env"), "use either token_env or webhook_url_env, not both")
	}
	if a.Slack.TokenEnv != "" && a.Slack.Channel == "" {
		for _, s := range incident.Severities() {
			if a.Slack.Channels[string(s)] == "" {
				v.errorf(sp, "slack needs a channel when token_env is set (slack.channel, or slack.channels for every severity)")
				break
			}
		}
	}
	keys := make([]string, 0, len(a.Slack.Channels))
	for k := range a.Slack.Channels {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if incident.Severity(k).Rank() == 0 {
			v.errorf(path{"alerts", "slack", "channels", k}, "unknown severity %q (want watch, warn or page)", k)
		} else if strings.TrimSpace(a.Slack.Channels[k]) == "" {
			v.errorf(path{"alerts", "slack", "channels", k}, "channel must not be empty")
		}
	}
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}
