package console_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/backlash-monitor/backlash/internal/alerts/notify"
	"github.com/backlash-monitor/backlash/internal/alerts/notify/console"
)

func TestPrintsReadableText(t *testing.T) {
	var buf bytes.Buffer
	c := console.New(&buf)
	m := &notify.Message{Mode: notify.ModePost, Channel: "#comms", Text: "*Risk 80* &lt;!\u200bchannel&gt; &amp; \x1b[31mred"}
	if _, err := c.Notify(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.Contains(out, "── #comms ──") || !strings.Contains(out, "<!\u200bchannel> & [31mred") || strings.Contains(out, "\x1b") {
		t.Fatalf("output %q", out)
	}
	if m.SentTS == "" {
		t.Fatal("no ts for threading")
	}
	r := &notify.Message{Mode: notify.ModePost, Channel: "#comms", ThreadTS: m.SentTS, Text: "reply"}
	if _, err := c.Notify(context.Background(), r); err != nil || !strings.Contains(buf.String(), "(thread "+m.SentTS+")") {
		t.Fatalf("reply: %v\n%s", err, buf.String())
	}
}
