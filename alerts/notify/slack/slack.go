package slack

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	goslack "github.com/slack-go/slack"

	"github.com/backlash-monitor/backlash/alerts/notify"
)

// DefaultAPIURL is Slack's Web API base URL.
const DefaultAPIURL = "https://slack.com/api/"

// Bot posts with a bot token through Slack's Web API.
type Bot struct {
	client *goslack.Client
}

// NewBot returns a receiver posting with token to the Web API at apiURL
// (DefaultAPIURL when empty) through hc (http.DefaultClient when nil).
func NewBot(token, apiURL string, hc *http.Client) *Bot {
	if apiURL == "" {
		apiURL = DefaultAPIURL
	}
	if !strings.HasSuffix(apiURL, "/") {
		apiURL += "/"
	}
	if hc == nil {
		hc = http.DefaultClient
	}
	return &Bot{client: goslack.New(token, goslack.OptionAPIURL(apiURL), goslack.OptionHTTPClient(hc))}
}

// AuthTest checks the token, returning the bot's team and user.
func (b *Bot) AuthTest(ctx context.Context) (team, user string, err error) {
	r, err := b.client.AuthTestContext(ctx)
	if err != nil {
		return "", "", fmt.Errorf("slack auth.test: %w", err)
	}
	return r.Team, r.User, nil
}

// Notify posts m, replies in its thread, or updates the message it names.
func (b *Bot) Notify(ctx context.Context, m *notify.Message) (bool, error) {
	opts := []goslack.MsgOption{
		goslack.MsgOptionText(m.Text, false),
		goslack.MsgOptionDisableLinkUnfurl(),
		goslack.MsgOptionDisableMediaUnfurl(),
	}
	if len(m.Blocks) > 0 {
		opts = append(opts, goslack.MsgOptionBlocks(m.Blocks...))
	}
	if m.Mode == notify.ModeUpdate {
		ch, ts, _, err := b.client.UpdateMessageContext(ctx, m.UpdateChannel, m.UpdateTS, opts...)
		if err != nil {
			return classify(ctx, fmt.Errorf("slack chat.update %s in %s: %w", m.Key, m.UpdateChannel, err))
		}
		m.SentChannel, m.SentTS = ch, ts
		return false, nil
	}
	if m.ThreadTS != "" {
		opts = append(opts, goslack.MsgOptionTS(m.ThreadTS))
	}
	ch, ts, err := b.client.PostMessageContext(ctx, m.Channel, opts...)
	if err != nil {
		return classify(ctx, fmt.Errorf("slack chat.postMessage %s to %s: %w", m.Key, m.Channel, err))
	}
	m.SentChannel, m.SentTS = ch, ts
	return false, nil
}

// Webhook posts to an incoming webhook. Webhooks cannot thread or edit:
// replies are posted top-level and updates are skipped.
type Webhook struct {
	url string
	hc  *http.Client
}

// NewWebhook returns a receiver posting to the webhook URL through hc
// (http.DefaultClient when nil).
func NewWebhook(url string, hc *http.Client) *Webhook {
	if hc == nil {
		hc = http.DefaultClient
	}
	return &Webhook{url: url, hc: hc}
}

// Notify posts m to the webhook.
func (w *Webhook) Notify(ctx context.Context, m *notify.Message) (bool, error) {
	if m.Mode == notify.ModeUpdate {
		return false, nil
	}
	msg := &goslack.WebhookMessage{Text: m.Text}
	if len(m.Blocks) > 0 {
		msg.Blocks = &goslack.Blocks{BlockSet: m.Blocks}
	}
	f := false
	msg.UnfurlLinks, msg.UnfurlMedia = &f, &f
	if err := goslack.PostWebhookCustomHTTPContext(ctx, w.url, w.hc, msg); err != nil {
		// The URL is a secret: name the message, never the URL.
		return classify(ctx, fmt.Errorf("slack webhook %s: %w", m.Key, redact(err, w.url)))
	}
	m.SentChannel = "webhook"
	return false, nil
}

// retryableErrors are Slack error codes worth retrying.
var retryableErrors = map[string]bool{
	"ratelimited": true, "internal_error": true, "fatal_error": true,
	"service_unavailable": true, "request_timeout": true,
}

// classify says whether err is worth retrying and marks Retry-After waits.
func classify(ctx context.Context, err error) (bool, error) {
	var rl *goslack.RateLimitedError
	if errors.As(err, &rl) {
		return true, &notify.RetryAfterError{After: rl.RetryAfter, Err: err}
	}
	var sc goslack.StatusCodeError
	if errors.As(err, &sc) {
		return sc.Retryable(), err
	}
	var se goslack.SlackErrorResponse
	if errors.As(err, &se) {
		return retryableErrors[se.Err], err
	}
	if ctx.Err() != nil {
		return false, err
	}
	// Transport failures (refused, reset, timeout) are worth retrying.
	return true, err
}

// redact removes the webhook URL from an error's text.
func redact(err error, url string) error {
	if url == "" || !strings.Contains(err.Error(), url) {
		return err
	}
	return &redacted{msg: strings.ReplaceAll(err.Error(), url, "<webhook>"), err: err}
}

type redacted struct {
	msg string
	err error
}

func (r *redacted) Error() string { return r.msg }
func (r *redacted) Unwrap() error { return r.err }
