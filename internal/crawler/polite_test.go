package crawler

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/backlash-monitor/backlash/internal/config"
	"github.com/backlash-monitor/backlash/internal/crawler/html"
	"github.com/backlash-monitor/backlash/internal/post"
)

const onePost = `<html><body><div class="post" data-id="p1"><div class="body">It works.</div></div></body></html>`

func onePostSource(name string, urls ...string) *config.Source {
	src := testSource(name, html.Name, urls...)
	src.Settings = &html.Settings{Item: ".post", ID: "@data-id", Text: ".body"}
	return src
}

func TestPrivateAddressRefused(t *testing.T) {
	s := newSite(t, map[string]route{"/": {body: onePost}})
	src := onePostSource("private", s.URL+"/")
	src.AllowPrivate = false
	posts, stats, err := collect(t, testCrawler(Options{}), src, State{})
	if err != nil {
		t.Fatal(err)
	}
	if len(posts) != 0 || stats.Errors != 1 || s.hit("/") != 0 {
		t.Fatalf("posts %d stats %+v hits %d; want the request refused before connecting", len(posts), stats, s.hit("/"))
	}
	if !strings.Contains(stats.LastError, "refusing to connect to 127.0.0.1") || !strings.Contains(stats.LastError, "allow_private") {
		t.Errorf("LastError = %q, want a clear refusal", stats.LastError)
	}
}

func TestRedirectToPrivateAddressRefused(t *testing.T) {
	internal := newSite(t, map[string]route{"/admin": {body: onePost}})
	public := newSite(t, map[string]route{
		"/to-loopback": {handler: func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, internal.URL+"/admin", http.StatusFound)
		}},
		"/to-metadata": {handler: func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "http://169.254.169.254/latest/meta-data/iam/security-credentials/", http.StatusFound)
		}},
		"/ok": {body: onePost},
	})
	src := onePostSource("redirects", public.URL+"/to-loopback", public.URL+"/to-metadata", public.URL+"/ok")
	src.AllowPrivate = false
	src.AllowedDomains = []string{"127.0.0.1", "169.254.169.254"}
	// Only the public test server's exact listener is treated as public.
	c := testCrawler(Options{allowAddrs: []string{public.Listener.Addr().String()}})
	var logs strings.Builder
	c.opts.Logger = testLogger(&logs)
	posts, stats, err := collect(t, c, src, State{})
	if err != nil {
		t.Fatal(err)
	}
	if ids(posts) != "p1" || stats.Errors != 2 {
		t.Fatalf("posts %s stats %+v; want only /ok and two refusals", ids(posts), stats)
	}
	if internal.hit("/admin") != 0 {
		t.Error("the redirect reached the internal server")
	}
	for _, want := range []string{"refusing to connect to 127.0.0.1", "refusing to connect to 169.254.169.254:80 (cloud metadata"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("logs lack %q:\n%s", want, logs.String())
		}
	}
}

func TestOffDomainLinksNotFollowed(t *testing.T) {
	other := newSite(t, map[string]route{"/t/1": {body: onePost}})
	s := newSite(t, map[string]route{"/": {body: fmt.Sprintf(`<html><body><a class="t" href="%s/t/1">elsewhere</a><a class="t" href="/t/2">here</a></body></html>`,
		strings.Replace(other.URL, "127.0.0.1", "localhost", 1))}, "/t/2": {body: onePost}})
	src := onePostSource("offsite", s.URL+"/")
	src.Settings.(*html.Settings).Follow = "a.t"
	posts, stats, err := collect(t, testCrawler(Options{}), src, State{})
	if err != nil || ids(posts) != "p1" || stats.Errors != 0 || stats.Pages != 2 {
		t.Fatalf("posts %s stats %+v err %v", ids(posts), stats, err)
	}
	if other.hit("/t/1") != 0 {
		t.Error("followed a link off the allowed domains")
	}
}

func TestRobotsTxt(t *testing.T) {
	cases := []struct {
		name     string
		robots   route
		ignore   bool
		wantHits map[string]int
		wantErr  string
	}{
		{name: "disallowed path", robots: route{body: "User-agent: *\nDisallow: /private/\n", ctype: "text/plain"},
			wantHits: map[string]int{"/private/a": 0, "/public/a": 1}, wantErr: "robots.txt"},
		{name: "group for our agent wins", robots: route{body: "User-agent: *\nDisallow: /\n\nUser-agent: backlash\nDisallow: /private/\n", ctype: "text/plain"},
			wantHits: map[string]int{"/private/a": 0, "/public/a": 1}, wantErr: "robots.txt"},
		{name: "ignored for our own sites", robots: route{body: "User-agent: *\nDisallow: /\n", ctype: "text/plain"}, ignore: true,
			wantHits: map[string]int{"/private/a": 1, "/public/a": 1}},
		{name: "missing robots.txt allows all", robots: route{body: "not found", status: 404},
			wantHits: map[string]int{"/private/a": 1, "/public/a": 1}},
		{name: "server error disallows all", robots: route{body: "oops", status: 503},
			wantHits: map[string]int{"/private/a": 0, "/public/a": 0}, wantErr: "robots.txt"},
		{name: "unparsable robots.txt is ignored", robots: route{body: "Disallow: /\nCrawl-delay: 5\n", ctype: "text/plain"},
			wantHits: map[string]int{"/private/a": 1, "/public/a": 1}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := newSite(t, map[string]route{"/robots.txt": c.robots, "/private/a": {body: onePost}, "/public/a": {body: onePost}})
			src := onePostSource("robots", s.URL+"/private/a", s.URL+"/public/a")
			src.IgnoreRobots = c.ignore
			_, stats, err := collect(t, testCrawler(Options{UserAgent: "backlash/1"}), src, State{})
			if err != nil {
				t.Fatal(err)
			}
			for path, n := range c.wantHits {
				if s.hit(path) != n {
					t.Errorf("%s fetched %d times, want %d", path, s.hit(path), n)
				}
			}
			if !strings.Contains(stats.LastError, c.wantErr) || (c.wantErr == "") != (stats.Errors == 0) {
				t.Errorf("stats %+v, want error %q", stats, c.wantErr)
			}
			if c.ignore && s.hit("/robots.txt") != 0 {
				t.Error("robots.txt fetched although ignored")
			}
			if !c.ignore && s.hit("/robots.txt") != 1 {
				t.Errorf("robots.txt fetched %d times, want once per crawl", s.hit("/robots.txt"))
			}
		})
	}
}

func TestRobotsCrawlDelay(t *testing.T) {
	var times []time.Time
	s := newSite(t, map[string]route{"/robots.txt": {body: "User-agent: *\nCrawl-delay: 0.3\n", ctype: "text/plain"}})
	for _, p := range []string{"/1", "/2"} {
		s.set(p, route{handler: func(w http.ResponseWriter, r *http.Request) {
			times = append(times, time.Now())
			fmt.Fprint(w, onePost)
		}})
	}
	if _, _, err := collect(t, testCrawler(Options{}), onePostSource("slow-please", s.URL+"/1", s.URL+"/2"), State{}); err != nil {
		t.Fatal(err)
	}
	if len(times) != 2 || times[1].Sub(times[0]) < 280*time.Millisecond {
		t.Errorf("requests %v apart, want robots.txt's Crawl-delay of 300ms", times[1].Sub(times[0]))
	}
}

func TestUserAgentAndDelay(t *testing.T) {
	var uas []string
	var times []time.Time
	s := newSite(t, map[string]route{})
	for _, p := range []string{"/1", "/2", "/3"} {
		s.set(p, route{handler: func(w http.ResponseWriter, r *http.Request) {
			uas = append(uas, r.UserAgent())
			times = append(times, time.Now())
			fmt.Fprint(w, onePost)
		}})
	}
	src := onePostSource("ua", s.URL+"/1", s.URL+"/2", s.URL+"/3")
	src.Delay = config.Duration(60 * time.Millisecond)
	_, _, err := collect(t, testCrawler(Options{UserAgent: "backlash/1 (+https://acme.example/bot)"}), src, State{})
	if err != nil {
		t.Fatal(err)
	}
	for _, ua := range uas {
		if ua != "backlash/1 (+https://acme.example/bot)" {
			t.Errorf("User-Agent = %q", ua)
		}
	}
	for i := 1; i < len(times); i++ {
		if gap := times[i].Sub(times[i-1]); gap < 45*time.Millisecond {
			t.Errorf("requests %d and %d only %v apart, want the source delay", i-1, i, gap)
		}
	}
}

func TestRetryAfter429(t *testing.T) {
	var n atomic.Int32
	s := newSite(t, map[string]route{"/busy": {handler: func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			w.Header().Set("Retry-After", "1")
			http.Error(w, "slow down", http.StatusTooManyRequests)
			return
		}
		fmt.Fprint(w, onePost)
	}}})
	start := time.Now()
	posts, stats, err := collect(t, testCrawler(Options{Retries: 2}), onePostSource("busy", s.URL+"/busy"), State{})
	if err != nil || len(posts) != 1 || stats.Errors != 0 || n.Load() != 2 {
		t.Fatalf("posts %d stats %+v err %v requests %d", len(posts), stats, err, n.Load())
	}
	if el := time.Since(start); el < 900*time.Millisecond {
		t.Errorf("retried after %v, want Retry-After's 1s honoured", el)
	}
}

func TestRetryBackoffOn5xx(t *testing.T) {
	var n atomic.Int32
	s := newSite(t, map[string]route{
		"/flaky": {handler: func(w http.ResponseWriter, r *http.Request) {
			if n.Add(1) <= 2 {
				http.Error(w, "upstream down", http.StatusBadGateway)
				return
			}
			fmt.Fprint(w, onePost)
		}},
		"/down": {body: "down", status: http.StatusServiceUnavailable},
	})
	posts, stats, err := collect(t, testCrawler(Options{Retries: 2}), onePostSource("flaky", s.URL+"/flaky", s.URL+"/down"), State{})
	if err != nil || len(posts) != 1 || n.Load() != 3 {
		t.Fatalf("posts %d err %v requests %d", len(posts), err, n.Load())
	}
	if stats.Errors != 1 || s.hit("/down") != 3 || !strings.Contains(stats.LastError, "HTTP 503") {
		t.Errorf("stats %+v hits %d; want /down tried 3 times then counted", stats, s.hit("/down"))
	}
	// 404 is not retried.
	s.set("/missing", route{body: "no", status: 404})
	collect(t, testCrawler(Options{Retries: 2}), onePostSource("missing", s.URL+"/missing"), State{})
	if s.hit("/missing") != 1 {
		t.Errorf("404 fetched %d times, want 1", s.hit("/missing"))
	}
}

func TestSlowPageTimesOut(t *testing.T) {
	s := newSite(t, map[string]route{
		"/slow": {handler: func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-time.After(3 * time.Second):
			case <-r.Context().Done():
			}
			fmt.Fprint(w, onePost)
		}},
		"/fast": {body: onePost},
	})
	start := time.Now()
	posts, stats, err := collect(t, testCrawler(Options{Timeout: 150 * time.Millisecond, Retries: 1}), onePostSource("slow", s.URL+"/slow", s.URL+"/fast"), State{})
	if err != nil || len(posts) != 1 || stats.Errors != 1 {
		t.Fatalf("posts %d stats %+v err %v", len(posts), stats, err)
	}
	if s.hit("/slow") != 2 {
		t.Errorf("slow page tried %d times, want a retry after the timeout", s.hit("/slow"))
	}
	if el := time.Since(start); el > 2*time.Second {
		t.Errorf("took %v; the timeout did not bound the request", el)
	}
}

func TestMaxBodySize(t *testing.T) {
	big := strings.Repeat(`<div class="post" data-id="x"><div class="body">padding padding padding</div></div>`, 5<<20/80)
	s := newSite(t, map[string]route{
		"/declared": {body: big, header: map[string]string{"Content-Length": fmt.Sprint(len(big))}},
		// Streamed without Content-Length: read up to the cap, then refused.
		"/streamed": {handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, onePost)
			for i := 0; i < 5; i++ {
				fmt.Fprint(w, big[:1<<20])
				w.(http.Flusher).Flush()
			}
		}},
	})
	if len(big) < 5<<20-100 {
		t.Fatalf("page is %d bytes", len(big))
	}
	c := testCrawler(Options{MaxBodyBytes: 1 << 20})
	_, stats, err := collect(t, c, onePostSource("declared", s.URL+"/declared"), State{})
	if err != nil || stats.Errors != 1 || !strings.Contains(stats.LastError, "max_body_bytes") {
		t.Errorf("declared: stats %+v err %v", stats, err)
	}
	posts, stats, err := collect(t, c, onePostSource("streamed", s.URL+"/streamed"), State{})
	if err != nil || stats.Errors != 1 || len(posts) != 0 || !strings.Contains(stats.LastError, "max_body_bytes") {
		t.Errorf("streamed: posts %d stats %+v err %v", len(posts), stats, err)
	}
	// With the default cap the whole 5 MB page is read.
	posts, stats, _ = collect(t, testCrawler(Options{}), onePostSource("big", s.URL+"/declared"), State{})
	if stats.Errors != 0 || len(posts) != 1 {
		t.Errorf("5 MB page under the default cap: posts %d stats %+v", len(posts), stats)
	}
}

func TestParallelismBoundsRequestsInFlight(t *testing.T) {
	var inFlight, peak atomic.Int32
	routes := map[string]route{}
	index := `<html><body>`
	for i := 0; i < 8; i++ {
		index += fmt.Sprintf(`<a class="t" href="/t/%d">thread %d</a>`, i, i)
		routes[fmt.Sprintf("/t/%d", i)] = route{handler: func(w http.ResponseWriter, r *http.Request) {
			n := inFlight.Add(1)
			defer inFlight.Add(-1)
			for {
				p := peak.Load()
				if n <= p || peak.CompareAndSwap(p, n) {
					break
				}
			}
			time.Sleep(80 * time.Millisecond)
			fmt.Fprintf(w, `<div class="post" data-id="%s"><div class="body">post on %s</div></div>`, r.URL.Path, r.URL.Path)
		}}
	}
	routes["/"] = route{body: index + `</body></html>`}
	s := newSite(t, routes)
	src := onePostSource("parallel", s.URL+"/")
	src.Settings.(*html.Settings).Follow = "a.t"
	src.Parallelism = 3
	start := time.Now()
	posts, stats, err := collect(t, testCrawler(Options{}), src, State{})
	if err != nil || len(posts) != 8 || stats.Pages != 9 {
		t.Fatalf("posts %d stats %+v err %v", len(posts), stats, err)
	}
	if p := peak.Load(); p < 2 || p > 3 {
		t.Errorf("peak requests in flight = %d, want 2..3", p)
	}
	if el := time.Since(start); el > 8*80*time.Millisecond {
		t.Errorf("took %v, no faster than one at a time", el)
	}
}

func TestRetryAfterBeyondDeadlineGivesUp(t *testing.T) {
	s := newSite(t, map[string]route{"/busy": {body: "later", status: http.StatusTooManyRequests, header: map[string]string{"Retry-After": "120"}}})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	start := time.Now()
	stats, err := testCrawler(Options{Retries: 3}).Crawl(ctx, onePostSource("busy", s.URL+"/busy"), State{}, func(post.Post) error { return nil })
	if err != nil || stats.Errors != 1 || !strings.Contains(stats.LastError, "HTTP 429") || !strings.Contains(stats.LastError, "deadline") {
		t.Errorf("stats %+v err %v", stats, err)
	}
	if el := time.Since(start); el > time.Second || s.hit("/busy") != 1 {
		t.Errorf("waited %v over %d requests; a Retry-After past the deadline should fail at once", el, s.hit("/busy"))
	}
}
