package alerts

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"

	"github.com/backlash-monitor/backlash/internal/alerts/notify"
	"github.com/backlash-monitor/backlash/internal/alerts/notify/console"
	slacknotify "github.com/backlash-monitor/backlash/internal/alerts/notify/slack"
	"github.com/backlash-monitor/backlash/internal/config"
)

// BuildNotifier returns the receivers the configuration asks for: a Slack
// bot (slack.token_env) or webhook (slack.webhook_url_env), the console
// (printing to stdout), or Slack mirrored to the console.
func BuildNotifier(cfg config.Alerts, stdout io.Writer, logger *slog.Logger) (Notifier, error) {
	if logger == nil {
		logger = slog.Default()
	}
	var primary Notifier
	hc := &http.Client{Timeout: cfg.Slack.Timeout.D()}
	switch {
	case cfg.Slack.TokenEnv != "":
		tok := cfg.Slack.TokenEnv.Value()
		if tok.Reveal() == "" {
			return nil, fmt.Errorf("alerts: slack token: environment variable %s is empty", cfg.Slack.TokenEnv)
		}
		primary = slacknotify.NewBot(tok.Reveal(), cfg.Slack.APIURL, hc)
		logger.Info("alerts go to Slack", "mode", "bot", "channel", cfg.Slack.Channel)
	case cfg.Slack.WebhookURLEnv != "":
		u := cfg.Slack.WebhookURLEnv.Value()
		if u.Reveal() == "" {
			return nil, fmt.Errorf("alerts: slack webhook: environment variable %s is empty", cfg.Slack.WebhookURLEnv)
		}
		primary = slacknotify.NewWebhook(u.Reveal(), hc)
		logger.Info("alerts go to Slack", "mode", "webhook")
	}
	if !cfg.ConsoleEnabled() {
		if primary == nil {
			return nil, fmt.Errorf("alerts: no receiver: set alerts.slack.token_env, alerts.slack.webhook_url_env or alerts.console")
		}
		return primary, nil
	}
	con := console.New(stdout)
	if primary == nil {
		return con, nil
	}
	return &notify.Tee{Primary: primary, Mirror: con, OnMirrorError: func(m *notify.Message, err error) {
		logger.Warn("console mirror failed", "key", m.Key, "err", err)
	}}, nil
}

// BuildOpsNotifier returns the ops route's receiver: the main notifier when
// health.channel names a Slack channel and Slack is configured, else the
// console, so operators' messages never land in a leadership channel by
// default.
func BuildOpsNotifier(cfg config.Alerts, h config.Health, main Notifier, stdout io.Writer) Notifier {
	slackSet := cfg.Slack.TokenEnv != "" || cfg.Slack.WebhookURLEnv != ""
	if h.Channel != "" && slackSet || !slackSet {
		return main
	}
	return console.New(stdout)
}
