package demo_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/backlash-monitor/backlash/internal/alerts/slackserver"
	"github.com/backlash-monitor/backlash/internal/config"
	"github.com/backlash-monitor/backlash/internal/demo"
)

// TestReplayDetectsTheBacklashInChinese replays the Chinese demo world
// (backlash demo --lang zh) through the whole pipeline with Slack at the
// stand-in, and holds it to the English demo's targets (first alert within
// 30 simulated minutes of the onset, no false alert, an incident that
// escalates) and to what Slack shows: Chinese evidence quoted as it was
// posted, escaped for mrkdwn, and cut, when too long, on a character with
// "…", never inside one.
func TestReplayDetectsTheBacklashInChinese(t *testing.T) {
	if testing.Short() {
		t.Skip("replay takes a minute or two; skipped in -short mode")
	}
	sc := demo.NewScenario(demo.Options{Scale: 5, Lang: demo.LangChinese})
	slack := slackserver.New(slackserver.Options{Channels: []string{"#comms"}})
	defer slack.Close()
	// The stand-in keeps each message in its latest form, and an incident's
	// first message is later edited into its status line; what was posted
	// is recorded on the way.
	posted := &postRecorder{}
	front := httptest.NewServer(posted.forward(t, slack.URL))
	defer front.Close()
	const tokenEnv = "BACKLASH_DEMO_TEST_SLACK_TOKEN"
	t.Setenv(tokenEnv, slack.Token())
	sum := replay(t, sc, func(cfg *config.Config) {
		cfg.Alerts.Slack = config.Slack{TokenEnv: tokenEnv, APIURL: front.URL + "/api/", Channel: "#comms"}
	})
	checkSummary(t, sum)

	for _, r := range slack.Requests() {
		if r.Error != "" {
			t.Errorf("Slack refused a %s: %s (HTTP %d)", r.Method, r.Error, r.Status)
		}
	}
	if len(slack.Messages()) == 0 {
		t.Fatal("nothing reached Slack")
	}
	msgs := posted.all()
	if len(msgs) == 0 {
		t.Fatal("no chat.postMessage passed the recorder")
	}
	topic, _ := sc.Topics()
	first := msgs[0]
	if !strings.Contains(first.Text, topic) || !strings.Contains(first.Text, "negative opinion rising") {
		t.Errorf("first Slack message is not an alert on %s: %q", topic, first.Text)
	}
	t.Logf("first Slack message:\n%s", first.Text)

	// What the site published, whitespace folded as the quotes fold it.
	published := map[string]bool{}
	var texts []string
	for _, it := range sc.Items() {
		x := strings.Join(strings.Fields(it.Text), " ")
		if !published[x] {
			published[x] = true
			texts = append(texts, x)
		}
	}
	quotes, cut := 0, 0
	for i, m := range msgs {
		if !utf8.ValidString(m.Text) || !utf8.ValidString(m.Blocks) {
			t.Errorf("message %d is not valid UTF-8", i)
		}
		for _, s := range blockTexts(t, m.Blocks) {
			if strings.ContainsRune(s, utf8.RuneError) {
				t.Errorf("message %d has a replacement character (a rune was split or mangled): %q", i, s)
			}
			for _, q := range quoted(s) {
				quotes++
				if checkQuote(t, i, q, texts) {
					cut++
				}
			}
		}
	}
	if quotes == 0 {
		t.Fatal("no message quoted a post")
	}
	if cut == 0 {
		t.Errorf("none of the %d quotes was cut; the long posts of the world should be", quotes)
	}
	t.Logf("%d messages, %d quotes, %d cut to length", len(msgs), quotes, cut)

	// The first message shows Chinese evidence and Chinese terms.
	var han, hanTerms bool
	for _, s := range blockTexts(t, first.Blocks) {
		for _, q := range quoted(s) {
			han = han || hasHan(q.text)
		}
		if strings.HasPrefix(s, "*What's new:*") || strings.HasPrefix(s, "*Themes*") {
			hanTerms = hanTerms || hasHan(strings.Split(s, "_")[0])
		}
	}
	if !han {
		t.Error("the first message quotes no Chinese post")
	}
	if !hanTerms {
		t.Error("the first message names no Chinese term or theme")
	}
}

// quote is a crawled text as a message shows it: escaped for mrkdwn and
// cut to at most max characters.
type quote struct {
	text string
	max  int
}

// quoted finds the crawled texts in one mrkdwn text: ">" quotes of posts
// (at most 280 characters) and the "_..._" examples of themes (140).
func quoted(s string) []quote {
	var out []quote
	for _, line := range strings.Split(s, "\n") {
		switch {
		case strings.HasPrefix(line, ">"):
			out = append(out, quote{line[1:], 280})
		case strings.HasPrefix(line, "• ") && strings.HasSuffix(line, "_"):
			if i := strings.Index(line, "): _"); i >= 0 {
				out = append(out, quote{line[i+4 : len(line)-1], 140})
			}
		}
	}
	return out
}

// checkQuote holds one quote to what was posted: nothing in it can act as
// mrkdwn (no raw < or >, every & an entity, every formatting character
// broken by a zero-width space), and unescaped it is a published text or
// its first max-1 characters followed by "…". It reports whether the
// quote was cut.
func checkQuote(t *testing.T, msg int, q quote, texts []string) bool {
	t.Helper()
	if strings.ContainsAny(q.text, "<>") {
		t.Errorf("message %d: quote has raw < or >: %q", msg, q.text)
	}
	for i := strings.IndexByte(q.text, '&'); i >= 0; i = next(q.text, i) {
		rest := q.text[i:]
		if !strings.HasPrefix(rest, "&amp;") && !strings.HasPrefix(rest, "&lt;") && !strings.HasPrefix(rest, "&gt;") {
			t.Errorf("message %d: quote has a bare &: %q", msg, q.text)
		}
	}
	for i, r := range q.text {
		if strings.ContainsRune("*_~`", r) && !strings.HasPrefix(q.text[i+1:], "\u200b") {
			t.Errorf("message %d: formatting character %q is live in quote %q", msg, r, q.text)
		}
	}
	raw := strings.NewReplacer("\u200b", "", "&lt;", "<", "&gt;", ">", "&amp;", "&").Replace(q.text)
	body, cut := strings.CutSuffix(raw, "…")
	if utf8.RuneCountInString(raw) > q.max {
		t.Errorf("message %d: quote of %d characters, want at most %d: %q", msg, utf8.RuneCountInString(raw), q.max, raw)
	}
	for _, x := range texts {
		if x == raw {
			return false
		}
		if cut && strings.HasPrefix(x, body) && utf8.RuneCountInString(x) > q.max {
			return true
		}
	}
	t.Errorf("message %d: quote %q is not a published text, whole or cut on a character", msg, raw)
	return false
}

func next(s string, i int) int {
	j := strings.IndexByte(s[i+1:], '&')
	if j < 0 {
		return -1
	}
	return i + 1 + j
}

func hasHan(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) }) >= 0
}

// blockTexts returns the text of every text object in Block Kit JSON.
func blockTexts(t *testing.T, blocks string) []string {
	t.Helper()
	if blocks == "" {
		return nil
	}
	var v any
	if err := json.Unmarshal([]byte(blocks), &v); err != nil {
		t.Fatalf("blocks are not JSON: %v", err)
	}
	var out []string
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case []any:
			for _, e := range x {
				walk(e)
			}
		case map[string]any:
			if s, ok := x["text"].(string); ok {
				out = append(out, s)
			}
			for k, e := range x {
				if _, isString := e.(string); k != "text" || !isString {
					walk(e)
				}
			}
		}
	}
	walk(v)
	return out
}

// postRecorder sits in front of the Slack stand-in and keeps every
// chat.postMessage as it was sent.
type postRecorder struct {
	mu    sync.Mutex
	posts []slackserver.Message
}

func (p *postRecorder) forward(t *testing.T, apiURL string) http.Handler {
	target, err := url.Parse(strings.TrimSuffix(apiURL, "/api/"))
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(target)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/chat.postMessage") {
			body, _ := io.ReadAll(r.Body)
			r.Body = io.NopCloser(bytes.NewReader(body))
			var m slackserver.Message
			if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
				var j struct {
					Text   string          `json:"text"`
					Blocks json.RawMessage `json:"blocks"`
				}
				if json.Unmarshal(body, &j) == nil {
					m.Text, m.Blocks = j.Text, string(j.Blocks)
				}
			} else if f, err := url.ParseQuery(string(body)); err == nil {
				m.Text, m.Blocks = f.Get("text"), f.Get("blocks")
			}
			p.mu.Lock()
			p.posts = append(p.posts, m)
			p.mu.Unlock()
		}
		proxy.ServeHTTP(w, r)
	})
}

func (p *postRecorder) all() []slackserver.Message {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]slackserver.Message(nil), p.posts...)
}
