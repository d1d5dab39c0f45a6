package render

import (
	"os"
	"syscall"
	"testing"
	"time"

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
