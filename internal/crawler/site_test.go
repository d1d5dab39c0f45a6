package crawler

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/backlash-monitor/backlash/internal/config"
	"github.com/backlash-monitor/backlash/internal/post"
)

// route is one canned response of a test site.
type route struct {
	file   string // fixture path under internal/crawler/
	body   string // used when file is empty
	ctype  string
	status int
	header map[string]string
	// handler, when set, serves the request instead.
	handler http.HandlerFunc
}

// site is an httptest server serving fixtures by path and query.
type site struct {
	*httptest.Server
	mu     sync.Mutex
	routes map[string]route
	hits   map[string]int
}

func newSite(t testing.TB, routes map[string]route) *site {
	t.Helper()
	s := &site{routes: routes, hits: map[string]int{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

func (s *site) set(key string, r route) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.routes[key] = r
}

func (s *site) hit(key string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[key]
}

func (s *site) serve(w http.ResponseWriter, r *http.Request) {
	key := r.URL.Path
	if r.URL.RawQuery != "" {
		key += "?" + r.URL.RawQuery
	}
	s.mu.Lock()
	s.hits[key]++
	rt, ok := s.routes[key]
	s.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	if rt.handler != nil {
		rt.handler(w, r)
		return
	}
	s.serveRoute(w, rt)
}

// serveRoute writes a canned response.
func (s *site) serveRoute(w http.ResponseWriter, rt route) {
	body := []byte(rt.body)
	if rt.file != "" {
		var err error
		if body, err = os.ReadFile(filepath.FromSlash(rt.file)); err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
	}
	body = bytes.ReplaceAll(body, []byte("{{base}}"), []byte(s.URL))
	ct := rt.ctype
	if ct == "" {
		ct = "text/html; charset=utf-8"
	}
	w.Header().Set("Content-Type", ct)
	for k, v := range rt.header {
		w.Header().Set(k, v)
	}
	if rt.status != 0 {
		w.WriteHeader(rt.status)
	}
	w.Write(body)
}

// testCrawler is a crawler tuned for fast tests.
func testCrawler(opts Options) *Crawler {
	if opts.Timeout == 0 {
		opts.Timeout = 5 * time.Second
	}
	if opts.Backoff == 0 {
		opts.Backoff = 5 * time.Millisecond
	}
	if opts.Now == nil {
		opts.Now = func() time.Time { return testNow }
	}
	return New(opts)
}

var testNow = time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)

// testSource returns a source for a test site: private addresses allowed,
// a tiny delay.
func testSource(name, kind string, urls ...string) *config.Source {
	return &config.Source{
		Name:         name,
		Kind:         kind,
		URLs:         urls,
		AllowPrivate: true,
		Delay:        config.Duration(time.Millisecond),
		Parallelism:  1,
		MaxPages:     50,
	}
}

// collect crawls src and returns what was emitted.
func collect(t testing.TB, c *Crawler, src *config.Source, st State) ([]post.Post, Stats, error) {
	t.Helper()
	var posts []post.Post
	stats, err := c.Crawl(context.Background(), src, st, func(p post.Post) error {
		posts = append(posts, p)
		return nil
	})
	return posts, stats, err
}

func ids(posts []post.Post) string {
	var out []string
	for _, p := range posts {
		out = append(out, p.ID)
	}
	return strings.Join(out, ",")
}

func byID(posts []post.Post) map[string]post.Post {
	m := map[string]post.Post{}
	for _, p := range posts {
		m[p.ID] = p
	}
	return m
}
