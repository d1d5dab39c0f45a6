package render

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/chromedp/cdproto/css"
	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/memory"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/storage"
	"github.com/chromedp/chromedp"
)

// DefaultPath is where Debian and Ubuntu install Chromium.
const DefaultPath = "/usr/bin/chromium"

// ShellPath is where Debian installs Chromium's headless shell (package
// chromium-headless-shell): the browser without its windows, which
// renders a page with about half the processor time and memory.
const ShellPath = "/usr/lib/chromium/chromium-headless-shell"

// Options configure the shared browser.
type Options struct {
	// Path is the Chromium or Chrome executable (default: see LookPath).
	Path string
	// Tabs is how many pages are rendered at once (default 2).
	Tabs int
	// MaxMemory is the memory (resident set size, summed over the
	// browser's processes) past which the browser is restarted once its
	// open tabs finish (default 450 MiB).
	MaxMemory int64
	// Timeout is a Request's default Timeout (default 20s).
	Timeout time.Duration
	// MaxBytes is a Request's default MaxBytes (default 10 MiB).
	MaxBytes int
	// Logger receives the browser's starts, restarts and refused
	// connections (default: discarded).
	Logger *slog.Logger
}

// ErrNoBrowser is returned when no Chromium executable is found.
var ErrNoBrowser = errors.New("chromium not found (install Debian's chromium-headless-shell or chromium package, or set crawler.chromium to its path)")

// LookPath finds the browser executable: path when set; else the headless
// shell (ShellPath, else chrome-headless-shell, chromium-headless-shell or
// headless_shell on $PATH), which is lighter; else DefaultPath, else
// chromium, chromium-browser or google-chrome on $PATH.
func LookPath(path string) (string, error) {
	if path != "" {
		p, err := exec.LookPath(path)
		if err != nil {
			return "", fmt.Errorf("%w: %s: %v", ErrNoBrowser, path, err)
		}
		return p, nil
	}
	for _, group := range [][]string{
		{ShellPath, "chrome-headless-shell", "chromium-headless-shell", "headless_shell"},
		{DefaultPath, "chromium", "chromium-browser", "google-chrome"},
	} {
		if fi, err := os.Stat(group[0]); err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0 {
			return group[0], nil
		}
		for _, name := range group[1:] {
			if p, err := exec.LookPath(name); err == nil {
				return p, nil
			}
		}
	}
	return "", ErrNoBrowser
}

// IsShell reports whether path is Chromium's headless shell rather than
// the full browser, by its name.
func IsShell(path string) bool {
	base := strings.ToLower(filepath.Base(path))
	return strings.Contains(base, "headless-shell") || strings.Contains(base, "headless_shell")
}

// Browser is one headless Chromium process shared by every rendered
// source, started on the first Render. At most Options.Tabs pages render
// at once. A tab is reused for up to tabPages pages, each page's scripts
// stopped and its cookies and storage cleared when its render ends (see
// leave), and
// closed after a failed page. A browser that dies is
// replaced on the next Render, and one that grows past MaxMemory is
// replaced once its open tabs are done.
//
// The browser never reaches the network itself: every request it makes is
// paused and made by the Render's Fetcher, and it is started with a proxy
// that refuses every connection, so a request that escapes the
// interception (a WebSocket, WebRTC) goes nowhere.
type Browser struct {
	opts Options
	tabs chan struct{}
	// extra flags override the defaults of start (tests compare modes).
	extra []chromedp.ExecAllocatorOption
	// probe is the name of the quiet probe in every page (see quiet.go).
	probe string
	// tabPages and tabOpts, when set, override how many pages a tab
	// renders and how it is opened (tests compare the choices).
	tabPages int
	tabOpts  []chromedp.ContextOption

	startMu sync.Mutex // serialises starts
	mu      sync.Mutex
	cur     *generation
	retired []*generation
	closed  bool

	renders   atomic.Int64
	restarts  atomic.Int64
	peakRSS   atomic.Int64
	peakPSS   atomic.Int64
	refused   atomic.Int64
	pressures atomic.Int64
	quick     atomic.Int64
	cpu       atomic.Int64 // clock ticks of browsers that have exited
}

// generation is one browser process.
type generation struct {
	ctx    context.Context // the browser's chromedp context
	cancel context.CancelFunc
	proc   *os.Process
	sink   net.Listener
	active sync.WaitGroup // open tabs
	done   chan struct{}  // closed when the process has exited
	stop   chan struct{}  // ends the memory sampler

	probe    string // the name of the quiet probe
	tabPages int    // pages a tab renders before it is closed
	tabOpts  []chromedp.ContextOption

	mu   sync.Mutex
	idle []*browserTab // open tabs waiting for a render
}

// browserTab is a tab of the browser, reused by up to tabPages renders.
type browserTab struct {
	ctx    context.Context // its chromedp context
	cancel context.CancelFunc
	used   int
}

// tabPages is how many pages a tab renders before it is closed and a new
// one opened. Opening a tab costs the browser about two seconds of
// processor time, several times a whole render, so a tab is reused; what
// closing it would give (no script of the page left running, nothing it
// stored seen by the next page) leave gives instead. The bound keeps
// anything leave misses from accumulating.
const tabPages = 100

// takeTab returns an idle tab, or opens one with every request
// intercepted.
func (g *generation) takeTab() (*browserTab, error) {
	g.mu.Lock()
	if n := len(g.idle); n > 0 {
		t := g.idle[n-1]
		g.idle = g.idle[:n-1]
		g.mu.Unlock()
		// Switch scripts back on (leave switched them off); the render
		// navigates the old page away.
		ctx, cancel := context.WithTimeout(t.ctx, 5*time.Second)
		_, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: false})
		cancel()
		if err == nil {
			return t, nil
		}
		t.cancel()
	} else {
		g.mu.Unlock()
	}
	return g.newTab(g.tabOpts...)
}

// newTab opens a tab with every request intercepted.
func (g *generation) newTab(opts ...chromedp.ContextOption) (*browserTab, error) {
	// The tabs share the browser's default context: a single-process
	// browser cannot open another.
	ctx, cancel := chromedp.NewContext(g.ctx, opts...)
	if err := chromedp.Do(ctx); err != nil {
		cancel()
		return nil, fmt.Errorf("open tab: %w", err)
	}
	if _, err := chromedp.Call(ctx, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{{URLPattern: "*"}}}); err != nil {
		cancel()
		return nil, fmt.Errorf("intercept requests: %w", err)
	}
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: probeScript(g.probe)}); err != nil {
		cancel()
		return nil, fmt.Errorf("open tab: install the probe: %w", err)
	}
	// A render reads the DOM with scripts and needs no events of these
	// domains; each would report every request, node or style sheet.
	for _, m := range []string{network.Disable.Method, css.Disable.Method, dom.Disable.Method, log.Disable.Method} {
		if err := chromedp.FromContext(ctx).Target.Call(ctx, m, nil, nil); err != nil {
			cancel()
			return nil, fmt.Errorf("open tab: %s: %w", m, err)
		}
	}
	return &browserTab{ctx: ctx, cancel: cancel}, nil
}

// putTab takes a tab back after a render of a page that loaded from
// origins. The tab is closed after a failed render or tabPages renders;
// otherwise it leaves the page and waits for the next.
func (g *generation) putTab(t *browserTab, ok bool, origins []string) {
	t.used++
	if !ok || t.used >= g.tabPages || g.ctx.Err() != nil {
		t.cancel()
		return
	}
	ctx, cancel := context.WithTimeout(t.ctx, 5*time.Second)
	err := t.leave(ctx, origins)
	cancel()
	if err != nil {
		t.cancel()
		return
	}
	g.mu.Lock()
	g.idle = append(g.idle, t)
	g.mu.Unlock()
}

// storageTypes is what leave clears for each origin a page loaded from.
const storageTypes = "cookies,local_storage,indexeddb,websql,cache_storage,service_workers,file_systems,shared_storage,storage_buckets"

// leave ends a page without navigating (a navigation to about:blank cost
// as much as a quarter of a render): it clears the page's session
// storage, switches off the tab's scripts (no timer or callback of the
// page runs any more), and clears the cookies and storage of each origin
// the page loaded from, so the next page starts with none of it. The next
// render switches scripts on and navigates the page away. (Freezing the
// page through its lifecycle state left the thawed tab without scroll
// events.)
// The tabs share one cookie store, so a page rendering in another tab on
// the same origin loses its cookies too, which only a script reading
// back a cookie it set would notice.
func (t *browserTab) leave(ctx context.Context, origins []string) error {
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`try { sessionStorage.clear() } catch (e) {}`)); err != nil {
		return fmt.Errorf("leave the page: %w", err)
	}
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		return fmt.Errorf("stop the page's scripts: %w", err)
	}
	for _, o := range origins {
		if _, err := chromedp.Call(ctx, storage.ClearDataForOrigin, storage.ClearDataForOriginParams{Origin: o, StorageTypes: storageTypes}); err != nil {
			return fmt.Errorf("clear the storage of %s: %w", o, err)
		}
	}
	return nil
}

// New returns a Browser; the process starts on the first Render.
func New(opts Options) *Browser {
	if opts.Tabs <= 0 {
		opts.Tabs = 2
	}
	if opts.MaxMemory <= 0 {
		opts.MaxMemory = 450 << 20
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 20 * time.Second
	}
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = 10 << 20
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	return &Browser{opts: opts, tabs: make(chan struct{}, opts.Tabs), probe: probeKey()}
}

// Stats describe a Browser's work so far.
type Stats struct {
	// Renders is how many pages were rendered (successfully or not).
	Renders int64
	// Restarts is how many times the browser was replaced after it died
	// or grew past MaxMemory.
	Restarts int64
	// PeakRSS is the largest memory sample, in bytes: the resident set
	// size summed over the browser's processes (memory they share counted
	// once per process), sampled every 250 ms. It is what MaxMemory is
	// compared with.
	PeakRSS int64
	// PeakPSS is the largest proportional set size summed over the
	// browser's processes (memory they share divided among them), sampled
	// every 2 s.
	PeakPSS int64
	// RefusedConnections counts connections the browser tried to open
	// outside the interception (its own update and sign-in checks, a
	// page's WebSocket); they were refused.
	RefusedConnections int64
	// MemoryPressures counts the times the browser was told it was short
	// of memory (past 80% of MaxMemory).
	MemoryPressures int64
	// CPU is the processor time the browser's processes have used.
	CPU time.Duration
	// Quiet counts the waits for a page's items to settle that ended
	// early because the page was quiet (see quiet.go) rather than after
	// the settle time.
	Quiet int64
}

// Stats returns the counters so far.
func (b *Browser) Stats() Stats {
	ticks := b.cpu.Load()
	b.mu.Lock()
	if b.cur != nil {
		_, t := tree(b.cur.pid())
		ticks += t
	}
	b.mu.Unlock()
	return Stats{Renders: b.renders.Load(), Restarts: b.restarts.Load(), PeakRSS: b.peakRSS.Load(), PeakPSS: b.peakPSS.Load(),
		RefusedConnections: b.refused.Load(), MemoryPressures: b.pressures.Load(), Quiet: b.quick.Load(), CPU: time.Duration(ticks) * time.Second / ticksPerSecond}
}

// Close stops the browser, waiting for open tabs to finish.
func (b *Browser) Close() error {
	b.mu.Lock()
	b.closed = true
	if b.cur != nil {
		b.retireLocked(b.cur)
	}
	old := b.retired
	b.mu.Unlock()
	for _, g := range old {
		<-g.done
	}
	return nil
}

// ErrClosed is returned by Render after Close.
var ErrClosed = errors.New("browser closed")

// acquire returns the running browser, starting one if needed, with one
// more tab counted open on it. The caller calls g.active.Done.
func (b *Browser) acquire(ctx context.Context) (*generation, error) {
	b.startMu.Lock()
	defer b.startMu.Unlock()
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return nil, ErrClosed
	}
	if g := b.cur; g != nil {
		if g.alive() {
			g.active.Add(1)
			b.mu.Unlock()
			return g, nil
		}
		b.opts.Logger.Warn("browser died; starting a new one")
		b.restarts.Add(1)
		b.retireLocked(g)
	}
	old := b.retired
	b.mu.Unlock()
	// Wait for replaced browsers to exit, so two never run at once.
	for _, g := range old {
		select {
		case <-g.done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	g, err := b.startRetrying(ctx)
	if err != nil {
		return nil, err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		g.shutdown()
		return nil, ErrClosed
	}
	b.cur = g
	g.active.Add(1)
	return g, nil
}

// retireLocked stops handing out g and shuts it down once its tabs are
// closed. b.mu is held.
func (b *Browser) retireLocked(g *generation) {
	if b.cur == g {
		b.cur = nil
	}
	b.retired = append(b.retired, g)
	go func() {
		g.active.Wait()
		_, ticks := tree(g.pid())
		b.cpu.Add(ticks)
		g.shutdown()
		b.mu.Lock()
		defer b.mu.Unlock()
		for i, r := range b.retired {
			if r == g {
				b.retired = append(b.retired[:i], b.retired[i+1:]...)
				break
			}
		}
	}()
}

// startAttempts is how many times a browser that fails to start is tried:
// a busy machine occasionally sees one crash while it starts
// (the full browser in single-process mode is the usual one), and the
// next start succeeds.
const startAttempts = 3

// startRetrying starts a browser, trying again after a short pause when a
// start fails, and returns the last error once every attempt has.
func (b *Browser) startRetrying(ctx context.Context) (*generation, error) {
	var err error
	for attempt := 1; ; attempt++ {
		var g *generation
		if g, err = b.start(); err == nil {
			return g, nil
		}
		if attempt == startAttempts || errors.Is(err, ErrNoBrowser) {
			return nil, err
		}
		b.opts.Logger.Warn("browser failed to start; trying again", "attempt", attempt, "err", err)
		select {
		case <-time.After(time.Duration(attempt) * 250 * time.Millisecond):
		case <-ctx.Done():
			return nil, errors.Join(err, ctx.Err())
		}
	}
}

// start launches a browser process.
func (b *Browser) start() (*generation, error) {
	path, err := LookPath(b.opts.Path)
	if err != nil {
		return nil, err
	}
	sink, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("browser: proxy sink: %w", err)
	}
	go b.refuse(sink)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("mute-audio", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("blink-settings", "imagesEnabled=false"),
		// One renderer process per tab rather than per site keeps memory
		// flat; the pages are not trusted with anything worth isolating.
		chromedp.Flag("disable-features", "Translate,BlinkGenPropertyTrees,site-per-process,IsolateOrigins,OptimizationHints,MediaRouter,BackForwardCache"),
		chromedp.Flag("disable-site-isolation-trials", true),
		// Fewer processes: the GPU process (software rendering here) runs
		// in the browser process, and children are started without zygotes.
		chromedp.Flag("in-process-gpu", true),
		chromedp.Flag("no-zygote", true),
		chromedp.Flag("renderer-process-limit", "1"),
		// One process in all: the renderer, network and storage services
		// run as threads of the browser, so the libraries and caches they
		// would each map are resident once. The sandbox is off anyway
		// (no-sandbox) and every request goes through the crawler, so
		// separate processes would isolate little here; a page that crashes the
		// renderer takes the browser with it, which is replaced and the
		// page retried once.
		chromedp.Flag("single-process", true),
		// Every request is made by the crawler through the Fetch domain;
		// anything that escapes it (WebSocket, WebRTC) meets a proxy that
		// refuses it, loopback included.
		chromedp.ProxyServer("http://"+sink.Addr().String()),
		chromedp.Flag("proxy-bypass-list", "<-loopback>"),
		chromedp.Flag("force-webrtc-ip-handling-policy", "disable_non_proxied_udp"),
		chromedp.Flag("webrtc-ip-handling-policy", "disable_non_proxied_udp"),
		chromedp.Flag("dns-prefetch-disable", true),
		chromedp.WindowSize(1280, 1024),
	)
	if !IsShell(path) {
		// The full browser keeps about 450 MB resident after a few dozen
		// pages, the default limit, so it would be restarted every 20 or
		// so; in low-end device mode (smaller caches, earlier garbage
		// collection) it stays near 400 MB. The headless shell stays well
		// under the limit without it, and spends less processor time.
		opts = append(opts, chromedp.Flag("enable-low-end-device-mode", true))
	}
	opts = append(opts, b.extra...)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	if err := chromedp.Do(ctx); err != nil {
		cancelCtx()
		cancelAlloc()
		sink.Close()
		return nil, fmt.Errorf("browser: start %s: %w", path, err)
	}
	g := &generation{
		ctx:      ctx,
		cancel:   func() { cancelCtx(); cancelAlloc() },
		proc:     chromedp.FromContext(ctx).Browser.Process(),
		sink:     sink,
		probe:    b.probe,
		tabPages: cmp.Or(b.tabPages, tabPages),
		tabOpts:  b.tabOpts,
		done:     make(chan struct{}),
		stop:     make(chan struct{}),
	}
	b.opts.Logger.Info("browser started", "path", path, "pid", g.pid())
	go b.sample(g)
	return g, nil
}

// refuse accepts and closes every connection to the proxy sink.
func (b *Browser) refuse(l net.Listener) {
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		b.refused.Add(1)
		go func() {
			defer c.Close()
			// The request line names what the browser wanted to reach.
			c.SetReadDeadline(time.Now().Add(time.Second))
			buf := make([]byte, 256)
			n, _ := c.Read(buf)
			line, _, _ := strings.Cut(string(buf[:n]), "\r\n")
			b.opts.Logger.Debug("browser connection outside the crawler refused", "request", line)
		}()
	}
}

// sample measures the browser's memory every 250 ms (its proportional
// set size, which costs the kernel more to report, and the list of its
// processes every 2 s), keeps the
// peaks, and retires the browser when it passes MaxMemory. Past
// pressureShare of MaxMemory it first tells the browser it is short of
// memory (at most every pressureEvery), which makes it collect garbage
// and drop its caches: a restart costs seconds of processor time.
func (b *Browser) sample(g *generation) {
	t := time.NewTicker(250 * time.Millisecond)
	defer t.Stop()
	var pressed time.Time
	var pids []int
	for i := 0; ; i++ {
		select {
		case <-g.stop:
			return
		case <-t.C:
		}
		if i%8 == 0 {
			// Listing the processes reads a file per thread, and the
			// single-process browser has dozens: every 2 s is enough.
			pids, _ = tree(g.pid())
			raise(&b.peakPSS, sumPSS(pids))
		}
		rss := sumRSS(pids)
		raise(&b.peakRSS, rss)
		if rss > b.opts.MaxMemory*pressureShare/100 && rss <= b.opts.MaxMemory && time.Since(pressed) > pressureEvery {
			pressed = time.Now()
			b.pressures.Add(1)
			go func() {
				ctx, cancel := context.WithTimeout(g.ctx, 5*time.Second)
				defer cancel()
				_, err := chromedp.Call(ctx, memory.SimulatePressureNotification, memory.SimulatePressureNotificationParams{Level: memory.PressureLevelCritical})
				if err != nil && g.ctx.Err() == nil {
					b.opts.Logger.Debug("browser memory pressure notification", "err", err)
				}
			}()
		}
		if rss > b.opts.MaxMemory {
			b.mu.Lock()
			if b.cur == g {
				b.opts.Logger.Info("browser memory past the limit; restarting it after its open tabs", "rss_mb", rss>>20, "limit_mb", b.opts.MaxMemory>>20)
				b.restarts.Add(1)
				b.retireLocked(g)
			}
			b.mu.Unlock()
			return
		}
	}
}

// pressureShare is the share of MaxMemory, in percent, past which the
// browser is told it is short of memory, and pressureEvery how often at
// most.
const (
	pressureShare = 80
	pressureEvery = 5 * time.Second
)

// raise sets a to v if v is larger.
func raise(a *atomic.Int64, v int64) {
	for {
		p := a.Load()
		if v <= p || a.CompareAndSwap(p, v) {
			return
		}
	}
}

func (g *generation) pid() int {
	if g.proc == nil {
		return 0
	}
	return g.proc.Pid
}

// alive reports whether the browser process is still running.
func (g *generation) alive() bool {
	if g.ctx.Err() != nil || g.proc == nil {
		return false
	}
	return g.proc.Signal(syscall.Signal(0)) == nil
}

// shutdown stops the process and removes its profile directory.
func (g *generation) shutdown() {
	select {
	case <-g.done:
		return
	default:
	}
	close(g.stop)
	tctx, cancel := context.WithTimeout(g.ctx, 5*time.Second)
	_ = chromedp.Cancel(tctx) // closes the browser gracefully
	cancel()
	g.cancel() // and waits for the allocator to remove the profile
	g.sink.Close()
	close(g.done)
}
