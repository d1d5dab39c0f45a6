package render

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/memory"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/backlash-monitor/backlash/internal/config"
	"github.com/backlash-monitor/backlash/internal/crawler/fetch"
)

// TestRenderMemoryGrowth renders pages of a script-built site (each an
// empty shell whose script fetches 20 posts as JSON) in 2 tabs with no
// memory limit, and every 25 pages reports the browser's memory (resident
// set summed over its processes; anonymous, file-backed and shared parts
// of the main process), the JavaScript heap and the DOM counters of a
// tab, then the processor time a page. It only reports (the figures in
// the crawler's README come from it) and runs when BACKLASH_RENDERMEM is
// set:
//
//	BACKLASH_RENDERMEM=1 BACKLASH_RENDERMEM_PAGES=200 \
//	BACKLASH_RENDERMEM_PATH=/usr/bin/chromium \
//	BACKLASH_RENDERMEM_MODES=enable-low-end-device-mode \
//	go test -count=1 -run TestRenderMemoryGrowth -v ./internal/crawler/render/
//
// BACKLASH_RENDERMEM_PATH picks the browser (default: LookPath's), and
// BACKLASH_RENDERMEM_MODES adds runs with extra flags: comma-separated
// runs, each a +-separated list of flag or flag=value (";" for a comma in
// a value), after the run with the crawler's own flags.
func TestRenderMemoryGrowth(t *testing.T) {
	if os.Getenv("BACKLASH_RENDERMEM") == "" {
		t.Skip("set BACKLASH_RENDERMEM=1")
	}
	needBrowser(t)
	pages, _ := strconv.Atoi(os.Getenv("BACKLASH_RENDERMEM_PAGES"))
	if pages == 0 {
		pages = 120
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		switch {
		case strings.HasPrefix(p, "/t/"):
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprintf(w, `<!doctype html><html><head><meta charset="utf-8"><title>x</title><link rel="stylesheet" href="/static/site.css"><script src="/static/app.js" defer></script></head><body><header><img src="/static/logo.png"><h1 class="thread-title"></h1></header><main id="app" data-src="/api%s"></main></body></html>`, p)
		case p == "/static/app.js":
			w.Header().Set("Content-Type", "application/javascript")
			fmt.Fprint(w, `(async () => { const app = document.getElementById('app'); const data = await (await fetch(app.dataset.src)).json();
 document.querySelector('h1.thread-title').textContent = data.title;
 app.innerHTML = data.posts.map(p => '<article class="post" data-id="' + p.id + '"><img class="avatar" src="/static/a' + p.id + '.png"><div class="body"><p>' + p.text + '</p></div></article>').join(''); })();`)
		case p == "/static/site.css":
			w.Header().Set("Content-Type", "text/css")
			fmt.Fprint(w, "body{font:14px sans-serif}article{display:block;margin:1em 0}")
		case strings.HasPrefix(p, "/api/t/"):
			var b strings.Builder
			fmt.Fprintf(&b, `{"title":"Thread %s","posts":[`, p)
			for i := 0; i < 20; i++ {
				if i > 0 {
					b.WriteByte(',')
				}
				fmt.Fprintf(&b, `{"id":"%d","text":"Since the update my notes take ages to sync %s %d"}`, i, p, i)
			}
			b.WriteString("]}")
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, b.String())
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	src := &config.Source{Name: "t", Kind: "html", URLs: []string{srv.URL + "/"}, IgnoreRobots: true, Parallelism: 2}
	f, err := fetch.New(context.Background(), src, fetch.Config{UserAgent: "backlash-test", Timeout: 5 * time.Second, AllowAddrs: []string{srv.Listener.Addr().String()}})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	type mode struct {
		name  string
		extra []chromedp.ExecAllocatorOption
	}
	modes := []mode{{"crawler's flags", nil}}
	for _, name := range strings.Split(os.Getenv("BACKLASH_RENDERMEM_MODES"), ",") {
		if name == "" {
			continue
		}
		var extra []chromedp.ExecAllocatorOption
		for _, fl := range strings.Split(name, "+") {
			k, v, ok := strings.Cut(fl, "=")
			v = strings.ReplaceAll(v, ";", ",")
			if ok {
				extra = append(extra, chromedp.Flag(k, v))
			} else {
				extra = append(extra, chromedp.Flag(k, true))
			}
		}
		modes = append(modes, mode{name, extra})
	}
	for _, m := range modes {
		name, extra := m.name, m.extra
		b := New(Options{Tabs: 2, MaxMemory: 1 << 40, Path: os.Getenv("BACKLASH_RENDERMEM_PATH")})
		b.extra = extra
		if tp := os.Getenv("BACKLASH_RENDERMEM_TABPAGES"); tp != "" {
			b.tabPages, _ = strconv.Atoi(tp)
		}
		var next atomic.Int64
		var wg sync.WaitGroup
		report := func(done int64) {
			b.mu.Lock()
			g := b.cur
			b.mu.Unlock()
			if g == nil {
				return
			}
			pids, _ := tree(g.pid())
			st := kbFields(fmt.Sprintf("/proc/%d/status", g.pid()), "RssAnon:", "RssFile:", "RssShmem:")
			line := fmt.Sprintf("%s %4d pages: %d procs rss %4d MB (anon %d file %d shmem %d) cpu %v", name, done, len(pids), sumRSS(pids)>>20, st[0]>>20, st[1]>>20, st[2]>>20, b.Stats().CPU.Round(time.Second/10))
			g.mu.Lock()
			idle := append([]*browserTab(nil), g.idle...)
			g.mu.Unlock()
			for _, tb := range idle {
				ctx, cancel := context.WithTimeout(tb.ctx, 2*time.Second)
				h, err := chromedp.Call(ctx, runtime.GetHeapUsage, cdp.Empty{})
				d, err2 := chromedp.Call(ctx, memory.GetDOMCounters, cdp.Empty{})
				cancel()
				if err == nil && err2 == nil {
					line += fmt.Sprintf(" | heap %.0f/%.0f MB emb %.0f docs %d nodes %d listeners %d", h.UsedSize/1e6, h.TotalSize/1e6, h.EmbedderHeapUsedSize/1e6, d.Documents, d.Nodes, d.JsEventListeners)
				}
			}
			t.Log(line)
		}
		start := time.Now()
		for w := 0; w < 2; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					n := next.Add(1)
					if n > int64(pages) {
						return
					}
					req := Request{URL: fmt.Sprintf("%s/t/%d", srv.URL, n), Fetcher: f, Items: "article.post", Timeout: 5 * time.Second}
					res, err := b.Render(context.Background(), req)
					if err != nil || res.Items != 20 {
						t.Errorf("page %d: %v", n, err)
					}
					if n%25 == 0 {
						report(n)
					}
				}
			}()
		}
		wg.Wait()
		el := time.Since(start)
		st := b.Stats()
		t.Logf("%s: %d pages in %v (%.1f/s), cpu %v (%d ms a page), peak rss %d MB", name, pages, el.Round(time.Millisecond), float64(pages)/el.Seconds(), st.CPU, st.CPU.Milliseconds()/int64(pages), st.PeakRSS>>20)
		b.Close()
	}
}
