package render

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/chromedp/chromedp"

	"github.com/backlash-monitor/backlash/internal/config"
	"github.com/backlash-monitor/backlash/internal/crawler/fetch"
)

// needBrowser skips a test when Chromium is missing, except under CI.
func needBrowser(t testing.TB) {
	t.Helper()
	if _, err := LookPath(""); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("headless Chromium is required under CI: %v", err)
		}
		t.Skipf("skipping: %v", err)
	}
}

var (
	sharedOnce sync.Once
	shared     *Browser
)

// browser returns the package's shared test browser.
func browser(t testing.TB) *Browser {
	needBrowser(t)
	sharedOnce.Do(func() { shared = New(Options{Tabs: 2}) })
	return shared
}

func TestMain(m *testing.M) {
	code := m.Run()
	if shared != nil {
		shared.Close()
	}
	os.Exit(code)
}

// jsPage inserts n posts 300 ms after load.
const jsPage = `<!doctype html><html><head><title>Feedback</title>
<link rel="stylesheet" href="/style.css"><script src="/app.js"></script></head>
<body><h1>Feedback</h1><div id="list"></div><img src="/logo.png"></body></html>`

const appJS = `window.addEventListener('load', () => setTimeout(() => {
  const list = document.getElementById('list');
  for (let i = 1; i <= %d; i++) {
    const a = document.createElement('article');
    a.className = 'post'; a.dataset.id = 'p' + i;
    a.innerHTML = '<span class="author">user' + i + '</span><p class="body">Post number ' + i + ' about sync</p>';
    list.appendChild(a);
  }
}, 300));`

// testSite serves the pages of these tests and counts requests by path.
type testSite struct {
	*httptest.Server
	mu   sync.Mutex
	hits map[string]int
	hdrs map[string]http.Header
}

func (s *testSite) hit(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

func newTestSite(t testing.TB, routes map[string]string) *testSite {
	t.Helper()
	s := &testSite{hits: map[string]int{}, hdrs: map[string]http.Header{}}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.hits[r.URL.Path]++
		s.hdrs[r.URL.Path] = r.Header.Clone()
		s.mu.Unlock()
		body, ok := routes[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		switch {
		case strings.HasSuffix(r.URL.Path, ".js"):
			w.Header().Set("Content-Type", "application/javascript")
		case strings.HasSuffix(r.URL.Path, ".css"):
			w.Header().Set("Content-Type", "text/css")
		case strings.HasSuffix(r.URL.Path, ".png"):
			w.Header().Set("Content-Type", "image/png")
		case strings.HasPrefix(body, "{") || strings.HasPrefix(body, "["):
			w.Header().Set("Content-Type", "application/json")
		default:
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
		}
		fmt.Fprint(w, body)
	}))
	t.Cleanup(s.Close)
	return s
}

// fetcherFor returns a fetcher for a source on s whose private addresses
// are not allowed: only s's own listener may be reached.
func fetcherFor(t testing.TB, s *testSite, mod func(*config.Source)) *fetch.Fetcher {
	t.Helper()
	src := &config.Source{Name: "t", Kind: "html", URLs: []string{s.URL + "/"}, IgnoreRobots: true, Parallelism: 2}
	if mod != nil {
		mod(src)
	}
	f, err := fetch.New(context.Background(), src, fetch.Config{
		UserAgent: "backlash-test", Timeout: 5 * time.Second,
		AllowAddrs: []string{s.Listener.Addr().String()},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(f.Close)
	return f
}

func countItems(t testing.TB, html []byte, sel string) int {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(html))
	if err != nil {
		t.Fatal(err)
	}
	return doc.Find(sel).Length()
}

func TestRenderWaitsForScriptedPosts(t *testing.T) {
	b := browser(t)
	s := newTestSite(t, map[string]string{
		"/feedback":  jsPage,
		"/app.js":    fmt.Sprintf(appJS, 30),
		"/style.css": "article { display: block }",
		"/logo.png":  "not really a png",
	})
	res, err := b.Render(context.Background(), Request{
		URL: s.URL + "/feedback", Fetcher: fetcherFor(t, s, nil), Items: "article.post", Timeout: 5 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := countItems(t, res.HTML, "article.post"); n != 30 || res.Items != 30 {
		t.Errorf("rendered %d posts (counted %d), want 30", n, res.Items)
	}
	if s.hit("/logo.png") != 0 {
		t.Error("an image was requested")
	}
	if s.hit("/style.css") != 1 || s.hit("/app.js") != 1 {
		t.Errorf("style sheet and script requested %d and %d times, want once each", s.hit("/style.css"), s.hit("/app.js"))
	}
	if ua := s.hdrs["/app.js"].Get("User-Agent"); ua != "backlash-test" {
		t.Errorf("script requested with User-Agent %q, want the crawler's", ua)
	}
	if res.URL.Path != "/feedback" {
		t.Errorf("URL %s", res.URL)
	}
}

func TestRenderWaitSelectorAndTimeout(t *testing.T) {
	b := browser(t)
	s := newTestSite(t, map[string]string{
		"/feedback": jsPage,
		"/app.js":   fmt.Sprintf(appJS, 3) + `;setTimeout(() => { const d = document.createElement('div'); d.id = 'done'; document.body.appendChild(d) }, 600)`,
	})
	f := fetcherFor(t, s, nil)
	res, err := b.Render(context.Background(), Request{URL: s.URL + "/feedback", Fetcher: f, Items: "article.post", Wait: "#done", Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if countItems(t, res.HTML, "#done") != 1 {
		t.Error("render_wait selector not waited for")
	}
	// A selector that never matches: the page is read as it is after the
	// time limit, not failed.
	start := time.Now()
	res, err = b.Render(context.Background(), Request{URL: s.URL + "/feedback", Fetcher: f, Items: "article.post", Wait: "#never", Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	// The limit bounds the load and the wait (the default would be 20s);
	// the margin is for a loaded machine.
	if took := time.Since(start); took > 8*time.Second {
		t.Errorf("render took %s with a 1s limit", took)
	}
	if countItems(t, res.HTML, "article.post") != 3 {
		t.Error("posts missing after a timed-out wait")
	}
}

// scrollPage shows 10 posts and loads 10 more from /more?page=N (JSON)
// each time the window is scrolled to the bottom, for 3 more pages.
const scrollPage = `<!doctype html><html><head><style>article{height:120px;display:block}</style></head><body><div id="list"></div><script>
let page = 0, loading = false;
function add(items) { for (const it of items) { const a = document.createElement('article'); a.className = 'post'; a.dataset.id = it.id; a.innerHTML = '<p class="body">' + it.text + '</p>'; document.getElementById('list').appendChild(a); } }
async function more() {
  if (loading || page >= 4) return; loading = true;
  const r = await fetch('/more?page=' + page, {headers: {'X-Requested-With': 'fetch'}}); add(await r.json()); page++; loading = false;
}
window.addEventListener('scroll', () => { if (window.innerHeight + window.scrollY >= document.body.scrollHeight - 50) more(); });
more();
</script></body></html>`

func TestRenderScrollLoadsMore(t *testing.T) {
	b := browser(t)
	var pages atomic.Int32
	s := newTestSite(t, map[string]string{"/feed": scrollPage})
	mux := s.Config.Handler
	s.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/more" {
			mux.ServeHTTP(w, r)
			return
		}
		pages.Add(1)
		var p int
		fmt.Sscan(r.URL.Query().Get("page"), &p)
		var items []string
		for i := 1; i <= 10; i++ {
			items = append(items, fmt.Sprintf(`{"id":"p%d","text":"post %d"}`, p*10+i, p*10+i))
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, "["+strings.Join(items, ",")+"]")
	})
	f := fetcherFor(t, s, nil)
	res, err := b.Render(context.Background(), Request{URL: s.URL + "/feed", Fetcher: f, Items: "article.post", Scroll: 2, Timeout: 3 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if n := countItems(t, res.HTML, "article.post"); n != 30 {
		t.Errorf("2 scrolls: %d posts, want 30", n)
	}
	// Scrolling past the end stops at the last batch.
	res, err = b.Render(context.Background(), Request{URL: s.URL + "/feed", Fetcher: f, Items: "article.post", Scroll: 10, Timeout: 500 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if n := countItems(t, res.HTML, "article.post"); n != 40 {
		t.Errorf("10 scrolls over 4 batches: %d posts, want 40", n)
	}
}

func TestRenderGuardsTheBrowsersRequests(t *testing.T) {
	b := browser(t)
	// inside stands for a service on the crawler's network.
	var insideHits atomic.Int32
	inside := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		insideHits.Add(1)
		fmt.Fprint(w, "secret")
	}))
	defer inside.Close()
	// other is a site off the source's allowed domains.
	var otherHits atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		otherHits.Add(1)
		fmt.Fprint(w, "other")
	}))
	defer other.Close()
	otherURL := strings.Replace(other.URL, "127.0.0.1", "localhost", 1)
	page := `<!doctype html><html><body><div id="list"></div><script>
const tries = [
  fetch('` + inside.URL + `/latest/meta-data/').catch(e => 'refused'),
  fetch('http://169.254.169.254/latest/meta-data/').catch(e => 'refused'),
  fetch('` + otherURL + `/x').catch(e => 'refused'),
  fetch('/api', {method: 'DELETE'}).catch(e => 'refused'),
  new Promise(res => { try { const ws = new WebSocket('` + strings.Replace(inside.URL, "http", "ws", 1) + `/ws'); ws.onerror = () => res('refused'); ws.onopen = () => res('open'); } catch (e) { res('refused') } }),
];
Promise.all(tries).then(() => { const a = document.createElement('article'); a.className = 'post'; a.textContent = 'done'; document.getElementById('list').appendChild(a); });
</script><iframe src="` + inside.URL + `/frame"></iframe></body></html>`
	s := newTestSite(t, map[string]string{"/page": page, "/api": "{}"})
	res, err := b.Render(context.Background(), Request{URL: s.URL + "/page", Fetcher: fetcherFor(t, s, nil), Items: "article.post", Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if countItems(t, res.HTML, "article.post") != 1 {
		t.Fatal("the page's script did not finish")
	}
	if n := insideHits.Load(); n != 0 {
		t.Errorf("the private address received %d requests", n)
	}
	if n := otherHits.Load(); n != 0 {
		t.Errorf("the site off allowed_domains received %d requests", n)
	}
	if s.hit("/api") != 0 {
		t.Error("a DELETE reached the site")
	}
	joined := strings.Join(res.Refused, "; ")
	for _, want := range []string{"127.0.0.1", "address not allowed", "169.254.169.254", "localhost", "not in allowed_domains", "method DELETE"} {
		if !strings.Contains(joined, want) {
			t.Errorf("refused %q, want it to mention %q", joined, want)
		}
	}
}

func TestRenderPageErrors(t *testing.T) {
	b := browser(t)
	s := newTestSite(t, map[string]string{"/robots.txt": "User-agent: *\nDisallow: /private\n", "/private": jsPage})
	f := fetcherFor(t, s, nil)
	_, err := b.Render(context.Background(), Request{URL: s.URL + "/missing", Fetcher: f, Items: "article.post", Timeout: 2 * time.Second})
	if he := (*fetch.HTTPError)(nil); err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("missing page: err %v, want %T 404", err, he)
	}
	robots := fetcherFor(t, s, func(src *config.Source) { src.IgnoreRobots = false })
	_, err = b.Render(context.Background(), Request{URL: s.URL + "/private", Fetcher: robots, Items: "article.post", Timeout: 2 * time.Second})
	if err == nil || !strings.Contains(err.Error(), "robots.txt") {
		t.Errorf("page disallowed by robots.txt: err %v", err)
	}
}

func TestBrowserRestartsAfterDying(t *testing.T) {
	// A browser of its own, with no memory limit: the shared one may be
	// retired for memory after any render, which would leave no process
	// to kill here.
	needBrowser(t)
	b := New(Options{Tabs: 1, MaxMemory: 1 << 40})
	t.Cleanup(func() { b.Close() })
	restarts := b.Stats().Restarts
	s := newTestSite(t, map[string]string{"/feedback": jsPage, "/app.js": fmt.Sprintf(appJS, 2)})
	f := fetcherFor(t, s, nil)
	req := Request{URL: s.URL + "/feedback", Fetcher: f, Items: "article.post", Timeout: 5 * time.Second}
	if _, err := b.Render(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	b.mu.Lock()
	proc := b.cur.proc
	b.mu.Unlock()
	if err := proc.Kill(); err != nil {
		t.Fatal(err)
	}
	_, _ = proc.Wait()
	res, err := b.Render(context.Background(), req)
	if err != nil {
		t.Fatalf("render after the browser died: %v", err)
	}
	if res.Items != 2 {
		t.Errorf("%d items after restart", res.Items)
	}
	if st := b.Stats(); st.Restarts != restarts+1 {
		t.Errorf("restarts %d, want %d", st.Restarts, restarts+1)
	}
}

func TestBrowserRestartsPastMemoryLimit(t *testing.T) {
	needBrowser(t)
	b := New(Options{Tabs: 1, MaxMemory: 1 << 20}) // any browser is larger
	defer b.Close()
	s := newTestSite(t, map[string]string{"/feedback": jsPage, "/app.js": fmt.Sprintf(appJS, 2)})
	req := Request{URL: s.URL + "/feedback", Fetcher: fetcherFor(t, s, nil), Items: "article.post", Timeout: 5 * time.Second}
	for range 2 {
		if _, err := b.Render(context.Background(), req); err != nil {
			t.Fatal(err)
		}
	}
	if st := b.Stats(); st.Restarts < 1 || st.PeakRSS <= 1<<20 {
		t.Errorf("stats %+v: want a restart past the 1 MiB limit", st)
	}
}

func TestBrowserBoundsItsTabs(t *testing.T) {
	// A browser of its own with the shared one's two tabs and no memory
	// limit, so no memory restart can retire the process watched here.
	needBrowser(t)
	b := New(Options{Tabs: 2, MaxMemory: 1 << 40})
	t.Cleanup(func() { b.Close() })
	s := newTestSite(t, map[string]string{"/feedback": jsPage, "/app.js": fmt.Sprintf(appJS, 5)})
	f := fetcherFor(t, s, nil)
	req := Request{URL: s.URL + "/feedback", Fetcher: f, Items: "article.post", Timeout: 5 * time.Second}
	if _, err := b.Render(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	b.mu.Lock()
	g := b.cur
	b.mu.Unlock()
	var most atomic.Int32
	stop := make(chan struct{})
	polled := make(chan struct{})
	go func() {
		defer close(polled)
		for {
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
			infos, err := chromedp.Targets(g.ctx)
			if err != nil {
				continue
			}
			pages := int32(0)
			for _, ti := range infos {
				if ti.Type == "page" {
					pages++
				}
			}
			if pages > most.Load() {
				most.Store(pages)
			}
		}
	}()
	var wg sync.WaitGroup
	for range 5 {
		wg.Go(func() {
			if res, err := b.Render(context.Background(), req); err != nil || res.Items != 5 {
				t.Errorf("render: %v", err)
			}
		})
	}
	wg.Wait()
	close(stop)
	<-polled
	// The browser's first page plus at most two tabs.
	if n := most.Load(); n > 3 || n < 2 {
		t.Errorf("%d pages open at most, want the first page and 2 tabs", n)
	}
}

func TestRenderClearsStateBetweenPages(t *testing.T) {
	// One tab, so the second page reuses the first's: it must see none of
	// the cookies and storage the first page's script left.
	needBrowser(t)
	b := New(Options{Tabs: 1, MaxMemory: 1 << 40})
	t.Cleanup(func() { b.Close() })
	page := `<!doctype html><html><body><div id="list"></div><script>
const v = [document.cookie, localStorage.getItem('k'), sessionStorage.getItem('k')].map(x => x || '-').join(' ');
%s
setTimeout(() => { document.getElementById('list').innerHTML = '<article class="post">' + v + '</article>' }, 50);
</script></body></html>`
	s := newTestSite(t, map[string]string{
		"/set":  fmt.Sprintf(page, `document.cookie = 'k=v; max-age=3600'; localStorage.setItem('k', 'v'); sessionStorage.setItem('k', 'v');`),
		"/read": fmt.Sprintf(page, ``),
	})
	f := fetcherFor(t, s, nil)
	render := func(path string) string {
		t.Helper()
		res, err := b.Render(context.Background(), Request{URL: s.URL + path, Fetcher: f, Items: "article.post", Timeout: 5 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		doc, err := goquery.NewDocumentFromReader(bytes.NewReader(res.HTML))
		if err != nil {
			t.Fatal(err)
		}
		return doc.Find("article.post").Text()
	}
	if got := render("/set"); got != "- - -" {
		t.Fatalf("first page saw %q, want no state", got)
	}
	if got := render("/read"); got != "- - -" {
		t.Errorf("the next page in the tab saw %q (cookie, localStorage, sessionStorage), want none", got)
	}
}

// batchPage builds its list in four batches of 10, each started only when
// the one before is in the page, by the means named in its query: fetch,
// XMLHttpRequest, a script element (JSONP) or a timer. The server answers
// each batch 120 ms late and the timer waits 100 ms, longer than the page
// must be quiet to be read early (quietGap) but within the settle time,
// so a reader that only watched the DOM would cut the list.
const batchPage = `<!doctype html><html><body><div id="list"></div><script>
const how = new URLSearchParams(location.search).get('how');
let batch = 0;
function add(items) {
  for (const it of items) { const a = document.createElement('article'); a.className = 'post'; a.innerHTML = '<p class="body">' + it + '</p>'; document.getElementById('list').appendChild(a); }
  if (++batch < 4) next();
}
function next() {
  const url = '/batch?n=' + batch;
  if (how === 'fetch') fetch(url).then(r => r.json()).then(add);
  else if (how === 'xhr') { const x = new XMLHttpRequest(); x.open('GET', url); x.onload = () => add(JSON.parse(x.responseText)); x.send(); }
  else if (how === 'script') { const s = document.createElement('script'); s.src = url + '&cb=add'; document.head.appendChild(s); }
  else setTimeout(() => add(Array.from({length: 10}, (_, i) => 'post ' + (batch * 10 + i))), 100);
}
window.addEventListener('load', next);
</script></body></html>`

func TestRenderReadsBatchedListsWhole(t *testing.T) {
	b := browser(t)
	s := newTestSite(t, map[string]string{"/list": batchPage})
	mux := s.Config.Handler
	s.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/batch" {
			mux.ServeHTTP(w, r)
			return
		}
		time.Sleep(120 * time.Millisecond)
		var n int
		fmt.Sscan(r.URL.Query().Get("n"), &n)
		items := make([]string, 10)
		for i := range items {
			items[i] = fmt.Sprintf(`"post %d"`, n*10+i)
		}
		list := "[" + strings.Join(items, ",") + "]"
		if cb := r.URL.Query().Get("cb"); cb != "" {
			w.Header().Set("Content-Type", "application/javascript")
			fmt.Fprintf(w, "%s(%s)", cb, list)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, list)
	})
	f := fetcherFor(t, s, nil)
	for _, how := range []string{"fetch", "xhr", "script", "timer"} {
		t.Run(how, func(t *testing.T) {
			res, err := b.Render(context.Background(), Request{URL: s.URL + "/list?how=" + how, Fetcher: f, Items: "article.post", Timeout: 5 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			if n := countItems(t, res.HTML, "article.post"); n != 40 || res.Items != 40 {
				t.Errorf("read %d posts (counted %d), want all 40", n, res.Items)
			}
		})
	}
}

func TestRenderReadsAQuietPageEarly(t *testing.T) {
	// The posts come 300 ms after load and nothing follows them: the page
	// is read as soon as it is quiet, not after the settle time.
	b := browser(t)
	s := newTestSite(t, map[string]string{"/feedback": jsPage, "/app.js": fmt.Sprintf(appJS, 30)})
	f := fetcherFor(t, s, nil)
	before := b.Stats().Quiet
	res, err := b.Render(context.Background(), Request{URL: s.URL + "/feedback", Fetcher: f, Items: "article.post", Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if res.Items != 30 {
		t.Errorf("%d posts, want 30", res.Items)
	}
	if q := b.Stats().Quiet - before; q != 1 {
		t.Errorf("%d early reads, want the page read early once it was quiet", q)
	}
	// A page that keeps a timer going is never read early, but still read.
	s2 := newTestSite(t, map[string]string{"/feedback": jsPage, "/app.js": fmt.Sprintf(appJS, 5) + `;(function tick() { setTimeout(tick, 40) })();`})
	before = b.Stats().Quiet
	res, err = b.Render(context.Background(), Request{URL: s2.URL + "/feedback", Fetcher: fetcherFor(t, s2, nil), Items: "article.post", Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if res.Items != 5 {
		t.Errorf("%d posts, want 5", res.Items)
	}
	if q := b.Stats().Quiet - before; q != 0 {
		t.Errorf("a page with a timer pending was read early")
	}
}
