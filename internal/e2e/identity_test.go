package e2e

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"html/template"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/backlash-monitor/backlash/internal/alerts/slackserver"
	"github.com/backlash-monitor/backlash/internal/config"
	"github.com/backlash-monitor/backlash/internal/dashboards"
	"github.com/backlash-monitor/backlash/internal/store"
	"github.com/backlash-monitor/backlash/internal/store/chtest"
)

// sitePost is one post of the three-door forum.
type sitePost struct {
	ID, Thread     int
	Author, Text   string
	At             time.Time
	Likes          int
	Negative, Calm bool
}

// siteThread is a thread: a title and its posts, the first one opening it.
type siteThread struct {
	ID    int
	Title string
	Posts []sitePost
}

// threeDoorForum is one forum reached three ways, as many are: its HTML
// pages (a list of threads, each thread's posts), an RSS feed of its threads
// (each item is a thread's first post, linked to the thread, under a guid
// that names the thread) and a JSON API of its posts (ids "post-N", links
// with tracking parameters). It shows what its clock has published.
type threeDoorForum struct {
	now     func() time.Time
	mu      sync.Mutex
	threads []siteThread
	srv     *httptest.Server
}

var threadTmpl = template.Must(template.New("t").Parse(`<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{{.Title}}</title></head><body>
<h1 class="title">{{.Title}}</h1>
{{range .Posts}}<article class="post" data-id="{{.ID}}">
 <span class="author">{{.Author}}</span> <time datetime="{{.Time}}">{{.Time}}</time>
 <div class="body">{{.Text}}</div><span class="likes">{{.Likes}}</span>
 <a class="permalink" href="/t/{{.Thread}}#p{{.ID}}">#</a>
</article>
{{end}}</body></html>`))

var indexTmpl = template.Must(template.New("i").Parse(`<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Latest</title></head><body><ul>
{{range .}}<li><a class="topic" href="/t/{{.ID}}">{{.Title}}</a></li>
{{end}}</ul></body></html>`))

func newThreeDoorForum(t testing.TB, now func() time.Time, threads []siteThread) *threeDoorForum {
	f := &threeDoorForum{now: now, threads: threads}
	mux := http.NewServeMux()
	mux.HandleFunc("/latest", f.index)
	mux.HandleFunc("/t/{id}", f.thread)
	mux.HandleFunc("/latest.rss", f.rss)
	mux.HandleFunc("/api/posts", f.api)
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

// visible returns the threads with the posts published by now, newest
// thread first; a thread whose first post is not out is not shown.
func (f *threeDoorForum) visible() []siteThread {
	f.mu.Lock()
	defer f.mu.Unlock()
	now := f.now()
	var out []siteThread
	for _, th := range f.threads {
		var ps []sitePost
		for _, p := range th.Posts {
			if !p.At.After(now) {
				ps = append(ps, p)
			}
		}
		if len(ps) > 0 && ps[0].ID == th.Posts[0].ID {
			out = append(out, siteThread{ID: th.ID, Title: th.Title, Posts: ps})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Posts[0].At.After(out[j].Posts[0].At) })
	return out
}

// Posts returns every post the site shows.
func (f *threeDoorForum) Posts() []sitePost {
	var out []sitePost
	for _, th := range f.visible() {
		out = append(out, th.Posts...)
	}
	return out
}

func (f *threeDoorForum) index(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_ = indexTmpl.Execute(w, f.visible())
}

func (f *threeDoorForum) thread(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.Atoi(r.PathValue("id"))
	for _, th := range f.visible() {
		if th.ID != id {
			continue
		}
		type item struct {
			ID, Thread, Likes  int
			Author, Text, Time string
		}
		data := struct {
			Title string
			Posts []item
		}{Title: th.Title}
		for _, p := range th.Posts {
			data.Posts = append(data.Posts, item{p.ID, p.Thread, p.Likes, p.Author, p.Text, p.At.UTC().Format(time.RFC3339)})
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_ = threadTmpl.Execute(w, data)
		return
	}
	http.NotFound(w, r)
}

func (f *threeDoorForum) rss(w http.ResponseWriter, r *http.Request) {
	type item struct {
		Title   string `xml:"title"`
		Link    string `xml:"link"`
		GUID    string `xml:"guid"`
		Creator string `xml:"dc:creator"`
		PubDate string `xml:"pubDate"`
		Desc    string `xml:"description"`
	}
	var items []item
	base := "http://" + r.Host
	for _, th := range f.visible() {
		p := th.Posts[0]
		items = append(items, item{Title: th.Title, Link: fmt.Sprintf("%s/t/%d", base, th.ID),
			GUID: fmt.Sprintf("threedoor-topic-%d", th.ID), Creator: p.Author, PubDate: p.At.UTC().Format(time.RFC1123Z),
			Desc: "<p>" + template.HTMLEscapeString(p.Text) + "</p>"})
	}
	out, err := xml.MarshalIndent(struct {
		XMLName xml.Name `xml:"rss"`
		Version string   `xml:"version,attr"`
		DC      string   `xml:"xmlns:dc,attr"`
		Items   []item   `xml:"channel>item"`
	}{Version: "2.0", DC: "http://purl.org/dc/elements/1.1/", Items: items}, "", " ")
	if err != nil {
		http.Error(w, err.Error(), 500)
		return
	}
	w.Header().Set("Content-Type", "application/rss+xml")
	_, _ = w.Write(append([]byte(xml.Header), out...))
}

func (f *threeDoorForum) api(w http.ResponseWriter, r *http.Request) {
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	if page < 1 {
		page = 1
	}
	ps := f.Posts()
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].At.After(ps[j].At) })
	const per = 25
	lo, hi := min((page-1)*per, len(ps)), min(page*per, len(ps))
	type item struct {
		ID       string `json:"id"`
		Author   string `json:"author"`
		Body     string `json:"body"`
		Created  string `json:"created_at"`
		Likes    int    `json:"likes"`
		URL      string `json:"url"`
		ThreadID int    `json:"thread_id"`
	}
	out := struct {
		Posts []item `json:"posts"`
	}{Posts: []item{}}
	for _, p := range ps[lo:hi] {
		out.Posts = append(out.Posts, item{ID: fmt.Sprintf("post-%d", p.ID), Author: "@" + p.Author, Body: p.Text,
			Created: p.At.UTC().Format(time.RFC3339), Likes: p.Likes, ThreadID: p.Thread,
			URL: fmt.Sprintf("http://%s/t/%d/?utm_source=api&utm_medium=json#p%d", r.Host, p.Thread, p.ID)})
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(out)
}

// threeDoorThreads writes the forum's history: calm threads about the
// checkout over three days, then, from onset, a backlash: threads whose
// titles are outraged, with angry posts, calm replies that say nothing of
// the checkout, a text pasted by six accounts, and one author posting the
// same complaint twice.
func threeDoorThreads(start, onset time.Time) []siteThread {
	var threads []siteThread
	postID := 1000
	add := func(th *siteThread, author, text string, at time.Time, neg bool, likes int) {
		postID++
		th.Posts = append(th.Posts, sitePost{ID: postID, Thread: th.ID, Author: author, Text: text, At: at,
			Likes: likes, Negative: neg, Calm: !neg})
	}
	calm := []string{
		"The checkout worked fine for me today, thanks.",
		"Paid through the checkout in a minute, nice and quick.",
		"Checkout page looks good, the receipt arrived straight away.",
		"Love how simple the new checkout is.",
	}
	replies := []string{"Same here, no problems at all.", "Good to know, thanks for sharing.", "Agreed, works well on my phone too."}
	for i := 0; i < 12; i++ {
		th := siteThread{ID: 10 + i, Title: fmt.Sprintf("Checkout experience, week %d", i)}
		at := start.Add(time.Duration(i) * 6 * time.Hour)
		add(&th, fmt.Sprintf("calm_op%d", i), calm[i%len(calm)], at, false, i%5)
		for j := 0; j < 3; j++ {
			add(&th, fmt.Sprintf("calm_re%d_%d", i, j), replies[(i+j)%len(replies)], at.Add(time.Duration(j+1)*20*time.Minute), false, j)
		}
		threads = append(threads, th)
	}
	angry := []string{
		"The checkout is broken again, charged twice and no order. Terrible, I want a refund.",
		"Worst update ever: checkout keeps failing at the payment step. Awful.",
		"Checkout crashed and lost my cart. This is a disaster, so angry.",
		"Horrible checkout bug, my card was declined three times. Hate this.",
		"Furious. The checkout took my money and showed an error, awful service.",
	}
	campaign := "Boycott this shop, the checkout steals your money and support ignores you"
	titles := []string{"Checkout is a disgrace", "Charged twice at checkout, this is a scam", "Checkout down again?!"}
	for k, title := range titles {
		th := siteThread{ID: 100 + k, Title: title}
		at := onset.Add(time.Duration(k) * 4 * time.Minute)
		add(&th, fmt.Sprintf("op_%d", k), fmt.Sprintf("%s Order %d.", angry[k], 7000+k), at, true, 30+k)
		for j := 0; j < 9; j++ {
			at := at.Add(time.Duration(j+1) * 3 * time.Minute)
			switch {
			case j%3 == 2:
				// Calm replies in an angry thread: the title is not theirs.
				add(&th, fmt.Sprintf("calm_%d_%d", k, j), "Thanks, the update arrived this morning and everything works for me.", at, false, 1)
			case j < 2 && k*2+j < 6:
				add(&th, fmt.Sprintf("paste_%d_%d", k, j), campaign, at, true, 2)
			default:
				// Every angry voice in its own words.
				add(&th, fmt.Sprintf("angry_%d_%d", k, j), fmt.Sprintf("%s Order %d.", angry[(k+j)%len(angry)], 7100+10*k+j), at, true, 5+j)
			}
		}
		threads = append(threads, th)
	}
	// One author says the same thing twice within the hour: one post.
	last := &threads[len(threads)-1]
	add(last, "repeater", "Still broken. The checkout still fails for me, so annoying and useless.", onset.Add(20*time.Minute), true, 3)
	add(last, "repeater", "Still broken. The checkout still fails for me, so annoying and useless.", onset.Add(32*time.Minute), true, 3)
	return threads
}

func threeDoorConfig(stateDir, addr, db, site, slackURL string, order []string) string {
	srcs := map[string]string{
		"html": fmt.Sprintf(`  - name: forum-pages
    kind: html
    urls: [%q]
    allow_private: true
    delay: 1ms
    max_pages: 100
    identity: {namespace: threedoor}
    html: {item: article.post, id: "@data-id", text: .body, title: h1.title, author: .author, time: "time@datetime", likes: .likes, url: "a.permalink@href", follow: "a.topic@href"}
`, site+"/latest"),
		"feed": fmt.Sprintf(`  - name: forum-feed
    kind: feed
    urls: [%q]
    allow_private: true
    delay: 1ms
    identity: {namespace: threedoor, id: none}
`, site+"/latest.rss"),
		"json": fmt.Sprintf(`  - name: forum-api
    kind: json
    urls: [%q]
    allow_private: true
    delay: 1ms
    max_pages: 100
    identity: {namespace: threedoor, match: '^post-(\d+)$'}
    json: {items: posts, id: id, text: body, author: author, time: created_at, likes: likes, url: url, page_param: page}
`, site+"/api/posts"),
	}
	var b strings.Builder
	fmt.Fprintf(&b, "state_dir: %q\nclickhouse:\n  addr: [%q]\n  database: %s\n", stateDir, addr, db)
	fmt.Fprintf(&b, "crawler: {user_agent: backlash-e2e/1, timeout: 10s, retries: 1}\ntopics:\n  - name: %s\n    keywords: [checkout]\nsources:\n", topic)
	for _, k := range order {
		b.WriteString(srcs[k])
	}
	b.WriteString(alertsYAML(10, slackURL))
	return b.String()
}

// identityCounts is what one crawl of the forum left in every count.
type identityCounts struct {
	RollupPosts, RollupNegative       uint64 // topic_rollup_5m, whole history
	SinceOnsetPosts, SinceOnsetNeg    uint64 // topic_rollup_5m from the onset
	WindowPosts, WindowNeg            uint64 // the risk's window statistics
	WindowAuthors, SharedPosts        uint64
	RiskPosts, RiskNegative           uint64 // topic_risk, newest row
	APIPosts, APINegative, APILabeled uint64 // the dashboard's series and breakdown
}

func readIdentityCounts(t *testing.T, st *store.Store, onset, now time.Time) identityCounts {
	t.Helper()
	ctx := context.Background()
	var c identityCounts
	q := func(sql string, args []any, dst ...any) {
		t.Helper()
		if err := st.Conn().QueryRow(ctx, sql, args...).Scan(dst...); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	q("SELECT toUInt64(sum(posts)), toUInt64(sum(negative)) FROM "+st.Table("topic_rollup_5m")+" WHERE topic = ?",
		[]any{topic}, &c.RollupPosts, &c.RollupNegative)
	q("SELECT toUInt64(sum(posts)), toUInt64(sum(negative)) FROM "+st.Table("topic_rollup_5m")+" WHERE topic = ? AND bucket >= ?",
		[]any{topic, onset}, &c.SinceOnsetPosts, &c.SinceOnsetNeg)
	q("SELECT argMax(posts, version), argMax(negative, version) FROM "+st.Table("topic_risk")+" WHERE topic = ?",
		[]any{topic}, &c.RiskPosts, &c.RiskNegative)
	w, err := st.Window(ctx, topic, now.Add(-time.Hour), now)
	if err != nil {
		t.Fatal(err)
	}
	c.WindowPosts, c.WindowNeg, c.WindowAuthors, c.SharedPosts = w.Posts, w.Negative, w.Authors, w.SharedPosts

	h, err := dashboards.New(st, dashboards.Options{Loopback: true, Topics: []string{topic}, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	get := func(path string, v any) {
		t.Helper()
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		if rec.Code != 200 {
			t.Fatalf("GET %s: %d %s", path, rec.Code, rec.Body.String())
		}
		if err := json.Unmarshal(rec.Body.Bytes(), v); err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
	}
	rng := "from=" + url.QueryEscape(onset.Add(-96*time.Hour).Format(time.RFC3339)) + "&to=" + url.QueryEscape(now.Add(time.Hour).Format(time.RFC3339))
	var series struct {
		Points []struct{ Posts, Negative uint64 } `json:"points"`
	}
	get("/api/topics/"+topic+"/series?"+rng, &series)
	for _, p := range series.Points {
		c.APIPosts += p.Posts
		c.APINegative += p.Negative
	}
	var bd struct {
		Labels map[string]uint64 `json:"labels"`
	}
	get("/api/topics/"+topic+"/breakdown?"+rng, &bd)
	for _, n := range bd.Labels {
		c.APILabeled += n
	}
	var posts struct {
		Posts []struct{ Source, Author, Text string } `json:"posts"`
	}
	get("/api/topics/"+topic+"/posts?label=negative&limit=100&"+rng, &posts)
	seen := map[string]bool{}
	for _, p := range posts.Posts {
		k := strings.TrimPrefix(p.Author, "@") + "|" + p.Text
		if seen[k] {
			t.Errorf("dashboard lists %s's post %q twice", p.Author, p.Text)
		}
		seen[k] = true
	}
	return c
}

// TestOnePostOneCount crawls a forum through its pages, its feed and its
// API and expects every count (rollups, the risk's window, the dashboard
// API, the alert's evidence) to count each post once, whatever order the
// sources are crawled in and however often they are re-crawled.
func TestOnePostOneCount(t *testing.T) {
	onset := base.Add(72 * time.Hour)
	now := onset.Add(45 * time.Minute)
	clk := newClock(now)
	site := newThreeDoorForum(t, clk.Now, threeDoorThreads(base, onset))
	posts := site.Posts()
	var sitePosts, siteSinceOnset, siteNegSinceOnset int
	for _, p := range posts {
		sitePosts++
		if !p.At.Before(onset) {
			siteSinceOnset++
			if p.Negative {
				siteNegSinceOnset++
			}
		}
	}
	// The repeater's second post is the same post.
	wantPosts, wantSinceOnset, wantNeg := sitePosts-1, siteSinceOnset-1, siteNegSinceOnset-1

	slack := slackserver.New(slackserver.Options{Channels: []string{"#comms"}, Now: clk.Now})
	defer slack.Close()
	t.Setenv(slackTokEnv, slack.Token())

	orders := [][]string{{"html", "feed", "json"}, {"feed", "json", "html"}, {"json", "html", "feed"}}
	var first identityCounts
	for i, order := range orders {
		addr, db := chtest.Database(t)
		dropDatabase(t, addr, db)
		dir := t.TempDir()
		cfg := parseConfig(t, threeDoorConfig(dir, addr, db, site.srv.URL, slack.URL, order))
		sys := openSystem(t, cfg, clk.Now, dir+"/spool", i > 0)
		st := openStore(t, addr, db)
		if i == 0 {
			// All three at once, as a cron run collects them, then a re-crawl.
			r := mustRun(t, sys, "run-all", now)
			for _, s := range r.Sources {
				if s.Err != nil || s.New == 0 {
					t.Fatalf("source %s: %d new posts, %v", s.Source, s.New, s.Err)
				}
			}
		} else {
			// One source after another, in this order.
			for _, name := range order {
				src := sourceNamed(t, cfg, name)
				if _, err := sys.Job.Run(context.Background(), "run-"+name, []config.Source{src}, now); err != nil {
					t.Fatalf("run %s: %v", name, err)
				}
			}
		}
		c := readIdentityCounts(t, st, onset, now)
		t.Logf("order %v: site %d posts (%d since the onset, %d negative); counts %+v", order, sitePosts, siteSinceOnset, siteNegSinceOnset, c)
		if c.RollupPosts != uint64(wantPosts) || c.SinceOnsetPosts != uint64(wantSinceOnset) || c.SinceOnsetNeg != uint64(wantNeg) {
			t.Errorf("order %v: rollups count %d posts (%d since the onset, %d negative); want %d (%d, %d): each post once, the repeat folded",
				order, c.RollupPosts, c.SinceOnsetPosts, c.SinceOnsetNeg, wantPosts, wantSinceOnset, wantNeg)
		}
		if ratio := float64(c.SinceOnsetPosts) / float64(siteSinceOnset); ratio > 1.1 {
			t.Errorf("order %v: %.2f× the site's posts counted since the onset, want at most 1.1×", order, ratio)
		}
		if c.WindowPosts != uint64(wantSinceOnset) || c.RiskPosts != c.WindowPosts || c.RiskNegative != c.WindowNeg {
			t.Errorf("order %v: risk window %d posts (%d negative), topic_risk %d (%d); want %d posts",
				order, c.WindowPosts, c.WindowNeg, c.RiskPosts, c.RiskNegative, wantSinceOnset)
		}
		if c.APIPosts != c.RollupPosts || c.APINegative != c.RollupNegative || c.APILabeled != uint64(wantPosts) {
			t.Errorf("order %v: dashboard series %d posts (%d negative), breakdown %d; want %d (%d), %d",
				order, c.APIPosts, c.APINegative, c.APILabeled, c.RollupPosts, c.RollupNegative, wantPosts)
		}
		if c.SharedPosts != 6 {
			t.Errorf("order %v: %d negative posts share a text with other authors, want the 6 pasted", order, c.SharedPosts)
		}
		assertOwnWords(t, st)
		if i == 0 {
			first = c
			checkAlertEvidence(t, slack, onset)
			// A re-crawl of all three changes no count.
			clk.Set(now.Add(15 * time.Minute))
			mustRun(t, sys, "recrawl", now.Add(15*time.Minute))
			clk.Set(now)
			again := readIdentityCounts(t, st, onset, now)
			if again.RollupPosts != c.RollupPosts || again.SinceOnsetNeg != c.SinceOnsetNeg || again.WindowPosts != c.WindowPosts || again.APILabeled != c.APILabeled {
				t.Errorf("re-crawl changed the counts: %+v, then %+v", c, again)
			}
		} else if c.RollupPosts != first.RollupPosts || c.SinceOnsetNeg != first.SinceOnsetNeg || c.WindowPosts != first.WindowPosts ||
			c.WindowNeg != first.WindowNeg || c.WindowAuthors != first.WindowAuthors || c.APILabeled != first.APILabeled {
			t.Errorf("order %v counts %+v; the first order counted %+v", order, c, first)
		}
		sys.Close()
	}
}

func sourceNamed(t *testing.T, cfg *config.Config, name string) config.Source {
	t.Helper()
	want := map[string]string{"html": "forum-pages", "feed": "forum-feed", "json": "forum-api"}[name]
	for _, s := range cfg.Sources {
		if s.Name == want {
			return s
		}
	}
	t.Fatalf("no source %s", want)
	return config.Source{}
}

// checkAlertEvidence expects one alert whose quoted posts are all
// different, that says how many negative posts share a text.
func checkAlertEvidence(t *testing.T, slack *slackserver.Server, onset time.Time) {
	t.Helper()
	top := topLevel(slack.Messages())
	if len(top) != 1 {
		t.Fatalf("%d top-level alerts, want 1", len(top))
	}
	blocks := blockStrings(t, top[0].Blocks)
	all := top[0].Text + "\n" + strings.Join(blocks, "\n")
	// A post is its author and its text; the source it is quoted from
	// does not make it another post.
	quoted := map[string]int{}
	for _, b := range blocks {
		i, j := strings.Index(b, "\n>"), strings.Index(b, " on ")
		if i >= 0 && j >= 0 && j < i {
			who := strings.TrimPrefix(strings.Trim(b[:j], "*<>"), "@")
			if k := strings.LastIndexByte(who, '|'); k >= 0 {
				who = strings.TrimPrefix(who[k+1:], "@")
			}
			// Escaping may break a handle with a zero-width space.
			who = strings.ReplaceAll(who, "\u200b", "")
			quoted[who+"|"+b[i+2:]]++
		}
	}
	if len(quoted) < 5 {
		t.Errorf("alert quotes %d posts, want at least 5:\n%s", len(quoted), all)
	}
	for q, n := range quoted {
		if n > 1 {
			t.Errorf("alert quotes one post %d times: %s", n, q)
		}
	}
	if !strings.Contains(all, "share 1 text") {
		t.Errorf("alert does not report the pasted text:\n%s", all)
	}
	t.Logf("alert: %.600s", all)
}

// assertOwnWords checks that a calm reply in an angry thread is stored as
// calm, with no term of its thread's title, and the title scored apart.
func assertOwnWords(t *testing.T, st *store.Store) {
	t.Helper()
	rows, err := st.Conn().Query(context.Background(), "SELECT source, label, terms, title, title_label FROM "+st.Table("posts")+
		" WHERE text LIKE 'Thanks, the update arrived%'")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var src, label, title, titleLabel string
		var terms []string
		if err := rows.Scan(&src, &label, &terms, &title, &titleLabel); err != nil {
			t.Fatal(err)
		}
		n++
		if label == "negative" || strings.Contains(strings.Join(terms, " "), "disgrace") || strings.Contains(strings.Join(terms, " "), "scam") {
			t.Errorf("calm reply through %s labelled %s with terms %v (thread %q)", src, label, terms, title)
		}
		if title != "" && strings.Contains(title, "disgrace") && titleLabel != "negative" {
			t.Errorf("the title %q scored %q on its own, want negative", title, titleLabel)
		}
	}
	if n == 0 {
		t.Error("no calm reply of an angry thread was stored; the topic's title context is lost")
	}
}
