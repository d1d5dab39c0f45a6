package pipeline

import (
	"context"
	"strings"
	"testing"

	"github.com/backlash-monitor/backlash/internal/alerts"
	"github.com/backlash-monitor/backlash/internal/analyzer"
	"github.com/backlash-monitor/backlash/internal/config"
)

// observed records what a scheduled run reported, like serve.Metrics.
type observed struct {
	topics           map[string]float64
	receiver         string
	sent, failed     int
	openCalls, calls int
}

func (o *observed) TopicAssessed(topic string, risk, _ float64) { o.topics[topic] = risk }
func (o *observed) AlertsDelivered(receiver string, sent, failed int) {
	o.receiver, o.sent, o.failed = receiver, sent, failed
	o.calls++
}
func (o *observed) IncidentsOpen(map[string]int, []string) { o.openCalls++ }

func TestScheduledObserveNamesTheReceiver(t *testing.T) {
	for _, tc := range []struct {
		name  string
		slack config.Slack
		want  string
	}{
		{"console", config.Slack{}, "console"},
		{"bot", config.Slack{TokenEnv: "SLACK_TOKEN"}, "slack"},
		{"webhook", config.Slack{WebhookURLEnv: "SLACK_WEBHOOK"}, "webhook"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := &config.Config{}
			cfg.Alerts.Slack = tc.slack
			o := &observed{topics: map[string]float64{}}
			s := &Scheduled{Sys: &System{Config: cfg}, Metrics: o}
			var a analyzer.Assessment
			a.Topic, a.Risk.Total = "checkout", 72
			s.observe(context.Background(), RunResult{Assessments: []analyzer.Assessment{a},
				Alerts: alerts.Report{Sent: []string{"k1", "k2"}, Failed: []string{"k3"}}})
			if o.receiver != tc.want || o.sent != 2 || o.failed != 1 || o.topics["checkout"] != 72 {
				t.Errorf("observed %+v, want receiver %s, 2 sent, 1 failed, checkout at 72", o, tc.want)
			}
			if o.openCalls != 0 {
				t.Error("open incidents reported without a store")
			}
		})
	}
}

func TestScheduledRejectsAnUnknownJob(t *testing.T) {
	s := &Scheduled{Sys: &System{Config: &config.Config{}}, Metrics: &observed{topics: map[string]float64{}}}
	err := s.Run(context.Background(), "nowhere")
	if err == nil || !strings.Contains(err.Error(), `no source "nowhere"`) {
		t.Fatalf("Run(nowhere) = %v, want a no-source error", err)
	}
}
