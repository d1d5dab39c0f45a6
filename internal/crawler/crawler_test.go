package crawler

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/backlash-monitor/backlash/internal/config"
	"github.com/backlash-monitor/backlash/internal/crawler/html"
	"github.com/backlash-monitor/backlash/internal/crawler/jsonapi"
	"github.com/backlash-monitor/backlash/internal/post"
)

func forumRoutes() map[string]route {
	return map[string]route{
		"/c/feedback":                                       {file: "html/testdata/forum/index.html"},
		"/c/feedback?page=2":                                {file: "html/testdata/forum/index2.html"},
		"/t/new-sync-engine-feedback/101":                   {file: "html/testdata/forum/thread-101.html"},
		"/t/new-sync-engine-feedback/101?page=2":            {file: "html/testdata/forum/thread-101-p2.html"},
		"/t/dark-mode-is-finally-here/102?utm_source=index": {file: "html/testdata/forum/thread-102.html"},
		"/t/export-to-csv-missing-columns/97":               {file: "html/testdata/forum/thread-97.html"},
	}
}

func forumSource(base string) *config.Source {
	src := testSource("acme-forum", html.Name, base+"/c/feedback")
	src.Settings = &html.Settings{
		Item: "article.post", ID: "@data-id", Text: ".body", Title: "h1.thread-title", Author: ".author",
		Time: "time.ts@datetime", Likes: ".likes", Replies: ".reply-count", Follow: "a.topic-title", Next: "a.next",
	}
	return src
}

func TestCrawlForum(t *testing.T) {
	s := newSite(t, forumRoutes())
	posts, stats, err := collect(t, testCrawler(Options{}), forumSource(s.URL), State{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := ids(posts), "9001,9002,9003,8800,8801,9010,8500"; got != want {
		t.Errorf("posts = %s, want %s", got, want)
	}
	if stats.Pages != 6 || stats.Posts != 7 || stats.Errors != 0 {
		t.Errorf("stats = %+v, want 6 pages, 7 posts, 0 errors", stats)
	}
	m := byID(posts)
	thread := s.URL + "/t/new-sync-engine-feedback/101"
	for _, c := range []struct{ id, parent, thread string }{
		{"9001", "", thread}, {"9002", "9001", thread}, {"9003", "9002", thread}, {"9010", "", thread},
	} {
		p := m[c.id]
		if p.ParentID != c.parent || p.Thread != c.thread {
			t.Errorf("%s: parent %q thread %q, want %q %q", c.id, p.ParentID, p.Thread, c.parent, c.thread)
		}
		if p.Source != "acme-forum" || !p.Fetched.Equal(testNow) || p.Title != "New sync engine feedback" {
			t.Errorf("%s: source %q fetched %v title %q", c.id, p.Source, p.Fetched, p.Title)
		}
	}
	if want := time.Date(2026, 3, 9, 18, 20, 0, 0, time.UTC); !stats.NewHighWater.Equal(want) {
		t.Errorf("NewHighWater = %v, want %v", stats.NewHighWater, want)
	}
}

func TestCrawlNewsComments(t *testing.T) {
	s := newSite(t, map[string]route{"/tech/acme-prices": {file: "html/testdata/news/article.html"}})
	src := testSource("ledger", html.Name, s.URL+"/tech/acme-prices")
	src.Settings = &html.Settings{Item: "li.comment", ID: "@data-comment-id", Text: ".comment-body", Author: ".name",
		Time: ".when", Likes: ".votes", Parent: "@data-parent-id"}
	posts, _, err := collect(t, testCrawler(Options{}), src, State{})
	if err != nil {
		t.Fatal(err)
	}
	m := byID(posts)
	if len(posts) != 3 || m["c-502"].ParentID != "c-501" || m["c-501"].Likes != 213 {
		t.Fatalf("posts = %+v", posts)
	}
	if !m["c-503"].TimeGuessed || !m["c-503"].Published.Equal(testNow) {
		t.Errorf("unparseable time should fall back to the fetch time, guessed: %+v", m["c-503"])
	}
	for _, p := range posts {
		if strings.Contains(p.Text, "Reply") || strings.Contains(p.Text, "Home") || strings.Contains(p.Text, "ads.example") {
			t.Errorf("navigation or script leaked into text: %q", p.Text)
		}
	}
}

func TestCrawlIncremental(t *testing.T) {
	s := newSite(t, forumRoutes())
	c := testCrawler(Options{})
	src := forumSource(s.URL)
	src.Lookback = config.Duration(time.Minute)
	first, stats1, err := collect(t, c, src, State{})
	if err != nil || len(first) != 7 {
		t.Fatalf("first run: %d posts, %v", len(first), err)
	}

	// A new reply arrives on the thread's second page.
	s.set("/t/new-sync-engine-feedback/101?page=2", route{handler: func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, `<html><body><h1 class="thread-title">New sync engine feedback</h1>
<article class="post" data-id="9010"><span class="author">tobi</span><time class="ts" datetime="2026-03-09T18:20:00Z"></time><div class="body">4.2.1 fixed it for me.</div></article>
<article class="post" data-id="9011"><span class="author">nia</span><time class="ts" datetime="2026-03-10T07:00:00Z"></time><div class="body">Still seeing duplicates on Android.</div></article>
</body></html>`)
	}})
	second, stats2, err := collect(t, c, src, State{HighWater: stats1.NewHighWater})
	if err != nil {
		t.Fatal(err)
	}
	// 9010 sits exactly at the high-water mark and is inside the lookback
	// window, so it is refreshed; everything older is not emitted again.
	if got := ids(second); got != "9010,9011" {
		t.Errorf("second run emitted %s, want 9010,9011", got)
	}
	if want := time.Date(2026, 3, 10, 7, 0, 0, 0, time.UTC); !stats2.NewHighWater.Equal(want) {
		t.Errorf("NewHighWater = %v, want %v", stats2.NewHighWater, want)
	}
}

func TestCrawlStopsPagingAtOldPosts(t *testing.T) {
	s := newSite(t, map[string]route{
		"/search.json":                           {file: "jsonapi/testdata/bluesky.json", ctype: "application/json"},
		"/search.json?cursor=eyJvZmZzZXQiOjI1fQ": {body: `{"posts":[{"uri":"at://did:plc:q/app.bsky.feed.post/old1","author":{"handle":"q"},"record":{"createdAt":"2026-03-01T00:00:00Z","text":"old"}}],"cursor":"page3"}`, ctype: "application/json"},
		"/search.json?cursor=page3":              {file: "jsonapi/testdata/bluesky_2.json", ctype: "application/json"},
	})
	src := testSource("bsky", jsonapi.Name, s.URL+"/search.json")
	src.Settings = &jsonapi.Settings{Preset: "bluesky"}
	posts, stats, err := collect(t, testCrawler(Options{}), src, State{HighWater: time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	if len(posts) != 2 || stats.Pages != 2 || s.hit("/search.json?cursor=page3") != 0 {
		t.Errorf("posts %d pages %d page3 hits %d; want 2 posts, 2 pages, page 3 never fetched", len(posts), stats.Pages, s.hit("/search.json?cursor=page3"))
	}
	if stats.Cursor != "page3" {
		t.Errorf("cursor = %q", stats.Cursor)
	}
}

func TestCrawlDedupWithinRun(t *testing.T) {
	s := newSite(t, map[string]route{
		"/a": {file: "html/testdata/forum/thread-102.html"},
		"/b": {file: "html/testdata/forum/thread-102.html"},
	})
	src := testSource("dup", html.Name, s.URL+"/a", s.URL+"/b", s.URL+"/a")
	src.Settings = &html.Settings{Item: "article.post", ID: "@data-id", Text: ".body"}
	posts, stats, err := collect(t, testCrawler(Options{}), src, State{})
	if err != nil {
		t.Fatal(err)
	}
	if ids(posts) != "8800,8801" || stats.Pages != 2 {
		t.Errorf("posts %s pages %d, want 8800,8801 from 2 pages", ids(posts), stats.Pages)
	}
}

func TestCrawlEncodings(t *testing.T) {
	s := newSite(t, map[string]route{
		"/gbk":      {file: "html/testdata/gbk.html", ctype: "text/html"},
		"/gbk-hdr":  {file: "html/testdata/gbk.html", ctype: "text/html; charset=GBK"},
		"/big5":     {file: "html/testdata/big5.html", ctype: "text/html"},
		"/shiftjis": {file: "html/testdata/shiftjis.html", ctype: "text/html; charset=Shift_JIS"},
		"/forced":   {file: "html/testdata/gbk.html", ctype: "text/html; charset=iso-8859-1"},
	})
	cases := []struct {
		path, encoding string
		want           map[string]string
	}{
		{"/gbk", "", map[string]string{"z1": "新版同步功能太慢了，经常丢数据，非常失望。", "z2": "我这边没有问题，速度很快，点赞！"}},
		{"/gbk-hdr", "", map[string]string{"z1": "新版同步功能太慢了，经常丢数据，非常失望。"}},
		{"/big5", "", map[string]string{"b1": "新功能很好用，推薦！"}},
		{"/shiftjis", "", map[string]string{"s1": "同期機能が遅すぎます。"}},
		{"/forced", "gb18030", map[string]string{"z1": "新版同步功能太慢了，经常丢数据，非常失望。"}},
	}
	for _, c := range cases {
		t.Run(c.path, func(t *testing.T) {
			src := testSource("cjk", html.Name, s.URL+c.path)
			src.Encoding = c.encoding
			src.Settings = &html.Settings{Item: ".post", ID: "@data-id", Text: ".body", Author: ".author", Time: ".time", Likes: ".likes"}
			posts, stats, err := collect(t, testCrawler(Options{}), src, State{})
			if err != nil || stats.Errors != 0 {
				t.Fatalf("err %v, stats %+v", err, stats)
			}
			m := byID(posts)
			for id, text := range c.want {
				if m[id].Text != text {
					t.Errorf("%s: text %q, want %q", id, m[id].Text, text)
				}
			}
		})
	}
	posts, _, _ := collect(t, testCrawler(Options{}), func() *config.Source {
		src := testSource("gbk", html.Name, s.URL+"/gbk")
		src.Settings = &html.Settings{Item: ".post", ID: "@data-id", Text: ".body", Author: ".author", Time: ".time", Likes: ".likes"}
		return src
	}(), State{})
	m := byID(posts)
	if m["z1"].Author != "小王" || m["z1"].Likes != 15000 || !m["z1"].Published.Equal(testNow.Add(-3*time.Hour)) {
		t.Errorf("z1 = %+v", m["z1"])
	}
	if !m["z2"].Published.Equal(time.Date(2026, 3, 9, 14, 2, 0, 0, time.UTC)) {
		t.Errorf("z2 published %v", m["z2"].Published)
	}
}

func TestCrawlPageErrorsDoNotStopTheCrawl(t *testing.T) {
	s := newSite(t, map[string]route{
		"/gone":      {body: "gone", status: http.StatusNotFound},
		"/malformed": {file: "html/testdata/malformed.html"},
		"/layout":    {body: "<html><body><p>We moved things around.</p></body></html>"},
		"/image":     {body: "\x89PNG", ctype: "image/png"},
		"/ok":        {file: "html/testdata/forum/thread-102.html"},
	})
	src := testSource("mixed", html.Name, s.URL+"/gone", s.URL+"/malformed", s.URL+"/layout", s.URL+"/image", s.URL+"/ok")
	src.Settings = &html.Settings{Item: "article.post, div.post", ID: "@data-id", Text: ".body"}
	var logs strings.Builder
	c := testCrawler(Options{Logger: testLogger(&logs)})
	posts, stats, err := collect(t, c, src, State{})
	if err != nil {
		t.Fatal(err)
	}
	if ids(posts) != "m1,m2,8800,8801" {
		t.Errorf("posts = %s", ids(posts))
	}
	if stats.Errors != 3 || !strings.Contains(stats.LastError, s.URL+"/image") {
		t.Errorf("stats = %+v, want 3 errors, last naming /image", stats)
	}
	for _, want := range []string{"source=mixed", "HTTP 404", "no items, links or next page matched", "not an HTML page"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("logs lack %q:\n%s", want, logs.String())
		}
	}
}

func TestCrawlEmitErrorStops(t *testing.T) {
	s := newSite(t, forumRoutes())
	boom := errors.New("store is full")
	n := 0
	stats, err := testCrawler(Options{}).Crawl(context.Background(), forumSource(s.URL), State{}, func(post.Post) error {
		n++
		if n == 2 {
			return boom
		}
		return nil
	})
	if !errors.Is(err, boom) || !strings.Contains(err.Error(), "crawl acme-forum") {
		t.Errorf("err = %v, want the emit error wrapped with the source", err)
	}
	if stats.Posts != 1 || n != 2 {
		t.Errorf("posts %d emits %d", stats.Posts, n)
	}
}

func TestCrawlCancel(t *testing.T) {
	s := newSite(t, forumRoutes())
	ctx, cancel := context.WithCancel(context.Background())
	var got []post.Post
	stats, err := testCrawler(Options{}).Crawl(ctx, forumSource(s.URL), State{}, func(p post.Post) error {
		got = append(got, p)
		cancel()
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	// The page being read is finished; no further page is fetched.
	if len(got) != 3 || stats.Posts != 3 || stats.Pages != 2 {
		t.Errorf("posts %d stats %+v, want the 3 posts of the first thread page", len(got), stats)
	}
}

func TestCrawlUnknownKind(t *testing.T) {
	_, err := New(Options{}).Crawl(context.Background(), &config.Source{Name: "x", Kind: "gopher", URLs: []string{"http://a.example/"}}, State{}, nil)
	if err == nil || !strings.Contains(err.Error(), "crawl x") {
		t.Fatalf("err = %v", err)
	}
}

func TestFutureTimesAreGuessed(t *testing.T) {
	s := newSite(t, map[string]route{"/": {body: `<div class="post" data-id="f1"><time datetime="2026-03-11T12:00:00Z"></time><div class="body">from tomorrow</div></div>
<div class="post" data-id="f2"><time datetime="2026-03-10T12:10:00Z"></time><div class="body">a little clock skew</div></div>`}})
	src := testSource("future", html.Name, s.URL+"/")
	src.Settings = &html.Settings{Item: ".post", ID: "@data-id", Text: ".body", Time: "time@datetime"}
	posts, stats, err := collect(t, testCrawler(Options{}), src, State{})
	if err != nil || len(posts) != 2 {
		t.Fatalf("posts %d err %v", len(posts), err)
	}
	if !posts[0].TimeGuessed || !posts[0].Published.Equal(testNow) {
		t.Errorf("a post a day in the future: %+v", posts[0])
	}
	if posts[1].TimeGuessed || !stats.NewHighWater.Equal(posts[1].Published) {
		t.Errorf("ten minutes of skew should be kept: %+v, high-water %v", posts[1], stats.NewHighWater)
	}
}

func TestEmitCancellationIsNotMistakenForOurs(t *testing.T) {
	s := newSite(t, forumRoutes())
	_, err := testCrawler(Options{}).Crawl(context.Background(), forumSource(s.URL), State{}, func(post.Post) error {
		return context.Canceled // the store's own context ended
	})
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "crawl acme-forum") {
		t.Errorf("err = %v, want the emit error wrapped", err)
	}
}

func TestMaxPages(t *testing.T) {
	s := newSite(t, forumRoutes())
	src := forumSource(s.URL)
	src.MaxPages = 3
	var logs strings.Builder
	posts, stats, err := collect(t, testCrawler(Options{Logger: testLogger(&logs)}), src, State{})
	if err != nil {
		t.Fatal(err)
	}
	if stats.Pages != 3 || ids(posts) != "9001,9002,9003,8800,8801" {
		t.Errorf("pages %d posts %s; want the index and two threads", stats.Pages, ids(posts))
	}
	if !strings.Contains(logs.String(), "page limit reached") {
		t.Errorf("no log of the page limit:\n%s", logs.String())
	}
}
