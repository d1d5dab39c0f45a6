package crawler

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/backlash-monitor/backlash/internal/config"
	"github.com/backlash-monitor/backlash/internal/crawler/jsonapi"
)

const (
	appStorePage1 = "/us/rss/customerreviews/page=1/id=1545678901/sortby=mostrecent/json"
	appStorePage2 = "/us/rss/customerreviews/page=2/id=1545678901/sortby=mostrecent/json"
)

// TestDryRunPresets runs each preset end to end against its recorded
// sample on a local server: `crawl --dry-run` shows the sample's posts.
func TestDryRunPresets(t *testing.T) {
	js := "application/json; charset=utf-8"
	s := newSite(t, map[string]route{
		appStorePage1: {file: "jsonapi/testdata/appstore.json", ctype: "text/javascript; charset=utf-8"},
		appStorePage2: {file: "jsonapi/testdata/appstore_2.json", ctype: "text/javascript; charset=utf-8"},
		"/api/v3/post/list?community_name=acmenotes&sort=New":        {file: "jsonapi/testdata/lemmy_posts.json", ctype: js},
		"/api/v3/post/list?community_name=acmenotes&page=2&sort=New": {file: "jsonapi/testdata/lemmy_posts_2.json", ctype: js},
		"/api/v3/comment/list?post_id=1843021&sort=New":              {file: "jsonapi/testdata/lemmy_comments.json", ctype: js},
		"/api/v3/comment/list?page=2&post_id=1843021&sort=New":       {file: "jsonapi/testdata/lemmy_posts_2.json", ctype: js},
		"/users/acme/outbox":           {body: `{"type": "OrderedCollection", "totalItems": 3, "first": "{{base}}/users/acme/outbox?page=true"}`, ctype: "application/activity+json"},
		"/users/acme/outbox?page=true": {body: `{"type": "OrderedCollectionPage", "orderedItems": []}`, ctype: "application/activity+json"},
	})
	cases := []struct {
		name   string
		preset string
		urls   []string
		pages  int
		want   []string
	}{
		{"appstore", "appstore", []string{s.URL + appStorePage1}, 2, []string{
			"RATING",
			"2026-03-10 01:42:07  SyncVictim42   11876543210  ",
			"37     0        1★ v4.2.0  After updating to 4.2 every note is duplicated three times. Support h…",
			"2★ v4.2.0", "5★ v4.1.3", "4★ v4.1.3  Works well, but $14 a month is a lot for notes.",
			"4 posts shown from 2 pages, 0 page errors",
		}},
		{"lemmy", "lemmy", []string{
			s.URL + "/api/v3/post/list?community_name=acmenotes&sort=New",
			s.URL + "/api/v3/comment/list?post_id=1843021&sort=New",
		}, 4, []string{
			"2026-03-09 16:20:11  notetaker@lemmy.exa…  post/1843021                      44     2        Anyone else?",
			"2026-03-09 16:45:02  droid_dan@lemmy.exa…  comment/9120033  post/1843021     9      1        Same here on Android.",
			"comment/9120588  comment/9120033",
			"4 posts shown from 4 pages, 0 page errors",
		}},
		// The outbox's posts are on its first page, linked by URL.
		{"activitystreams", "activitystreams", []string{s.URL + "/users/acme/outbox"}, 2, []string{"0 posts shown from 2 pages, 0 page errors"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src := testSource(c.name, jsonapi.Name, c.urls...)
			src.Settings = &jsonapi.Settings{Preset: c.preset}
			var out bytes.Buffer
			if err := DryRun(context.Background(), testCrawler(Options{}), src, 20, &out); err != nil {
				t.Fatal(err)
			}
			for _, w := range c.want {
				if !strings.Contains(out.String(), w) {
					t.Errorf("output lacks %q:\n%s", w, out.String())
				}
			}
		})
	}
}

// TestAppStoreStopsAtStoredReviews: reviews come newest first, so a page
// holding only reviews an earlier run stored ends the walk.
func TestAppStoreStopsAtStoredReviews(t *testing.T) {
	s := newSite(t, map[string]route{
		appStorePage1: {file: "jsonapi/testdata/appstore.json", ctype: "application/json"},
		appStorePage2: {file: "jsonapi/testdata/appstore_2.json", ctype: "application/json"},
	})
	src := testSource("reviews", jsonapi.Name, s.URL+appStorePage1)
	src.Settings = &jsonapi.Settings{Preset: "appstore"}
	posts, stats, err := collect(t, testCrawler(Options{}), src, State{HighWater: time.Date(2026, 3, 11, 0, 0, 0, 0, time.UTC)})
	if err != nil || len(posts) != 0 || stats.Pages != 1 || s.hit(appStorePage2) != 0 {
		t.Fatalf("posts %d stats %+v err %v page 2 hits %d", len(posts), stats, err, s.hit(appStorePage2))
	}
}

// TestYouTubeQuota: the key travels in a header from the environment and
// is never printed; a spent quota stops the source cleanly, keeping what
// was read and asking nothing more this run.
func TestYouTubeQuota(t *testing.T) {
	const key = "AIzaTESTKEY-not-a-real-one"
	t.Setenv("BACKLASH_TEST_YOUTUBE_KEY", key)
	var noKey atomic.Int32
	s := newSite(t, nil)
	serve := func(file string, status int) route {
		return route{handler: func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("X-Goog-Api-Key") != key {
				noKey.Add(1)
			}
			rt := route{file: file, ctype: "application/json; charset=UTF-8", status: status}
			s.serveRoute(w, rt)
		}}
	}
	s.routes = map[string]route{
		"/youtube/v3/commentThreads?part=snippet%2Creplies&videoId=aB3dE5fG7hI":                                            serve("jsonapi/testdata/youtube.json", 0),
		"/youtube/v3/commentThreads?pageToken=QURTSl9pMkFtVVFnMzVnd2Nxd0ZXYWZ1&part=snippet%2Creplies&videoId=aB3dE5fG7hI": serve("jsonapi/testdata/youtube_quota.json", http.StatusForbidden),
		"/youtube/v3/commentThreads?part=snippet%2Creplies&videoId=zZ9other000":                                            serve("jsonapi/testdata/youtube.json", 0),
	}
	src := testSource("youtube", jsonapi.Name,
		s.URL+"/youtube/v3/commentThreads?part=snippet%2Creplies&videoId=aB3dE5fG7hI",
		s.URL+"/youtube/v3/commentThreads?part=snippet%2Creplies&videoId=zZ9other000")
	src.Settings = &jsonapi.Settings{Preset: "youtube"}
	src.HeaderEnv = map[string]config.SecretEnv{"X-Goog-Api-Key": "BACKLASH_TEST_YOUTUBE_KEY"}
	var out bytes.Buffer
	if err := DryRun(context.Background(), testCrawler(Options{Retries: 2}), src, 20, &out); err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{
		"2026-03-09 14:05:33  @priya_codes", "UgzQ4mX1lG7kYc3bR9J4AaA…                            231    2        The new pricing is a dealbreaker. $14 a month & the sync still duplic…",
		"@mk_ultra_notes", "@lena.k",
		"3 posts shown from 2 pages, 1 page errors",
		"HTTP 403 Forbidden: quotaExceeded: The request cannot be completed because you have exceeded your quota.; stopping this source until its next run",
	} {
		if !strings.Contains(out.String(), w) {
			t.Errorf("output lacks %q:\n%s", w, out.String())
		}
	}
	if strings.Contains(out.String(), key) {
		t.Error("the API key was printed")
	}
	if n := s.hit("/youtube/v3/commentThreads?part=snippet%2Creplies&videoId=zZ9other000"); n != 0 {
		t.Errorf("the second video was asked %d times after the quota was spent", n)
	}
	// 403 is not retried: one request for the page that spent the quota.
	if n := s.hit("/youtube/v3/commentThreads?pageToken=QURTSl9pMkFtVVFnMzVnd2Nxd0ZXYWZ1&part=snippet%2Creplies&videoId=aB3dE5fG7hI"); n != 1 {
		t.Errorf("quota page asked %d times", n)
	}
	if noKey.Load() != 0 {
		t.Errorf("%d requests without the API key", noKey.Load())
	}
}

// TestPresetRetryAfter: a rate-limited API is asked again after the
// Retry-After it sends.
func TestPresetRetryAfter(t *testing.T) {
	var n atomic.Int32
	s := newSite(t, nil)
	s.routes = map[string]route{
		"/api/v3/comment/list?post_id=1843021&sort=New": {handler: func(w http.ResponseWriter, r *http.Request) {
			if n.Add(1) == 1 {
				w.Header().Set("Retry-After", "1")
				http.Error(w, `{"error":"rate_limit_error"}`, http.StatusTooManyRequests)
				return
			}
			s.serveRoute(w, route{file: "jsonapi/testdata/lemmy_comments.json", ctype: "application/json"})
		}},
		"/api/v3/comment/list?page=2&post_id=1843021&sort=New": {file: "jsonapi/testdata/lemmy_posts_2.json", ctype: "application/json"},
	}
	src := testSource("lemmy", jsonapi.Name, s.URL+"/api/v3/comment/list?post_id=1843021&sort=New")
	src.Settings = &jsonapi.Settings{Preset: "lemmy"}
	start := time.Now()
	posts, stats, err := collect(t, testCrawler(Options{Retries: 2}), src, State{})
	if err != nil || ids(posts) != "comment/9120033,comment/9120588" || stats.Errors != 0 || n.Load() != 2 {
		t.Fatalf("posts %s stats %+v err %v requests %d", ids(posts), stats, err, n.Load())
	}
	if el := time.Since(start); el < 900*time.Millisecond {
		t.Errorf("asked again after %v, want Retry-After's 1s honoured", el)
	}
}

// TestPresetChangedFormat: a changed payload is a page error naming the
// field, and the reviews that are whole still arrive.
func TestPresetChangedFormat(t *testing.T) {
	s := newSite(t, map[string]route{
		appStorePage1: {file: "jsonapi/testdata/appstore_changed.json", ctype: "application/json"},
		appStorePage2: {file: "jsonapi/testdata/appstore_2.json", ctype: "application/json"},
	})
	src := testSource("reviews", jsonapi.Name, s.URL+appStorePage1)
	src.Settings = &jsonapi.Settings{Preset: "appstore"}
	posts, stats, err := collect(t, testCrawler(Options{}), src, State{})
	if err != nil || ids(posts) != "11876501234,11874000777" || stats.Errors != 1 ||
		!strings.Contains(stats.LastError, `item 0 has no rating (path "im:rating.label")`) {
		t.Fatalf("posts %s stats %+v err %v", ids(posts), stats, err)
	}
}
