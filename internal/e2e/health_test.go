package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/backlash-monitor/backlash/internal/alerts/slackserver"
	"github.com/backlash-monitor/backlash/internal/config"
	"github.com/backlash-monitor/backlash/internal/pipeline"
	"github.com/backlash-monitor/backlash/internal/post"
	"github.com/backlash-monitor/backlash/internal/store/chtest"
)

// breakable is a site that publishes a calm post every 5 minutes and can
// break the way real sources break: its layout changes, it answers 403 or a
// captcha page, it freezes, or its API renames the text field.
type breakable struct {
	t    testing.TB
	now  func() time.Time
	json bool
	srv  *httptest.Server

	mu     sync.Mutex
	mode   string    // "", "layout", "403", "captcha", "rename"
	frozen time.Time // non-zero: nothing published after it
}

func newBreakable(t testing.TB, now func() time.Time, asJSON bool) *breakable {
	b := &breakable{t: t, now: now, json: asJSON}
	b.srv = httptest.NewServer(http.HandlerFunc(b.serve))
	t.Cleanup(b.srv.Close)
	return b
}

func (b *breakable) URL() string { return b.srv.URL + "/latest" }

// Set switches the site's behaviour; "" is normal.
func (b *breakable) Set(mode string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.mode = mode
}

// Freeze stops publishing after at; a zero time thaws the site.
func (b *breakable) Freeze(at time.Time) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.frozen = at
}

func (b *breakable) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/latest" {
		http.NotFound(w, r)
		return
	}
	b.mu.Lock()
	mode, frozen := b.mode, b.frozen
	b.mu.Unlock()
	now := b.now()
	if !frozen.IsZero() && frozen.Before(now) {
		now = frozen
	}
	switch mode {
	case "403":
		http.Error(w, "Forbidden", http.StatusForbidden)
		return
	case "captcha":
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, `<html><head><title>One more step</title><script src="https://www.google.com/recaptcha/api.js"></script></head>
<body><form><div class="g-recaptcha" data-sitekey="x"></div></form></body></html>`)
		return
	}
	// The 30 newest posts, one every 5 minutes up to now.
	last := now.Truncate(5 * time.Minute)
	type item struct{ ID, Author, Text, Time string }
	var items []item
	for i := 0; i < 30; i++ {
		at := last.Add(-time.Duration(i) * 5 * time.Minute)
		items = append(items, item{ID: at.Format("20060102T1504"), Author: fmt.Sprintf("regular%d", at.Minute()/5%4),
			Text: "The checkout worked fine for me today, thanks.", Time: at.Format(time.RFC3339)})
	}
	if b.json {
		text := "body"
		if mode == "rename" {
			text = "content"
		}
		var out []map[string]string
		for _, it := range items {
			out = append(out, map[string]string{"id": it.ID, "user": it.Author, text: it.Text, "created_at": it.Time})
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"posts": out})
		return
	}
	class := "post"
	if mode == "layout" {
		class = "entry" // the redesign renamed the item class
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprint(w, "<html><body><h1>Latest</h1>\n")
	for _, it := range items {
		fmt.Fprintf(w, `<article class="%s" data-id="%s"><span class="author">%s</span> <time datetime="%s"></time><div class="body">%s</div></article>`+"\n",
			class, it.ID, it.Author, it.Time, it.Text)
	}
	fmt.Fprint(w, "</body></html>")
}

// TestSourceHealth breaks five sources the ways real ones break, one after
// another, and fixes each three runs later: each must raise exactly one ops
// incident in #ops within 2 runs of its breakage and resolve it within 1
// run of its fix, with nothing reaching the comms channel.
func TestSourceHealth(t *testing.T) {
	addr, db := chtest.Database(t)
	dropDatabase(t, addr, db)
	start := base.Add(72 * time.Hour)
	clk := newClock(start)
	sites := map[string]*breakable{
		"layout":  newBreakable(t, clk.Now, false),
		"denied":  newBreakable(t, clk.Now, false),
		"captcha": newBreakable(t, clk.Now, false),
		"frozen":  newBreakable(t, clk.Now, false),
		"api":     newBreakable(t, clk.Now, true),
	}
	slack := slackserver.New(slackserver.Options{Channels: []string{"#comms", "#ops"}, Now: clk.Now})
	defer slack.Close()
	t.Setenv(slackTokEnv, slack.Token())

	var b strings.Builder
	dir := t.TempDir()
	fmt.Fprintf(&b, "state_dir: %q\nclickhouse:\n  addr: [%q]\n  database: %s\n", dir, addr, db)
	fmt.Fprintf(&b, "crawler: {user_agent: backlash-e2e/1, timeout: 10s, retries: 1}\ntopics:\n  - {name: %s, keywords: [checkout]}\nsources:\n", topic)
	html := `{item: article.post, id: "@data-id", text: .body, author: .author, time: "time@datetime"}`
	for _, name := range []string{"layout", "denied", "captcha", "frozen"} {
		fmt.Fprintf(&b, "  - {name: %s, kind: html, urls: [%q], allow_private: true, ignore_robots: true, delay: 0s, html: %s}\n",
			name, sites[name].URL(), html)
	}
	fmt.Fprintf(&b, "  - {name: api, kind: json, urls: [%q], allow_private: true, ignore_robots: true, delay: 0s, json: {items: posts, id: id, text: body, author: user, time: created_at}}\n",
		sites["api"].URL())
	fmt.Fprintf(&b, `alerts:
  console: false
  rules:
    - {name: negative-surge, topic: %s, metric: negative_ratio, threshold: 3, severity: warn, min_posts: 8, min_authors: 4}
  retry: {attempts: 2, initial_backoff: 10ms, max_backoff: 50ms, max_wait: 1s}
  slack: {token_env: %s, api_url: %q, channel: "#comms"}
health:
  channel: "#ops"
`, topic, slackTokEnv, slack.URL)
	cfg := parseConfig(t, b.String())
	sys := openSystem(t, cfg, clk.Now, filepath.Join(dir, "spool"), false)
	defer sys.Close()

	// The history the usual gap is learnt from: three days of posts, stored
	// as if crawled all along.
	seedHistory(t, sys, cfg.Sources, start)

	type plan struct{ breakAt, fixAt int }
	plans := map[string]plan{"layout": {3, 6}, "denied": {4, 7}, "captcha": {4, 7}, "frozen": {5, 8}, "api": {6, 9}}
	breakSite := func(name string, on bool) {
		s := sites[name]
		mode := map[string]string{"layout": "layout", "denied": "403", "captcha": "captcha", "api": "rename"}[name]
		switch {
		case name == "frozen" && on:
			s.Freeze(clk.Now().Add(-14 * time.Minute)) // just after the previous run
		case name == "frozen":
			s.Freeze(time.Time{})
		case on:
			s.Set(mode)
		default:
			s.Set("")
		}
	}
	opened := map[string]int{}   // source -> run of its first ops message
	resolved := map[string]int{} // source -> run of its resolve reply
	tops := map[string]int{}     // source -> top-level #ops messages
	texts := map[string]string{} // source -> its first message as posted
	seen := 0
	const runs = 11
	for i := 1; i <= runs; i++ {
		clk.Set(start.Add(time.Duration(i) * 15 * time.Minute))
		for name, p := range plans {
			if i == p.breakAt {
				breakSite(name, true)
			}
			if i == p.fixAt {
				breakSite(name, false)
			}
		}
		res, err := run(t, sys, fmt.Sprintf("run-%02d", i), clk.Now())
		if err != nil {
			t.Logf("run %d: %v", i, err) // broken sources fail their crawl; that is the point
		}
		for _, v := range res.Health {
			if !v.Healthy() {
				t.Logf("run %d: %s unhealthy: %s", i, v.Source, v.Detail())
			}
		}
		msgs := slack.Messages()
		for _, m := range msgs[seen:] {
			if m.ChannelName != "ops" {
				t.Errorf("run %d: a message went to #%s, not #ops: %q", i, m.ChannelName, m.Text)
				continue
			}
			src := sourceOf(m.Text)
			switch {
			case m.ThreadTS == "":
				tops[src]++
				if _, ok := opened[src]; !ok {
					opened[src], texts[src] = i, m.Text
				}
				if !strings.Contains(m.Text, "backlash crawl --dry-run --source "+src) || !strings.Contains(m.Text, "Since:") ||
					!strings.Contains(m.Text, "Last good run:") {
					t.Errorf("ops message for %s lacks the diagnosis, since or last good run:\n%s", src, m.Text)
				}
			case strings.Contains(m.Text, "Recovered"):
				resolved[src] = i
			}
		}
		seen = len(msgs)
	}
	want := map[string]string{"layout": `selector "article.post" matched nothing`, "denied": "HTTP 403",
		"captcha": "g-recaptcha", "frozen": "no new post since", "api": `field "text" (selector "body") present on 0 of 30 items`}
	var names []string
	for n := range plans {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		p := plans[name]
		if tops[name] != 1 {
			t.Errorf("%s: %d ops incidents opened, want exactly 1", name, tops[name])
		}
		if o, ok := opened[name]; !ok || o < p.breakAt || o > p.breakAt+1 {
			t.Errorf("%s: broke before run %d, reported at run %d (want within 2 runs)", name, p.breakAt, o)
		}
		if r, ok := resolved[name]; !ok || r != p.fixAt {
			t.Errorf("%s: fixed before run %d, resolved at run %d (want that run)", name, p.fixAt, r)
		}
		t.Logf("%s: first ops message:\n%s", name, texts[name])
		if !strings.Contains(texts[name], want[name]) {
			t.Errorf("%s: ops message does not say %q:\n%s", name, want[name], texts[name])
		}
		for _, m := range slack.Messages() {
			if m.ThreadTS == "" && sourceOf(m.Text) == name &&
				(!strings.Contains(m.Text, "RESOLVED") || !strings.Contains(m.Text, want[name]) || m.Updates != 1) {
				t.Errorf("%s: the thread's first message, edited %d times, should say RESOLVED and still what broke:\n%s",
					name, m.Updates, m.Text)
			}
		}
	}
}

// sourceOf reads the source an ops message is about.
func sourceOf(text string) string {
	for _, marker := range []string{"Source ", "source "} {
		if i := strings.Index(text, marker); i >= 0 {
			f := strings.Fields(text[i+len(marker):])
			if len(f) > 0 {
				return strings.Trim(f[0], "*:,")
			}
		}
	}
	return ""
}

// seedHistory stores three days of a post every 5 minutes for each source
// before start, with the ids the sites give them, as earlier crawls would
// have.
func seedHistory(t *testing.T, sys *pipeline.System, sources []config.Source, start time.Time) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var posts []post.Post
	for _, s := range sources {
		for at := start.Add(-72 * time.Hour); at.Before(start); at = at.Add(5 * time.Minute) {
			posts = append(posts, post.Post{Source: s.Name, ID: at.Format("20060102T1504"), Author: "regular",
				Text: "The checkout worked fine for me today, thanks.", Published: at, Fetched: at, Topics: []string{topic}})
		}
	}
	if _, err := sys.Store.SavePosts(ctx, posts); err != nil {
		t.Fatal(err)
	}
}
