package alerts_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/backlash-monitor/backlash/internal/alerts"
)

func TestMessagesStayWithinSlackLimits(t *testing.T) {
	r := newRig(t, t0)
	huge := samplePosts(t0)
	for i := range huge {
		huge[i].Author = strings.Repeat("Ä&", 400)
		huge[i].Text = strings.Repeat("<!here> broken & slow ", 2000)
		huge[i].Sentiment.Terms = []string{strings.Repeat("t", 500)}
	}
	r.ev = fakeEvidence{posts: append(append(huge, huge...), huge...)}
	r.cfg.Rules[0].For = 0
	r.cfg.Evidence = 10
	if got := kinds(r.run(r.engine(), 85)); got != "open:page" {
		t.Fatalf("events %q", got)
	}
	// A digest of sixty topics must fit in 50 blocks.
	var sigs []alerts.Signal
	for i := range 60 {
		s := signal(t0, float64(i))
		s.Topic = fmt.Sprintf("topic-%02d", i)
		sigs = append(sigs, s)
	}
	if err := r.engine().Digest(context.Background(), sigs, t0.Add(24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	msgs := r.slack.Messages()
	if len(msgs) != 2 {
		for _, q := range r.slack.Requests() {
			t.Logf("%+v", q)
		}
		t.Fatalf("%d messages accepted, want 2", len(msgs))
	}
	for _, m := range msgs {
		if utf8.RuneCountInString(m.Text) > 40000 {
			t.Errorf("text of %d characters", utf8.RuneCountInString(m.Text))
		}
	}
	if !strings.Contains(msgs[1].Text, "more topics in the dashboard") {
		t.Errorf("digest does not say topics were left out:\n%.500s", msgs[1].Text)
	}
}

func TestEscapeAndTruncate(t *testing.T) {
	for in, want := range map[string]string{
		"a <b> & c":        "a &lt;b&gt; &amp; c",
		"hi @channel":      "hi @\u200bchannel",
		"*bold* line\nnew": "*\u200bbold*\u200b line new",
	} {
		if got := alerts.Escape(in); got != want {
			t.Errorf("Escape(%q) = %q, want %q", in, got, want)
		}
	}
	if got := alerts.Truncate("abcdef", 4); got != "abc…" {
		t.Errorf("Truncate = %q", got)
	}
	if got := alerts.Truncate("ab &amp; cd", 6); got != "ab …" {
		t.Errorf("Truncate split an entity: %q", got)
	}
}
