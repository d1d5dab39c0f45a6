package demo

import (
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
)

// testSite serves a small scenario on a test server.
func testSite(t *testing.T) (*Scenario, *Site, *httptest.Server) {
	t.Helper()
	s := NewScenario(Options{Seed: 42, Scale: 0.5})
	site := NewSite(s)
	srv := httptest.NewServer(site)
	t.Cleanup(srv.Close)
	return s, site, srv
}

// get fetches a URL and returns the response body, failing on a status
// other than want.
func get(t *testing.T, u string, want int) ([]byte, *http.Response) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != want {
		t.Fatalf("GET %s: status %d, want %d: %s", u, resp.StatusCode, want, body)
	}
	return body, resp
}

// scraped is a post as the demo configuration's selectors read it.
type scraped struct {
	id, parent, text, author, url string
	published                     time.Time
	likes                         int
}

// scrapePosts applies the demo configuration's HTML selectors to a page and
// returns its posts and next link.
func scrapePosts(t *testing.T, body []byte) ([]scraped, string) {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	var out []scraped
	doc.Find("article.post").Each(func(_ int, a *goquery.Selection) {
		id, _ := a.Attr("data-id")
		parent, _ := a.Attr("data-parent")
		dt, _ := a.Find("time").Attr("datetime")
		ts, err := time.Parse(time.RFC3339, dt)
		if err != nil {
			t.Errorf("post %s: bad datetime %q", id, dt)
		}
		href, _ := a.Find("a.permalink").Attr("href")
		likes, err := strconv.Atoi(strings.TrimSpace(a.Find(".likes").Text()))
		if err != nil {
			t.Errorf("post %s: likes %q", id, a.Find(".likes").Text())
		}
		out = append(out, scraped{id, parent, strings.TrimSpace(a.Find(".body").Text()),
			strings.TrimSpace(a.Find(".author").Text()), href, ts, likes})
	})
	next, _ := doc.Find("a[rel=next]").Attr("href")
	return out, next
}

// visibleItems returns the items of channel published at or before now.
func visibleItems(s *Scenario, channel string, now time.Time) []Item {
	var out []Item
	for _, it := range s.Items() {
		if it.Channel == channel && !it.Published.After(now) {
			out = append(out, it)
		}
	}
	return out
}

// checkpoints are the simulated times the site tests look at.
func checkpoints(s *Scenario) []time.Time {
	return []time.Time{s.Launch().Add(30 * time.Minute), s.Onset().Add(-time.Hour), s.Peak(), s.Apology().Add(90 * time.Minute), s.End()}
}

func TestForumLatestPaginatesNewestFirst(t *testing.T) {
	s, site, srv := testSite(t)
	for _, now := range checkpoints(s) {
		site.SetNow(now)
		want := visibleItems(s, ChannelForum, now)
		var got []scraped
		next := "/forum/latest"
		pages := 0
		for next != "" {
			u, err := url.Parse(srv.URL)
			if err != nil {
				t.Fatal(err)
			}
			ref, _ := url.Parse(next)
			body, _ := get(t, u.ResolveReference(ref).String(), http.StatusOK)
			posts, n := scrapePosts(t, body)
			if len(posts) > PageSize || (n != "" && len(posts) != PageSize) {
				t.Fatalf("page %d has %d posts", pages+1, len(posts))
			}
			got = append(got, posts...)
			next = n
			pages++
		}
		if len(got) != len(want) {
			t.Fatalf("now %v: scraped %d posts over %d pages, want %d", now, len(got), pages, len(want))
		}
		for i, p := range got {
			it := want[len(want)-1-i]
			if p.id != it.ID || p.parent != it.ParentID || p.text != it.Text || p.author != it.Author || !p.published.Equal(it.Published) {
				t.Fatalf("now %v: post %d is %+v, want %+v", now, i, p, it)
			}
			if p.published.After(now) {
				t.Fatalf("post %s from the future", p.id)
			}
			if p.likes > it.Likes {
				t.Errorf("post %s shows %d likes, more than its final %d", p.id, p.likes, it.Likes)
			}
			if p.url != "/forum/p/"+it.ID {
				t.Errorf("post %s permalink %q", p.id, p.url)
			}
		}
	}
}

// Paging through the latest posts while new ones arrive neither skips nor
// repeats a post.
func TestForumLatestIsStableWhileTimeMoves(t *testing.T) {
	s, site, srv := testSite(t)
	site.SetNow(s.Peak())
	body, _ := get(t, srv.URL+"/forum/latest", http.StatusOK)
	first, next := scrapePosts(t, body)
	site.SetNow(s.Peak().Add(30 * time.Minute))
	body, _ = get(t, srv.URL+next, http.StatusOK)
	second, _ := scrapePosts(t, body)
	want := visibleItems(s, ChannelForum, s.Peak())
	for i, p := range append(first, second...) {
		if w := want[len(want)-1-i]; p.id != w.ID {
			t.Fatalf("post %d is %s, want %s", i, p.id, w.ID)
		}
	}
	get(t, srv.URL+"/forum/latest?before=nonsense", http.StatusBadRequest)
	body, _ = get(t, srv.URL+"/forum/latest?page=2", http.StatusOK)
	later := visibleItems(s, ChannelForum, s.Peak().Add(30*time.Minute))
	if paged, _ := scrapePosts(t, body); len(paged) != PageSize || paged[0].id != later[len(later)-1-PageSize].ID {
		t.Errorf("page=2 does not start %d posts from the newest", PageSize)
	}
}

func TestForumThreadsAndPermalinks(t *testing.T) {
	s, site, srv := testSite(t)
	now := s.Removal()
	site.SetNow(now)
	body, _ := get(t, srv.URL+"/forum/", http.StatusOK)
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	threads := doc.Find("li.thread")
	if threads.Length() != PageSize {
		t.Fatalf("index lists %d threads, want a full page of %d", threads.Length(), PageSize)
	}
	if _, ok := doc.Find("a[rel=next]").Attr("href"); !ok {
		t.Error("index has no next page")
	}
	var lastTimes []time.Time
	threads.Each(func(_ int, li *goquery.Selection) {
		dt, _ := li.Find("time").Attr("datetime")
		ts, _ := time.Parse(time.RFC3339, dt)
		lastTimes = append(lastTimes, ts)
	})
	for i := 1; i < len(lastTimes); i++ {
		if lastTimes[i].After(lastTimes[i-1]) {
			t.Fatal("threads not ordered by latest activity")
		}
	}
	// Find the busiest visible thread and read all of it.
	posts := map[string][]Item{}
	for _, it := range visibleItems(s, ChannelForum, now) {
		posts[it.Thread] = append(posts[it.Thread], it)
	}
	busiest := ""
	for id, ps := range posts {
		if len(ps) > len(posts[busiest]) || len(ps) == len(posts[busiest]) && id < busiest {
			busiest = id
		}
	}
	want := posts[busiest]
	if len(want) <= PageSize {
		t.Fatalf("busiest thread has only %d posts; cannot test thread pagination", len(want))
	}
	var got []scraped
	for next := "/forum/t/" + busiest; next != ""; {
		body, _ := get(t, srv.URL+next, http.StatusOK)
		var ps []scraped
		ps, next = scrapePosts(t, body)
		got = append(got, ps...)
	}
	if len(got) != len(want) {
		t.Fatalf("thread %s: %d posts scraped, want %d", busiest, len(got), len(want))
	}
	nested := 0
	for i, p := range got {
		if p.id != want[i].ID || p.parent != want[i].ParentID {
			t.Fatalf("thread post %d: %s (parent %s), want %s (parent %s)", i, p.id, p.parent, want[i].ID, want[i].ParentID)
		}
		if p.parent != "" && p.parent != busiest {
			nested++
		}
	}
	if nested == 0 {
		t.Error("no nested replies in the busiest thread")
	}
	// A permalink redirects to the right page of the thread.
	last := want[len(want)-1]
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(srv.URL + last.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusFound || !strings.HasPrefix(loc, "/forum/t/"+busiest+"?page=") || !strings.HasSuffix(loc, "#p-"+last.ID) {
		t.Errorf("permalink %s: %d to %q", last.URL, resp.StatusCode, loc)
	}
	// Threads and posts from the future are not there yet.
	site.SetNow(s.Start().Add(time.Hour))
	get(t, srv.URL+"/forum/t/"+busiest, http.StatusNotFound)
	get(t, srv.URL+last.URL, http.StatusNotFound)
	body, _ = get(t, srv.URL+"/forum/latest", http.StatusOK)
	if ps, next := scrapePosts(t, body); next != "" || len(ps) != len(visibleItems(s, ChannelForum, s.Start().Add(time.Hour))) {
		t.Errorf("an hour in: %d posts, next %q", len(ps), next)
	}
}

// rssFeed is what the test reads from the RSS document.
type rssFeed struct {
	Version string `xml:"version,attr"`
	Channel struct {
		Title string `xml:"title"`
		Links []struct {
			Rel  string `xml:"rel,attr"`
			Href string `xml:"href,attr"`
		} `xml:"http://www.w3.org/2005/Atom link"`
		Items []struct {
			Title       string `xml:"title"`
			Link        string `xml:"link"`
			GUID        string `xml:"guid"`
			PubDate     string `xml:"pubDate"`
			Description string `xml:"description"`
			Creator     string `xml:"http://purl.org/dc/elements/1.1/ creator"`
		} `xml:"item"`
	} `xml:"channel"`
}

func TestRSS(t *testing.T) {
	s, site, srv := testSite(t)
	for _, now := range checkpoints(s) {
		site.SetNow(now)
		want := visibleItems(s, ChannelFeed, now)
		body, resp := get(t, srv.URL+"/news/rss.xml", http.StatusOK)
		if ct := resp.Header.Get("Content-Type"); !strings.Contains(ct, "xml") {
			t.Errorf("content type %q", ct)
		}
		var f rssFeed
		if err := xml.Unmarshal(body, &f); err != nil {
			t.Fatalf("RSS does not parse: %v\n%s", err, body)
		}
		if f.Version != "2.0" || f.Channel.Title == "" {
			t.Fatalf("not an RSS 2.0 channel: %+v", f)
		}
		if len(f.Channel.Items) != min(len(want), PageSize) {
			t.Fatalf("now %v: %d items, want %d", now, len(f.Channel.Items), min(len(want), PageSize))
		}
		var prev time.Time
		for i, it := range f.Channel.Items {
			w := want[len(want)-1-i]
			ts, err := time.Parse(time.RFC1123Z, it.PubDate)
			if err != nil || !ts.Equal(w.Published) || ts.After(now) {
				t.Errorf("item %s: pubDate %q, want %v", it.GUID, it.PubDate, w.Published)
			}
			if i > 0 && ts.After(prev) {
				t.Error("feed not newest first")
			}
			prev = ts
			if it.GUID != w.ID || it.Title != w.Title || it.Description != w.Text || it.Creator != w.Author || it.Link != srv.URL+w.URL {
				t.Errorf("item %d = %+v, want %+v", i, it, w)
			}
		}
	}
	site.SetNow(s.End())
	get(t, srv.URL+visibleItems(s, ChannelFeed, s.End())[0].URL, http.StatusOK)
}

// apiResponse is the search API's response.
type apiResponse struct {
	Posts []struct {
		ID     string `json:"id"`
		Text   string `json:"text"`
		Author struct {
			Handle    string `json:"handle"`
			Followers int    `json:"followers"`
		} `json:"author"`
		CreatedAt string `json:"created_at"`
		Likes     int    `json:"like_count"`
		Reposts   int    `json:"repost_count"`
		Replies   int    `json:"reply_count"`
		URL       string `json:"url"`
	} `json:"posts"`
	Cursor string `json:"cursor"`
}

func TestSearchAPIPaginatesWithCursor(t *testing.T) {
	s, site, srv := testSite(t)
	terms := queryTerms(SearchQuery)
	for _, now := range checkpoints(s) {
		site.SetNow(now)
		var want []Item
		for _, it := range visibleItems(s, ChannelAPI, now) {
			if matches(it.Text, terms) {
				want = append([]Item{it}, want...) // newest first
			}
		}
		var got []string
		cursor, pages := "", 0
		for {
			u := srv.URL + "/api/search?q=" + url.QueryEscape(SearchQuery)
			if cursor != "" {
				u += "&cursor=" + url.QueryEscape(cursor)
			}
			body, resp := get(t, u, http.StatusOK)
			if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Fatalf("content type %q", ct)
			}
			var r apiResponse
			if err := json.Unmarshal(body, &r); err != nil {
				t.Fatal(err)
			}
			pages++
			for _, p := range r.Posts {
				i := len(got)
				if i >= len(want) {
					t.Fatalf("now %v: more posts than visible", now)
				}
				w := want[i]
				ts, err := time.Parse(time.RFC3339, p.CreatedAt)
				if err != nil || !ts.Equal(w.Published) || p.ID != w.ID || p.Text != w.Text || p.Author.Handle != w.Author ||
					p.Author.Followers != w.Followers || p.Likes > w.Likes || p.Reposts > w.Shares || p.URL != srv.URL+w.URL {
					t.Fatalf("post %d = %+v, want %+v", i, p, w)
				}
				got = append(got, p.ID)
			}
			if r.Cursor == "" {
				break
			}
			if len(r.Posts) != PageSize {
				t.Fatalf("a page with a cursor holds %d posts", len(r.Posts))
			}
			cursor = r.Cursor
		}
		if len(got) != len(want) {
			t.Fatalf("now %v: %d posts over %d pages, want %d", now, len(got), pages, len(want))
		}
	}
	// A query narrows the results; bad parameters are refused.
	site.SetNow(s.End())
	body, _ := get(t, srv.URL+"/api/search?q=travel+card&limit=100", http.StatusOK)
	var r apiResponse
	if err := json.Unmarshal(body, &r); err != nil {
		t.Fatal(err)
	}
	if len(r.Posts) != 100 {
		t.Fatalf("limit=100 gave %d posts", len(r.Posts))
	}
	for _, p := range r.Posts {
		if !strings.Contains(strings.ToLower(p.Text), "travel card") {
			t.Errorf("q=travel card returned %q", p.Text)
		}
	}
	get(t, srv.URL+"/api/search?cursor=nonsense", http.StatusBadRequest)
	get(t, srv.URL+"/api/search?limit=0", http.StatusBadRequest)
	get(t, srv.URL+r.Posts[0].URL[len(srv.URL):], http.StatusOK)
}

// At the very start every channel already has something to show, so a
// crawler's first run finds the selectors matching.
func TestNoChannelIsEverEmpty(t *testing.T) {
	s, site, srv := testSite(t)
	site.SetNow(s.Start())
	body, _ := get(t, srv.URL+"/forum/latest", http.StatusOK)
	if posts, _ := scrapePosts(t, body); len(posts) == 0 {
		t.Error("forum is empty at the start")
	}
	body, _ = get(t, srv.URL+"/news/rss.xml", http.StatusOK)
	var f rssFeed
	if err := xml.Unmarshal(body, &f); err != nil || len(f.Channel.Items) == 0 {
		t.Errorf("feed is empty at the start (%v)", err)
	}
	body, _ = get(t, srv.URL+"/api/search?q="+url.QueryEscape(SearchQuery), http.StatusOK)
	var r apiResponse
	if err := json.Unmarshal(body, &r); err != nil || len(r.Posts) == 0 {
		t.Errorf("search finds nothing at the start (%v)", err)
	}
}

func TestRobotsAndErrors(t *testing.T) {
	_, _, srv := testSite(t)
	body, _ := get(t, srv.URL+"/robots.txt", http.StatusOK)
	if !strings.Contains(string(body), "Disallow: /admin") || !strings.Contains(string(body), "User-agent: *") {
		t.Errorf("robots.txt:\n%s", body)
	}
	get(t, srv.URL+"/admin", http.StatusForbidden)
	get(t, srv.URL+"/", http.StatusOK)
	get(t, srv.URL+"/nowhere", http.StatusNotFound)
	get(t, srv.URL+"/forum/latest?page=0", http.StatusBadRequest)
	get(t, srv.URL+"/forum/t/nothing", http.StatusNotFound)
	resp, err := http.Post(srv.URL+"/forum/latest", "text/plain", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST: %d", resp.StatusCode)
	}
}

func TestSetNowIsConcurrencySafe(t *testing.T) {
	s, site, srv := testSite(t)
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Add(2)
		go func() {
			defer wg.Done()
			for h := range 20 {
				site.SetNow(s.Start().Add(time.Duration(i*20+h) * 90 * time.Minute))
			}
		}()
		go func() {
			defer wg.Done()
			for range 5 {
				resp, err := http.Get(srv.URL + "/forum/latest")
				if err != nil {
					t.Error(err)
					return
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		}()
	}
	wg.Wait()
}

// The Chinese world's site says so (html lang, RSS language), its search
// finds Chinese terms, and thread titles cut from posts end on a character.
func TestChineseSite(t *testing.T) {
	s := NewScenario(Options{Seed: 4, Scale: 0.5, Lang: LangChinese})
	srv := httptest.NewServer(NewSite(s))
	defer srv.Close()
	home, _ := get(t, srv.URL+"/", http.StatusOK)
	if !strings.Contains(string(home), `<html lang="zh">`) || !strings.Contains(string(home), "钱途观察") {
		t.Errorf("home page is not the Chinese site:\n%s", home)
	}
	rss, _ := get(t, srv.URL+"/news/rss.xml", http.StatusOK)
	if !strings.Contains(string(rss), "<language>zh</language>") {
		t.Errorf("RSS does not declare zh:\n%.400s", rss)
	}
	body, _ := get(t, srv.URL+"/api/search?q="+url.QueryEscape(s.SearchQuery()), http.StatusOK)
	var page struct {
		Posts []struct {
			Text string `json:"text"`
		} `json:"posts"`
	}
	if err := json.Unmarshal(body, &page); err != nil {
		t.Fatal(err)
	}
	if len(page.Posts) == 0 {
		t.Fatalf("search %q found nothing", s.SearchQuery())
	}
	for _, p := range page.Posts {
		if !matches(p.Text, queryTerms(s.SearchQuery())) {
			t.Errorf("search returned %q", p.Text)
		}
	}
	cut := 0
	for _, it := range s.Items() {
		if it.Channel != ChannelForum {
			continue
		}
		if !utf8.ValidString(it.Title) || strings.ContainsRune(it.Title, utf8.RuneError) || utf8.RuneCountInString(it.Title) > 32 {
			t.Errorf("thread title %q: want valid UTF-8, at most 32 characters", it.Title)
		}
		if strings.HasSuffix(it.Title, "…") {
			cut++
		}
	}
	if cut == 0 {
		t.Error("no thread title was cut from a long post")
	}
}
