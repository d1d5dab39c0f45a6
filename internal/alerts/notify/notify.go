package notify

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/slack-go/slack"
)

// Modes of a message.
const (
	// ModePost posts a new message (in a thread when ThreadTS is set).
	ModePost = "post"
	// ModeUpdate edits the message UpdateTS in UpdateChannel.
	ModeUpdate = "update"
)

// Message is one notification, rendered.
type Message struct {
	// Key identifies the notification; receivers may use it for logs.
	Key string
	// Kind is open, reopen, escalate, update, resolve, route, parent or
	// digest.
	Kind string
	// Mode is ModePost or ModeUpdate.
	Mode string
	// Channel is where a post goes.
	Channel string
	// ThreadTS, when set, makes a post a reply in that thread.
	ThreadTS string
	// UpdateChannel and UpdateTS identify the message an update edits.
	UpdateChannel, UpdateTS string
	// Text is the plain-text fallback, already escaped for mrkdwn.
	Text string
	// Blocks is the Block Kit layout.
	Blocks []slack.Block

	// MaybeSent is set when an earlier attempt failed in a way that may
	// have delivered the message anyway (a timeout, an unreadable answer).
	// A receiver that can look for the message already posted does so
	// before posting again; receivers set it on such a failure.
	MaybeSent bool

	// SentChannel and SentTS are set by a receiver that delivered the
	// message and knows where it landed (Slack's channel id and ts).
	SentChannel, SentTS string
}

// Notifier delivers messages. Notify reports whether a failure is worth
// retrying.
type Notifier interface {
	Notify(ctx context.Context, m *Message) (retry bool, err error)
}

// NotifierFunc adapts a function to Notifier.
type NotifierFunc func(ctx context.Context, m *Message) (bool, error)

// Notify calls f.
func (f NotifierFunc) Notify(ctx context.Context, m *Message) (bool, error) { return f(ctx, m) }

// RetryAfterError is a failure the receiver asked to retry no sooner than
// After (Slack's 429 Retry-After).
type RetryAfterError struct {
	// After is how long to wait.
	After time.Duration
	// Err is the underlying failure.
	Err error
}

func (e *RetryAfterError) Error() string {
	return fmt.Sprintf("rate limited, retry after %s: %v", e.After, e.Err)
}

// Unwrap returns the underlying failure.
func (e *RetryAfterError) Unwrap() error { return e.Err }

// RetryAfter returns the wait a failure asks for, or 0.
func RetryAfter(err error) time.Duration {
	var ra *RetryAfterError
	if errors.As(err, &ra) {
		return ra.After
	}
	return 0
}

// ErrBudgetExhausted is returned by Retry when waiting for the next attempt
// would overrun the run's budget.
var ErrBudgetExhausted = errors.New("retry budget of this run exhausted")

// Receiver names a receiver that posts without a Slack channel of its own.
// It stands in a message's SentChannel where a channel ID would be, so a
// reply cannot be posted to it.
type Receiver string

// Receivers that record their name as the sent channel.
const (
	ReceiverWebhook Receiver = "webhook"
	ReceiverConsole Receiver = "console"
)

// InChannel reports whether sentChannel is a Slack channel a reply can be
// posted to, rather than empty or a Receiver's name.
func InChannel(sentChannel string) bool {
	switch Receiver(sentChannel) {
	case "", ReceiverWebhook, ReceiverConsole:
		return false
	}
	return true
}
