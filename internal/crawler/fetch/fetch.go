package fetch

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"mime"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
	"unicode/utf8"

	"github.com/gocolly/colly/v2"
	"github.com/temoto/robotstxt"
	"golang.org/x/net/html/charset"

	"github.com/backlash-monitor/backlash/internal/config"
)

// Config holds the crawler-wide settings a Fetcher needs.
type Config struct {
	// UserAgent is sent with every request, robots.txt included.
	UserAgent string
	// Timeout bounds one request, body included.
	Timeout time.Duration
	// MaxBodyBytes caps a response body: a larger declared body is
	// refused before it is read, an undeclared one once it reaches the cap.
	MaxBodyBytes int
	// Retries is how many times a timeout, 429 or 5xx is retried.
	Retries int
	// Backoff is the wait before the first retry; it doubles each time.
	Backoff time.Duration
	// MaxRetryAfter is the longest Retry-After the fetcher will wait for
	// (default 5 minutes); a longer one fails the request.
	MaxRetryAfter time.Duration
	// Logger receives one debug line per request.
	Logger *slog.Logger
	// AllowAddrs are exact host:port dial addresses allowed even though
	// they are private. Tests name their own listener with it.
	AllowAddrs []string
}

// Page is one fetched response, its body decoded to UTF-8.
type Page struct {
	// URL is the final URL, after redirects.
	URL *url.URL
	// Status is the HTTP status code.
	Status int
	// Header holds the response headers.
	Header http.Header
	// Body is the response body in UTF-8.
	Body []byte
	// Truncated is kept for callers written when bodies past the cap were
	// cut: such bodies are now refused with ErrTooLarge, so it is false.
	Truncated bool
}

// HTTPError is a response with an error status that was not retried or
// failed every retry.
type HTTPError struct {
	// Status is the HTTP status code.
	Status int
	// Body is the start of the response body (up to 4 KiB), where APIs
	// say what went wrong.
	Body []byte
}

// Error says which status was returned.
func (e *HTTPError) Error() string {
	return fmt.Sprintf("HTTP %d %s", e.Status, http.StatusText(e.Status))
}

// ErrTooLarge is returned when a response declares a body larger than
// MaxBodyBytes.
var ErrTooLarge = errors.New("response body exceeds max_body_bytes")

// Fetcher downloads pages for one source during one crawl. Get may be
// called from several goroutines; the source's parallelism bounds how many
// requests are in flight per domain.
type Fetcher struct {
	c       *colly.Collector
	cfg     Config
	src     *config.Source
	domains []string
	// secret holds the source's credential headers, sent only to
	// secretHosts, the hosts of the source's URLs.
	secret      map[string]config.Secret
	secretHosts map[string]bool

	transport *http.Transport

	mu    sync.Mutex
	hosts map[string]*host
}

// host is what a crawl knows about one scheme://host:port: its robots.txt
// and the limit rule that paces requests to it.
type host struct {
	once   sync.Once
	robots *robotstxt.RobotsData
	err    error
}

// maxCrawlDelay caps a robots.txt Crawl-delay; a site asking for more is
// crawled at this pace.
const maxCrawlDelay = time.Minute

// Close releases the fetcher's idle connections.
func (f *Fetcher) Close() { f.transport.CloseIdleConnections() }

// Keys of the per-request colly context.
const (
	ctxResponse = "backlash.response"
	ctxTooLarge = "backlash.too_large"
	// ctxDeclared is a Content-Type naming a charset other than UTF-8,
	// kept from colly so the body is converted here (see toUTF8).
	ctxDeclared = "backlash.declared_type"
)

// Allowed reports whether rawURL is on one of the source's allowed
// domains, so kinds can skip off-site links quietly instead of failing on
// them.
func (f *Fetcher) Allowed(rawURL string) bool {
	u, err := url.Parse(rawURL)
	if err != nil {
		return false
	}
	return len(f.domains) == 0 || slices.Contains(f.domains, u.Hostname())
}

// New returns a Fetcher configured for src. Cancelling ctx aborts its
// requests.
func New(ctx context.Context, src *config.Source, cfg Config) (*Fetcher, error) {
	if cfg.Timeout <= 0 {
		cfg.Timeout = config.DefaultTimeout
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = config.DefaultMaxBodyBytes
	}
	if cfg.Backoff <= 0 {
		cfg.Backoff = time.Second
	}
	if cfg.MaxRetryAfter <= 0 {
		cfg.MaxRetryAfter = 5 * time.Minute
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	// The hosts of the source's URLs: where credentials go, and where
	// links may lead unless allowed_domains says otherwise.
	var hosts []string
	secretHosts := map[string]bool{}
	for _, u := range src.URLs {
		if pu, err := url.Parse(u); err == nil && pu.Hostname() != "" {
			hosts = append(hosts, pu.Hostname())
			secretHosts[pu.Hostname()] = true
		}
	}
	domains := src.AllowedDomains
	if len(domains) == 0 {
		domains = hosts
	}
	secret := map[string]config.Secret{}
	for name, env := range src.HeaderEnv {
		v := env.Value()
		if v == "" {
			return nil, fmt.Errorf("header_env.%s: environment variable %s is not set", name, env)
		}
		secret[http.CanonicalHeaderKey(name)] = v
	}
	c := colly.NewCollector()
	// Set after construction: colly reads COLLY_* environment variables
	// over its options, and the source's settings must win.
	c.UserAgent = cfg.UserAgent
	c.AllowedDomains = domains
	c.DisallowedDomains = nil
	c.MaxBodySize = cfg.MaxBodyBytes
	c.AllowURLRevisit = true // kinds track visited pages; retries refetch
	c.ParseHTTPErrorResponse = true
	c.IgnoreRobotsTxt = true // robots.txt is read by prepare, which also honours Crawl-delay
	c.CacheDir = ""
	c.DetectCharset = false
	c.MaxDepth, c.MaxRequests = 0, 0
	c.TraceHTTP = false
	c.SetRedirectHandler(func(req *http.Request, via []*http.Request) error {
		// colly's own rules, which a handler replaces: at most 10
		// redirects, and no Authorization to another host.
		if len(via) >= 10 {
			return http.ErrUseLastResponse
		}
		if req.URL.Host != via[len(via)-1].URL.Host {
			req.Header.Del("Authorization")
		}
		// The client copies every other header to the redirect's target.
		if !secretHosts[req.URL.Hostname()] {
			for name := range secret {
				req.Header.Del(name)
			}
		}
		return nil
	})
	exact := map[string]bool{}
	for _, a := range cfg.AllowAddrs {
		exact[a] = true
	}
	dialer := &net.Dialer{
		Timeout:   cfg.Timeout,
		KeepAlive: 30 * time.Second,
		Control:   guard(src.AllowPrivate, exact),
	}
	tr := &http.Transport{
		Proxy:                 nil, // a proxy would dial on our behalf and bypass the guard
		DialContext:           dialer.DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          16,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: cfg.Timeout,
		ExpectContinueTimeout: time.Second,
	}
	c.WithTransport(tr)
	c.SetRequestTimeout(cfg.Timeout)
	c.Context = ctx
	f := &Fetcher{c: c, cfg: cfg, src: src, domains: domains, secret: secret, secretHosts: secretHosts,
		transport: tr, hosts: map[string]*host{}}
	c.OnRequest(func(r *colly.Request) {
		if src.Encoding != "" {
			// The loader gives the canonical name; a source built
			// in code may hold an alias (cp936).
			r.ResponseCharacterEncoding = src.Encoding
			if name, ok := config.Charset(src.Encoding); ok {
				r.ResponseCharacterEncoding = name
			}
		}
	})
	c.OnResponseHeaders(func(r *colly.Response) {
		if n, err := strconv.ParseInt(r.Headers.Get("Content-Length"), 10, 64); err == nil && n > int64(cfg.MaxBodyBytes) {
			r.Ctx.Put(ctxTooLarge, n)
			r.Request.Abort()
		}
		// colly would convert the body from the declared charset before
		// anyone sees it; a page declaring GBK that is UTF-8 would become
		// mojibake. The charset is hidden from colly and the body
		// converted in OnResponse.
		if ct := r.Headers.Get("Content-Type"); src.Encoding == "" && convertedCharset(ct) {
			r.Ctx.Put(ctxDeclared, ct)
			r.Headers.Set("Content-Type", withoutCharset(ct))
		}
	})
	c.OnResponse(func(r *colly.Response) {
		if ct := r.Ctx.Get(ctxDeclared); ct != "" {
			r.Headers.Set("Content-Type", ct)
			r.Body = toUTF8(r.Body, ct)
		}
		r.Ctx.Put(ctxResponse, r)
	})
	return f, nil
}

// Get fetches rawURL. accept is sent as the Accept header. Timeouts, 429
// and 5xx responses are retried; other error statuses return *HTTPError.
func (f *Fetcher) Get(ctx context.Context, rawURL, accept string) (*Page, error) {
	return f.retrying(ctx, rawURL, func() (*Page, error) {
		return f.once(ctx, Request{URL: rawURL, Header: http.Header{"Accept": {accept}}}, true)
	})
}

// Request is a request a rendered page makes: a script, a style sheet, an
// API call of the page's own code.
type Request struct {
	// Method is GET, HEAD, POST or OPTIONS (default GET); a crawler never
	// changes a site, so other methods are refused.
	Method string
	// URL is the absolute http(s) URL.
	URL string
	// Header holds the page's headers. The crawler's own (User-Agent,
	// credentials, the source's headers) replace them, and Host,
	// Content-Length, Connection, Transfer-Encoding and Accept-Encoding
	// are dropped.
	Header http.Header
	// Body is sent with a POST.
	Body []byte
}

// ErrMethod is returned for a request method a crawler does not make.
var ErrMethod = errors.New("request method not allowed (only GET, HEAD, POST, OPTIONS)")

// Do makes r under the same rules as Get: allowed domains, robots.txt,
// the host's pace, the address guard, credentials only to the source's
// hosts, the timeout and the body cap. Only GET, HEAD and OPTIONS are
// retried. The body is returned as served, except that a body colly
// converted to UTF-8 has its Content-Type's charset set to utf-8.
func (f *Fetcher) Do(ctx context.Context, r Request) (*Page, error) {
	switch r.Method {
	case "":
		r.Method = http.MethodGet
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodOptions:
	default:
		return nil, fmt.Errorf("%s %s: %w", r.Method, r.URL, ErrMethod)
	}
	do := func() (*Page, error) { return f.once(ctx, r, false) }
	if r.Method == http.MethodPost {
		return do()
	}
	return f.retrying(ctx, r.URL, do)
}

// retrying calls do until it succeeds, fails for good, or runs out of
// retries, waiting between attempts with backoff or as Retry-After says.
func (f *Fetcher) retrying(ctx context.Context, rawURL string, do func() (*Page, error)) (*Page, error) {
	for attempt := 0; ; attempt++ {
		start := time.Now()
		page, err := do()
		status := 0
		if page != nil {
			status = page.Status
		}
		f.cfg.Logger.Debug("fetch", "url", rawURL, "status", status, "attempt", attempt+1, "took", time.Since(start).Round(time.Millisecond), "err", err)
		if err == nil && status < 400 {
			return page, nil
		}
		if err == nil {
			err = &HTTPError{Status: status, Body: page.Body[:min(len(page.Body), 4<<10)]}
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		wait, retry := f.retryWait(page, err, attempt)
		if !retry || attempt >= f.cfg.Retries {
			return nil, err
		}
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
			return nil, fmt.Errorf("%w (retry in %s would pass the deadline)", err, wait.Round(time.Millisecond))
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		case <-t.C:
		}
	}
}

// ErrRobots is returned for a URL the site's robots.txt disallows.
var ErrRobots = errors.New("disallowed by robots.txt (set ignore_robots: true only for sites you own)")

// prepare reads a host's robots.txt on first contact, sets the pace for
// the host (the source's delay, or a longer Crawl-delay), and checks that
// robots.txt allows u.
func (f *Fetcher) prepare(ctx context.Context, u *url.URL) error {
	key := u.Scheme + "://" + u.Host
	f.mu.Lock()
	h := f.hosts[key]
	if h == nil {
		h = &host{}
		f.hosts[key] = h
	}
	f.mu.Unlock()
	h.once.Do(func() {
		delay := f.src.Delay.D()
		if !f.src.IgnoreRobots {
			h.robots, h.err = f.loadRobots(ctx, key)
			if h.robots != nil {
				if cd := h.robots.FindGroup(f.cfg.UserAgent).CrawlDelay; cd > delay {
					delay = min(cd, maxCrawlDelay)
					f.cfg.Logger.Info("robots.txt asks for a longer delay", "host", u.Host, "delay", delay)
				}
			}
		}
		// Rules are matched on the request's host:port.
		if err := f.c.Limit(&colly.LimitRule{
			DomainRegexp: `^` + regexp.QuoteMeta(u.Host) + `$`,
			Delay:        delay,
			RandomDelay:  delay / 4,
			Parallelism:  max(f.src.Parallelism, 1),
		}); err != nil && h.err == nil {
			h.err = err
		}
	})
	if h.err != nil {
		return fmt.Errorf("robots.txt: %w", h.err)
	}
	if h.robots != nil {
		p := u.EscapedPath()
		if p == "" {
			p = "/"
		}
		if u.RawQuery != "" {
			p += "?" + u.RawQuery
		}
		if !h.robots.TestAgent(p, f.cfg.UserAgent) {
			return ErrRobots
		}
	}
	return nil
}

// loadRobots fetches and parses a host's robots.txt. A missing file (4xx)
// allows everything; a server error (5xx) disallows everything for this
// crawl, as the robots.txt standard asks; an unparsable file is ignored
// with a warning.
func (f *Fetcher) loadRobots(ctx context.Context, base string) (*robotstxt.RobotsData, error) {
	u := base + "/robots.txt"
	page, err := f.retrying(ctx, u, func() (*Page, error) { return f.request(ctx, u, "text/plain") })
	var he *HTTPError
	switch {
	case errors.As(err, &he):
		return robotstxt.FromStatusAndBytes(he.Status, nil)
	case err != nil:
		return nil, err
	}
	r, err := robotstxt.FromStatusAndBytes(page.Status, page.Body)
	if err != nil {
		var pe *robotstxt.ParseError
		if errors.As(err, &pe) {
			f.cfg.Logger.Warn("ignoring unparsable robots.txt", "url", u, "err", err)
			return nil, nil
		}
		return nil, err
	}
	return r, nil
}

// once checks robots.txt and makes one request. A page (decode) has its
// body converted to UTF-8 from whatever charset it declares.
func (f *Fetcher) once(ctx context.Context, r Request, decode bool) (*Page, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	u, err := url.Parse(r.URL)
	if err != nil {
		return nil, err
	}
	if !f.Allowed(r.URL) {
		return nil, fmt.Errorf("host not in allowed_domains: %w", colly.ErrForbiddenDomain)
	}
	if err := f.prepare(ctx, u); err != nil {
		return nil, err
	}
	if decode {
		return f.request(ctx, r.URL, r.Header.Get("Accept"))
	}
	p, err := f.send(ctx, r)
	if err != nil {
		return nil, err
	}
	f.markUTF8(p)
	return p, nil
}

// request makes one GET through colly and decodes the body to UTF-8.
func (f *Fetcher) request(ctx context.Context, rawURL, accept string) (*Page, error) {
	p, err := f.send(ctx, Request{Method: http.MethodGet, URL: rawURL, Header: http.Header{"Accept": {accept}}})
	if err != nil {
		return nil, err
	}
	if p.Body, err = decode(p.Body, p.Header.Get("Content-Type"), f.src.Encoding != ""); err != nil {
		return nil, err
	}
	return p, nil
}

// pageOnlyHeaders are the request headers a page may not set: the
// connection's, and the crawler's own.
var pageOnlyHeaders = []string{"Host", "User-Agent", "Content-Length", "Connection", "Transfer-Encoding", "Accept-Encoding", "Keep-Alive", "Upgrade", "Proxy-Authorization", "Te", "Trailer"}

// send makes one request through colly.
func (f *Fetcher) send(ctx context.Context, r Request) (*Page, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	rawURL := r.URL
	hdr := r.Header.Clone()
	if hdr == nil {
		hdr = http.Header{}
	}
	accept := hdr.Get("Accept")
	for _, name := range pageOnlyHeaders {
		hdr.Del(name)
	}
	hdr.Del("Accept")
	for name, v := range f.src.Headers {
		hdr.Set(name, v)
	}
	hdr.Set("User-Agent", f.cfg.UserAgent)
	if accept != "" && hdr.Get("Accept") == "" {
		hdr.Set("Accept", accept)
	}
	if u, err := url.Parse(rawURL); err == nil && f.secretHosts[u.Hostname()] {
		for name, v := range f.secret {
			hdr.Set(name, v.Reveal())
		}
	}
	var body io.Reader
	if len(r.Body) > 0 {
		body = bytes.NewReader(r.Body)
	}
	cctx := colly.NewContext()
	err := f.c.Request(r.Method, rawURL, body, cctx, hdr)
	if n, ok := cctx.GetAny(ctxTooLarge).(int64); ok {
		return nil, fmt.Errorf("%w (%d > %d bytes)", ErrTooLarge, n, f.cfg.MaxBodyBytes)
	}
	if err != nil {
		return nil, unwrapColly(err)
	}
	resp, ok := cctx.GetAny(ctxResponse).(*colly.Response)
	if !ok {
		return nil, errors.New("no response")
	}
	if len(resp.Body) >= f.cfg.MaxBodyBytes {
		// A body that streams past the cap is refused like one that
		// declares a larger size: parsing a page of that size costs many
		// times the cap, and an endless response is a broken or hostile
		// site. Dropping the body here keeps the cost to reading it.
		resp.Body = nil
		return nil, fmt.Errorf("%w (streamed past %d bytes)", ErrTooLarge, f.cfg.MaxBodyBytes)
	}
	return &Page{URL: resp.Request.URL, Status: resp.StatusCode, Header: *resp.Headers, Body: resp.Body}, nil
}

// markUTF8 sets the charset of a body colly converted to UTF-8.
func (f *Fetcher) markUTF8(p *Page) {
	ct := p.Header.Get("Content-Type")
	if f.src.Encoding == "" && !convertedCharset(ct) {
		return
	}
	p.Header = p.Header.Clone()
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil || mt == "" {
		mt, params = "text/plain", map[string]string{}
	}
	params["charset"] = "utf-8"
	p.Header.Set("Content-Type", mime.FormatMediaType(mt, params))
}

// convertedCharset reports whether colly converts a body of this
// Content-Type to UTF-8: a declared charset other than UTF-8 on a type
// that is not binary.
func convertedCharset(contentType string) bool {
	ct := strings.ToLower(contentType)
	for _, bin := range []string{"image/", "video/", "audio/", "font/"} {
		if strings.Contains(ct, bin) {
			return false
		}
	}
	_, params, _ := mime.ParseMediaType(ct)
	cs := params["charset"]
	return cs != "" && cs != "utf-8" && cs != "utf8"
}

// unwrapColly turns colly's sentinel errors into clearer ones.
func unwrapColly(err error) error {
	switch {
	case errors.Is(err, colly.ErrForbiddenDomain):
		return fmt.Errorf("host not in allowed_domains: %w", err)
	}
	return err
}

// retryWait decides whether a failure is worth retrying and how long to
// wait first.
func (f *Fetcher) retryWait(p *Page, err error, attempt int) (time.Duration, bool) {
	backoff := f.cfg.Backoff << min(attempt, 10)
	backoff = backoff/2 + time.Duration(rand.Int64N(int64(backoff)+1)) // jitter: 0.5x to 1.5x
	backoff = min(backoff, time.Minute)
	var he *HTTPError
	if errors.As(err, &he) {
		if he.Status != http.StatusTooManyRequests && (he.Status < 500 || he.Status == http.StatusNotImplemented) {
			return 0, false
		}
		if p != nil {
			if ra, ok := retryAfter(p.Header.Get("Retry-After")); ok {
				if ra > f.cfg.MaxRetryAfter {
					return 0, false
				}
				return max(ra, 0), true
			}
		}
		return backoff, true
	}
	if errors.Is(err, ErrBlockedAddress) || errors.Is(err, ErrTooLarge) ||
		errors.Is(err, ErrRobots) || errors.Is(err, colly.ErrForbiddenDomain) ||
		errors.Is(err, context.Canceled) {
		return 0, false
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() || errors.Is(err, syscall.ECONNREFUSED) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return backoff, true
	}
	return 0, false
}

// retryAfter reads a Retry-After header: delay seconds or an HTTP date.
func retryAfter(v string) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if s, err := strconv.Atoi(v); err == nil {
		return time.Duration(s) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return time.Until(t), true
	}
	return 0, false
}

var xmlDeclEncRe = regexp.MustCompile(`^(\s*<\?xml[^>]*?encoding=)["'][^"']*["']`)

// ErrNotUTF8 is a body that says it is UTF-8 (or, being XML or JSON,
// is so by default) and is not: a site declaring its charset wrongly.
var ErrNotUTF8 = errors.New("body is not UTF-8")

// decode converts a body to UTF-8. Bodies whose Content-Type names a
// charset other than UTF-8 were converted when they arrived (toUTF8), and
// those of sources with a forced encoding by colly; this handles a charset
// declared only in the page (meta tag, XML declaration or BOM). Converted
// XML gets its declaration fixed so feed parsers do not convert it twice.
// A page that is UTF-8 whatever it declares is kept as it is; one that
// declares UTF-8 and is not is refused with ErrNotUTF8, unless only a few
// stray bytes are wrong, which become U+FFFD.
func decode(body []byte, contentType string, forced bool) ([]byte, error) {
	mt, params, _ := mime.ParseMediaType(contentType)
	cs := strings.ToLower(params["charset"])
	if forced || (cs != "" && cs != "utf-8" && cs != "utf8") {
		return fixXMLDecl(body), nil
	}
	if cs != "" {
		return validUTF8(body, "its Content-Type header says so")
	}
	if strings.Contains(mt, "json") {
		return validUTF8(body, "JSON is UTF-8")
	}
	head := body[:min(len(body), 1024)]
	name, says := "", "it says so"
	if m := xmlEncRe.FindSubmatch(head); m != nil {
		name = string(m[1])
	} else if xmlDeclRe.Match(head) {
		name, says = "utf-8", "XML without an encoding is UTF-8"
	} else {
		var certain bool
		_, name, certain = charset.DetermineEncoding(body, "text/html")
		if !certain && name == "windows-1252" && utf8.Valid(body) {
			name = "utf-8"
		}
	}
	name = strings.ToLower(name)
	if name == "" || name == "utf-8" || name == "utf8" {
		return validUTF8(body, says)
	}
	if isUTF8(body) {
		// Declared otherwise, but valid UTF-8 with characters beyond
		// ASCII: text in another charset almost never is.
		return fixXMLDecl(body), nil
	}
	r, err := charset.NewReaderLabel(name, bytes.NewReader(body))
	if err != nil {
		return body, nil
	}
	out, err := io.ReadAll(r)
	if err != nil {
		return body, nil
	}
	return fixXMLDecl(out), nil
}

// toUTF8 converts a body from the charset its Content-Type names, unless
// it is UTF-8 already (isUTF8).
func toUTF8(body []byte, contentType string) []byte {
	if isUTF8(body) {
		return body
	}
	r, err := charset.NewReader(bytes.NewReader(body), contentType)
	if err != nil {
		return body
	}
	out, err := io.ReadAll(r)
	if err != nil {
		return body
	}
	return out
}

// isUTF8 reports whether body is valid UTF-8 holding characters beyond
// ASCII.
func isUTF8(body []byte) bool {
	return utf8.Valid(body) && slices.ContainsFunc(body, func(b byte) bool { return b >= utf8.RuneSelf })
}

// validUTF8 returns a body that should be UTF-8: as it is when it is, with
// stray bytes replaced by U+FFFD, or ErrNotUTF8 when many are wrong (at
// least 4, and a tenth of the characters beyond ASCII) and the body reads
// cleanly in a Chinese, Japanese or Korean charset: the page is in that
// charset, which the source's encoding names. Bytes no such charset reads
// (a post of garbage, 0xFF) cost their own characters, never the page.
func validUTF8(body []byte, why string) ([]byte, error) {
	if utf8.Valid(body) {
		return body, nil
	}
	bad, wide := 0, 0
	for i := 0; i < len(body); {
		if body[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRune(body[i:])
		if r == utf8.RuneError && n == 1 {
			bad++
		}
		wide++
		i += n
	}
	if bad >= 4 && bad*10 >= wide && cjkText(body) {
		return nil, fmt.Errorf("%w though %s (%d bytes are not UTF-8): set the source's encoding to the site's charset (gbk, big5, shift_jis, euc-kr, windows-1252, ...)",
			ErrNotUTF8, why, bad)
	}
	return bytes.ToValidUTF8(body, []byte("\uFFFD")), nil
}

// cjkText reports whether body decodes without a replacement in one of
// the multi-byte charsets sites most often declare wrongly.
func cjkText(body []byte) bool {
	for _, name := range []string{"gb18030", "big5", "shift_jis", "euc-kr"} {
		e, _ := charset.Lookup(name)
		if e == nil {
			continue
		}
		out, err := e.NewDecoder().Bytes(body)
		if err == nil && !bytes.ContainsRune(out, utf8.RuneError) {
			return true
		}
	}
	return false
}

// withoutCharset is a Content-Type without its charset parameter.
func withoutCharset(contentType string) string {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return "text/plain"
	}
	delete(params, "charset")
	return mime.FormatMediaType(mt, params)
}

var xmlDeclRe = regexp.MustCompile(`^\s*<\?xml\s`)

var xmlEncRe = regexp.MustCompile(`^\s*<\?xml[^>]*?encoding=["']([^"']+)["']`)

func fixXMLDecl(body []byte) []byte {
	return xmlDeclEncRe.ReplaceAll(body, []byte(`${1}"UTF-8"`))
}
