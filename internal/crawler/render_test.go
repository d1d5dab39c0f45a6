package crawler

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/backlash-monitor/backlash/internal/crawler/html"
	"github.com/backlash-monitor/backlash/internal/crawler/render"
	"github.com/backlash-monitor/backlash/internal/post"
)

var (
	browserOnce sync.Once
	testBrowser *render.Browser
)

// sharedBrowser returns one browser for the package's rendered crawls,
// skipping the test when Chromium is missing outside CI.
func sharedBrowser(t testing.TB) *render.Browser {
	t.Helper()
	if _, err := render.LookPath(""); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("headless Chromium is required under CI: %v", err)
		}
		t.Skipf("skipping: %v", err)
	}
	browserOnce.Do(func() { testBrowser = render.New(render.Options{Tabs: 2, Timeout: 5 * time.Second}) })
	return testBrowser
}

func TestMain(m *testing.M) {
	code := m.Run()
	if testBrowser != nil {
		testBrowser.Close()
	}
	os.Exit(code)
}

// scriptedPosts is a page whose 30 posts are inserted by a script 300 ms
// after load.
const scriptedPosts = `<!doctype html><html><head><title>Acme feedback</title></head>
<body><h1>Feedback</h1><div id="list"></div><script>
window.addEventListener('load', () => setTimeout(() => {
  const list = document.getElementById('list');
  for (let i = 1; i <= 30; i++) {
    const a = document.createElement('article');
    a.className = 'post'; a.dataset.id = 'p' + i;
    a.innerHTML = '<span class="author">user' + i + '</span><time datetime="2026-03-10T09:' + String(i).padStart(2, '0') + ':00Z"></time><p class="body">Sync lost my notes again, report ' + i + '</p>';
    list.appendChild(a);
  }
}, 300));
</script></body></html>`

func TestCrawlRenderedPage(t *testing.T) {
	b := sharedBrowser(t)
	s := newSite(t, map[string]route{"/feedback": {body: scriptedPosts}})
	src := testSource("acme-spa", html.Name, s.URL+"/feedback")
	// Only the site's own listener is allowed, as for a public site.
	src.AllowPrivate = false
	src.Settings = &html.Settings{Item: "article.post", ID: "@data-id", Text: ".body", Author: ".author", Time: "time@datetime", Render: true}
	c := testCrawler(Options{Browser: b, allowAddrs: []string{s.Listener.Addr().String()}})
	posts, stats, err := collect(t, c, src, State{})
	if err != nil {
		t.Fatal(err)
	}
	if len(posts) != 30 || stats.Errors != 0 {
		t.Fatalf("%d posts, stats %+v; want 30 and no errors", len(posts), stats)
	}
	m := byID(posts)
	if p := m["p17"]; p.Author != "user17" || p.Text != "Sync lost my notes again, report 17" || !p.Published.Equal(time.Date(2026, 3, 10, 9, 17, 0, 0, time.UTC)) {
		t.Errorf("p17 = %+v", p)
	}

	var out bytes.Buffer
	if err := DryRun(context.Background(), c, src, 30, &out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"p1 ", "p30", "user30", "report 30", "30 posts shown from 1 pages, 0 page errors"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("dry run lacks %q:\n%s", want, out.String())
		}
	}
}

var bodyRe = regexp.MustCompile(`(?s)^(.*<body[^>]*>)(.*)(</body>.*)$`)

// scripted serves a fixture with its body moved into a script that
// inserts it 100 ms after load, as a single-page site would.
func scripted(s *site, file string) route {
	return route{handler: func(w http.ResponseWriter, r *http.Request) {
		b, err := os.ReadFile(filepath.FromSlash(file))
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		b = bytes.ReplaceAll(b, []byte("{{base}}"), []byte(s.URL))
		m := bodyRe.FindSubmatch(b)
		if m == nil {
			http.Error(w, "no body", 500)
			return
		}
		inner, _ := json.Marshal(string(m[2]))
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, "%s<script>window.addEventListener('load', () => setTimeout(() => document.body.insertAdjacentHTML('beforeend', %s), 100))</script>%s", m[1], inner, m[3])
	}}
}

// TestRenderedEqualsStatic crawls the forum fixtures as served and as
// built by scripts: the same selectors, pagination and following give the
// same posts.
func TestRenderedEqualsStatic(t *testing.T) {
	b := sharedBrowser(t)
	static := newSite(t, forumRoutes())
	want, _, err := collect(t, testCrawler(Options{}), forumSource(static.URL), State{})
	if err != nil {
		t.Fatal(err)
	}
	js := newSite(t, map[string]route{})
	for path, rt := range forumRoutes() {
		js.set(path, scripted(js, rt.file))
	}
	src := forumSource(js.URL)
	src.Settings.(*html.Settings).Render = true
	src.Parallelism = 2
	got, stats, err := collect(t, testCrawler(Options{Browser: b}), src, State{})
	if err != nil {
		t.Fatal(err)
	}
	if stats.Errors != 0 || stats.Pages != 6 {
		t.Errorf("rendered crawl: %+v, want 6 pages and no errors", stats)
	}
	norm := func(ps []post.Post, base string) map[string]string {
		out := map[string]string{}
		for _, p := range ps {
			p.Fetched = time.Time{}
			j, _ := json.Marshal(p)
			out[p.ID] = strings.ReplaceAll(string(j), base, "BASE")
		}
		return out
	}
	w, g := norm(want, static.URL), norm(got, js.URL)
	if len(w) != 7 || len(g) != len(w) {
		t.Fatalf("static %d posts, rendered %d; want 7 each", len(w), len(g))
	}
	for id, wp := range w {
		if g[id] != wp {
			t.Errorf("post %s:\nrendered %s\nstatic   %s", id, g[id], wp)
		}
	}
}

func TestRenderedPageErrorsNameRefusedRequests(t *testing.T) {
	b := sharedBrowser(t)
	// The page's posts come from an API on a host the source does not allow.
	page := `<!doctype html><html><body><div id="list"></div><script>
fetch('http://localhost:1/api/posts').then(r => r.json()).then(ps => { for (const p of ps) document.getElementById('list').insertAdjacentHTML('beforeend', '<article class="post"><p class="body">' + p + '</p></article>') }).catch(() => {});
</script></body></html>`
	s := newSite(t, map[string]route{"/spa": {body: page}})
	src := testSource("acme-spa", html.Name, s.URL+"/spa")
	src.Settings = &html.Settings{Item: "article.post", Text: ".body", Render: true}
	c := testCrawler(Options{Browser: b, Timeout: 2 * time.Second})
	_, stats, err := collect(t, c, src, State{})
	if err != nil {
		t.Fatal(err)
	}
	if stats.Errors != 1 || !strings.Contains(stats.LastError, "localhost:1: not in allowed_domains") || !strings.Contains(stats.LastError, "rendered page") {
		t.Errorf("stats %+v: want one page error naming the refused host", stats)
	}
}
