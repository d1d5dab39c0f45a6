package e2e

import (
	"context"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/backlash-monitor/backlash/internal/alerts/slackserver"
	"github.com/backlash-monitor/backlash/internal/config"
	"github.com/backlash-monitor/backlash/internal/crawler"
	"github.com/backlash-monitor/backlash/internal/post"
	"github.com/backlash-monitor/backlash/internal/store"
	"github.com/backlash-monitor/backlash/internal/store/chtest"
)

// hostile is crawled text that tries to break the store or the alert:
// mentions and links in Slack's syntax, SQL, a 1 MB post, invalid UTF-8,
// control characters and a right-to-left override. Each is a negative post
// about the topic, so it becomes alert evidence.
func hostile(end time.Time) []forumPost {
	big := "The checkout is broken and awful. " + strings.Repeat("Terrible checkout, refund me now. ", (1<<20)/34)
	ps := []forumPost{
		{ID: "mention", Author: "<!channel>", Text: "<!channel> <!here> @here @channel @everyone the checkout is broken, terrible and awful <https://evil.example|click here> *bold* _it_ ~strike~ `code`"},
		{ID: "sql", Author: "Robert'); DROP TABLE posts; --", Text: "'); DROP TABLE posts; -- the checkout is broken and awful \" OR 1=1; -- \\' \\x00"},
		{ID: "big", Author: "longwinded", Text: big},
		{ID: "utf8", Author: "bytes\xff", Text: "the checkout is broken \xff\xfe\xc3\x28 terrible and awful \xed\xa0\x80"},
		{ID: "control", Author: "ctl\x07", Text: "the checkout\x01\x02\x07\x1b[31m is broken\x7f, terrible \x0b\x0c and awful"},
		{ID: "rtl", Author: "\u202eevil", Text: "the checkout is \u202eterrible lufwa\u202c broken and awful \u200f\u2066x\u2069"},
	}
	for i := range ps {
		ps[i].At = end.Add(-time.Duration(30-i) * time.Minute)
		ps[i].Likes = 1000 + i // top of the evidence
	}
	// Plain angry posts so the rule's volume and author floors hold.
	return append(ps, burst("angry", end, 20*time.Minute, 6)...)
}

// TestBadInput stores hostile text byte for byte as the crawler read it,
// never executes it, and escapes it in the Slack alert.
func TestBadInput(t *testing.T) {
	addr, db := chtest.Database(t)
	dropDatabase(t, addr, db)
	clk := newClock(base.Add(72 * time.Hour))
	site := newForum(t, clk.Now)
	site.Add(calmHistory("calm", base, base.Add(72*time.Hour), 72)...)
	slack := slackserver.New(slackserver.Options{Channels: []string{"#comms"}, Now: clk.Now})
	defer slack.Close()
	t.Setenv(slackTokEnv, slack.Token())
	dir := t.TempDir()
	cfg := parseConfig(t, configYAML(cfgOpts{StateDir: dir, Addr: addr, DB: db, ForumURL: site.URL(), SlackURL: slack.URL, Evidence: 10}))
	sys := openSystem(t, cfg, clk.Now, filepath.Join(dir, "spool"), false)
	defer sys.Close()
	st := openStore(t, addr, db)
	mustRun(t, sys, "calm", clk.Now())
	tables := tableNames(t, st)

	clk.Set(clk.Now().Add(time.Hour))
	bad := hostile(clk.Now())
	site.Add(bad...)
	res := mustRun(t, sys, "hostile", clk.Now())
	t.Logf("hostile run: posts %d, new %d; alerts sent %v", res.Sources[0].Posts, res.Sources[0].New, res.Alerts.Sent)

	// Never executed: every table is still there and the calm posts too.
	if after := tableNames(t, st); strings.Join(after, ",") != strings.Join(tables, ",") {
		t.Errorf("tables changed: before %v, after %v", tables, after)
	}
	assertExactlyOnce(t, st, site.Served())

	// Stored faithfully: what ClickHouse returns is byte for byte what the
	// crawler extracted from the page.
	crawled := crawlOnce(t, sys.Crawler, &sys.Config.Sources[0])
	stored := storedPosts(t, st)
	for _, p := range bad[:6] {
		c, ok := crawled[p.ID]
		if !ok {
			t.Errorf("crawler did not extract post %q", p.ID)
			continue
		}
		s, ok := stored[p.ID]
		if !ok {
			t.Errorf("post %q is not stored", p.ID)
			continue
		}
		if s.Text != c.Text || s.Author != c.Author {
			t.Errorf("post %q: stored text (%d bytes) or author %q differs from crawled (%d bytes, author %q)",
				p.ID, len(s.Text), s.Author, len(c.Text), c.Author)
		}
		t.Logf("post %-7s page %7d bytes, crawled %7d bytes (valid UTF-8 %v), stored %7d bytes; author %q",
			p.ID, len(p.Text), len(c.Text), utf8.ValidString(c.Text), len(s.Text), s.Author)
	}
	for id, want := range map[string]string{
		"mention": "<!channel> <!here> @here",
		"sql":     "'); DROP TABLE posts; --",
		"rtl":     "\u202eterrible lufwa\u202c",
	} {
		if !strings.Contains(stored[id].Text, want) {
			t.Errorf("post %q lost %q on the way to the store: %q", id, want, stored[id].Text)
		}
	}
	if n := len(stored["big"].Text); n < 1<<20 {
		t.Errorf("the 1 MB post was stored with %d bytes", n)
	}
	if a := stored["sql"].Author; a != "Robert'); DROP TABLE posts; --" {
		t.Errorf("SQL-looking author stored as %q", a)
	}

	// Escaped in Slack: the alert arrived, quotes the hostile posts, and no
	// mention, link or formatting from the crawled text survives.
	msgs := slack.Messages()
	if len(topLevel(msgs)) != 1 {
		t.Fatalf("%d top-level messages, want 1 alert", len(topLevel(msgs)))
	}
	for _, m := range msgs {
		texts := append([]string{m.Text}, blockStrings(t, m.Blocks)...)
		all := strings.Join(texts, "\n")
		for _, bad := range []string{"<!channel>", "<!here>", "<https://evil.example", "@here", "@channel", "@everyone"} {
			if strings.Contains(all, bad) {
				t.Errorf("message %s carries %q unescaped:\n%.2000s", m.TS, bad, all)
			}
		}
		if !utf8.ValidString(m.Text) {
			t.Errorf("message %s text is not valid UTF-8", m.TS)
		}
		if len(m.Text) > 3*slackserver.MaxTextChars {
			t.Errorf("message %s text is %d bytes", m.TS, len(m.Text))
		}
	}
	alert := msgs[0].Text + strings.Join(blockStrings(t, msgs[0].Blocks), "\n")
	if !strings.Contains(alert, "DROP TABLE posts") || !strings.Contains(alert, "&lt;!") {
		t.Errorf("alert does not quote the hostile evidence (escaped):\n%.3000s", alert)
	}
	t.Logf("alert: %d bytes of text, %d bytes of blocks", len(msgs[0].Text), len(msgs[0].Blocks))
	// Bidirectional controls reorder how the rest of a line is displayed, so
	// a post could make the alert read differently from what it says.
	t.Run("bidi controls neutralised", func(t *testing.T) {
		for _, r := range "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069" {
			for _, m := range msgs {
				if strings.ContainsRune(m.Text+strings.Join(blockStrings(t, m.Blocks), ""), r) {
					t.Errorf("alerts.Escape passed bidirectional control %U through to Slack (message %s)", r, m.TS)
				}
			}
		}
	})
}

// crawlOnce runs the crawler over a source and returns what it extracted,
// by id, without storing anything.
func crawlOnce(t *testing.T, c *crawler.Crawler, src *config.Source) map[string]post.Post {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	out := map[string]post.Post{}
	if _, err := c.Crawl(ctx, src, crawler.State{}, func(p post.Post) error {
		out[p.ID] = p
		return nil
	}); err != nil {
		t.Fatalf("crawl: %v", err)
	}
	return out
}

// storedPosts reads back every post's text and author.
func storedPosts(t *testing.T, st *store.Store) map[string]post.Post {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	rows, err := st.Conn().Query(ctx, "SELECT id, author, text FROM "+st.Table("posts")+" FINAL")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]post.Post{}
	for rows.Next() {
		var p post.Post
		if err := rows.Scan(&p.ID, &p.Author, &p.Text); err != nil {
			t.Fatal(err)
		}
		out[p.ID] = p
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// tableNames lists the test database's tables.
func tableNames(t *testing.T, st *store.Store) []string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	rows, err := st.Conn().Query(ctx, "SELECT name FROM system.tables WHERE database = ?", st.Database())
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		out = append(out, n)
	}
	sort.Strings(out)
	if len(out) < 5 {
		t.Fatalf("only %d tables in %s: %v", len(out), st.Database(), out)
	}
	return out
}
