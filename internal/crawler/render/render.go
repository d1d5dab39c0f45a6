package render

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/gocolly/colly/v2"

	crawlfetch "github.com/backlash-monitor/backlash/internal/crawler/fetch"
)

// Fetcher makes the requests of a rendered page. *fetch.Fetcher is one:
// the page itself goes through Get (allowed domains, robots.txt, pace,
// retries, decoding), everything the page loads through Do.
type Fetcher interface {
	Get(ctx context.Context, rawURL, accept string) (*crawlfetch.Page, error)
	Do(ctx context.Context, r crawlfetch.Request) (*crawlfetch.Page, error)
}

// Request is one page to render.
type Request struct {
	// URL is the page.
	URL string
	// Accept is sent when the page itself is requested.
	Accept string
	// Fetcher makes every request the browser makes.
	Fetcher Fetcher
	// Items is the selector of the posts: the render waits until it
	// matches (unless Wait is set) and counts them while scrolling.
	Items string
	// Wait, when set, is the selector waited for instead of Items.
	Wait string
	// Links selects the links a page may hold instead of items (an index
	// page's thread links, a next-page link). When it matches and Items
	// does not, the wait ends LinkGrace later.
	Links string
	// Timeout bounds the page load and each wait (default: the Browser's).
	// A wait that times out is not an error: the page is read as it is.
	Timeout time.Duration
	// Scroll is how many times to scroll to the bottom and wait for more
	// items; scrolling stops early when a scroll brings none.
	Scroll int
	// MaxBytes caps the rendered HTML (default: the Browser's).
	MaxBytes int
}

// Result is a rendered page.
type Result struct {
	// URL is the page's address after redirects and script navigation.
	URL *url.URL
	// HTML is the serialised DOM.
	HTML []byte
	// Truncated is true when HTML was cut at MaxBytes.
	Truncated bool
	// Items is how many elements matched Items when the page was read.
	Items int
	// Refused lists the requests of the page that were refused (off the
	// allowed domains, a blocked address, robots.txt), as "host: reason",
	// sorted; images, fonts and media are not listed.
	Refused []string
}

// blocked are the resource types never loaded: the crawler reads text.
var blocked = []network.ResourceType{
	network.ResourceTypeImage, network.ResourceTypeMedia, network.ResourceTypeFont,
	network.ResourceTypeTextTrack, network.ResourceTypeEventSource, network.ResourceTypeWebSocket,
	network.ResourceTypeManifest, network.ResourceTypePing, network.ResourceTypeCSPViolationReport,
	network.ResourceTypePrefetch, network.ResourceTypeSignedExchange, network.ResourceTypeFedCM,
}

// poll is how often waits check the page.
const poll = 25 * time.Millisecond

// settle is how long the item count must stay unchanged before a page that
// is not quiet is read, so a list inserted in batches is read whole;
// settleBusy how long when a request or timer of the page stays pending
// (see quiet.go).
const (
	settle     = 150 * time.Millisecond
	settleBusy = time.Second
)

// LinkGrace is how long a page whose links are showing is given for its
// items to appear: an index page has none, and is read this long after its
// links appear rather than at the timeout.
const LinkGrace = time.Second

// Render loads req.URL in a tab of the shared browser, waits for its
// items, scrolls, and returns the DOM as HTML. It blocks while all tabs
// are busy. If the browser dies during the render, the render is retried
// once in a new browser.
func (b *Browser) Render(ctx context.Context, req Request) (*Result, error) {
	if req.Fetcher == nil {
		return nil, errors.New("render: no fetcher")
	}
	if req.Timeout <= 0 {
		req.Timeout = b.opts.Timeout
	}
	if req.MaxBytes <= 0 {
		req.MaxBytes = b.opts.MaxBytes
	}
	select {
	case b.tabs <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-b.tabs }()
	for attempt := 0; ; attempt++ {
		g, err := b.acquire(ctx)
		if err != nil {
			return nil, err
		}
		b.renders.Add(1)
		res, err := b.renderIn(ctx, g, req)
		g.active.Done()
		if err != nil && ctx.Err() == nil && !g.alive() && attempt == 0 {
			b.opts.Logger.Warn("browser died during a render; retrying in a new browser", "url", req.URL, "err", err)
			continue
		}
		return res, err
	}
}

// tab is one render's state.
type tab struct {
	ctx context.Context // the tab's chromedp context, ended with the render
	req Request
	b   *Browser

	mu      sync.Mutex
	pages   map[string]*crawlfetch.Page // documents fetched, by URL, for redirects
	docErr  error                       // why the page itself failed
	refused map[string]bool
	origins map[string]bool // of every request the page made
	wg      sync.WaitGroup  // request handlers
	probe   string          // the name of the quiet probe in the page
	netBusy int             // requests paused and not yet answered
	netLast time.Time       // when one was last paused or answered
}

// netStart and netDone count a paused request from the moment its event
// arrives until it is answered.
func (t *tab) netStart() {
	t.mu.Lock()
	t.netBusy++
	t.netLast = time.Now()
	t.mu.Unlock()
}

func (t *tab) netDone() {
	t.mu.Lock()
	t.netBusy--
	t.netLast = time.Now()
	t.mu.Unlock()
}

// netQuiet reports whether no request of the page is paused and none was
// paused or answered within quietGap.
func (t *tab) netQuiet() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.netBusy == 0 && time.Since(t.netLast) >= quietGap*time.Millisecond
}

func (b *Browser) renderIn(ctx context.Context, g *generation, req Request) (res *Result, err error) {
	tb, err := g.takeTab()
	if err != nil {
		return nil, err
	}
	// The render's requests and waits end with it, or with the caller.
	tctx, cancel := context.WithCancel(tb.ctx)
	stop := context.AfterFunc(ctx, cancel)
	t := &tab{ctx: tctx, req: req, b: b, probe: g.probe, pages: map[string]*crawlfetch.Page{}, refused: map[string]bool{}, origins: map[string]bool{}}
	defer func() {
		stop()
		cancel()
		t.wg.Wait()
		t.mu.Lock()
		origins := make([]string, 0, len(t.origins))
		for o := range t.origins {
			origins = append(origins, o)
		}
		t.mu.Unlock()
		g.putTab(tb, err == nil, origins)
	}()
	paused := chromedp.Events(tctx, fetch.RequestPaused)
	t.wg.Add(1)
	go func() {
		defer t.wg.Done()
		for ev, err := range paused {
			if err != nil {
				return
			}
			t.wg.Add(1)
			t.netStart()
			go func() {
				defer t.wg.Done()
				defer t.netDone()
				t.handle(&ev)
			}()
		}
	}()
	lctx, lcancel := context.WithTimeout(tctx, req.Timeout)
	err = chromedp.Do(lctx, chromedp.Navigate(req.URL))
	lcancel()
	if err != nil && !errors.Is(err, context.DeadlineExceeded) {
		// A load that times out (a request that hangs) is read as it is.
		return nil, t.fail(ctx, err)
	}
	t.mu.Lock()
	docErr := t.docErr
	t.mu.Unlock()
	if docErr != nil {
		return nil, docErr
	}
	wait := req.Wait
	if wait == "" {
		wait = req.Items
	}
	if wait != "" {
		links := req.Links
		if req.Wait != "" {
			links = ""
		}
		if _, err := t.waitFor(ctx, func(n int) bool { return n > 0 }, wait, links); err != nil {
			return nil, t.fail(ctx, err)
		}
	}
	n, err := t.settle(ctx)
	if err != nil {
		return nil, t.fail(ctx, err)
	}
	for i := 0; i < req.Scroll && req.Items != ""; i++ {
		before := n
		if err := chromedp.Do(tctx, chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, Math.max(document.documentElement.scrollHeight, document.body ? document.body.scrollHeight : 0))`)); err != nil {
			return nil, t.fail(ctx, fmt.Errorf("scroll: %w", err))
		}
		grew, err := t.waitFor(ctx, func(n int) bool { return n > before }, req.Items, "")
		if err != nil {
			return nil, t.fail(ctx, err)
		}
		if !grew {
			break // the end of the list
		}
		if n, err = t.settle(ctx); err != nil {
			return nil, t.fail(ctx, err)
		}
	}
	type snapshot struct {
		URL  string `json:"url"`
		HTML string `json:"html"`
	}
	snap, err := chromedp.Run(tctx, chromedp.Evaluate[snapshot](`({url: location.href, html: document.documentElement.outerHTML})`))
	if err != nil {
		return nil, t.fail(ctx, fmt.Errorf("read the page: %w", err))
	}
	res = &Result{HTML: []byte(snap.HTML), Items: n}
	if res.URL, err = url.Parse(snap.URL); err != nil || res.URL.Host == "" {
		res.URL, _ = url.Parse(req.URL)
	}
	if len(res.HTML) > req.MaxBytes {
		res.HTML, res.Truncated = res.HTML[:req.MaxBytes], true
	}
	t.mu.Lock()
	for r := range t.refused {
		res.Refused = append(res.Refused, r)
	}
	t.mu.Unlock()
	sort.Strings(res.Refused)
	return res, nil
}

// fail prefers the caller's context error, then the page's own failure,
// to err.
func (t *tab) fail(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.docErr != nil {
		return t.docErr
	}
	return err
}

// look is what the probe reports of a page (see quiet.go).
type look struct {
	// N is how many elements match each selector.
	N []int `json:"n"`
	// Busy counts the page's requests, loads and timers pending.
	Busy int `json:"busy"`
	// Wait counts its animation and idle callbacks pending, plus one
	// while the document is loading or the page has no probe.
	Wait int `json:"wait"`
	// Since is how long, in ms, the page has not changed.
	Since float64 `json:"since"`
}

// quiet reports whether nothing is pending in the page nor in the
// browser's requests for it, and neither has changed for quietGap.
func (l look) quiet(t *tab) bool {
	return l.Busy == 0 && l.Wait == 0 && l.Since >= quietGap && t.netQuiet()
}

// busy reports whether a request, load or timer of the page is pending.
func (l look) busy(t *tab) bool {
	if l.Busy > 0 {
		return true
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.netBusy > 0
}

// look counts the elements matching each selector and asks the page how
// long it has been quiet, in one call.
func (t *tab) look(sels ...string) (look, error) {
	q, _ := json.Marshal(sels)
	k, _ := json.Marshal(t.probe)
	l, err := chromedp.Run(t.ctx, chromedp.Evaluate[look](`((s, p) => p ? p(s) : {n: s.map(x => { try { return document.querySelectorAll(x).length } catch (e) { return -1 } }), busy: 0, wait: 1, since: 0})(`+string(q)+`, window[`+string(k)+`])`))
	if err != nil {
		return look{}, err
	}
	if len(l.N) != len(sels) {
		return look{}, fmt.Errorf("the page answered %d counts for %d selectors", len(l.N), len(sels))
	}
	for i, c := range l.N {
		if c < 0 {
			return look{}, fmt.Errorf("the browser cannot match %q: rendered pages need standard CSS (no :contains and the like)", sels[i])
		}
	}
	return l, nil
}

// waitFor polls the count of sel until ok accepts it or the request's
// timeout passes, and reports whether ok accepted. When links is set and
// matches, the wait ends LinkGrace after it first matched.
func (t *tab) waitFor(ctx context.Context, ok func(int) bool, sel, links string) (bool, error) {
	deadline := time.Now().Add(t.req.Timeout)
	sels := []string{sel}
	if links != "" {
		sels = append(sels, links)
	}
	var linked time.Time
	for {
		l, err := t.look(sels...)
		if err != nil {
			return false, fmt.Errorf("selector %q: %w", sel, err)
		}
		if ok(l.N[0]) {
			return true, nil
		}
		now := time.Now()
		if len(l.N) > 1 && l.N[1] > 0 {
			if linked.IsZero() {
				linked = now
			} else if now.Sub(linked) >= LinkGrace {
				return false, nil
			}
		}
		if now.After(deadline) {
			return false, nil
		}
		select {
		case <-ctx.Done():
			return false, ctx.Err()
		case <-time.After(poll):
		}
	}
}

// settle waits until the page can be read, and returns its item count:
// as soon as the count is the same in two polls in a row and the page is
// quiet, else once the count has not changed for settle with no request
// or timer of the page pending, or for settleBusy with one pending (see
// quiet.go); at most the request's timeout.
func (t *tab) settle(ctx context.Context) (int, error) {
	if t.req.Items == "" {
		return 0, nil
	}
	deadline := time.Now().Add(t.req.Timeout)
	l, err := t.look(t.req.Items)
	if err != nil {
		return 0, fmt.Errorf("selector %q: %w", t.req.Items, err)
	}
	last, stable := l.N[0], time.Now()
	for time.Now().Before(deadline) {
		select {
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-time.After(poll):
		}
		l, err := t.look(t.req.Items)
		if err != nil {
			return 0, fmt.Errorf("selector %q: %w", t.req.Items, err)
		}
		if l.N[0] != last {
			last, stable = l.N[0], time.Now()
			continue
		}
		if l.quiet(t) {
			t.b.quick.Add(1)
			break
		}
		if still := time.Since(stable); still >= settleBusy || (still >= settle && !l.busy(t)) {
			break
		}
	}
	return last, nil
}

// handle answers one paused request: blocked types fail, the page itself
// goes through Get, everything else through Do; the response is handed
// to the browser.
func (t *tab) handle(ev *fetch.EventRequestPaused) {
	if slices.Contains(blocked, ev.ResourceType) {
		t.answerFail(ev, network.ErrorReasonBlockedByClient)
		return
	}
	u := ev.Request.URL
	pu, err := url.Parse(u)
	if err != nil || (pu.Scheme != "http" && pu.Scheme != "https") || pu.Path == "/favicon.ico" {
		t.answerFail(ev, network.ErrorReasonBlockedByClient)
		return
	}
	t.mu.Lock()
	t.origins[pu.Scheme+"://"+pu.Host] = true
	t.mu.Unlock()
	// The requests live as long as the tab.
	ctx := t.ctx
	var page *crawlfetch.Page
	if ev.ResourceType == network.ResourceTypeDocument {
		page, err = t.document(ctx, u)
	} else {
		req := crawlfetch.Request{Method: ev.Request.Method, URL: u, Header: http.Header{}}
		for name, v := range ev.Request.Headers {
			if s, ok := v.(string); ok {
				req.Header.Set(name, s)
			}
		}
		for _, e := range ev.Request.PostDataEntries {
			req.Body = append(req.Body, e.Bytes...)
		}
		page, err = t.req.Fetcher.Do(ctx, req)
	}
	if err != nil {
		t.refuse(ev, pu, err)
		return
	}
	if page.Truncated {
		t.refuse(ev, pu, crawlfetch.ErrTooLarge)
		return
	}
	status := page.Status
	var hdr []*fetch.HeaderEntry
	if ev.ResourceType == network.ResourceTypeDocument && page.URL != nil && page.URL.String() != u {
		// Get followed a redirect: send the browser there, so the page's
		// address (and its relative links) are right; the page is served
		// from t.pages when the browser asks.
		status = http.StatusFound
		hdr = append(hdr, &fetch.HeaderEntry{Name: "Location", Value: page.URL.String()})
		page = &crawlfetch.Page{}
	} else {
		for name, vs := range page.Header {
			switch http.CanonicalHeaderKey(name) {
			case "Content-Length", "Content-Encoding", "Transfer-Encoding", "Connection", "Keep-Alive":
				continue // the body is whole and decoded
			case "Content-Type":
				if ev.ResourceType == network.ResourceTypeDocument {
					continue // Get decoded it to UTF-8
				}
			}
			for _, v := range vs {
				hdr = append(hdr, &fetch.HeaderEntry{Name: name, Value: v})
			}
		}
		if ev.ResourceType == network.ResourceTypeDocument {
			hdr = append(hdr, &fetch.HeaderEntry{Name: "Content-Type", Value: "text/html; charset=utf-8"})
		}
	}
	_, err = chromedp.Call(t.ctx, fetch.FulfillRequest, fetch.FulfillRequestParams{
		RequestID: ev.RequestID, ResponseCode: int64(status), ResponseHeaders: hdr, Body: page.Body,
	})
	if err != nil && t.ctx.Err() == nil {
		t.b.opts.Logger.Debug("render: fulfil request", "url", u, "err", err)
	}
}

// document fetches a page with Get, once per URL per render.
func (t *tab) document(ctx context.Context, u string) (*crawlfetch.Page, error) {
	t.mu.Lock()
	p := t.pages[u]
	t.mu.Unlock()
	if p != nil {
		return p, nil
	}
	p, err := t.req.Fetcher.Get(ctx, u, t.req.Accept)
	if err != nil {
		return nil, err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.pages[u] = p
	if p.URL != nil {
		t.pages[p.URL.String()] = p
	}
	return p, nil
}

// refuse fails a request the fetcher refused or could not make, and
// remembers why.
func (t *tab) refuse(ev *fetch.EventRequestPaused, u *url.URL, err error) {
	reason := network.ErrorReasonFailed
	why := ""
	var he *crawlfetch.HTTPError
	switch {
	case errors.Is(err, crawlfetch.ErrBlockedAddress):
		reason, why = network.ErrorReasonAccessDenied, "address not allowed"
	case errors.Is(err, colly.ErrForbiddenDomain):
		reason, why = network.ErrorReasonBlockedByClient, "not in allowed_domains"
	case errors.Is(err, crawlfetch.ErrRobots):
		reason, why = network.ErrorReasonBlockedByClient, "robots.txt"
	case errors.Is(err, crawlfetch.ErrMethod):
		reason, why = network.ErrorReasonBlockedByClient, "method "+ev.Request.Method
	case errors.Is(err, crawlfetch.ErrTooLarge):
		reason = network.ErrorReasonBlockedByResponse
	case errors.As(err, &he):
		// An error status is the page's business: let it see one.
		if ev.ResourceType != network.ResourceTypeDocument {
			_, _ = chromedp.Call(t.ctx, fetch.FulfillRequest, fetch.FulfillRequestParams{RequestID: ev.RequestID, ResponseCode: int64(he.Status)})
			return
		}
	}
	t.mu.Lock()
	if ev.ResourceType == network.ResourceTypeDocument && string(ev.FrameID) == string(chromedp.FromContext(t.ctx).Target.TargetID) && t.docErr == nil {
		t.docErr = err
	}
	if why != "" {
		t.refused[u.Host+": "+why] = true
	}
	t.mu.Unlock()
	t.b.opts.Logger.Debug("render: request refused", "url", u.String(), "type", ev.ResourceType, "err", err)
	t.answerFail(ev, reason)
}

func (t *tab) answerFail(ev *fetch.EventRequestPaused, reason network.ErrorReason) {
	_, err := chromedp.Call(t.ctx, fetch.FailRequest, fetch.FailRequestParams{RequestID: ev.RequestID, ErrorReason: reason})
	if err != nil && t.ctx.Err() == nil {
		t.b.opts.Logger.Debug("render: fail request", "url", ev.Request.URL, "err", err)
	}
}
