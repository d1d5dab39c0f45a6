package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCrawlDryRunPresets runs `backlash crawl --dry-run` on the short
// configs internal/crawler/README.md documents, against a local server serving the
// recorded samples.
func TestCrawlDryRunPresets(t *testing.T) {
	files := map[string]string{
		"/us/rss/customerreviews/id=1545678901/sortby=mostrecent/json":        "jsonapi/testdata/appstore.json",
		"/us/rss/customerreviews/page=2/id=1545678901/sortby=mostrecent/json": "jsonapi/testdata/appstore_2.json",
		"/latest.json": "discourse/testdata/latest.json",
		"/latest.json?no_definitions=true&page=1":                                       "discourse/testdata/latest_1.json",
		"/t/welcome-to-the-acme-community/102.json":                                     "discourse/testdata/topic_102.json",
		"/t/sync-duplicates-every-note-since-4-2/101.json":                              "discourse/testdata/topic_101.json",
		"/t/101/posts.json?post_ids%5B%5D=9004&post_ids%5B%5D=9005&post_ids%5B%5D=9006": "discourse/testdata/topic_101_posts.json",
		"/t/dark-mode-is-great/97.json":                                                 "discourse/testdata/topic_97.json",
		"/s/acmenews":                                                                   "telegram/testdata/acmenews.html",
		"/s/acmenews?before=810":                                                        "telegram/testdata/acmenews_before810.html",
		"/youtube/v3/commentThreads?part=snippet,replies&videoId=aB3dE5fG7hI":           "jsonapi/testdata/youtube.json",
	}
	const key = "AIza-test-key-never-printed"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		k := r.URL.Path
		if r.URL.RawQuery != "" {
			k += "?" + r.URL.RawQuery
		}
		f, ok := files[k]
		if strings.HasPrefix(r.URL.Path, "/youtube/") {
			if r.Header.Get("X-Goog-Api-Key") != key {
				http.Error(w, `{"error": {"code": 403, "message": "no key", "errors": [{"reason": "forbidden"}]}}`, http.StatusForbidden)
				return
			}
			if strings.Contains(r.URL.RawQuery, "pageToken") {
				f, ok = "jsonapi/testdata/youtube_quota.json", true
				w.WriteHeader(http.StatusForbidden)
			}
		}
		if !ok {
			http.NotFound(w, r)
			return
		}
		body, err := os.ReadFile(filepath.Join("../../internal/crawler", f))
		if err != nil {
			t.Error(err)
		}
		w.Write(body)
	}))
	defer srv.Close()
	t.Setenv("TEST_YOUTUBE_API_KEY", key)
	cfg := filepath.Join(t.TempDir(), "backlash.yaml")
	yaml := `topics: [{name: sync, keywords: [sync]}]
crawler: {retries: 0}
sources:
  - name: appstore-acme-notes-us
    kind: json
    urls: ["{{srv}}/us/rss/customerreviews/id=1545678901/sortby=mostrecent/json"]
    json: {preset: appstore}
    allow_private: true
    delay: 0s
  - name: acme-community
    kind: discourse
    urls: [{{srv}}]
    allow_private: true
    delay: 0s
  - name: acmenews
    kind: telegram
    urls: [{{srv}}/acmenews]
    allow_private: true
    delay: 0s
  - name: youtube-launch-video
    kind: json
    urls: ["{{srv}}/youtube/v3/commentThreads?part=snippet,replies&videoId=aB3dE5fG7hI"]
    header_env: {X-Goog-Api-Key: TEST_YOUTUBE_API_KEY}
    json: {preset: youtube}
    allow_private: true
    delay: 0s
`
	if err := os.WriteFile(cfg, []byte(strings.ReplaceAll(yaml, "{{srv}}", srv.URL)), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		source string
		want   []string
	}{
		{"appstore-acme-notes-us", []string{"2026-03-10 01:42:07  SyncVictim42", "1★ v4.2.0", "4★ v4.1.3", "4 posts shown from 2 pages, 0 page errors"}},
		{"acme-community", []string{"101/3  101/2", "97/1", "7 posts shown from 6 pages, 0 page errors"}},
		{"acmenews", []string{"acmenews/813  acmenews/810", "1200000", "4 posts shown from 2 pages, 0 page errors"}},
		{"youtube-launch-video", []string{"@mk_ultra_notes", "3 posts shown from 2 pages, 1 page errors", "quotaExceeded"}},
	}
	for _, c := range cases {
		t.Run(c.source, func(t *testing.T) {
			code, out, errs := run(t, "", "crawl", "--config", cfg, "--dry-run", "--source", c.source, "-n", "20")
			if code != exitOK {
				t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, out, errs)
			}
			for _, w := range c.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			if strings.Contains(out+errs, key) {
				t.Error("the API key was printed")
			}
		})
	}
}

// TestCrawlDryRunExitCode: a dry run whose every page failed exits 1 with
// the reason, so a script checking a new source's configuration sees it
// is broken; one that read posts exits 0 even with some pages failed.
func TestCrawlDryRunExitCode(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/ok.json":
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`[{"id": 1, "body": "sync is broken again", "at": "2026-03-09T12:00:00Z"}]`))
		case "/down.json":
			http.Error(w, "maintenance", http.StatusServiceUnavailable)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	cfg := filepath.Join(t.TempDir(), "backlash.yaml")
	yaml := `topics: [{name: sync, keywords: [sync]}]
crawler: {retries: 0}
sources:
  - name: broken
    kind: json
    urls: ["{{srv}}/down.json", "{{srv}}/gone.json"]
    json: {id: id, text: body, time: at}
    allow_private: true
    delay: 0s
  - name: partly
    kind: json
    urls: ["{{srv}}/ok.json", "{{srv}}/down.json"]
    json: {id: id, text: body, time: at}
    allow_private: true
    delay: 0s
`
	if err := os.WriteFile(cfg, []byte(strings.ReplaceAll(yaml, "{{srv}}", srv.URL)), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		source  string
		code    int
		out     string
		message string
	}{
		{"broken", exitFailure, "0 posts shown from 2 pages, 2 page errors", `source "broken": no posts read, 2 of 2 pages failed`},
		{"partly", exitOK, "1 posts shown from 2 pages, 1 page errors", ""},
	}
	for _, c := range cases {
		t.Run(c.source, func(t *testing.T) {
			code, out, errs := run(t, "", "crawl", "--config", cfg, "--dry-run", "--source", c.source)
			if code != c.code || !strings.Contains(out, c.out) || !strings.Contains(errs, c.message) {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s\nwant %q on stdout and %q on stderr", code, c.code, out, errs, c.out, c.message)
			}
		})
	}
}
