package crawler

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"time"

	"github.com/backlash-monitor/backlash/internal/config"
	"github.com/backlash-monitor/backlash/internal/crawler/fetch"
	"github.com/backlash-monitor/backlash/internal/crawler/kind"
	"github.com/backlash-monitor/backlash/internal/crawler/render"
	"github.com/backlash-monitor/backlash/internal/post"
)

// Options are the crawler-wide settings.
type Options struct {
	// UserAgent is sent with every request (default
	// config.DefaultUserAgent).
	UserAgent string
	// Timeout bounds each request (default config.DefaultTimeout).
	Timeout time.Duration
	// MaxBodyBytes caps a response body (default
	// config.DefaultMaxBodyBytes).
	MaxBodyBytes int
	// Retries is how many times a timeout, 429 or 5xx is retried (default
	// 0: none).
	Retries int
	// Backoff is the wait before the first retry, doubled for each further
	// one, with jitter (default 1s). Retry-After overrides it.
	Backoff time.Duration
	// Logger receives the crawl's logs (default: discarded).
	Logger *slog.Logger
	// Now is the fetch clock (default time.Now).
	Now func() time.Time
	// Progress, when set (a terminal), gets a live progress line per
	// source; leave it nil for logs and cron.
	Progress io.Writer
	// Render configures the headless browser of sources with render: true
	// (its Timeout, MaxBytes and Logger default to the crawler's). The
	// browser starts on the first such page; Close stops it.
	Render render.Options
	// Browser, when set, is used instead of a browser of the crawler's own,
	// and Close leaves it running (to share one between crawlers).
	Browser *render.Browser

	// allowAddrs are exact dial addresses allowed despite the private
	// address guard; only tests set it.
	allowAddrs []string
}

// Crawler crawls sources. It is safe to call Crawl from several
// goroutines, each for its own source.
type Crawler struct {
	opts    Options
	browser *render.Browser
	owned   bool // browser is the crawler's own, stopped by Close
}

// New returns a Crawler with opts, defaults filled in.
func New(opts Options) *Crawler {
	if opts.UserAgent == "" {
		opts.UserAgent = config.DefaultUserAgent
	}
	if opts.Timeout <= 0 {
		opts.Timeout = config.DefaultTimeout
	}
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = config.DefaultMaxBodyBytes
	}
	if opts.Backoff <= 0 {
		opts.Backoff = time.Second
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	c := &Crawler{opts: opts, browser: opts.Browser}
	if c.browser == nil {
		ro := opts.Render
		if ro.Timeout <= 0 {
			ro.Timeout = opts.Timeout
		}
		if ro.MaxBytes <= 0 {
			ro.MaxBytes = opts.MaxBodyBytes
		}
		if ro.Logger == nil {
			ro.Logger = opts.Logger
		}
		c.browser, c.owned = render.New(ro), true
	}
	return c
}

// Close stops the crawler's headless browser, if one was started.
func (c *Crawler) Close() error {
	if c.owned {
		return c.browser.Close()
	}
	return nil
}

// State is what the store remembers per source between runs.
type State struct {
	// HighWater is the newest Published stored so far; zero on a first run.
	HighWater time.Time
	// Cursor is the pagination cursor the last run ended with, if any.
	Cursor string
}

// Stats describe one crawl.
type Stats struct {
	// Pages is how many pages were requested.
	Pages int
	// Posts is how many posts were emitted.
	Posts int
	// Errors is how many pages failed to fetch or read.
	Errors int
	// Duration is how long the crawl took.
	Duration time.Duration
	// NewHighWater is the newest Published among the emitted posts whose
	// time was read from the site, or the old high-water mark if later.
	// Store it only once the posts are saved.
	NewHighWater time.Time
	// Cursor is the last pagination cursor seen (json sources).
	Cursor string
	// LastError describes the last page error, if any.
	LastError string

	// Items counts the posts the pages held, those older than the cutoff
	// too; NoText the items dropped because their text was empty. Fields
	// counts, per field (title, author, time, url), the posts that had it.
	// Source health compares them run to run.
	Items, NoText int
	Fields        map[string]int
	// Denied counts pages refused with 401 or 403; DeniedStatus is the last
	// such status.
	Denied, DeniedStatus int
	// Challenged counts pages that came back as a captcha, a bot challenge
	// or a login page; ChallengeMarker is what gave the last one away.
	Challenged      int
	ChallengeMarker string
	// Unmatched counts pages on which the item selector (or items path)
	// matched nothing; UnmatchedSelector is that selector.
	Unmatched         int
	UnmatchedSelector string
}

// HealthFields are the fields Stats.Fields counts.
var HealthFields = []string{"title", "author", "time", "url"}

// countFields adds a post's fields to the stats.
func (s *Stats) countFields(p *post.Post) {
	if s.Fields == nil {
		s.Fields = make(map[string]int, len(HealthFields))
	}
	s.Items++
	if p.Title != "" {
		s.Fields["title"]++
	}
	if p.Author != "" {
		s.Fields["author"]++
	}
	if !p.TimeGuessed && !p.Published.IsZero() {
		s.Fields["time"]++
	}
	if p.URL != "" {
		s.Fields["url"]++
	}
}

// countError classifies a page error for source health.
func (s *Stats) countError(err error) {
	var he *fetch.HTTPError
	var ce *fetch.ChallengeError
	var nm *kind.NoMatchError
	switch {
	case errors.As(err, &he) && (he.Status == 401 || he.Status == 403):
		s.Denied++
		s.DeniedStatus = he.Status
	case errors.As(err, &ce):
		s.Challenged++
		s.ChallengeMarker = ce.Marker
	case errors.As(err, &nm):
		s.Unmatched++
		s.UnmatchedSelector = nm.Selector
	}
}

// Crawl collects one source. emit is called for every extracted post, from
// one goroutine at a time; if it returns an error the crawl stops and
// returns it. Cancelling ctx stops the crawl at a page boundary and
// returns the Stats so far with ctx.Err(). Page errors are counted in Stats
// and logged, and do not fail the crawl.
func (c *Crawler) Crawl(ctx context.Context, src *config.Source, st State, emit func(post.Post) error) (Stats, error) {
	began := time.Now() // Duration is wall time even when Now is simulated
	start := c.opts.Now()
	stats := Stats{NewHighWater: st.HighWater, Cursor: st.Cursor}
	log := c.opts.Logger.With("source", src.Name)
	crawl, ok := kind.Lookup(src.Kind)
	if !ok {
		return stats, fmt.Errorf("crawl %s: unknown kind %q", src.Name, src.Kind)
	}
	for _, u := range src.URLs {
		if pu, err := url.Parse(u); err != nil || (pu.Scheme != "http" && pu.Scheme != "https") {
			return stats, fmt.Errorf("crawl %s: url %q must be an absolute http(s) URL", src.Name, u)
		}
	}
	ident, err := newIdentity(src.Identity)
	if err != nil {
		return stats, fmt.Errorf("crawl %s: %w", src.Name, err)
	}
	f, err := fetch.New(ctx, src, fetch.Config{
		UserAgent:    c.opts.UserAgent,
		Timeout:      c.opts.Timeout,
		MaxBodyBytes: c.opts.MaxBodyBytes,
		Retries:      c.opts.Retries,
		Backoff:      c.opts.Backoff,
		Logger:       log,
		AllowAddrs:   c.opts.allowAddrs,
	})
	if err != nil {
		return stats, fmt.Errorf("crawl %s: %w", src.Name, err)
	}
	defer f.Close()
	var cutoff time.Time
	if !st.HighWater.IsZero() {
		cutoff = st.HighWater.Add(-src.Lookback.D())
	}
	maxPages := src.MaxPages
	if maxPages <= 0 {
		maxPages = config.DefaultMaxPages
	}
	prog := newProgress(c.opts.Progress, src.Name, start, c.opts.Now)
	seen := map[string]bool{}
	warnedAhead := false
	run := &kind.Run{
		Source:  src,
		Fetcher: f,
		Browser: c.browser,
		Cutoff:  cutoff,
		Cursor:  st.Cursor,
		Now:     c.opts.Now,
		Logger:  log,
		EmitFunc: func(p post.Post) (bool, error) {
			if p.Fetched.IsZero() {
				p.Fetched = c.opts.Now()
			}
			stats.countFields(&p)
			read, published := !p.TimeGuessed, p.Published
			p.SettleTimes(p.Fetched)
			if read && p.TimeGuessed && !warnedAhead {
				// Read, but later than the fetch: usually local times read
				// in the wrong zone. Said once a crawl.
				warnedAhead = true
				log.Warn("post time after the fetch: posts get the fetch time; if the site writes local times, set time_zone in the source's html or json block",
					"id", p.ID, "ahead", published.Sub(p.Fetched).Round(time.Minute).String())
			}
			if !cutoff.IsZero() && p.Published.Before(cutoff) {
				return false, nil
			}
			if seen[p.ID] {
				return true, nil
			}
			seen[p.ID] = true
			p.Source = src.Name
			ident.apply(&p)
			if err := emit(p); err != nil {
				return true, err
			}
			stats.Posts++
			if !p.TimeGuessed && p.Published.After(stats.NewHighWater) {
				stats.NewHighWater = p.Published
			}
			prog.update(stats)
			return true, nil
		},
		PageFunc: func(u string) error {
			if stats.Pages >= maxPages {
				log.Info("page limit reached", "max_pages", maxPages)
				return kind.ErrPageLimit
			}
			stats.Pages++
			prog.update(stats)
			return nil
		},
		ErrorFunc: func(u string, err error) {
			stats.Errors++
			stats.countError(err)
			stats.LastError = fmt.Sprintf("crawl %s: %s: %v", src.Name, u, err)
			log.Warn("page failed", "url", u, "err", err)
			prog.update(stats)
		},
		CursorFunc:  func(cur string) { stats.Cursor = cur },
		DroppedFunc: func(field string, n int) { stats.NoText += n }}
	err = crawl(ctx, run)
	stats.Duration = time.Since(began)
	prog.done(stats)
	if err != nil {
		if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
			log.Info("crawl interrupted", "pages", stats.Pages, "posts", stats.Posts, "errors", stats.Errors)
			return stats, ctx.Err()
		}
		return stats, fmt.Errorf("crawl %s: %w", src.Name, err)
	}
	log.Info("crawl done", "pages", stats.Pages, "posts", stats.Posts, "errors", stats.Errors, "took", stats.Duration.Round(time.Millisecond))
	return stats, nil
}
