package slack_test

import (
	"context"
	"testing"
	"time"

	"github.com/backlash-monitor/backlash/alerts/notify"
	slacknotify "github.com/backlash-monitor/backlash/alerts/notify/slack"
	"github.com/backlash-monitor/backlash/alerts/slackserver"
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
