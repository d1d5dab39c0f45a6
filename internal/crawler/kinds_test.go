package crawler

import (
	"net/http"
	"strings"
	"testing"

	"github.com/backlash-monitor/backlash/internal/crawler/feed"
	"github.com/backlash-monitor/backlash/internal/crawler/html"
	"github.com/backlash-monitor/backlash/internal/crawler/jsonapi"
)

func TestCrawlFeeds(t *testing.T) {
	s := newSite(t, map[string]route{
		"/tech/rss":         {file: "feed/testdata/rss20.xml", ctype: "application/rss+xml; charset=utf-8"},
		"/rss091.xml":       {file: "feed/testdata/rss091.xml", ctype: "text/xml"},
		"/blog/atom.xml":    {file: "feed/testdata/atom.xml", ctype: "application/atom+xml"},
		"/feed.json":        {file: "feed/testdata/feed.json", ctype: "application/feed+json"},
		"/broken.xml":       {file: "feed/testdata/malformed.xml", ctype: "application/rss+xml"},
		"/gbk.xml":          {file: "feed/testdata/gbk.xml", ctype: "application/rss+xml; charset=GBK"},
		"/gbk-decl.xml":     {file: "feed/testdata/gbk.xml", ctype: "application/rss+xml"},
		"/tech/acme-prices": {file: "html/testdata/news/article.html"},
	})
	cases := []struct {
		name, path string
		comments   bool
		wantIDs    string
		wantErrors int
	}{
		{name: "rss 2.0", path: "/tech/rss", wantIDs: "ledger-2026-0309-acme," + s.URL + "/tech/acme-notes-review"},
		{name: "rss 0.91", path: "/rss091.xml", wantIDs: s.URL + "/news/pos-cafe," + s.URL + "/news/pos-outage"},
		{name: "atom", path: "/blog/atom.xml", wantIDs: "tag:acme.example,2026-03-09:/blog/postmortem-sync,tag:acme.example,2026-03-07:/blog/dark-mode"},
		{name: "json feed", path: "/feed.json", wantIDs: "2026-03-09-price-hike,2026-03-06-calendar"},
		{name: "malformed", path: "/broken.xml", wantErrors: 1},
		{name: "gbk by header", path: "/gbk.xml", wantIDs: "cn-1"},
		{name: "gbk by declaration", path: "/gbk-decl.xml", wantIDs: "cn-1"},
		// The review page is missing (404): one error, the other comments still arrive.
		{name: "rss with comments", path: "/tech/rss", comments: true, wantErrors: 1,
			wantIDs: "ledger-2026-0309-acme," + s.URL + "/tech/acme-notes-review,c-501,c-502,c-503"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src := testSource("feed", feed.Name, s.URL+c.path)
			if c.comments {
				src.Settings = &feed.Settings{Comments: &html.Settings{Item: "li.comment", ID: "@data-comment-id",
					Text: ".comment-body", Author: ".name", Time: ".when", Parent: "@data-parent-id"}}
			}
			posts, stats, err := collect(t, testCrawler(Options{}), src, State{})
			if err != nil {
				t.Fatal(err)
			}
			if got := ids(posts); got != c.wantIDs {
				t.Errorf("posts = %s\nwant    %s", got, c.wantIDs)
			}
			if stats.Errors != c.wantErrors {
				t.Errorf("errors = %d (%s), want %d", stats.Errors, stats.LastError, c.wantErrors)
			}
			if c.name == "malformed" && !strings.Contains(stats.LastError, s.URL+"/broken.xml: malformed feed") {
				t.Errorf("LastError = %q, want it to name the URL", stats.LastError)
			}
			if strings.HasPrefix(c.name, "gbk") && (len(posts) != 1 || posts[0].Text != "用户抱怨新价格太贵了。" || posts[0].Title != "Acme 涨价引发不满") {
				t.Errorf("GBK feed decoded wrongly: %+v", posts)
			}
			if c.comments {
				m := byID(posts)
				if m["c-501"].ParentID != "ledger-2026-0309-acme" || m["c-502"].ParentID != "c-501" ||
					m["c-501"].Title != "Acme raises prices for its Pro plan" || m["c-501"].Thread != s.URL+"/tech/acme-prices" {
					t.Errorf("comment links: %+v / %+v", m["c-501"], m["c-502"])
				}
			}
		})
	}
}

func TestCrawlJSONPresets(t *testing.T) {
	link := func(next string) map[string]string {
		return map[string]string{"Link": `<{{base}}` + next + `>; rel="next", <{{base}}/api/v1/timelines/tag/acmenotes?min_id=9>; rel="prev"`}
	}
	s := newSite(t, map[string]route{
		"/r/AcmeNotes/search.json?q=sync&restrict_sr=1":                     {file: "jsonapi/testdata/reddit_search.json", ctype: "application/json"},
		"/r/AcmeNotes/search.json?after=t3_1bq9zzc&q=sync&restrict_sr=1":    {file: "jsonapi/testdata/reddit_search_2.json", ctype: "application/json"},
		"/r/AcmeNotes/comments/1bqa1x2.json":                                {file: "jsonapi/testdata/reddit_comments.json", ctype: "application/json"},
		"/api/v1/search_by_date?query=acme":                                 {file: "jsonapi/testdata/hackernews.json", ctype: "application/json"},
		"/api/v1/search_by_date?page=1&query=acme":                          {file: "jsonapi/testdata/hackernews_1.json", ctype: "application/json"},
		"/api/v1/search_by_date?page=2&query=acme":                          {file: "jsonapi/testdata/hackernews_2.json", ctype: "application/json"},
		"/api/v1/timelines/tag/acmenotes?limit=2":                           {file: "jsonapi/testdata/mastodon.json", ctype: "application/json", header: map[string]string{}},
		"/api/v1/timelines/tag/acmenotes?limit=2&max_id=112233445566770001": {file: "jsonapi/testdata/mastodon_2.json", ctype: "application/json"},
		"/xrpc/app.bsky.feed.searchPosts?q=acme":                            {file: "jsonapi/testdata/bluesky.json", ctype: "application/json"},
		"/xrpc/app.bsky.feed.searchPosts?cursor=eyJvZmZzZXQiOjI1fQ&q=acme":  {file: "jsonapi/testdata/bluesky_2.json", ctype: "application/json"},
		"/api/broken": {file: "jsonapi/testdata/malformed.json", ctype: "application/json"},
	})
	// The Link header needs the server's address.
	s.set("/api/v1/timelines/tag/acmenotes?limit=2", route{file: "jsonapi/testdata/mastodon.json", ctype: "application/json",
		header: map[string]string{"Link": strings.ReplaceAll(link("/api/v1/timelines/tag/acmenotes?limit=2&max_id=112233445566770001")["Link"], "{{base}}", s.URL)}})
	cases := []struct {
		preset, path string
		wantIDs      string
		wantPages    int
		wantErrors   int
	}{
		{"reddit", "/r/AcmeNotes/search.json?q=sync&restrict_sr=1", "t3_1bqa1x2,t3_1bq9zzc,t3_1bp0aaa", 2, 0},
		{"reddit", "/r/AcmeNotes/comments/1bqa1x2.json", "t3_1bqa1x2,t1_kx01,t1_kx05,t1_kx06,t1_kx02", 1, 0},
		{"hackernews", "/api/v1/search_by_date?query=acme", "39812399,39812345,39800001", 3, 0},
		{"mastodon", "/api/v1/timelines/tag/acmenotes?limit=2", "112233445566778899,112233445566770001,112233445566700000", 2, 0},
		{"bluesky", "/xrpc/app.bsky.feed.searchPosts?q=acme", "at://did:plc:z72i7hdynmk6r22z27h6tvur/app.bsky.feed.post/3kxyzabc123,at://did:plc:abcd1234efgh5678ijkl9012/app.bsky.feed.post/3kxyzdef456,at://did:plc:qqq/app.bsky.feed.post/3kold", 2, 0},
		{"hackernews", "/api/broken", "", 1, 1},
	}
	for _, c := range cases {
		t.Run(c.preset+c.path, func(t *testing.T) {
			src := testSource(c.preset, jsonapi.Name, s.URL+c.path)
			src.Settings = &jsonapi.Settings{Preset: c.preset}
			posts, stats, err := collect(t, testCrawler(Options{}), src, State{})
			if err != nil {
				t.Fatal(err)
			}
			if got := ids(posts); got != c.wantIDs {
				t.Errorf("posts = %s\nwant    %s", got, c.wantIDs)
			}
			if stats.Pages != c.wantPages || stats.Errors != c.wantErrors {
				t.Errorf("stats %+v, want %d pages %d errors", stats, c.wantPages, c.wantErrors)
			}
			if c.wantErrors > 0 && !strings.Contains(stats.LastError, "malformed JSON at line 4") {
				t.Errorf("LastError = %q", stats.LastError)
			}
		})
	}
}

func TestCrawlJSONRequestsJSON(t *testing.T) {
	var accept string
	s := newSite(t, map[string]route{"/api": {handler: func(w http.ResponseWriter, r *http.Request) {
		accept = r.Header.Get("Accept")
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"items":[{"id":1,"text":"hello"}]}`))
	}}})
	src := testSource("api", jsonapi.Name, s.URL+"/api")
	src.Settings = &jsonapi.Settings{Items: "items", ID: "id", Text: "text"}
	posts, _, err := collect(t, testCrawler(Options{}), src, State{})
	if err != nil || len(posts) != 1 || posts[0].ID != "1" || !posts[0].TimeGuessed {
		t.Fatalf("posts %+v err %v", posts, err)
	}
	if !strings.HasPrefix(accept, "application/json") {
		t.Errorf("Accept = %q", accept)
	}
}
