package alerts

import (
	"github.com/backlash-monitor/backlash/internal/config"
	"github.com/backlash-monitor/backlash/internal/incident"
)

// SeverityRank orders severities: watch 1, warn 2, page 3, anything else 0.
func SeverityRank(s incident.Severity) int { return s.Rank() }

// ChannelFor returns the channel a severity is routed to: the severity's
// own channel when one is set, else the default channel.
func ChannelFor(s config.Slack, sev incident.Severity) string {
	if c := s.Channels[string(sev)]; c != "" {
		return c
	}
	return s.Channel
}

// DigestChannel returns the channel the daily digest goes to: its own, or
// the warn route.
func DigestChannel(a config.Alerts) string {
	if a.Digest.Channel != "" {
		return a.Digest.Channel
	}
	return ChannelFor(a.Slack, incident.SeverityWarn)
}
