package alerts_test

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/backlash-monitor/backlash/internal/alerts"
	"github.com/backlash-monitor/backlash/internal/analyzer/sentiment"
	"github.com/backlash-monitor/backlash/internal/post"
)

// timedEvidence serves the posts published in the asked period, widest
// reach first, as the store does.
type timedEvidence struct{ posts []post.Post }

func (f timedEvidence) TopPosts(_ context.Context, _, label string, from, to time.Time, limit int) ([]post.Post, error) {
	var out []post.Post
	for _, p := range f.posts {
		if p.Published.Before(from) || !p.Published.Before(to) {
			continue
		}
		if label != "" && (p.Sentiment == nil || p.Sentiment.Label != label) {
			continue
		}
		out = append(out, p)
	}
	for i := 1; i < len(out); i++ { // insertion sort by reach, stable
		for j := i; j > 0 && out[j].Reach() > out[j-1].Reach(); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out[:min(len(out), limit)], nil
}

// TestMessageSaysWhatDrivesIt checks that with a tokenizer the message
// names the window's new terms with their counts, groups the negative
// posts into themes, never quotes a post defending the feature however
// far it reached, and drops entities that fail the quality bar.
func TestMessageSaysWhatDrivesIt(t *testing.T) {
	sc, err := sentiment.New(sentiment.Options{})
	if err != nil {
		t.Fatal(err)
	}
	lbl := func(l string) *post.Sentiment {
		return &post.Sentiment{Label: l, Compound: map[string]float64{"negative": -0.6}[l]}
	}
	var posts []post.Post
	for i := range 40 { // the week before: calm
		posts = append(posts, post.Post{Source: "feed", ID: fmt.Sprint("b", i), Author: fmt.Sprint("u", i),
			Text:      []string{"checkout was quick today", "paid for lunch with the new checkout", "checkout looks nice"}[i%3],
			Published: t0.Add(-time.Duration(2+i) * time.Hour), Sentiment: lbl("positive")})
	}
	complaints := []string{
		"checkout charged me twice, double charge on my card",
		"double charge again at checkout. where is my refund",
		"got a double charge and support ignores me",
		"Checkout took my money twice. double charge, no refund",
		"the refund for the double charge never came",
		"RT double charge on checkout, Visa says wait for the refund",
	}
	for i, text := range complaints {
		posts = append(posts, post.Post{Source: "feed", ID: fmt.Sprint("w", i), Author: fmt.Sprint("angry", i), Text: text,
			Published: t0.Add(-time.Duration(5+i) * time.Minute), Likes: uint32(10 + i), Sentiment: lbl("negative")})
	}
	posts = append(posts, post.Post{Source: "feed", ID: "defender", Author: "fan", Likes: 100000,
		Text: "checkout is fine, the double charge is a pending hold that drops off. stop panicking", Published: t0.Add(-3 * time.Minute),
		Sentiment: lbl("neutral")})

	r := newRig(t, t0)
	r.cfg.Rules[0].For = 0
	n, err := alerts.BuildNotifier(r.cfg, io.Discard, quietLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	e := alerts.NewEngine(r.cfg, r.st, timedEvidence{posts: posts}, n, alerts.Options{Logger: quietLogger(t),
		Now: r.clock.Now, Sleep: r.clock.Sleep, Tokenizer: sc, TopicNames: map[string][]string{"checkout": {"checkout"}},
		Entities: func([]string) []string { return []string{"Checkout", "RT", "Visa"} }})
	if got := kinds(r.run(e, 65)); got != "open:warn" {
		t.Fatalf("events %q", got)
	}
	msgs := r.slack.Messages()
	if len(msgs) != 1 {
		t.Fatalf("%d messages", len(msgs))
	}
	text := msgs[0].Text
	t.Log(text)
	for _, want := range []string{"*What's new:* *double charge* 6 posts, z ", "0 in the week before", "*Themes*", "— 100% (6 posts)"} {
		if !strings.Contains(text, want) {
			t.Errorf("message lacks %q", want)
		}
	}
	for _, bad := range []string{"pending hold", "Named: Checkout", "RT,", "Top negative terms"} {
		if strings.Contains(text, bad) {
			t.Errorf("message has %q", bad)
		}
	}
}

// TestMessageSaysWhenNothingIsDistinctiveYet gives the window a handful of
// negative posts with no word in common, one of them pushing back: the
// message says nothing is distinctive yet, names no term, falls back to no
// sentiment words, and never quotes the post pushing back.
func TestMessageSaysWhenNothingIsDistinctiveYet(t *testing.T) {
	sc, err := sentiment.New(sentiment.Options{})
	if err != nil {
		t.Fatal(err)
	}
	neg := &post.Sentiment{Label: "negative", Compound: -0.6}
	var posts []post.Post
	for i := range 40 {
		posts = append(posts, post.Post{Source: "feed", ID: fmt.Sprint("b", i), Author: fmt.Sprint("u", i),
			Text: "paid for lunch with the new checkout", Published: t0.Add(-time.Duration(2+i) * time.Hour),
			Sentiment: &post.Sentiment{Label: "positive", Compound: 0.5}})
	}
	for i, text := range []string{
		"checkout froze on my card. awful",
		"terrible update, the receipts vanished",
		"worst redesign ever, fonts unreadable",
		"people are saying checkout is broken. calm down, it's one outage",
	} {
		posts = append(posts, post.Post{Source: "feed", ID: fmt.Sprint("w", i), Author: fmt.Sprint("a", i), Text: text,
			Published: t0.Add(-time.Duration(5+i) * time.Minute), Likes: uint32(10 + 1000*i), Sentiment: neg})
	}
	r, e := driversRig(t, sc, posts)
	if got := kinds(r.run(e, 65)); got != "open:warn" {
		t.Fatalf("events %q", got)
	}
	msgs := r.slack.Messages()
	if len(msgs) != 1 {
		t.Fatalf("%d messages", len(msgs))
	}
	text := msgs[0].Text
	t.Log(text)
	if !strings.Contains(text, "nothing distinctive yet") || !strings.Contains(text, "window's 3 negative posts") {
		t.Errorf("message does not say that nothing is distinctive yet among the 3 complaints")
	}
	for _, bad := range []string{"calm down", "Top negative terms", "*Themes*"} {
		if strings.Contains(text, bad) {
			t.Errorf("message has %q", bad)
		}
	}
}

// TestUpdateComparesWithBeforeTheIncident opens an incident on a burst of
// complaints and sends the hour-later update, whose window holds more of
// them: the update still names the complaint as new, against the week
// before the incident began, not against a week that holds the
// incident's own first hour.
func TestUpdateComparesWithBeforeTheIncident(t *testing.T) {
	sc, err := sentiment.New(sentiment.Options{})
	if err != nil {
		t.Fatal(err)
	}
	neg := &post.Sentiment{Label: "negative", Compound: -0.6}
	var posts []post.Post
	for i := range 40 { // the week before: calm
		posts = append(posts, post.Post{Source: "feed", ID: fmt.Sprint("b", i), Author: fmt.Sprint("u", i),
			Text:      []string{"checkout was quick today", "paid for lunch with the new checkout", "checkout looks nice"}[i%3],
			Published: t0.Add(-time.Duration(2+i) * time.Hour), Sentiment: &post.Sentiment{Label: "positive", Compound: 0.5}})
	}
	complaints := []string{
		"checkout charged me twice, double charge on my card",
		"double charge again at checkout. where is my money",
		"got a double charge and nobody answers",
		"Checkout took my money twice. double charge",
	}
	for hour := range 2 { // the incident's first hour, then the next
		for i, text := range complaints {
			posts = append(posts, post.Post{Source: "feed", ID: fmt.Sprint("w", hour, i), Author: fmt.Sprint("angry", hour, i), Text: text,
				Published: t0.Add(time.Duration(hour)*time.Hour - time.Duration(5+i)*time.Minute), Sentiment: neg})
		}
	}
	r, e := driversRig(t, sc, posts)
	if got := kinds(r.run(e, 65)); got != "open:warn" {
		t.Fatalf("events %q", got)
	}
	r.clock.Advance(time.Hour)
	if got := kinds(r.run(e, 65)); got != "update:warn" {
		t.Fatalf("events an hour later %q", got)
	}
	var update string
	for _, m := range r.slack.Messages() {
		if strings.HasPrefix(m.Text, "*Update") {
			update = m.Text
		}
	}
	t.Log(update)
	if !strings.Contains(update, "*What's new:* *double charge* 4 posts, z ") || !strings.Contains(update, "0 in the week before") {
		t.Errorf("the update does not name the double charge as new, in 4 posts and 0 in the week before")
	}
}

// driversRig is a rig whose rule fires at once and an engine that reads
// the given posts as evidence, with drivers from sc, on the topic
// checkout.
func driversRig(t *testing.T, sc *sentiment.Scorer, posts []post.Post) (*rig, *alerts.Engine) {
	t.Helper()
	r := newRig(t, t0)
	r.cfg.Rules[0].For = 0
	n, err := alerts.BuildNotifier(r.cfg, io.Discard, quietLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	return r, alerts.NewEngine(r.cfg, r.st, timedEvidence{posts: posts}, n, alerts.Options{Logger: quietLogger(t),
		Now: r.clock.Now, Sleep: r.clock.Sleep, Tokenizer: sc, TopicNames: map[string][]string{"checkout": {"checkout"}}})
}
