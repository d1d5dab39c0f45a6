package crawler

import (
	"bytes"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/backlash-monitor/backlash/internal/config"
	"github.com/backlash-monitor/backlash/internal/post"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/sites")

// siteCase is a site the crawler had not seen and the source block its
// operator writes from the README alone.
type siteCase struct {
	name   string
	routes map[string]route
	// yaml is the source's block, {{base}} standing for the site.
	yaml string
	// err is what every page's error says, when the site cannot be read
	// as configured.
	err string
}

// siteCases are small copies of forum, blog and microblog software's
// default markup (testdata/sites/NAME/), each read into
// testdata/sites/NAME.golden.
func siteCases() []siteCase {
	dir := "testdata/sites/"
	vbRoutes := map[string]route{"/vb/showthread.php?t=77": {file: dir + "vbulletin/showthread.html"}}
	vb := func(text string) string {
		return `
    kind: html
    urls: ["{{base}}/vb/showthread.php?t=77"]
    html:
      item: li.postcontainer
      id: "@id"
      text: ` + text + `
      author: .username
      time: .postdate
      url: "a.postcounter@href"
      title: h1.threadtitle`
	}
	return []siteCase{
		{
			// phpBB 3.0: quotes in a blockquote, a signature beside the
			// text, the time only in the author line, pages by rel=next.
			name: "phpbb",
			routes: map[string]route{
				"/forum/viewtopic.php?t=42":         {file: dir + "phpbb/viewtopic-1.html"},
				"/forum/viewtopic.php?t=42&start=3": {file: dir + "phpbb/viewtopic-2.html"},
			},
			yaml: `
    kind: html
    urls: ["{{base}}/forum/viewtopic.php?t=42"]
    html:
      item: div.post
      id: "@id"
      text: .content
      author: .username
      time: p.author
      url: "h3 a@href"
      title: h2.topic-title
      next: "a[rel=next]@href"
      time_zone: America/New_York`,
		},
		// vBulletin 4 wraps each post's own text in a blockquote and
		// quotes in .bbcode_quote; either text selector reads it.
		{name: "vbulletin", routes: vbRoutes, yaml: vb(".postcontent")},
		{name: "vbulletin-outer", routes: vbRoutes, yaml: vb(".content")},
		{
			// WordPress comments: replies nested in ol.children, a reply
			// quoting its parent, times with and without datetime.
			name: "wordpress",
			routes: map[string]route{
				"/blog/acme-moments/":                {file: dir + "wordpress/post.html"},
				"/blog/acme-moments/comment-page-2/": {file: dir + "wordpress/comment-page-2.html"},
			},
			yaml: `
    kind: html
    urls: ["{{base}}/blog/acme-moments/"]
    html:
      item: li.comment
      id: "@id"
      text: .comment-content
      author: .comment-author .fn
      time: ".comment-metadata time, .comment-metadata .when"
      url: ".comment-metadata a@href"
      title: h1.entry-title
      next: ".nav-next a@href"
      time_zone: Asia/Shanghai`,
		},
		{
			// A timeline whose posts are bare divs: id, time, author and
			// link only in data- attributes, the text the item's own; the
			// page is cut off inside its last post.
			name:   "timeline",
			routes: map[string]route{"/kr/timeline": {file: dir + "timeline/timeline.html"}},
			yaml: `
    kind: html
    urls: ["{{base}}/kr/timeline"]
    html:
      item: div.msg
      id: "@data-mid"
      text: ":scope"
      author: "@data-author"
      time: "@data-ts"
      url: "@data-permalink"
      parent: "@data-reply-to"`,
		},
		{
			// A Chinese API sending Beijing times without a zone.
			name:   "api-local-times",
			routes: map[string]route{"/api/list": {file: dir + "api/cn-list.json", ctype: "application/json"}},
			yaml:   cnAPI + "\n           time_zone: Asia/Shanghai}",
		},
		{
			// JSONP, as many Chinese sites' APIs answer, and JSON behind
			// an anti-script guard.
			name:   "api-jsonp",
			routes: map[string]route{"/api/list": {file: dir + "api/cn-list.jsonp", ctype: "application/javascript; charset=utf-8"}},
			yaml:   cnAPI + "\n           time_zone: Asia/Shanghai}",
		},
		{
			name:   "api-guarded",
			routes: map[string]route{"/api/list": {file: dir + "api/cn-list-guarded.json", ctype: "application/json"}},
			yaml:   cnAPI + "\n           time_zone: Asia/Shanghai}",
		},
		{
			// Discuz!, the common Chinese forum: GBK, "发表于" before the
			// time (or a relative time with the date in its title),
			// quotes in div.quote, a signature beside the text.
			name: "discuz",
			routes: map[string]route{
				"/thread-88-1-1.html": {file: dir + "discuz/thread-88-1-1.html", ctype: "text/html"},
				"/thread-88-2-1.html": {file: dir + "discuz/thread-88-2-1.html", ctype: "text/html"},
			},
			yaml: `
    kind: html
    urls: ["{{base}}/thread-88-1-1.html"]
    html:
      item: "div[id^=post_]"
      id: "@id"
      text: td.t_f
      author: .pls .authi a
      time: "em[id^=authorposton]"
      title: "#thread_subject"
      next: a.nxt
      time_zone: Asia/Shanghai`,
		},
		{
			// A Big5 page whose meta tag says UTF-8: refused with the
			// setting that reads it, then read with it.
			name:   "big5-says-utf8",
			routes: map[string]route{"/news": {file: dir + "charsets/big5-says-utf8.html", ctype: "text/html"}},
			yaml:   cjkNews,
			err:    "body is not UTF-8 though it says so (40 bytes are not UTF-8): set the source's encoding to the site's charset (gbk, big5,",
		},
		{
			name:   "big5-says-utf8-encoding",
			routes: map[string]route{"/news": {file: dir + "charsets/big5-says-utf8.html", ctype: "text/html"}},
			yaml:   cjkNews + "\n    encoding: big5",
		},
		// UTF-8 pages declaring GBK or GB2312, in the header or a meta tag.
		{name: "utf8-says-gbk-header", routes: map[string]route{"/news": {file: dir + "charsets/utf8-says-gb2312.html", ctype: "text/html; charset=gbk"}}, yaml: cjkNews},
		{name: "utf8-says-gb2312-meta", routes: map[string]route{"/news": {file: dir + "charsets/utf8-says-gb2312.html", ctype: "text/html"}}, yaml: cjkNews},
		{
			// A GBK Atom feed whose XML declaration and header say UTF-8.
			name:   "gbk-atom-says-utf8",
			routes: map[string]route{"/atom.xml": {file: dir + "charsets/gbk-atom-says-utf8.xml", ctype: "application/atom+xml; charset=utf-8"}},
			yaml:   "\n    kind: feed\n    urls: [\"{{base}}/atom.xml\"]",
			err:    "body is not UTF-8 though its Content-Type header says so",
		},
		{
			name:   "gbk-atom-says-utf8-encoding",
			routes: map[string]route{"/atom.xml": {file: dir + "charsets/gbk-atom-says-utf8.xml", ctype: "application/atom+xml; charset=utf-8"}},
			yaml:   "\n    kind: feed\n    urls: [\"{{base}}/atom.xml\"]\n    encoding: gbk",
		},
		// The same, with the encoding named as operators know it from
		// Windows, Python or iconv.
		{
			name:   "gbk-atom-says-utf8-cp936",
			routes: map[string]route{"/atom.xml": {file: dir + "charsets/gbk-atom-says-utf8.xml", ctype: "application/atom+xml; charset=utf-8"}},
			yaml:   "\n    kind: feed\n    urls: [\"{{base}}/atom.xml\"]\n    encoding: cp936",
		},
		{
			name:   "big5-says-utf8-cp950",
			routes: map[string]route{"/news": {file: dir + "charsets/big5-says-utf8.html", ctype: "text/html"}},
			yaml:   cjkNews + "\n    encoding: CP950",
		},
		{
			// A French news site's comments, dated in French typography:
			// "le 9 mars 2026 à 12 h 05 min".
			name:   "french",
			routes: map[string]route{"/actu/acme-notes": {file: dir + "french/article.html"}},
			yaml: `
    kind: html
    urls: ["{{base}}/actu/acme-notes"]
    html: {item: div.commentaire, id: "@id", text: .texte, author: .auteur, time: .date, title: h1, time_zone: Europe/Paris}`,
		},
		{
			// RSS 2.0: escaped HTML, CDATA, pubDates in US zones.
			name:   "rss",
			routes: map[string]route{"/rss.xml": {file: dir + "feeds/rss.xml", ctype: "application/rss+xml"}},
			yaml:   "\n    kind: feed\n    urls: [\"{{base}}/rss.xml\"]",
		},
		{
			// A JSON API paged by a cursor token, replies nested in their
			// thread, times as unix seconds in strings and milliseconds.
			name: "api-cursor",
			routes: map[string]route{
				"/api/threads":            {file: dir + "api/threads.json", ctype: "application/json"},
				"/api/threads?cursor=abc": {file: dir + "api/threads-abc.json", ctype: "application/json"},
			},
			yaml: `
    kind: json
    urls: ["{{base}}/api/threads"]
    json: {items: data.items, id: id, text: body, text_html: true, author: user.login, time: ts, children: replies,
           cursor: paging.next, cursor_param: cursor}`,
		},
		{
			// Django REST framework and most REST APIs name the next page's
			// URL: the cursor alone follows it.
			name: "api-next-url",
			routes: map[string]route{
				"/api/comments/":        {file: dir + "api/comments-1.json", ctype: "application/json"},
				"/api/comments/?page=2": {file: dir + "api/comments-2.json", ctype: "application/json"},
			},
			yaml: `
    kind: json
    urls: ["{{base}}/api/comments/"]
    json: {items: results, id: pk, text: comment, author: user_name, time: submit_date, cursor: next}`,
		},
		{
			name: "api-next-path",
			routes: map[string]route{
				"/api/comments/":        {file: dir + "api/comments-path-1.json", ctype: "application/json"},
				"/api/comments/?page=2": {file: dir + "api/comments-2.json", ctype: "application/json"},
			},
			yaml: `
    kind: json
    urls: ["{{base}}/api/comments/"]
    json: {items: results, id: pk, text: comment, author: user_name, time: submit_date, cursor: next}`,
		},
		{
			// A cursor alone that comes back empty ends the paging quietly.
			name:   "api-cursor-without-param",
			routes: map[string]route{"/api/threads": {file: dir + "api/threads-abc.json", ctype: "application/json"}},
			yaml: `
    kind: json
    urls: ["{{base}}/api/threads"]
    json: {items: data.items, id: id, text: body, author: user.login, time: ts, cursor: paging.next}`,
		},
		{
			// A token with nowhere to go is reported with the setting.
			name:   "api-token-cursor-alone",
			routes: map[string]route{"/api/threads": {file: dir + "api/threads.json", ctype: "application/json"}},
			yaml: `
    kind: json
    urls: ["{{base}}/api/threads"]
    json: {items: data.items, id: id, text: body, text_html: true, author: user.login, time: ts, cursor: paging.next}`,
			err: `cursor "abc" is not a URL: set cursor_param to the query parameter it goes back in`,
		},
	}
}

// cnAPI is the source block of a Chinese API, its json block left open.
const cnAPI = `
    kind: json
    urls: ["{{base}}/api/list"]
    json: {items: data.list, id: tid, text: content, author: nick, time: ctime,`

// cjkNews is the source block of a Chinese news page.
const cjkNews = `
    kind: html
    urls: ["{{base}}/news"]
    html: {item: div.n, id: "@data-id", text: .t, time: .d, time_zone: Asia/Taipei}`

// siteSource loads a case's source block as backlash.yaml would hold it.
func siteSource(t *testing.T, c siteCase, base string) *config.Source {
	t.Helper()
	y := "sources:\n  - name: " + c.name + "\n    allow_private: true\n    delay: 1ms" +
		strings.ReplaceAll(c.yaml, "{{base}}", base) + "\n"
	cfg, err := config.Parse("backlash.yaml", []byte(y))
	if err != nil {
		t.Fatalf("the source as configured is refused: %v", err)
	}
	return &cfg.Sources[0]
}

// TestSites crawls each site as configured and compares every field of
// its posts with the golden file (go test -run TestSites -update
// ./internal/crawler rewrites them; read the diff before committing).
func TestSites(t *testing.T) {
	for _, c := range siteCases() {
		t.Run(c.name, func(t *testing.T) {
			s := newSite(t, c.routes)
			src := siteSource(t, c, s.URL)
			posts, stats, err := collect(t, testCrawler(Options{}), src, State{})
			if err != nil || (stats.Errors != 0) != (c.err != "") || !strings.Contains(stats.LastError, c.err) {
				t.Fatalf("err %v, stats %+v, want page errors saying %q", err, stats, c.err)
			}
			got := dumpPosts(posts, s.URL)
			file := filepath.Join("testdata", "sites", c.name+".golden")
			matchGolden(t, file, got)
		})
	}
}

// dumpPosts writes the fields a site gives, one post a line, with the
// test server's address as {base}.
func dumpPosts(posts []post.Post, base string) string {
	var b strings.Builder
	for _, p := range posts {
		published := p.Published.UTC().Format(time.RFC3339)
		if p.TimeGuessed {
			published = "guessed"
		}
		fmt.Fprintf(&b, "id=%s parent=%s author=%q published=%s url=%s title=%q text=%q\n",
			p.ID, p.ParentID, p.Author, published, strings.ReplaceAll(p.URL, base, "{base}"), p.Title, p.Text)
	}
	return b.String()
}

// TestUnreadTimeIsReported: a time the crawler cannot read is named once
// a crawl, so the operator learns which format to configure instead of
// finding every post dated at the fetch.
func TestUnreadTimeIsReported(t *testing.T) {
	page := func(when, next string) string {
		return `<div class="post" id="p1"><span class="d">` + when + `</span><p>Moments is awful</p></div>` + next
	}
	cases := []struct {
		name, when string
		warnings   int
	}{
		{"unreadable", "the day the moon was full", 1},
		{"readable", "Mon Mar 09, 2026 3:14 pm", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := newSite(t, map[string]route{
				"/t":        {body: page(c.when, `<a rel="next" href="/t?page=2">next</a>`)},
				"/t?page=2": {body: strings.ReplaceAll(page(c.when, ""), "p1", "p2")},
			})
			src := siteSource(t, siteCase{name: "f", yaml: `
    kind: html
    urls: ["{{base}}/t"]
    html: {item: div.post, id: "@id", text: p, time: .d, next: "a[rel=next]"}`}, s.URL)
			var logs strings.Builder
			posts, _, err := collect(t, testCrawler(Options{Logger: testLogger(&logs)}), src, State{})
			if err != nil || len(posts) != 2 {
				t.Fatalf("%d posts, err %v", len(posts), err)
			}
			if n := strings.Count(logs.String(), `msg="time not read`); n != c.warnings {
				t.Errorf("%d warnings, want %d:\n%s", n, c.warnings, logs.String())
			}
			if c.warnings > 0 && !strings.Contains(logs.String(), `time="`+c.when+`"`) {
				t.Errorf("the warning does not quote the time:\n%s", logs.String())
			}
		})
	}
}

// TestFutureTimeIsReported: times read later than the fetch, as local
// times read as UTC are, are named once a crawl with the setting that
// fixes them.
func TestFutureTimeIsReported(t *testing.T) {
	cases := []struct {
		name, zone string
		warnings   int
		guessed    int
	}{
		{"local times read as UTC", "", 1, 1},
		{"the site's zone set", "\n           time_zone: Asia/Shanghai", 0, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := newSite(t, map[string]route{"/api/list": {file: "testdata/sites/api/cn-list.json", ctype: "application/json"}})
			yaml := cnAPI + c.zone + "}"
			if c.zone == "" {
				yaml = strings.TrimSuffix(cnAPI, ",") + "}"
			}
			src := siteSource(t, siteCase{name: "cn", yaml: yaml}, s.URL)
			var logs strings.Builder
			posts, _, err := collect(t, testCrawler(Options{Logger: testLogger(&logs)}), src, State{})
			if err != nil || len(posts) != 2 {
				t.Fatalf("%d posts, err %v", len(posts), err)
			}
			guessed := 0
			for _, p := range posts {
				if p.TimeGuessed {
					guessed++
				}
			}
			if n := strings.Count(logs.String(), `msg="post time after the fetch`); n != c.warnings || guessed != c.guessed {
				t.Errorf("%d warnings and %d guessed times, want %d and %d:\n%s", n, guessed, c.warnings, c.guessed, logs.String())
			}
			if c.warnings > 0 && !strings.Contains(logs.String(), "ahead=5h30m0s") {
				t.Errorf("the warning does not say how far ahead:\n%s", logs.String())
			}
		})
	}
}

// TestSessionKeysDoNotChangeIDs: phpBB gives a visitor without cookies a
// new sid in every link; posts whose ids derive from their links must
// keep them from one crawl to the next.
func TestSessionKeysDoNotChangeIDs(t *testing.T) {
	visits := 0
	serve := func(file string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			visits++
			body, err := os.ReadFile(file)
			if err != nil {
				http.Error(w, err.Error(), 500)
				return
			}
			sid := fmt.Sprintf("%032x", visits*7919)
			body = bytes.ReplaceAll(body, []byte("viewtopic.php?t=42"), []byte("viewtopic.php?t=42&amp;sid="+sid))
			body = bytes.ReplaceAll(body, []byte(`href="#p`), []byte(`href="./viewtopic.php?t=42&amp;sid=`+sid+`#p`))
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write(body)
		}
	}
	cases := []struct{ name, id string }{
		{"ids derived from links", ""},
		{"ids from the site", `id: "@id", `},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				switch {
				case r.URL.Path != "/forum/viewtopic.php":
					http.NotFound(w, r)
				case r.URL.Query().Get("start") == "3":
					serve("testdata/sites/phpbb/viewtopic-2.html")(w, r)
				default:
					serve("testdata/sites/phpbb/viewtopic-1.html")(w, r)
				}
			}))
			defer s.Close()
			src := siteSource(t, siteCase{name: "phpbb", yaml: `
    kind: html
    urls: ["{{base}}/forum/viewtopic.php?t=42"]
    html: {` + c.id + `item: div.post, text: .content, author: .username, url: "h3 a@href", next: "a[rel=next]@href"}`}, s.URL)
			var runs [2][]string
			for i := range runs {
				posts, stats, err := collect(t, testCrawler(Options{}), src, State{})
				if err != nil || stats.Errors != 0 || len(posts) != 5 {
					t.Fatalf("run %d: %d posts, err %v, stats %+v", i, len(posts), err, stats)
				}
				for _, p := range posts {
					if strings.Contains(p.URL, "sid=") {
						t.Errorf("post %s keeps the session in its link %s", p.ID, p.URL)
					}
					runs[i] = append(runs[i], p.ID)
				}
			}
			if strings.Join(runs[0], ",") != strings.Join(runs[1], ",") {
				t.Errorf("ids changed between crawls:\n%v\n%v", runs[0], runs[1])
			}
		})
	}
}

// TestFeedCommentsOnOlderEntries: comments are read on every entry the
// feed lists, not only on entries newer than the last run; a later run
// (its high-water mark past the entry, at the newest comment) still
// collects the comments written since, and not the ones it has.
func TestFeedCommentsOnOlderEntries(t *testing.T) {
	routes := map[string]route{
		"/feed":                              {file: "testdata/sites/feedcomments/comments.xml", ctype: "application/rss+xml"},
		"/blog/acme-moments/":                {file: "testdata/sites/wordpress/post.html"},
		"/blog/acme-moments/comment-page-2/": {file: "testdata/sites/wordpress/comment-page-2.html"},
	}
	cases := []struct {
		name      string
		highWater time.Time
		want      string
	}{
		{"first run", time.Time{}, "{base}/?p=77,comment-12,comment-13,comment-14,comment-16"},
		// The entry (9 March 09:00) and the comments up to 11:30 are
		// stored; 王芳's of 13:15 is new.
		{"later run", time.Date(2026, 3, 9, 12, 30, 0, 0, time.UTC), "comment-16"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := newSite(t, routes)
			src := siteSource(t, siteCase{name: "wpfeed", yaml: `
    kind: feed
    urls: ["{{base}}/feed"]
    lookback: 1h
    feed:
      comments: {item: li.comment, id: "@id", text: .comment-content, author: .comment-author .fn,
                 time: .comment-metadata, next: ".nav-next a@href", time_zone: Asia/Shanghai}`}, s.URL)
			posts, stats, err := collect(t, testCrawler(Options{}), src, State{HighWater: c.highWater})
			if err != nil || stats.Errors != 0 {
				t.Fatalf("err %v, stats %+v", err, stats)
			}
			if got := strings.ReplaceAll(ids(posts), s.URL, "{base}"); got != c.want {
				t.Errorf("posts %s, want %s (stats %+v)", got, c.want, stats)
			}
		})
	}
}

// TestPagesThatRepeat: a site that ignores the page asked for serves its
// first page again and again; paging stops at the first repeat instead
// of reading it to max_pages.
func TestPagesThatRepeat(t *testing.T) {
	htmlRoutes := map[string]route{"/list": {body: `<div class="post" id="p1"><p>Moments is awful</p></div><a rel="next" href="/list?page=2">next</a>`}}
	jsonRoutes := map[string]route{"/api/list": {file: "testdata/sites/api/cn-list.json", ctype: "application/json"}}
	for n := 2; n <= 60; n++ {
		htmlRoutes[fmt.Sprintf("/list?page=%d", n)] = route{body: fmt.Sprintf(`<div class="post" id="p1"><p>Moments is awful</p></div><a rel="next" href="/list?page=%d">next</a>`, n+1)}
		jsonRoutes[fmt.Sprintf("/api/list?page=%d", n)] = jsonRoutes["/api/list"]
	}
	cases := []struct {
		name   string
		routes map[string]route
		yaml   string
	}{
		{"html next link", htmlRoutes, `
    kind: html
    urls: ["{{base}}/list"]
    html: {item: div.post, id: "@id", text: p, next: "a[rel=next]"}`},
		{"json page parameter", jsonRoutes, strings.TrimSuffix(cnAPI, ",") + ", page_param: page}"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := newSite(t, c.routes)
			src := siteSource(t, siteCase{name: "repeat", yaml: c.yaml}, s.URL)
			var logs strings.Builder
			_, stats, err := collect(t, testCrawler(Options{Logger: testLogger(&logs)}), src, State{})
			if err != nil || stats.Errors != 0 {
				t.Fatalf("err %v, stats %+v", err, stats)
			}
			if stats.Pages != 2 || !strings.Contains(logs.String(), "the page repeats posts of earlier pages") {
				t.Errorf("%d pages, want 2 and a warning:\n%s", stats.Pages, logs.String())
			}
		})
	}
}

// TestDerivedIDsSurviveAging: a site without ids shows a post's time as
// "3 hours ago", later "Yesterday, 09:12", later a date; the id derived
// for the post stays the same, so a later crawl does not store it again.
func TestDerivedIDsSurviveAging(t *testing.T) {
	htmlPage := func(when string) string {
		return `<div class="c"><b class="who">amy</b><span class="when">` + when + `</span><p>Moments is creepy</p></div>`
	}
	jsonPage := func(when string) string {
		return `{"items":[{"who":"amy","when":"` + when + `","text":"Moments is creepy"}]}`
	}
	cases := []struct {
		name  string
		yaml  string
		ctype string
		page  func(string) string
		shows []string // the post's time as three crawls, hours apart, see it
	}{
		{"html text times", `
    kind: html
    urls: ["{{base}}/p"]
    html: {item: div.c, text: p, author: .who, time: .when}`, "text/html", htmlPage,
			[]string{"3 hours ago", "Yesterday, 21:00", "Mon Mar 09, 2026 9:00 pm"}},
		{"json relative times", `
    kind: json
    urls: ["{{base}}/p"]
    json: {items: items, text: text, author: who, time: when}`, "application/json", jsonPage,
			[]string{"3 hours ago", "4 hours ago", "5 hours ago"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for i, shown := range c.shows {
				s := newSite(t, map[string]route{"/p": {body: c.page(shown), ctype: c.ctype}})
				src := siteSource(t, siteCase{name: "aging", yaml: c.yaml}, s.URL)
				now := time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Hour)
				posts, _, err := collect(t, testCrawler(Options{Now: func() time.Time { return now }}), src, State{})
				if err != nil || len(posts) != 1 {
					t.Fatalf("crawl %d: %d posts, err %v", i, len(posts), err)
				}
				// The site's address differs per server: the same server
				// shows the first text again, at the same fetch time.
				s.set("/p", route{body: c.page(c.shows[0]), ctype: c.ctype})
				first, _, _ := collect(t, testCrawler(Options{Now: func() time.Time { return now }}), src, State{})
				if len(first) != 1 || first[0].ID != posts[0].ID {
					t.Errorf("crawl %d: %q gives id %s, %q gives %v", i, shown, posts[0].ID, c.shows[0], ids(first))
				}
			}
		})
	}
}

// matchGolden compares got with the golden file, which -update rewrites.
func matchGolden(t *testing.T, file, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("posts differ from %s\n got:\n%s\nwant:\n%s", file, got, want)
	}
}
