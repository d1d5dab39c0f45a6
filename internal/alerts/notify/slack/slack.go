package slack

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync"

	goslack "github.com/slack-go/slack"

	"github.com/backlash-monitor/backlash/internal/alerts/notify"
)

// DefaultAPIURL is Slack's Web API base URL.
const DefaultAPIURL = "https://slack.com/api/"

// Bot posts with a bot token through Slack's Web API. Every message it
// posts carries its dedup key in Slack's message metadata, so after an
// answer that leaves delivery in doubt it looks for the message in the
// channel (conversations.history, or conversations.replies in a thread)
// before posting again; that needs the channels:history and channels:read
// scopes (groups:* for private channels).
type Bot struct {
	client *goslack.Client

	mu       sync.Mutex
	channels map[string]string // channel name -> id
}

// MetadataEventType is the event_type of the metadata on every message the
// Bot posts; its event_payload holds the dedup key under "dedup_key".
const MetadataEventType = "backlash_alert"

// lookPages bounds how many pages of 200 messages a look for an earlier
// post reads: a message whose answer was lost is among the newest.
const lookPages = 3

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
	return &Bot{client: goslack.New(token, goslack.OptionAPIURL(apiURL), goslack.OptionHTTPClient(hc)),
		channels: map[string]string{}}
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
	if m.MaybeSent {
		ch, ts, err := b.find(ctx, m)
		if err != nil {
			retry, err := classify(ctx, fmt.Errorf("slack: look for %s already posted to %s: %w", m.Key, m.Channel, err))
			if retry {
				// Posting now could post it twice: try again later.
				return true, err
			}
			// The token cannot read the channel (a missing scope): posting
			// again risks a duplicate, never posting loses the alert.
		} else if ts != "" {
			m.SentChannel, m.SentTS = ch, ts
			return false, nil
		}
	}
	opts = append(opts, goslack.MsgOptionMetadata(goslack.SlackMetadata{EventType: MetadataEventType,
		EventPayload: map[string]any{"dedup_key": m.Key}}))
	ch, ts, err := b.client.PostMessageContext(ctx, m.Channel, opts...)
	if err != nil {
		retry, err := classify(ctx, fmt.Errorf("slack chat.postMessage %s to %s: %w", m.Key, m.Channel, err))
		if retry || ctx.Err() != nil {
			// A timeout or an unreadable answer does not say the message
			// was not posted.
			m.MaybeSent = true
		}
		return retry, err
	}
	m.SentChannel, m.SentTS = ch, ts
	return false, nil
}

// find looks for the message m posted by an earlier attempt, by its dedup
// key in the metadata, and returns its channel id and ts ("" when absent).
func (b *Bot) find(ctx context.Context, m *notify.Message) (string, string, error) {
	ch, err := b.channelID(ctx, m.Channel)
	if err != nil || ch == "" {
		return "", "", err
	}
	cursor := ""
	for range lookPages {
		var msgs []goslack.Message
		var more bool
		if m.ThreadTS != "" {
			msgs, more, cursor, err = b.client.GetConversationRepliesContext(ctx, &goslack.GetConversationRepliesParameters{
				ChannelID: ch, Timestamp: m.ThreadTS, Cursor: cursor, Limit: 200, IncludeAllMetadata: true})
		} else {
			var r *goslack.GetConversationHistoryResponse
			r, err = b.client.GetConversationHistoryContext(ctx, &goslack.GetConversationHistoryParameters{
				ChannelID: ch, Cursor: cursor, Limit: 200, IncludeAllMetadata: true})
			if r != nil {
				msgs, more, cursor = r.Messages, r.HasMore, r.ResponseMetaData.NextCursor
			}
		}
		if err != nil {
			return "", "", err
		}
		for _, x := range msgs {
			if x.Metadata.EventType == MetadataEventType && x.Metadata.EventPayload["dedup_key"] == m.Key {
				return ch, x.Timestamp, nil
			}
		}
		if !more || cursor == "" {
			break
		}
	}
	return ch, "", nil
}

// channelIDRe is what a Slack conversation id looks like.
var channelIDRe = regexp.MustCompile(`^[CGD][A-Z0-9]{6,}$`)

// channelID returns the id of a channel given by id or by name ("#comms"),
// reading conversations.list once per name; "" when no channel has it.
func (b *Bot) channelID(ctx context.Context, name string) (string, error) {
	if channelIDRe.MatchString(name) {
		return name, nil
	}
	name = strings.TrimPrefix(name, "#")
	b.mu.Lock()
	id, ok := b.channels[name]
	b.mu.Unlock()
	if ok {
		return id, nil
	}
	cursor := ""
	for {
		chans, next, err := b.client.GetConversationsContext(ctx, &goslack.GetConversationsParameters{
			Cursor: cursor, Limit: 1000, ExcludeArchived: true, Types: []string{"public_channel", "private_channel"}})
		if err != nil {
			return "", err
		}
		b.mu.Lock()
		for _, c := range chans {
			b.channels[c.Name] = c.ID
		}
		id = b.channels[name]
		b.mu.Unlock()
		if id != "" || next == "" {
			return id, nil
		}
		cursor = next
	}
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
	m.SentChannel = string(notify.ReceiverWebhook)
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
