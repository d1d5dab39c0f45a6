package render

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
)

// TestTabCost measures what opening and closing a tab costs the browser
// and the crawler, several ways, in the single-process browser the
// crawler runs and in a browser of several processes. It only reports
// (the figures in README.md come from it) and runs when
// BACKLASH_TABCOST is set:
//
//	BACKLASH_TABCOST=1 go test -count=1 -run TestTabCost -v ./internal/crawler/render/
func TestTabCost(t *testing.T) {
	if os.Getenv("BACKLASH_TABCOST") == "" {
		t.Skip("set BACKLASH_TABCOST=1 to measure the cost of a tab")
	}
	needBrowser(t)
	const n = 10
	for _, mode := range []struct {
		name  string
		extra []chromedp.ExecAllocatorOption
	}{
		{"single-process", nil},
		{"multi-process", []chromedp.ExecAllocatorOption{chromedp.Flag("single-process", false)}},
	} {
		b := New(Options{})
		b.extra = mode.extra
		g, err := b.start()
		if err != nil {
			t.Fatal(err)
		}
		// bare opens a target without attaching to it.
		bare := func(newWindow bool) (target.ID, error) {
			res, err := chromedp.CallBrowser(g.ctx, target.CreateTarget, target.CreateTargetParams{URL: "about:blank", NewWindow: &newWindow})
			return res.TargetID, err
		}
		closeBare := func(id target.ID) error {
			_, err := chromedp.CallBrowser(g.ctx, target.CloseTarget, target.CloseTargetParams{TargetID: id})
			return err
		}
		// attached opens a tab as takeTab does, with the context's options.
		attached := func(opts ...chromedp.ContextOption) error {
			tb, err := g.newTab(opts...)
			if err != nil {
				return err
			}
			tb.cancel()
			return nil
		}
		for _, c := range []struct {
			name string
			run  func() error
		}{
			{"chromedp tab in its own window (what takeTab does)", func() error { return attached() }},
			{"chromedp tab in the browser's window", func() error { return attached(chromedp.WithNewWindow(false)) }},
			{"bare target in its own window, no attach", func() error {
				id, err := bare(true)
				if err != nil {
					return err
				}
				return closeBare(id)
			}},
			{"bare target in the browser's window, no attach", func() error {
				id, err := bare(false)
				if err != nil {
					return err
				}
				return closeBare(id)
			}},
			{"chromedp attach to an open blank target (attach only)", func() error {
				id, err := bare(false)
				if err != nil {
					return err
				}
				tb, err := g.newTab(chromedp.WithTargetID(id))
				if err != nil {
					return err
				}
				tb.cancel()
				return nil
			}},
		} {
			// One untimed round, so first-use costs are not counted.
			if err := c.run(); err != nil {
				t.Fatalf("%s: %s: %v", mode.name, c.name, err)
			}
			time.Sleep(300 * time.Millisecond)
			_, b0 := tree(g.pid())
			s0 := selfCPUTime()
			start := time.Now()
			for range n {
				if err := c.run(); err != nil {
					t.Fatalf("%s: %s: %v", mode.name, c.name, err)
				}
			}
			el := time.Since(start)
			// The browser finishes closing after the reply.
			time.Sleep(300 * time.Millisecond)
			_, b1 := tree(g.pid())
			browser := time.Duration(b1-b0) * time.Second / ticksPerSecond / n
			self := (selfCPUTime() - s0) / n
			t.Logf("%-14s %-55s browser %4d ms CPU, crawler %3d ms CPU, %4d ms wall a tab", mode.name, c.name,
				browser.Milliseconds(), self.Milliseconds(), (el / n).Milliseconds())
		}
		pids, _ := tree(g.pid())
		t.Logf("%s: %d processes", mode.name, len(pids))
		g.shutdown()
	}
}

func selfCPUTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// TestRenderTabCost renders the same script-built page, one tab at a
// time, reusing tabs (what the crawler does) and opening a fresh tab for
// every page, and reports what a page costs each way; and whether pages
// rendering at once in tabs of one window are visible (a hidden page gets
// no animation frames). Runs when BACKLASH_TABCOST is set:
//
//	BACKLASH_TABCOST=1 go test -count=1 -run TestRenderTabCost -v ./internal/crawler/render/
func TestRenderTabCost(t *testing.T) {
	if os.Getenv("BACKLASH_TABCOST") == "" {
		t.Skip("set BACKLASH_TABCOST=1 to measure the cost of a tab")
	}
	needBrowser(t)
	const n = 30
	items := make([]string, 20)
	for i := range items {
		items[i] = fmt.Sprintf(`{"id":%d,"text":"post %d about the sync engine"}`, i, i)
	}
	s := newTestSite(t, map[string]string{
		"/t":          `<!doctype html><html><head><script src="/app.js" defer></script></head><body><main id="app"></main></body></html>`,
		"/app.js":     `fetch('/posts.json').then(r => r.json()).then(ps => { document.getElementById('app').innerHTML = ps.map(p => '<article class="post" data-id="' + p.id + '"><p>' + p.text + '</p><i>' + document.visibilityState + '</i></article>').join('') })`,
		"/posts.json": "[" + strings.Join(items, ",") + "]",
	})
	f := fetcherFor(t, s, nil)
	for _, c := range []struct {
		name  string
		pages int
		opts  []chromedp.ContextOption
	}{
		{"reused tabs, each in its own window (what the crawler does)", 0, nil},
		{"a fresh tab a page, in its own window", 1, nil},
		{"a fresh tab a page, in the browser's window", 1, []chromedp.ContextOption{chromedp.WithNewWindow(false)}},
	} {
		b := New(Options{Tabs: 1, MaxMemory: 1 << 40})
		b.tabPages, b.tabOpts = c.pages, c.opts
		req := Request{URL: s.URL + "/t", Fetcher: f, Items: "article.post", Timeout: 5 * time.Second}
		for range 2 { // start the browser and warm up
			if _, err := b.Render(context.Background(), req); err != nil {
				t.Fatal(err)
			}
		}
		time.Sleep(300 * time.Millisecond)
		b0, s0 := b.Stats().CPU, selfCPUTime()
		start := time.Now()
		for range n {
			res, err := b.Render(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			if res.Items != 20 {
				t.Fatalf("%s: %d items", c.name, res.Items)
			}
		}
		el := time.Since(start)
		time.Sleep(300 * time.Millisecond) // a tab finishes closing after the reply
		browser, self := (b.Stats().CPU-b0)/n, (selfCPUTime()-s0)/n
		t.Logf("%-62s browser %4d ms CPU, crawler %3d ms CPU, %4d ms wall a page", c.name, browser.Milliseconds(), self.Milliseconds(), (el / n).Milliseconds())
		// Two pages at once: is each visible?
		b.Close()
		b = New(Options{Tabs: 2, MaxMemory: 1 << 40})
		b.tabPages, b.tabOpts = c.pages, c.opts
		var mu sync.Mutex
		seen := map[string]int{}
		var wg sync.WaitGroup
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				res, err := b.Render(context.Background(), req)
				if err != nil {
					t.Error(err)
					return
				}
				doc, _ := goquery.NewDocumentFromReader(bytes.NewReader(res.HTML))
				mu.Lock()
				seen[doc.Find("article.post i").First().Text()]++
				mu.Unlock()
			}()
		}
		wg.Wait()
		b.Close()
		t.Logf("%-62s 4 pages in 2 tabs at once: visibility %v", c.name, seen)
	}
}
