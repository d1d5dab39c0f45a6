package console

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/backlash-monitor/backlash/internal/alerts/notify"
)

// Console writes each message's plain-text rendering to a writer.
type Console struct {
	mu sync.Mutex
	w  io.Writer
	n  int
}

// New returns a receiver printing to w.
func New(w io.Writer) *Console { return &Console{w: w} }

// unescape undoes mrkdwn escaping for a terminal.
var unescape = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&")

// Notify prints m. Updates of an earlier message are printed as such.
func (c *Console) Notify(_ context.Context, m *notify.Message) (bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n++
	var b strings.Builder
	ch := m.Channel
	if ch == "" {
		ch = "alerts"
	}
	switch {
	case m.Mode == notify.ModeUpdate:
		fmt.Fprintf(&b, "── update of %s ──\n", m.UpdateTS)
	case m.ThreadTS != "":
		fmt.Fprintf(&b, "── %s (thread %s) ──\n", ch, m.ThreadTS)
	default:
		fmt.Fprintf(&b, "── %s ──\n", ch)
	}
	b.WriteString(clean(unescape.Replace(m.Text)))
	b.WriteString("\n\n")
	if _, err := io.WriteString(c.w, b.String()); err != nil {
		return false, fmt.Errorf("console: %w", err)
	}
	if m.SentTS == "" {
		m.SentChannel, m.SentTS = string(notify.ReceiverConsole), fmt.Sprintf("console.%06d", c.n)
	}
	return false, nil
}

// clean drops control characters (terminal escapes) but keeps newlines and
// tabs.
func clean(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' {
			return r
		}
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return -1
		}
		return r
	}, s)
}
