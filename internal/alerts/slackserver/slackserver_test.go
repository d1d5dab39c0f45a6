package slackserver_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/backlash-monitor/backlash/internal/alerts/slackserver"
)

func section(text string) slack.Block {
	return slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, text, false, false), nil, nil)
}

func TestEnforcesSlackRules(t *testing.T) {
	srv := slackserver.New(slackserver.Options{Channels: []string{"#comms"}})
	defer srv.Close()
	ctx := context.Background()
	api := slack.New(srv.Token(), slack.OptionAPIURL(srv.URL))
	many := make([]slack.Block, 51)
	for i := range many {
		many[i] = slack.NewDividerBlock()
	}
	for _, tc := range []struct {
		name    string
		client  *slack.Client
		channel string
		opts    []slack.MsgOption
		want    string
	}{
		{"no token", slack.New("", slack.OptionAPIURL(srv.URL)), "#comms", []slack.MsgOption{slack.MsgOptionText("hi", false)}, "not_authed"},
		{"bad token", slack.New("xoxb-wrong", slack.OptionAPIURL(srv.URL)), "#comms", []slack.MsgOption{slack.MsgOptionText("hi", false)}, "invalid_auth"},
		{"unknown channel", api, "#nowhere", []slack.MsgOption{slack.MsgOptionText("hi", false)}, "channel_not_found"},
		{"text too long", api, "#comms", []slack.MsgOption{slack.MsgOptionText(strings.Repeat("a", 40001), false)}, "msg_too_long"},
		{"too many blocks", api, "#comms", []slack.MsgOption{slack.MsgOptionBlocks(many...)}, "invalid_blocks"},
		{"section too long", api, "#comms", []slack.MsgOption{slack.MsgOptionBlocks(section(strings.Repeat("b", 3001)))}, "invalid_blocks"},
		{"no text", api, "#comms", nil, "no_text"},
		{"unknown thread", api, "#comms", []slack.MsgOption{slack.MsgOptionText("hi", false), slack.MsgOptionTS("1.000001")}, "thread_not_found"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := tc.client.PostMessageContext(ctx, tc.channel, tc.opts...)
			var se slack.SlackErrorResponse
			if !errors.As(err, &se) || se.Err != tc.want {
				t.Fatalf("error %v, want %s", err, tc.want)
			}
		})
	}
	if n := len(srv.Messages()); n != 0 {
		t.Fatalf("%d messages accepted, want none", n)
	}
}

func TestRecordsThreadsAndUpdates(t *testing.T) {
	srv := slackserver.New(slackserver.Options{Channels: []string{"#comms"}})
	defer srv.Close()
	ctx := context.Background()
	api := slack.New(srv.Token(), slack.OptionAPIURL(srv.URL))
	if r, err := api.AuthTestContext(ctx); err != nil || r.TeamID == "" {
		t.Fatalf("auth.test: %+v %v", r, err)
	}
	ch, ts, err := api.PostMessageContext(ctx, "#comms", slack.MsgOptionText("parent", false), slack.MsgOptionBlocks(section("*parent*")))
	if err != nil || ch != srv.ChannelID("#comms") {
		t.Fatalf("post: %s %v", ch, err)
	}
	if _, _, err := api.PostMessageContext(ctx, ch, slack.MsgOptionText("reply", false), slack.MsgOptionTS(ts)); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := api.UpdateMessageContext(ctx, "#comms", ts, slack.MsgOptionText("x", false)); err == nil {
		t.Fatal("chat.update by channel name accepted; Slack wants the id")
	}
	if _, _, _, err := api.UpdateMessageContext(ctx, ch, ts, slack.MsgOptionText("parent v2", false)); err != nil {
		t.Fatal(err)
	}
	msgs := srv.Messages()
	if len(msgs) != 2 || msgs[0].Text != "parent v2" || msgs[0].Updates != 1 || msgs[1].ThreadTS != ts {
		t.Fatalf("messages %+v", msgs)
	}
	if th := srv.Thread(ch, ts); len(th) != 1 || th[0].Text != "reply" {
		t.Fatalf("thread %+v", th)
	}
}

func TestFailuresRateLimitsAndOutages(t *testing.T) {
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	srv := slackserver.New(slackserver.Options{Channels: []string{"#comms"}, Now: clock})
	defer srv.Close()
	ctx := context.Background()
	api := slack.New(srv.Token(), slack.OptionAPIURL(srv.URL))
	post := func() error {
		_, _, err := api.PostMessageContext(ctx, "#comms", slack.MsgOptionText("hi", false))
		return err
	}
	srv.FailNext(1, 500)
	var sc slack.StatusCodeError
	if err := post(); !errors.As(err, &sc) || sc.Code != 500 {
		t.Fatalf("FailNext: %v", err)
	}
	srv.RateLimit(90 * time.Second)
	var rl *slack.RateLimitedError
	if err := post(); !errors.As(err, &rl) || rl.RetryAfter != 90*time.Second {
		t.Fatalf("RateLimit: %v", err)
	}
	now = now.Add(90 * time.Second)
	srv.Down(now.Add(10 * time.Minute))
	if err := post(); !errors.As(err, &sc) || sc.Code != 503 {
		t.Fatalf("Down: %v", err)
	}
	now = now.Add(10 * time.Minute)
	if err := post(); err != nil {
		t.Fatalf("after outage: %v", err)
	}
	if n := len(srv.Messages()); n != 1 {
		t.Fatalf("%d messages, want 1", n)
	}
}

func TestWebhook(t *testing.T) {
	srv := slackserver.New(slackserver.Options{Channels: []string{"#comms"}})
	defer srv.Close()
	ctx := context.Background()
	if err := slack.PostWebhookContext(ctx, srv.WebhookURL, &slack.WebhookMessage{Text: "hello"}); err != nil {
		t.Fatal(err)
	}
	if err := slack.PostWebhookContext(ctx, srv.WebhookURL, &slack.WebhookMessage{}); err == nil {
		t.Fatal("empty webhook message accepted")
	}
	msgs := srv.Messages()
	if len(msgs) != 1 || !msgs[0].Webhook || msgs[0].ChannelName != "comms" {
		t.Fatalf("messages %+v", msgs)
	}
}
