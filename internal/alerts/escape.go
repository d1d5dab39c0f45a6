package alerts

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// Slack's limits that messages are kept within.
const (
	maxHeader      = 150
	maxSectionText = 3000
	maxBlocks      = 50
	maxText        = 40000
	maxPostChars   = 280
)

var mrkdwnEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// broadcastRe matches plain-text broadcast mentions.
var broadcastRe = regexp.MustCompile(`(?i)([@!])(here|channel|everyone)\b`)

// formatRe matches mrkdwn formatting characters.
var formatRe = regexp.MustCompile("[*_~`]")

// Escape makes crawled text inert in mrkdwn: &, < and > become entities (so
// no <!channel>, <@U…> or forged <url|link>), broadcast words like @here are
// broken with a zero-width space, formatting characters (* _ ~ `) get a
// zero-width space so they cannot open bold, italics, strikes or code, and
// line breaks fold into spaces so a post stays inside its quote. Bidirectional
// controls (U+202A–U+202E, U+2066–U+2069) are dropped so a post cannot
// visually reorder the rest of the message.
func Escape(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069) {
			return -1
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	s = mrkdwnEscaper.Replace(s)
	s = broadcastRe.ReplaceAllString(s, "$1\u200b$2")
	s = formatRe.ReplaceAllStringFunc(s, func(m string) string { return m + "\u200b" })
	return s
}

// escapeName escapes configuration-controlled text (topic, rule names) for
// mrkdwn without the zero-width tricks.
func escapeName(s string) string { return mrkdwnEscaper.Replace(s) }

// Truncate shortens s to at most n characters, ending with "…" when cut,
// without splitting an &entity;.
func Truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	if n <= 1 {
		return "…"
	}
	r := []rune(s)[:n-1]
	out := string(r)
	if i := strings.LastIndexByte(out, '&'); i >= 0 && !strings.Contains(out[i:], ";") && len(out)-i <= 5 {
		out = out[:i]
	}
	return out + "…"
}

// linkURL returns u fit to appear inside <…|…>, or "" when it is not an
// http(s) URL.
func linkURL(u string) string {
	if !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") {
		return ""
	}
	if strings.ContainsAny(u, " \t\n\r") {
		return ""
	}
	u = strings.NewReplacer("|", "%7C", "<", "%3C", ">", "%3E").Replace(u)
	return strings.ReplaceAll(u, "&", "&amp;")
}
