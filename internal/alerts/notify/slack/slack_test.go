package slack_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/backlash-monitor/backlash/internal/alerts/notify"
	slacknotify "github.com/backlash-monitor/backlash/internal/alerts/notify/slack"
	"github.com/backlash-monitor/backlash/internal/alerts/slackserver"
)

func TestBotClassifiesFailures(t *testing.T) {
	srv := slackserver.New(slackserver.Options{Channels: []string{"#comms"}})
	defer srv.Close()
	ctx := context.Background()
	bot := slacknotify.NewBot(srv.Token(), srv.URL, nil)
	if _, _, err := bot.AuthTest(ctx); err != nil {
		t.Fatal(err)
	}
	m := &notify.Message{Key: "k", Mode: notify.ModePost, Channel: "#comms", Text: "hi"}

	srv.FailNext(1, 502)
	if retry, err := bot.Notify(ctx, m); err == nil || !retry {
		t.Fatalf("502: retry=%v err=%v, want a retryable error", retry, err)
	}
	srv.FailNext(1, 429)
	if retry, err := bot.Notify(ctx, m); !retry || notify.RetryAfter(err) != time.Second {
		t.Fatalf("429: retry=%v err=%v, want Retry-After 1s", retry, err)
	}
	bad := *m
	bad.Channel = "#nowhere"
	if retry, err := bot.Notify(ctx, &bad); err == nil || retry {
		t.Fatalf("channel_not_found: retry=%v err=%v, want a final error", retry, err)
	}
	if retry, err := slacknotify.NewBot("xoxb-wrong", srv.URL, nil).Notify(ctx, m); err == nil || retry {
		t.Fatalf("invalid_auth: retry=%v err=%v, want a final error", retry, err)
	}
	if _, err := bot.Notify(ctx, m); err != nil || m.SentTS == "" || m.SentChannel != srv.ChannelID("#comms") {
		t.Fatalf("post: %v %+v", err, m)
	}
	up := &notify.Message{Key: "u", Mode: notify.ModeUpdate, UpdateChannel: m.SentChannel, UpdateTS: m.SentTS, Text: "edited"}
	if _, err := bot.Notify(ctx, up); err != nil {
		t.Fatal(err)
	}
	if msgs := srv.Messages(); len(msgs) != 1 || msgs[0].Text != "edited" {
		t.Fatalf("messages %+v", msgs)
	}
}

func TestWebhookPostsAndSkipsUpdates(t *testing.T) {
	srv := slackserver.New(slackserver.Options{Channels: []string{"#comms"}})
	defer srv.Close()
	ctx := context.Background()
	wh := slacknotify.NewWebhook(srv.WebhookURL, nil)
	if _, err := wh.Notify(ctx, &notify.Message{Key: "k", Mode: notify.ModePost, Text: "hi", ThreadTS: "1.1"}); err != nil {
		t.Fatal(err)
	}
	if _, err := wh.Notify(ctx, &notify.Message{Key: "u", Mode: notify.ModeUpdate, Text: "x"}); err != nil {
		t.Fatal(err)
	}
	srv.FailNext(1, 503)
	retry, err := wh.Notify(ctx, &notify.Message{Key: "k2", Mode: notify.ModePost, Text: "again"})
	if err == nil || !retry {
		t.Fatalf("503: retry=%v err=%v", retry, err)
	}
	if contains(err.Error(), srv.WebhookURL) {
		t.Fatalf("error reveals the webhook URL: %v", err)
	}
	if msgs := srv.Messages(); len(msgs) != 1 || msgs[0].ThreadTS != "" {
		t.Fatalf("messages %+v", msgs)
	}
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}

// TestBotPostsOnceDespiteAmbiguousAnswers has Slack accept messages but
// answer unreadably or after the client's timeout: the retry finds the
// message already posted by its dedup key and does not post it again, at
// the top level and in a thread, and within one process or a later one.
func TestBotPostsOnceDespiteAmbiguousAnswers(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name  string
		fault func(*slackserver.Server)
	}{
		{"unreadable answer", func(s *slackserver.Server) { s.AcceptUnreadable(1) }},
		{"answer after the timeout", func(s *slackserver.Server) { s.AcceptSlowly(1, 500*time.Millisecond) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := slackserver.New(slackserver.Options{Channels: []string{"#general", "#comms"}})
			defer srv.Close()
			hc := &http.Client{Timeout: 200 * time.Millisecond}
			bot := slacknotify.NewBot(srv.Token(), srv.URL, hc)
			retry := &notify.Retry{Next: bot, Attempts: 3, Backoff: notify.Backoff{Initial: time.Millisecond}}

			tc.fault(srv)
			parent := &notify.Message{Key: "open/1", Mode: notify.ModePost, Channel: "#comms", Text: "opened"}
			if _, err := retry.Notify(ctx, parent); err != nil {
				t.Fatalf("post: %v", err)
			}
			if parent.SentTS == "" || parent.SentChannel != srv.ChannelID("#comms") {
				t.Fatalf("after the retry found the post: sent %q/%q", parent.SentChannel, parent.SentTS)
			}

			// A reply whose answer is lost, retried by a later process: the
			// outbox says an attempt was made.
			tc.fault(srv)
			reply := &notify.Message{Key: "update/1", Mode: notify.ModePost, Channel: parent.SentChannel, ThreadTS: parent.SentTS, Text: "update"}
			if r, err := bot.Notify(ctx, reply); err == nil || !r {
				t.Fatalf("ambiguous reply: retry=%v err=%v, want a retryable error", r, err)
			}
			later := slacknotify.NewBot(srv.Token(), srv.URL, hc)
			again := &notify.Message{Key: "update/1", Mode: notify.ModePost, Channel: parent.SentChannel, ThreadTS: parent.SentTS, Text: "update", MaybeSent: true}
			if _, err := later.Notify(ctx, again); err != nil {
				t.Fatalf("retry of the reply: %v", err)
			}
			msgs := srv.Messages()
			if len(msgs) != 2 {
				t.Fatalf("Slack holds %d messages, want exactly 2 (the post and its reply): %+v", len(msgs), msgs)
			}
			if again.SentTS != msgs[1].TS || msgs[1].ThreadTS != parent.SentTS {
				t.Errorf("the retry reported ts %q; the reply is %q in thread %q", again.SentTS, msgs[1].TS, msgs[1].ThreadTS)
			}
			for _, m := range msgs {
				if !strings.Contains(m.Metadata, `"dedup_key"`) {
					t.Errorf("message %s has no dedup key in its metadata: %q", m.TS, m.Metadata)
				}
			}
		})
	}
}

// TestBotLooksBeforeRepostingOnlyWhenItCan: while Slack cannot answer the
// look for an earlier post, the message is not posted (it might be a
// duplicate); once Slack answers, it is posted once.
func TestBotLooksBeforeRepostingOnlyWhenItCan(t *testing.T) {
	ctx := context.Background()
	srv := slackserver.New(slackserver.Options{Channels: []string{"#comms"}})
	defer srv.Close()
	bot := slacknotify.NewBot(srv.Token(), srv.URL, nil)
	m := &notify.Message{Key: "open/2", Mode: notify.ModePost, Channel: "#comms", Text: "opened", MaybeSent: true}
	srv.FailNext(1, 503)
	if r, err := bot.Notify(ctx, m); err == nil || !r {
		t.Fatalf("look failed: retry=%v err=%v, want a retryable error", r, err)
	}
	if n := len(srv.Messages()); n != 0 {
		t.Fatalf("posted %d messages while the look for an earlier one failed", n)
	}
	if _, err := bot.Notify(ctx, m); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.Messages()); n != 1 {
		t.Fatalf("posted %d messages, want 1", n)
	}
}
