package pipeline

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/backlash-monitor/backlash/config"
	"github.com/backlash-monitor/backlash/crawler"
	"github.com/backlash-monitor/backlash/post"
	"github.com/backlash-monitor/backlash/store"
)

// Crawler collects the posts of one source; *crawler.Crawler is one.
type Crawler interface {
	Crawl(ctx context.Context, src *config.Source, st crawler.State, emit func(post.Post) error) (crawler.Stats, error)
}

// PostStore is where collected posts and crawl bookkeeping go; *store.Store
// is one.
type PostStore interface {
	SavePosts(ctx context.Context, posts []post.Post) (store.SaveResult, error)
	State(ctx context.Context, source string) (store.SourceState, error)
	SetState(ctx context.Context, source string, st store.SourceState) error
	RecordRun(ctx context.Context, r store.Run) error
}

// Processor tags and scores posts; *analyzer.Analyzer is one.
type Processor interface {
	Process(posts []post.Post, allowed []string, keepUnmatched bool) []post.Post
}

// Options configures a Collector.
type Options struct {
	// BatchSize is how many posts are stored at once (default 5000).
	BatchSize int
	// Concurrency is how many sources are crawled at once (default 4).
	Concurrency int
	// Logger receives progress logs (default slog.Default()).
	Logger *slog.Logger
	// Now is the clock (default time.Now).
	Now func() time.Time
	// FlushTimeout bounds storing what was collected after the run's
	// context is cancelled (default 30s).
	FlushTimeout time.Duration
	// Spool keeps posts the store could not take; nil loses nothing only
	// as long as the store stays up (the run then fails and the high-water
	// mark stays put, so the next run fetches them again).
	Spool *Spool
	// Metrics receives crawl and insert figures; nil for none.
	Metrics Metrics
}

// errStoreFailed stops a crawl whose posts can no longer be stored.
var errStoreFailed = errors.New("store failed")

// Metrics receives figures for monitoring; *serve.Metrics is one.
type Metrics interface {
	CrawlDone(source string, pages, posts, errors int, dur time.Duration)
	Inserted(rows int, dur time.Duration)
}

// Collector crawls sources into the store.
type Collector struct {
	crawler Crawler
	proc    Processor
	store   PostStore
	opts    Options
}

// NewCollector wires a crawler, an analyzer and a store.
func NewCollector(c Crawler, p Processor, s PostStore, o Options) *Collector {
	if o.BatchSize <= 0 {
		o.BatchSize = 5000
	}
	if o.Concurrency <= 0 {
		o.Concurrency = 4
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.FlushTimeout == 0 {
		o.FlushTimeout = 30 * time.Second
	}
	return &Collector{crawler: c, proc: p, store: s, opts: o}
}

// SourceResult is what one source's crawl did.
type SourceResult struct {
	Source string
	crawler.Stats
	// Stored is how many posts were stored; New and Updated split them.
	Stored, New, Updated int
	// Spooled is how many posts went to the spool because the store failed.
	Spooled int
	// Err is the crawl's error, if it failed.
	Err error
}

// CollectAll crawls the sources, several at once, and returns one result
// per source in their order. The error joins the sources' errors.
func (c *Collector) CollectAll(ctx context.Context, runID string, sources []config.Source) ([]SourceResult, error) {
	results := make([]SourceResult, len(sources))
	sem := make(chan struct{}, c.opts.Concurrency)
	var wg sync.WaitGroup
	for i := range sources {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				results[i] = SourceResult{Source: sources[i].Name, Err: ctx.Err()}
				return
			}
			defer func() { <-sem }()
			results[i] = c.Collect(ctx, runID, &sources[i])
		}(i)
	}
	wg.Wait()
	var errs []error
	for _, r := range results {
		if r.Err != nil {
			errs = append(errs, r.Err)
		}
	}
	return results, errors.Join(errs...)
}

// Collect crawls one source: it resumes from the stored state, stores posts
// in batches as they arrive, and records the run. The state moves only if
// every post was stored.
func (c *Collector) Collect(ctx context.Context, runID string, src *config.Source) SourceResult {
	log := c.opts.Logger.With("source", src.Name, "run", runID)
	res := SourceResult{Source: src.Name}
	started := c.opts.Now()
	wall := time.Now() // durations are real time even on a simulated clock
	st, err := c.store.State(ctx, src.Name)
	if err != nil {
		if c.opts.Spool == nil {
			res.Err = fmt.Errorf("collect %s: %w", src.Name, err)
			return res
		}
		// The store is down: crawl from scratch (bounded by max_pages) into
		// the spool rather than miss what is being said now.
		log.Warn("store unavailable; crawling into the spool", "err", err)
		st = store.SourceState{}
	}
	var (
		saveErr  error // the store failed and posts could not be spooled
		spoolErr error // the store failed and posts went to the spool
		newest   = st.HighWater
	)
	// save tags, scores and stores one batch. Batches are saved by one
	// goroutine while the crawl goes on, so storing overlaps fetching, and
	// what was collected is stored even when the run is stopped.
	//
	// The batches share one context, not cancelled with the run and never
	// cancelled after use: cancelling a context the driver saw can close a
	// pooled connection that another query is already using. The driver's
	// own read and dial timeouts bound a hung server.
	sctx := context.WithoutCancel(ctx)
	save := func(batch []post.Post) error {
		kept := c.proc.Process(batch, src.Topics, src.KeepUnmatched)
		t0 := time.Now()
		sr, err := c.store.SavePosts(sctx, kept)
		if err != nil {
			if c.opts.Spool == nil {
				return err
			}
			if serr := c.opts.Spool.Append(runID, kept); serr != nil {
				return errors.Join(err, serr)
			}
			log.Warn("store failed; posts spooled for the next run", "posts", len(kept), "err", err)
			res.Spooled += len(kept)
			spoolErr = err
			return nil
		}
		if c.opts.Metrics != nil {
			c.opts.Metrics.Inserted(len(kept), time.Since(t0))
		}
		for i := range batch {
			// Every post seen counts towards the high-water mark, kept or not.
			if !batch[i].TimeGuessed && batch[i].Published.After(newest) {
				newest = batch[i].Published
			}
		}
		res.Stored += len(kept)
		res.New += sr.New
		res.Updated += sr.Updated
		return nil
	}
	batches := make(chan []post.Post, 1)
	saved := make(chan struct{})
	var failed atomic.Bool
	go func() {
		defer close(saved)
		for b := range batches {
			if saveErr != nil {
				continue // a batch failed for good: stop storing, the run fails
			}
			if err := save(b); err != nil {
				saveErr = err
				failed.Store(true)
			}
		}
	}()
	buf := make([]post.Post, 0, c.opts.BatchSize)
	stats, crawlErr := c.crawler.Crawl(ctx, src, crawler.State{HighWater: st.HighWater, Cursor: st.Cursor}, func(p post.Post) error {
		if failed.Load() {
			return errStoreFailed
		}
		if p.Published.IsZero() {
			p.Published, p.TimeGuessed = p.Fetched, true
		}
		buf = append(buf, p)
		if len(buf) >= c.opts.BatchSize {
			batches <- buf
			buf = make([]post.Post, 0, c.opts.BatchSize)
		}
		return nil
	})
	if len(buf) > 0 {
		batches <- buf
	}
	close(batches)
	<-saved
	res.Stats = stats
	if c.opts.Metrics != nil {
		c.opts.Metrics.CrawlDone(src.Name, stats.Pages, stats.Posts, stats.Errors, stats.Duration)
	}
	if errors.Is(crawlErr, errStoreFailed) {
		crawlErr = nil // reported as saveErr
	}
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.opts.FlushTimeout)
	defer cancel()
	switch {
	case saveErr != nil:
		res.Err = fmt.Errorf("collect %s: store posts: %w", src.Name, saveErr)
	case spoolErr != nil:
		res.Err = fmt.Errorf("collect %s: store down, %d posts spooled: %w", src.Name, res.Spooled, spoolErr)
	case crawlErr != nil:
		res.Err = fmt.Errorf("collect %s: %w", src.Name, crawlErr)
	}
	// The high-water mark moves only when every post of the run is stored.
	if saveErr == nil && spoolErr == nil {
		next := store.SourceState{HighWater: newest, Cursor: stats.Cursor}
		if !next.HighWater.Equal(st.HighWater) || next.Cursor != st.Cursor {
			if err := c.store.SetState(fctx, src.Name, next); err != nil {
				res.Err = errors.Join(res.Err, fmt.Errorf("collect %s: %w", src.Name, err))
			}
		}
	}
	run := store.Run{ID: runID, Source: src.Name, Started: started, Finished: c.opts.Now(),
		Pages: stats.Pages, Posts: stats.Posts, NewPosts: res.New, Errs: stats.Errors, LastError: stats.LastError, HighWater: newest}
	if res.Err != nil && run.LastError == "" {
		run.LastError = res.Err.Error()
	}
	if err := c.store.RecordRun(fctx, run); err != nil {
		log.Warn("record crawl run", "err", err)
	}
	log.Info("source crawled", "pages", stats.Pages, "posts", stats.Posts, "stored", res.Stored,
		"new", res.New, "errors", stats.Errors, "duration", time.Since(wall).Round(time.Millisecond))
	return res
}
