package alerts_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/backlash-monitor/backlash/internal/alerts"
	"github.com/backlash-monitor/backlash/internal/config"
	"github.com/backlash-monitor/backlash/internal/incident"
)

func TestRuleConfigErrorsNameLineAndKey(t *testing.T) {
	for _, tc := range []struct{ file, want string }{
		{"bad_metric.yaml", `:7: alerts.rules[0].metric: unknown metric "sentiment"`},
		{"bad_severity_key.yaml", `:10: alerts.rules[0].severities.critical: unknown severity "critical"`},
		{"not_rising.yaml", `:8: alerts.rules[0].severities.warn: warn threshold 50 must be above watch threshold 60`},
		{"threshold_and_severities.yaml", `:8: alerts.rules[0].threshold: use either threshold`},
		{"negative_for.yaml", `:8: alerts.rules[0].for: for must not be negative`},
		{"bad_duration.yaml", `:8: alerts.rules[0].cooldown: bad duration "soon"`},
		{"unknown_key.yaml", `:8: alerts.rules[0].min_post: unknown key "min_post"`},
		{"authors_above_posts.yaml", `:9: alerts.rules[0].min_authors: min_authors (5) cannot exceed min_posts (3)`},
		{"unknown_topic.yaml", `:7: alerts.rules[0].topic: unknown topic "pricing"`},
		{"bad_channel.yaml", `:9: alerts.slack.channels.critical: unknown severity "critical"`},
	} {
		t.Run(tc.file, func(t *testing.T) {
			path := filepath.Join("testdata", "config", tc.file)
			_, err := config.Load(path)
			if err == nil {
				t.Fatalf("no error, want %q", tc.want)
			}
			if !strings.Contains(err.Error(), path+tc.want) {
				t.Fatalf("error:\n%v\nwant it to contain:\n%s%s", err, path, tc.want)
			}
		})
	}
}

func TestRuleConfigDefaults(t *testing.T) {
	cfg, err := config.Load(filepath.Join("testdata", "config", "valid.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	a := cfg.Alerts
	r := a.Rules[0]
	if r.Topic != "*" || r.Severity != "" || len(r.Levels()) != 3 || r.Levels()[2].Severity != "page" {
		t.Errorf("rule defaults: %+v levels %+v", r, r.Levels())
	}
	if alerts.ChannelFor(a.Slack, incident.SeverityPage) != "#leadership" || alerts.ChannelFor(a.Slack, incident.SeverityWatch) != "#comms" || alerts.DigestChannel(a) != "#comms" {
		t.Errorf("routing: %+v", a.Slack)
	}
	if s := a.Rules[1]; s.Levels()[0].Severity != "warn" || s.RepeatInterval.D() != a.RepeatInterval.D() || s.Cooldown.D() == 0 {
		t.Errorf("single-threshold rule defaults: %+v", s)
	}
	if a.ConsoleEnabled() {
		t.Error("console on with Slack configured")
	}
}
