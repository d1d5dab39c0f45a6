package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/backlash-monitor/backlash/internal/config"
	"github.com/backlash-monitor/backlash/internal/crawler"
	"github.com/backlash-monitor/backlash/internal/crawler/render"
	"github.com/backlash-monitor/backlash/internal/post"
)

// spaSite is a single-page community site: every page is an empty shell
// whose script fetches its posts as JSON and builds them; the index's
// script builds the links to the threads.
type spaSite struct{ threads int }

const spaShell = `<!doctype html><html><head><meta charset="utf-8"><title>Acme community</title>
<link rel="stylesheet" href="/static/site.css"><script src="/static/app.js" defer></script></head>
<body><header><img src="/static/logo.png" alt=""><h1 class="thread-title"></h1></header><main id="app" data-src="%s"></main></body></html>`

const spaScript = `(async () => {
  const app = document.getElementById('app');
  const data = await (await fetch(app.dataset.src, {headers: {'Accept': 'application/json'}})).json();
  if (data.threads) {
    app.innerHTML = data.threads.map(t => '<a class="topic" href="' + t.url + '">' + t.title + '</a>').join('');
    return;
  }
  document.querySelector('h1.thread-title').textContent = data.title;
  app.innerHTML = data.posts.map(p => '<article class="post" data-id="' + p.id + '"><img class="avatar" src="/static/a' + p.id + '.png">' +
    '<span class="author">' + p.author + '</span><time datetime="' + p.time + '"></time>' +
    '<div class="body"><p>' + p.text + '</p></div><span class="likes">' + p.likes + '</span></article>').join('');
})();`

func (s spaSite) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	switch {
	case p == "/":
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, spaShell, "/api/index")
	case strings.HasPrefix(p, "/t/"):
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, spaShell, "/api"+p)
	case p == "/static/app.js":
		w.Header().Set("Content-Type", "application/javascript")
		io.WriteString(w, spaScript)
	case p == "/static/site.css":
		w.Header().Set("Content-Type", "text/css")
		io.WriteString(w, "body{font:14px sans-serif}article{display:block;margin:1em 0}")
	case p == "/api/index":
		var b strings.Builder
		b.WriteString(`{"threads":[`)
		for i := 1; i <= s.threads; i++ {
			if i > 1 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `{"url":"/t/%d","title":"Thread %d"}`, i, i)
		}
		b.WriteString("]}")
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, b.String())
	case strings.HasPrefix(p, "/api/t/"):
		n, err := strconv.Atoi(strings.TrimPrefix(p, "/api/t/"))
		if err != nil || n < 1 || n > s.threads {
			http.NotFound(w, r)
			return
		}
		var b strings.Builder
		fmt.Fprintf(&b, `{"title":"Thread %d about the new sync engine","posts":[`, n)
		for i := 0; i < 20; i++ {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `{"id":"%d-%d","author":"user%d","time":"2026-03-10T%02d:%02d:00Z","text":"Since the update my notes take ages to sync (%d/%d)","likes":%d}`,
				n, i, i, i%24, n%60, n, i, n*i%97)
		}
		b.WriteString("]}")
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, b.String())
	default:
		http.NotFound(w, r)
	}
}

// benchRender crawls pages threads of a local single-page site through
// the headless browser with the given number of tabs, and reports pages
// per second and the browser's peak memory.
func benchRender(ctx context.Context, w io.Writer, log *slog.Logger, pages, tabs, memoryMB int, chromium string) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: spaSite{threads: pages}, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	defer srv.Close()
	base := "http://" + ln.Addr().String()
	yaml := fmt.Sprintf(`
crawler: {render_memory_mb: %d}
sources:
  - name: spa
    kind: html
    urls: [%s/]
    allow_private: true
    ignore_robots: true
    delay: 0s
    parallelism: %d
    max_pages: %d
    html: {item: article.post, id: "@data-id", text: .body, title: h1.thread-title, author: .author, time: "time@datetime", likes: .likes, follow: a.topic, render: true}
`, memoryMB, base, tabs, pages+1)
	cfg, err := config.Parse("built-in render benchmark", []byte(yaml))
	if err != nil {
		return err
	}
	b := render.New(render.Options{Path: chromium, Tabs: tabs, MaxMemory: int64(cfg.Crawler.RenderMemoryMB) << 20, Logger: log})
	defer b.Close()
	c := crawler.New(crawler.Options{UserAgent: cfg.Crawler.UserAgent, Timeout: cfg.Crawler.Timeout.D(), MaxBodyBytes: cfg.Crawler.MaxBodyBytes, Logger: log, Browser: b})
	defer c.Close()
	// Start the browser before timing.
	warm := cfg.Sources[0]
	warm.URLs, warm.MaxPages = []string{base + "/t/1"}, 1
	if _, err := c.Crawl(ctx, &warm, crawler.State{}, func(post.Post) error { return nil }); err != nil {
		return err
	}
	posts := 0
	before, selfBefore := b.Stats(), selfCPU()
	start := time.Now()
	st, err := c.Crawl(ctx, &cfg.Sources[0], crawler.State{}, func(post.Post) error { posts++; return nil })
	if err != nil {
		return err
	}
	el := time.Since(start).Seconds()
	bs := b.Stats()
	browserCPU, crawlerCPU := (bs.CPU - before.CPU).Seconds(), (selfCPU() - selfBefore).Seconds()
	cpu := browserCPU + crawlerCPU
	fmt.Fprintf(w, "render  %d pages (%d posts, %d page errors), %d tabs: %.1f pages/s; %.0f ms of CPU a page (browser %.0f, crawler %.0f), so %.1f pages/s on 2 idle cores\n",
		st.Pages, posts, st.Errors, tabs, float64(st.Pages)/el, 1000*cpu/float64(st.Pages), 1000*browserCPU/float64(st.Pages), 1000*crawlerCPU/float64(st.Pages), 2*float64(st.Pages)/cpu)
	fmt.Fprintf(w, "render  %d of %d waits ended early, the page quiet\n", bs.Quiet-before.Quiet, st.Pages)
	fmt.Fprintf(w, "render  browser peak %d MB (RSS summed over its processes; %d MB PSS), %d restarts past %d MB, %d memory-pressure notices\n",
		bs.PeakRSS>>20, bs.PeakPSS>>20, bs.Restarts, cfg.Crawler.RenderMemoryMB, bs.MemoryPressures)
	if st.Errors > 0 {
		return fmt.Errorf("%d pages failed: %s", st.Errors, st.LastError)
	}
	return nil
}

// selfCPU is the processor time this process has used.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
