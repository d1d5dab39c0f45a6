package demo

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"html"
	"html/template"
	"math"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// PageSize is how many items a listing page, feed page or API response
// holds by default.
const PageSize = 50

// Site serves a scenario over HTTP as of a simulated "now": only items
// published at or before now are visible, listings are newest first, and
// engagement counts grow as items age. It is safe for concurrent use.
//
// Routes:
//
//	/robots.txt               allows crawling, disallows /admin
//	/                         links to the three channels
//	/forum/                   recent threads by last activity (?page=N)
//	/forum/t/ID               a thread's posts, oldest first (?page=N)
//	/forum/p/ID               redirects to the post in its thread
//	/forum/latest             newest posts across all threads (?before=ID, ?page=N)
//	/news/rss.xml             RSS 2.0, newest first (?page=N)
//	/news/a/ID                one article
//	/api/search               JSON search: ?q=a OR b&cursor=..&limit=..
//	/api/posts/ID             one microblog post as JSON
type Site struct {
	sc       *Scenario
	forum    []*Item // by channel, in publication order
	feed     []*Item
	api      []*Item
	pos      map[string]int     // id -> position within its channel's slice
	children map[string][]*Item // forum post id -> replies in publication order
	threads  map[string][]*Item // thread id -> posts in publication order
	tmpl     *template.Template
	pageSize int
	// bufs are the buffers pages are rendered into, kept between requests
	// so a benchmark's crawl does not measure the site's allocations.
	bufs sync.Pool

	mu  sync.RWMutex
	now time.Time
}

// NewSite returns a site serving s. Until SetNow is called, now is the
// scenario's end, so everything is visible.
func NewSite(s *Scenario) *Site {
	site := &Site{
		sc:       s,
		pos:      map[string]int{},
		children: map[string][]*Item{},
		threads:  map[string][]*Item{},
		now:      s.end,
		pageSize: PageSize,
		tmpl: template.Must(template.New("site").Funcs(template.FuncMap{"rfc3339": rfc3339, "human": human, "posts": renderPosts,
			"lang": func() string { return s.loc.lang }, "site": func() string { return s.loc.siteName }, "app": func() string { return s.loc.company },
			"query": func() string { return queryTerms(s.loc.searchQuery)[0] }}).Parse(pageTemplates)),
	}
	for i := range s.items {
		it := &s.items[i]
		switch it.Channel {
		case ChannelForum:
			site.pos[it.ID] = len(site.forum)
			site.forum = append(site.forum, it)
			site.threads[it.Thread] = append(site.threads[it.Thread], it)
			if it.ParentID != "" {
				site.children[it.ParentID] = append(site.children[it.ParentID], it)
			}
		case ChannelFeed:
			site.pos[it.ID] = len(site.feed)
			site.feed = append(site.feed, it)
		case ChannelAPI:
			site.pos[it.ID] = len(site.api)
			site.api = append(site.api, it)
		}
	}
	return site
}

// SetPageSize sets how many items a listing page, feed page or API
// response holds (default PageSize). Call it before serving: benchmarks use
// larger pages so per-request costs do not dominate.
func (s *Site) SetPageSize(n int) {
	if n > 0 {
		s.pageSize = n
	}
}

// SetNow sets the simulated time the site shows the world as of.
func (s *Site) SetNow(t time.Time) {
	s.mu.Lock()
	s.now = t
	s.mu.Unlock()
}

// Now returns the simulated time the site shows the world as of.
func (s *Site) Now() time.Time {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.now
}

// visible returns how many of items (in publication order) are published at
// or before now.
func visible(items []*Item, now time.Time) int {
	return sort.Search(len(items), func(i int) bool { return items[i].Published.After(now) })
}

// grown returns an engagement count as seen at age: counts approach their
// final value over the first few hours.
func grown(final int, age time.Duration) int {
	if age <= 0 {
		return 0
	}
	return int(math.Round(float64(final) * (1 - math.Exp(-age.Hours()/2))))
}

// ServeHTTP serves the demo site.
func (s *Site) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	now := s.Now()
	w.Header().Set("Cache-Control", "no-store")
	p := r.URL.Path
	switch {
	case p == "/robots.txt":
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprint(w, "User-agent: *\nAllow: /\nDisallow: /admin\n")
	case p == "/admin" || strings.HasPrefix(p, "/admin/"):
		http.Error(w, "forbidden", http.StatusForbidden)
	case p == "/":
		s.render(w, "home", map[string]any{"Now": now})
	case p == "/forum" || p == "/forum/":
		s.forumIndex(w, r, now)
	case p == "/forum/latest":
		s.forumLatest(w, r, now)
	case strings.HasPrefix(p, "/forum/t/"):
		s.forumThread(w, r, now, strings.TrimPrefix(p, "/forum/t/"))
	case strings.HasPrefix(p, "/forum/p/"):
		s.forumPost(w, r, now, strings.TrimPrefix(p, "/forum/p/"))
	case p == "/news/rss.xml":
		s.rss(w, r, now)
	case strings.HasPrefix(p, "/news/a/"):
		s.article(w, now, strings.TrimPrefix(p, "/news/a/"))
	case p == "/api/search":
		s.search(w, r, now)
	case strings.HasPrefix(p, "/api/posts/"):
		s.apiPost(w, r, now, strings.TrimPrefix(p, "/api/posts/"))
	default:
		http.NotFound(w, r)
	}
}

// pageParam reads ?page=N (1-based); ok is false when it is malformed.
func pageParam(r *http.Request) (int, bool) {
	v := r.URL.Query().Get("page")
	if v == "" {
		return 1, true
	}
	n, err := strconv.Atoi(v)
	return n, err == nil && n >= 1
}

// render executes a template, reporting failures as server errors.
func (s *Site) render(w http.ResponseWriter, name string, data any) {
	b, _ := s.bufs.Get().(*bytes.Buffer)
	if b == nil {
		b = new(bytes.Buffer)
	}
	defer s.bufs.Put(b)
	b.Reset()
	if err := s.tmpl.ExecuteTemplate(b, name, data); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write(b.Bytes())
}

// postView is a forum post as the site shows it at now.
type postView struct {
	ID, Parent, Thread, Title, Author, Text, URL string
	Published                                    time.Time
	Likes, Replies, Depth                        int
}

// view returns a forum post as seen at now.
func (s *Site) view(it *Item, now time.Time) postView {
	depth := 0
	for p := it.ParentID; p != "" && depth < 8; depth++ {
		p = s.forum[s.pos[p]].ParentID
	}
	return postView{
		ID: it.ID, Parent: it.ParentID, Thread: it.Thread, Title: it.Title, Author: it.Author,
		Text: it.Text, URL: it.URL, Published: it.Published,
		Likes:   grown(it.Likes, now.Sub(it.Published)),
		Replies: visible(s.children[it.ID], now),
		Depth:   depth,
	}
}

// pageLink returns path with ?page=n, or "" when n is past last.
func (s *Site) pageLink(path string, n, total int) string {
	if (n-1)*s.pageSize >= total {
		return ""
	}
	return path + "?page=" + strconv.Itoa(n)
}

// forumLatest lists the newest forum posts across all threads. Its next
// link continues from the last post shown (?before=ID), so no post is
// skipped or repeated when new ones arrive while a crawler pages through;
// ?page=N is also accepted.
func (s *Site) forumLatest(w http.ResponseWriter, r *http.Request, now time.Time) {
	page, ok := pageParam(r)
	if !ok {
		http.Error(w, "bad page", http.StatusBadRequest)
		return
	}
	first := visible(s.forum, now) - 1 - (page-1)*s.pageSize
	if b := r.URL.Query().Get("before"); b != "" {
		i, ok := s.pos[b]
		if !ok || i >= len(s.forum) || s.forum[i].ID != b {
			http.Error(w, "bad before", http.StatusBadRequest)
			return
		}
		first = min(visible(s.forum, now)-1, i-1)
	}
	var posts []postView
	i := first
	for ; i >= 0 && len(posts) < s.pageSize; i-- {
		posts = append(posts, s.view(s.forum[i], now))
	}
	next := ""
	if i >= 0 && len(posts) > 0 {
		next = "/forum/latest?before=" + posts[len(posts)-1].ID
	}
	s.render(w, "latest", map[string]any{"Now": now, "Page": page, "Posts": posts, "Next": next})
}

// threadView is a thread in the forum index.
type threadView struct {
	ID, Title, Author string
	Started, Last     time.Time
	Replies           int
}

// forumIndex lists threads by their latest visible activity.
func (s *Site) forumIndex(w http.ResponseWriter, r *http.Request, now time.Time) {
	page, ok := pageParam(r)
	if !ok {
		http.Error(w, "bad page", http.StatusBadRequest)
		return
	}
	n := visible(s.forum, now)
	seen := map[string]bool{}
	var all []threadView
	skip := (page - 1) * s.pageSize
	more := false
	for i := n - 1; i >= 0; i-- {
		it := s.forum[i]
		if seen[it.Thread] {
			continue
		}
		seen[it.Thread] = true
		if skip > 0 {
			skip--
			continue
		}
		if len(all) == s.pageSize {
			more = true
			break
		}
		posts := s.threads[it.Thread]
		root := posts[0]
		all = append(all, threadView{
			ID: root.ID, Title: root.Title, Author: root.Author,
			Started: root.Published, Last: it.Published,
			Replies: visible(posts, now) - 1,
		})
	}
	next := ""
	if more {
		next = "/forum/?page=" + strconv.Itoa(page+1)
	}
	s.render(w, "index", map[string]any{"Now": now, "Page": page, "Threads": all, "Next": next})
}

// forumThread shows a thread's visible posts, oldest first.
func (s *Site) forumThread(w http.ResponseWriter, r *http.Request, now time.Time, id string) {
	posts, ok := s.threads[id]
	if !ok || posts[0].Published.After(now) {
		http.NotFound(w, r)
		return
	}
	page, ok := pageParam(r)
	if !ok {
		http.Error(w, "bad page", http.StatusBadRequest)
		return
	}
	n := visible(posts, now)
	var views []postView
	for i := (page - 1) * s.pageSize; i < n && len(views) < s.pageSize; i++ {
		views = append(views, s.view(posts[i], now))
	}
	s.render(w, "thread", map[string]any{
		"Now": now, "Page": page, "Title": posts[0].Title, "ID": id, "Posts": views,
		"Next": s.pageLink("/forum/t/"+id, page+1, n),
	})
}

// forumPost redirects a permalink to the thread page holding the post.
func (s *Site) forumPost(w http.ResponseWriter, r *http.Request, now time.Time, id string) {
	i, ok := s.pos[id]
	if !ok || i >= len(s.forum) || s.forum[i].ID != id || s.forum[i].Published.After(now) {
		http.NotFound(w, r)
		return
	}
	it := s.forum[i]
	k := 0
	for s.threads[it.Thread][k] != it {
		k++
	}
	target := fmt.Sprintf("/forum/t/%s?page=%d#p-%s", it.Thread, k/s.pageSize+1, it.ID)
	http.Redirect(w, r, target, http.StatusFound)
}

// baseURL is the scheme and host the request reached the site at.
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// rssDoc is an RSS 2.0 document.
type rssDoc struct {
	XMLName xml.Name   `xml:"rss"`
	Version string     `xml:"version,attr"`
	Atom    string     `xml:"xmlns:atom,attr"`
	DC      string     `xml:"xmlns:dc,attr"`
	Channel rssChannel `xml:"channel"`
}

// rssChannel is an RSS channel.
type rssChannel struct {
	Title       string    `xml:"title"`
	Link        string    `xml:"link"`
	Description string    `xml:"description"`
	Language    string    `xml:"language"`
	LastBuild   string    `xml:"lastBuildDate"`
	AtomLinks   []rssLink `xml:"atom:link"`
	Items       []rssItem `xml:"item"`
}

// rssLink is an atom:link for self and next-page links.
type rssLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr"`
}

// rssGUID is an item's guid.
type rssGUID struct {
	Value       string `xml:",chardata"`
	IsPermaLink bool   `xml:"isPermaLink,attr"`
}

// rssItem is an RSS item.
type rssItem struct {
	Title       string  `xml:"title"`
	Link        string  `xml:"link"`
	GUID        rssGUID `xml:"guid"`
	PubDate     string  `xml:"pubDate"`
	Creator     string  `xml:"dc:creator"`
	Description string  `xml:"description"`
}

// rss serves the news feed, newest first, PageSize items a page.
func (s *Site) rss(w http.ResponseWriter, r *http.Request, now time.Time) {
	page, ok := pageParam(r)
	if !ok {
		http.Error(w, "bad page", http.StatusBadRequest)
		return
	}
	base := baseURL(r)
	n := visible(s.feed, now)
	doc := rssDoc{Version: "2.0", Atom: "http://www.w3.org/2005/Atom", DC: "http://purl.org/dc/elements/1.1/"}
	ch := &doc.Channel
	ch.Title, ch.Link, ch.Language = s.sc.loc.feedTitle, base+"/news/", s.sc.loc.lang
	ch.Description = s.sc.loc.feedAbout
	ch.LastBuild = now.UTC().Format(time.RFC1123Z)
	ch.AtomLinks = append(ch.AtomLinks, rssLink{Href: base + r.URL.RequestURI(), Rel: "self", Type: "application/rss+xml"})
	if next := s.pageLink("/news/rss.xml", page+1, n); next != "" {
		ch.AtomLinks = append(ch.AtomLinks, rssLink{Href: base + next, Rel: "next", Type: "application/rss+xml"})
	}
	for i := n - 1 - (page-1)*s.pageSize; i >= 0 && len(ch.Items) < s.pageSize; i-- {
		it := s.feed[i]
		ch.Items = append(ch.Items, rssItem{
			Title: it.Title, Link: base + it.URL, GUID: rssGUID{Value: it.ID},
			PubDate: it.Published.UTC().Format(time.RFC1123Z), Creator: it.Author, Description: it.Text,
		})
	}
	out, err := xml.MarshalIndent(doc, "", "  ")
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
	fmt.Fprint(w, xml.Header)
	w.Write(out)
}

// article serves one news item as HTML.
func (s *Site) article(w http.ResponseWriter, now time.Time, id string) {
	i, ok := s.pos[id]
	if !ok || i >= len(s.feed) || s.feed[i].ID != id || s.feed[i].Published.After(now) {
		http.Error(w, "404 page not found", http.StatusNotFound)
		return
	}
	s.render(w, "article", map[string]any{"Now": now, "Item": s.feed[i]})
}

// apiAuthor is a microblog author in API responses.
type apiAuthor struct {
	Handle    string `json:"handle"`
	Followers int    `json:"followers"`
}

// apiPost is a microblog post in API responses.
type apiPost struct {
	ID        string    `json:"id"`
	Text      string    `json:"text"`
	Author    apiAuthor `json:"author"`
	CreatedAt string    `json:"created_at"`
	Likes     int       `json:"like_count"`
	Reposts   int       `json:"repost_count"`
	Replies   int       `json:"reply_count"`
	URL       string    `json:"url"`
}

// apiView returns a microblog post as seen at now.
func apiView(it *Item, now time.Time, base string) apiPost {
	age := now.Sub(it.Published)
	return apiPost{
		ID: it.ID, Text: it.Text, Author: apiAuthor{Handle: it.Author, Followers: it.Followers},
		CreatedAt: it.Published.UTC().Format(time.RFC3339),
		Likes:     grown(it.Likes, age), Reposts: grown(it.Shares, age), Replies: grown(it.Replies, age),
		URL: base + it.URL,
	}
}

// writeJSON writes v as JSON with status code.
func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

// queryTerms splits a search query into lower-case terms joined by " OR ".
func queryTerms(q string) []string {
	var terms []string
	for _, t := range strings.Split(q, " OR ") {
		if t = strings.ToLower(strings.Trim(strings.TrimSpace(t), `"`)); t != "" {
			terms = append(terms, t)
		}
	}
	return terms
}

// matches reports whether text contains any of terms (all text when there
// are none).
func matches(text string, terms []string) bool {
	if len(terms) == 0 {
		return true
	}
	lt := strings.ToLower(text)
	for _, t := range terms {
		if strings.Contains(lt, t) {
			return true
		}
	}
	return false
}

// search serves the microblog search API: posts whose text contains any of
// the " OR "-separated terms of q, newest first, with an opaque cursor to
// the next (older) page; the cursor is "" on the last page.
func (s *Site) search(w http.ResponseWriter, r *http.Request, now time.Time) {
	qv := r.URL.Query()
	limit := s.pageSize
	if v := qv.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > max(100, s.pageSize) {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": fmt.Sprintf("limit must be 1-%d", max(100, s.pageSize))})
			return
		}
		limit = n
	}
	start := visible(s.api, now) - 1
	if c := qv.Get("cursor"); c != "" {
		id, err := base64.RawURLEncoding.DecodeString(c)
		i, ok := s.pos[string(id)]
		if err != nil || !ok || i >= len(s.api) || s.api[i].ID != string(id) {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": "bad cursor"})
			return
		}
		start = min(start, i-1)
	}
	terms := queryTerms(qv.Get("q"))
	base := baseURL(r)
	resp := struct {
		Posts  []apiPost `json:"posts"`
		Cursor string    `json:"cursor"`
	}{Posts: []apiPost{}}
	last := -1
	i := start
	for ; i >= 0; i-- {
		it := s.api[i]
		if !matches(it.Text, terms) {
			continue
		}
		if len(resp.Posts) == limit {
			break
		}
		resp.Posts = append(resp.Posts, apiView(it, now, base))
		last = i
	}
	if i >= 0 && last >= 0 {
		resp.Cursor = base64.RawURLEncoding.EncodeToString([]byte(s.api[last].ID))
	}
	writeJSON(w, http.StatusOK, resp)
}

// apiPost serves one microblog post.
func (s *Site) apiPost(w http.ResponseWriter, r *http.Request, now time.Time, id string) {
	i, ok := s.pos[id]
	if !ok || i >= len(s.api) || s.api[i].ID != id || s.api[i].Published.After(now) {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "not found"})
		return
	}
	writeJSON(w, http.StatusOK, apiView(s.api[i], now, baseURL(r)))
}

// rfc3339 formats a time for a datetime attribute.
func rfc3339(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// renderPosts writes forum posts as HTML. It is the hot path of a crawl of
// the demo site, so it writes directly, escaping every field, rather than
// through html/template, which costs about as much as the crawler's own
// parsing and would make benchmarks measure the site instead of backlash.
func renderPosts(ps []postView) template.HTML {
	var b strings.Builder
	b.Grow(len(ps) * 700)
	w := b.WriteString
	esc := func(s string) { w(html.EscapeString(s)) }
	var scratch [64]byte // times and counts are formatted here
	for _, v := range ps {
		depth := strconv.Itoa(v.Depth)
		w(`<article class="post depth-`)
		w(depth)
		w(`" id="p-`)
		esc(v.ID)
		w(`" data-id="`)
		esc(v.ID)
		w(`"`)
		if v.Parent != "" {
			w(` data-parent="`)
			esc(v.Parent)
			w(`"`)
		}
		w(` data-thread="`)
		esc(v.Thread)
		w(`" data-depth="`)
		w(depth)
		w(`">` + "\n")
		w(`<div class="meta"><span class="author">`)
		esc(v.Author)
		w(`</span> · <a class="permalink" href="`)
		esc(v.URL)
		w(`"><time datetime="`)
		b.Write(v.Published.UTC().AppendFormat(scratch[:0], time.RFC3339))
		w(`">`)
		b.Write(v.Published.UTC().AppendFormat(scratch[:0], "Mon 2 Jan 15:04"))
		w(`</time></a> · in <a class="thread-link" href="/forum/t/`)
		esc(v.Thread)
		w(`">`)
		esc(v.Title)
		w(`</a></div>` + "\n")
		w(`<div class="body"><p>`)
		esc(v.Text)
		w(`</p></div>` + "\n")
		w(`<div class="meta"><span class="likes">`)
		b.Write(strconv.AppendInt(scratch[:0], int64(v.Likes), 10))
		w(`</span> likes · <span class="replies">`)
		b.Write(strconv.AppendInt(scratch[:0], int64(v.Replies), 10))
		w(`</span> replies</div>` + "\n</article>\n")
	}
	return template.HTML(b.String())
}

// human formats a time for people.
func human(t time.Time) string { return t.UTC().Format("Mon 2 Jan 15:04") }

// pageTemplates are the forum's and news site's HTML pages.
const pageTemplates = `
{{define "head"}}<!doctype html>
<html lang="{{lang}}"><head><meta charset="utf-8"><title>{{.}}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:15px/1.45 system-ui,sans-serif;max-width:46rem;margin:1rem auto;padding:0 1rem}
article.post{border-top:1px solid #ddd;padding:.5rem 0}.meta{color:#666;font-size:.85em}
nav a{margin-right:1rem}.depth-1{margin-left:1.5rem}.depth-2{margin-left:3rem}
.depth-3,.depth-4,.depth-5,.depth-6,.depth-7,.depth-8{margin-left:4.5rem}</style></head><body>
<nav><a href="/">{{site}}</a><a href="/forum/">Forum</a><a href="/forum/latest">Latest posts</a><a href="/news/rss.xml">News (RSS)</a></nav>{{end}}

{{define "foot"}}<footer class="meta"><p>Demo world as of <time class="now" datetime="{{rfc3339 .}}">{{human .}}</time>. All people and companies are fictional.</p></footer></body></html>{{end}}

{{define "next"}}{{if .}}<p class="pager"><a rel="next" href="{{.}}">Older »</a></p>{{end}}{{end}}

{{define "home"}}{{template "head" site}}
<h1>{{site}}</h1>
<p>A community forum, a news feed and a microblog search API, all about the {{app}} app.</p>
<ul><li><a href="/forum/">Forum threads</a></li><li><a href="/forum/latest">Latest forum posts</a></li>
<li><a href="/news/rss.xml">News feed (RSS 2.0)</a></li><li><a href="/api/search?q={{query}}">Microblog search API</a></li></ul>
{{template "foot" .Now}}{{end}}

{{define "index"}}{{template "head" "Forum"}}
<h1>Forum</h1>
<ol class="threads">{{range .Threads}}
<li class="thread" data-id="{{.ID}}"><a class="title" href="/forum/t/{{.ID}}">{{.Title}}</a>
<span class="meta">by <span class="author">{{.Author}}</span> · <span class="replies">{{.Replies}}</span> replies · last post <time datetime="{{rfc3339 .Last}}">{{human .Last}}</time></span></li>{{end}}
</ol>
{{template "next" .Next}}
{{template "foot" .Now}}{{end}}

{{define "latest"}}{{template "head" "Latest posts"}}
<h1>Latest posts</h1>
<section class="posts">{{posts .Posts}}</section>
{{template "next" .Next}}
{{template "foot" .Now}}{{end}}

{{define "thread"}}{{template "head" .Title}}
<h1 class="thread-title" data-id="{{.ID}}">{{.Title}}</h1>
<section class="posts">{{posts .Posts}}</section>
{{template "next" .Next}}
{{template "foot" .Now}}{{end}}

{{define "article"}}{{template "head" .Item.Title}}
<article class="news" data-id="{{.Item.ID}}">
<h1>{{.Item.Title}}</h1>
<p class="meta"><span class="author">{{.Item.Author}}</span> · <time datetime="{{rfc3339 .Item.Published}}">{{human .Item.Published}}</time></p>
<div class="body"><p>{{.Item.Text}}</p></div>
</article>
{{template "foot" .Now}}{{end}}
`
