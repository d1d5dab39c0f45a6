package crawler

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/backlash-monitor/backlash/internal/crawler/discourse"
	"github.com/backlash-monitor/backlash/internal/crawler/telegram"
)

const discoursePosts = "/t/101/posts.json?post_ids%5B%5D=9004&post_ids%5B%5D=9005&post_ids%5B%5D=9006"

func discourseRoutes() map[string]route {
	js := "application/json; charset=utf-8"
	return map[string]route{
		"/latest.json": {file: "discourse/testdata/latest.json", ctype: js},
		"/latest.json?no_definitions=true&page=1":          {file: "discourse/testdata/latest_1.json", ctype: js},
		"/t/welcome-to-the-acme-community/102.json":        {file: "discourse/testdata/topic_102.json", ctype: js},
		"/t/sync-duplicates-every-note-since-4-2/101.json": {file: "discourse/testdata/topic_101.json", ctype: js},
		discoursePosts:                  {file: "discourse/testdata/topic_101_posts.json", ctype: js},
		"/t/dark-mode-is-great/97.json": {file: "discourse/testdata/topic_97.json", ctype: js},
	}
}

// TestDryRunDiscourse: a forum configured by its address alone shows the
// recorded latest topics' posts, replies linked to their parents.
func TestDryRunDiscourse(t *testing.T) {
	s := newSite(t, discourseRoutes())
	src := testSource("acme-community", discourse.Name, s.URL)
	var out bytes.Buffer
	if err := DryRun(context.Background(), testCrawler(Options{}), src, 20, &out); err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{
		"PUBLISHED            AUTHOR     ID     PARENT  LIKES  REPLIES  VIEWS  TEXT",
		"2025-01-10 09:00:00  acme_team  102/1          12     0        5120   Read this first: be kind, search before posting.",
		"2026-03-09 08:15:00  maria_k    101/1          14     1        842    Since the 4.2 update every note shows up three times on all my device…",
		"2026-03-09 09:05:30  maria_k    101/3  101/2   1      0        0      Good to know, I won’t try that then.",
		"2026-03-09 10:20:00  devin      101/4  101/1   6",
		"2026-03-09 11:02:41  acme_team  101/6  101/1   0",
		"2026-03-07 19:30:05  devin      97/1           4      0        120    Dark mode is great, easy on the eyes at night.",
		"7 posts shown from 6 pages, 0 page errors",
	} {
		if !strings.Contains(out.String(), w) {
			t.Errorf("output lacks %q:\n%s", w, out.String())
		}
	}
}

// TestDiscourseIncremental: a later run reads only the topics with posts
// since, and stops paging the listing at the first quiet topic.
func TestDiscourseIncremental(t *testing.T) {
	s := newSite(t, discourseRoutes())
	src := testSource("acme-community", discourse.Name, s.URL+"/latest")
	src.Lookback = 0
	posts, stats, err := collect(t, testCrawler(Options{}), src, State{HighWater: time.Date(2026, 3, 9, 10, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(posts); got != "101/4,101/6" || stats.Errors != 0 {
		t.Errorf("posts %s stats %+v", got, stats)
	}
	for _, skipped := range []string{"/t/welcome-to-the-acme-community/102.json", "/t/dark-mode-is-great/97.json"} {
		if n := s.hit(skipped); n != 0 {
			t.Errorf("%s read %d times on an incremental run", skipped, n)
		}
	}
	// Page 1 is read (page 0 had no quiet topic but the pinned one) and
	// ends the walk: its topic is quiet.
	if stats.Pages != 4 {
		t.Errorf("%d pages, want latest, topic 101, its posts and latest page 1", stats.Pages)
	}
}

// TestDiscourseRateLimit: Discourse's 429 with Retry-After is waited out.
func TestDiscourseRateLimit(t *testing.T) {
	routes := discourseRoutes()
	var n atomic.Int32
	s := newSite(t, nil)
	routes["/t/dark-mode-is-great/97.json"] = route{handler: func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			w.Header().Set("Retry-After", "1")
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusTooManyRequests)
			w.Write([]byte(`{"errors":["You’ve performed this action too many times. Please wait 1 second before trying again."],"error_type":"rate_limit","extras":{"wait_seconds":1,"time_left":"1 second"}}`))
			return
		}
		s.serveRoute(w, route{file: "discourse/testdata/topic_97.json", ctype: "application/json"})
	}}
	s.routes = routes
	src := testSource("acme-community", discourse.Name, s.URL+"/latest.json?no_definitions=true&page=1")
	start := time.Now()
	posts, stats, err := collect(t, testCrawler(Options{Retries: 2}), src, State{})
	if err != nil || ids(posts) != "97/1" || stats.Errors != 0 || n.Load() != 2 {
		t.Fatalf("posts %s stats %+v err %v requests %d", ids(posts), stats, err, n.Load())
	}
	if el := time.Since(start); el < 900*time.Millisecond {
		t.Errorf("asked again after %v, want Retry-After's 1s honoured", el)
	}
}

// TestDiscourseChangedFormat: a page that is not the forum's JSON is an
// error naming what is missing.
func TestDiscourseChangedFormat(t *testing.T) {
	s := newSite(t, map[string]route{"/c/feedback/5.json": {body: `{"category": {"id": 5}}`, ctype: "application/json"}})
	posts, stats, err := collect(t, testCrawler(Options{}), testSource("forum", discourse.Name, s.URL+"/c/feedback/5"), State{})
	if err != nil || len(posts) != 0 || stats.Errors != 1 || !strings.Contains(stats.LastError, `no "topic_list" in the response`) {
		t.Fatalf("posts %d stats %+v err %v", len(posts), stats, err)
	}
}

// TestDryRunTelegram: a channel's preview pages show its messages with
// views; paging back stops at the channel's first page.
func TestDryRunTelegram(t *testing.T) {
	s := newSite(t, map[string]route{
		"/s/acmenews":            {file: "telegram/testdata/acmenews.html"},
		"/s/acmenews?before=810": {file: "telegram/testdata/acmenews_before810.html"},
	})
	var out bytes.Buffer
	if err := DryRun(context.Background(), testCrawler(Options{}), testSource("acmenews", telegram.Name, s.URL+"/acmenews"), 20, &out); err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{
		"PUBLISHED            AUTHOR          ID            PARENT        LIKES  REPLIES  VIEWS    TEXT",
		"2026-03-08 16:00:00  Acme News       acmenews/810                1345   0        31400    Acme Notes 4.2 is out: a new sync engine, faster search and the calen…",
		"2026-03-09 09:12:44  Dana Whitfield  acmenews/813  acmenews/810  0      0        58900    We hear you about duplicated notes after the update.",
		"2026-03-09 10:30:00  Acme News       acmenews/814                2405   0        1200000  🔧 Sync is degraded for some users. We are investigating.",
		"2024-05-02 08:00:00  Acme News       acmenews/1                  0      0        9870     Welcome to Acme News.",
		"4 posts shown from 2 pages, 0 page errors",
	} {
		if !strings.Contains(out.String(), w) {
			t.Errorf("output lacks %q:\n%s", w, out.String())
		}
	}
}

// TestTelegramIncremental: older pages are not read once a page holds
// only messages an earlier run stored; a private channel is an error
// saying so.
func TestTelegramIncremental(t *testing.T) {
	s := newSite(t, map[string]route{
		"/s/acmenews":            {file: "telegram/testdata/acmenews.html"},
		"/s/acmenews?before=810": {file: "telegram/testdata/acmenews_before810.html"},
		"/s/acmesecret":          {file: "telegram/testdata/private.html"},
	})
	posts, stats, err := collect(t, testCrawler(Options{}), testSource("acmenews", telegram.Name, s.URL+"/s/acmenews"),
		State{HighWater: time.Date(2026, 3, 9, 9, 0, 0, 0, time.UTC)})
	if err != nil || ids(posts) != "acmenews/813,acmenews/814" || stats.Pages != 1 {
		t.Errorf("posts %s stats %+v err %v", ids(posts), stats, err)
	}
	if s.hit("/s/acmenews?before=810") != 0 {
		t.Error("paged back past stored messages")
	}
	_, stats, _ = collect(t, testCrawler(Options{}), testSource("secret", telegram.Name, s.URL+"/acmesecret"), State{})
	if stats.Errors != 1 || !strings.Contains(stats.LastError, "the channel is private, does not exist, or its preview is off") {
		t.Errorf("private channel: %+v", stats)
	}
}

// TestDiscourseLongTopic: a topic longer than one response is read 20
// posts at a time by id, newest first on a later run, until the posts
// reach back to the last run.
func TestDiscourseLongTopic(t *testing.T) {
	const n = 45
	start := time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC)
	postJSON := func(num int) string {
		return fmt.Sprintf(`{"id": %d, "post_number": %d, "username": "u%d", "created_at": %q, "cooked": "<p>post %d</p>", "post_type": 1}`,
			5000+num, num, num, start.Add(time.Duration(num)*time.Minute).Format(time.RFC3339), num)
	}
	var stream, first []string
	for i := 1; i <= n; i++ {
		stream = append(stream, strconv.Itoa(5000+i))
		if i <= 20 {
			first = append(first, postJSON(i))
		}
	}
	var chunks []string
	s := newSite(t, map[string]route{
		"/t/long/7.json": {ctype: "application/json", body: `{"id": 7, "slug": "long", "title": "Long", "post_stream": {"posts": [` +
			strings.Join(first, ",") + `], "stream": [` + strings.Join(stream, ",") + `]}}`},
	})
	s.set("/t/7/posts.json", route{})
	s.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/t/7/posts.json" {
			s.serve(w, r)
			return
		}
		ids := r.URL.Query()["post_ids[]"]
		chunks = append(chunks, ids[0]+"-"+ids[len(ids)-1])
		var posts []string
		for _, id := range ids {
			num, _ := strconv.Atoi(id)
			posts = append(posts, postJSON(num-5000))
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"post_stream": {"posts": [%s]}, "id": 7}`, strings.Join(posts, ","))
	})
	src := testSource("forum", discourse.Name, s.URL+"/t/long/7")
	posts, _, err := collect(t, testCrawler(Options{}), src, State{})
	if err != nil || len(posts) != n || posts[0].ID != "7/1" || posts[n-1].ID != "7/45" || posts[20].ID != "7/21" {
		t.Fatalf("first run: %d posts (%s) err %v", len(posts), ids(posts), err)
	}
	if strings.Join(chunks, " ") != "5026-5045 5021-5025" {
		t.Errorf("chunks read %v, want the newest first", chunks)
	}
	// A later run that stored up to post 43 reads only the last chunk.
	chunks = nil
	posts, _, err = collect(t, testCrawler(Options{}), src, State{HighWater: start.Add(43 * time.Minute)})
	if err != nil || ids(posts) != "7/43,7/44,7/45" || strings.Join(chunks, " ") != "5026-5045" {
		t.Errorf("later run: %s, chunks %v, err %v", ids(posts), chunks, err)
	}
}

// TestDiscourseRateLimitSpent: a rate limit still in force after the
// retries stops the forum for this run, with Discourse's reason.
func TestDiscourseRateLimitSpent(t *testing.T) {
	routes := discourseRoutes()
	routes["/t/welcome-to-the-acme-community/102.json"] = route{status: http.StatusTooManyRequests, ctype: "application/json",
		header: map[string]string{"Retry-After": "0"},
		body:   `{"errors":["You’ve performed this action too many times. Please wait 30 seconds before trying again."],"error_type":"rate_limit","extras":{"wait_seconds":30}}`}
	s := newSite(t, routes)
	posts, stats, err := collect(t, testCrawler(Options{Retries: 1}), testSource("forum", discourse.Name, s.URL), State{})
	if err != nil || len(posts) != 0 || stats.Errors != 1 || s.hit("/t/welcome-to-the-acme-community/102.json") != 2 ||
		!strings.Contains(stats.LastError, "HTTP 429 Too Many Requests: rate_limit: You’ve performed this action too many times.") {
		t.Fatalf("posts %d stats %+v err %v hits %d", len(posts), stats, err, s.hit("/t/welcome-to-the-acme-community/102.json"))
	}
	if n := s.hit("/t/sync-duplicates-every-note-since-4-2/101.json"); n != 0 {
		t.Errorf("the next topic was asked %d times after the limit was spent", n)
	}
}
