package pipeline

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/backlash-monitor/backlash/internal/config"
	"github.com/backlash-monitor/backlash/internal/crawler"
	"github.com/backlash-monitor/backlash/internal/post"
	"github.com/backlash-monitor/backlash/internal/store"
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
	SetStates(ctx context.Context, states map[string]store.SourceState) error
	RecordRuns(ctx context.Context, runs []store.Run) error
}

// Processor tags and scores posts; *analyzer.Analyzer is one.
type Processor interface {
	Process(posts []post.Post, allowed []string, keepUnmatched bool) []post.Post
}

// Options configures a Collector.
type Options struct {
	// BatchSize is how many posts are stored at once (default 5000). The
	// sources collected at the same time share batches.
	BatchSize int
	// BatchWait is how long the posts of a source that has finished wait
	// for sources still crawling to fill their batch (default 1s).
	BatchWait time.Duration
	// Concurrency is how many sources are crawled at once (default 4).
	Concurrency int
	// Logger receives progress logs (default slog.Default()).
	Logger *slog.Logger
	// Now is the clock (default time.Now).
	Now func() time.Time
	// FlushTimeout bounds recording the sources' states and runs after the
	// run's context is cancelled (default 30s).
	FlushTimeout time.Duration
	// Spool keeps posts the store could not take; nil loses nothing only
	// as long as the store stays up (the run then fails and the high-water
	// mark stays put, so the next run fetches them again).
	Spool *Spool
	// Metrics receives crawl and insert figures; nil for none.
	Metrics Metrics
	// SourceDeadline bounds a source's crawl when the source sets no
	// deadline of its own (default 5m). A source cut at its deadline keeps
	// what it collected, and its run records why it was cut.
	SourceDeadline time.Duration
}

// ErrRunDeadline is the cause of a crawl cut at the run's deadline.
var ErrRunDeadline = errors.New("run deadline")

// errSourceDeadline is the cause of a crawl cut at its source's deadline.
var errSourceDeadline = errors.New("source deadline")

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
	batch   *batcher
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
	if o.BatchWait <= 0 {
		o.BatchWait = time.Second
	}
	if o.FlushTimeout == 0 {
		o.FlushTimeout = 30 * time.Second
	}
	if o.SourceDeadline <= 0 {
		o.SourceDeadline = 5 * time.Minute
	}
	return &Collector{crawler: c, proc: p, store: s, batch: newBatcher(s, o), opts: o}
}

// SourceResult is what one source's crawl did.
type SourceResult struct {
	Source string
	crawler.Stats
	// Stored is how many posts were stored; New and Updated split them.
	Stored, New, Updated int
	// Spooled is how many posts went to the spool because the store failed.
	Spooled int
	// Cut says why the crawl was stopped before it ended ("source
	// deadline 5m0s", "run deadline"), empty when it ran to its end. What
	// a cut crawl collected is stored.
	Cut string
	// Err is the crawl's error, if it failed.
	Err error
}

// CollectAll crawls the sources, several at once, and returns one result
// per source in their order. Their posts share batches, and their states
// and runs are recorded in one insert each. The error joins the sources'
// errors.
func (c *Collector) CollectAll(ctx context.Context, runID string, sources []config.Source) ([]SourceResult, error) {
	return c.CollectEach(ctx, runID, sources, nil)
}

// CollectEach is CollectAll that calls done(i, result) as soon as source i
// is finished and its posts are stored, from the source's goroutine, while
// the other sources go on. done may be nil.
func (c *Collector) CollectEach(ctx context.Context, runID string, sources []config.Source, done func(int, SourceResult)) ([]SourceResult, error) {
	runs := make([]*sourceRun, len(sources))
	// Every source holds a ticket from the start, so the batcher knows
	// which are still to come and does not store a batch early for them.
	tickets := make([]*ticket, len(sources))
	for i := range sources {
		tickets[i] = c.batch.open(runID, sources[i].Name)
	}
	sem := make(chan struct{}, c.opts.Concurrency)
	var wg sync.WaitGroup
	for i := range sources {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			if done != nil {
				defer func() { done(i, runs[i].res) }()
			}
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				c.batch.finish(tickets[i])
				runs[i] = &sourceRun{res: SourceResult{Source: sources[i].Name, Err: ctx.Err()}, skipped: true}
				if errors.Is(context.Cause(ctx), ErrRunDeadline) {
					runs[i].res.Cut = "run deadline"
					runs[i].res.Err = fmt.Errorf("collect %s: not started before the run deadline", sources[i].Name)
				}
				return
			}
			defer func() { <-sem }()
			runs[i] = c.collect(ctx, runID, &sources[i], tickets[i])
		}(i)
	}
	wg.Wait()
	c.record(ctx, runs)
	results := make([]SourceResult, len(runs))
	var errs []error
	for i, r := range runs {
		results[i] = r.res
		if r.res.Err != nil {
			errs = append(errs, r.res.Err)
		}
	}
	return results, errors.Join(errs...)
}

// Collect crawls one source: it resumes from the stored state, stores posts
// in batches as they arrive, and records the run. The state moves only if
// every post was stored.
func (c *Collector) Collect(ctx context.Context, runID string, src *config.Source) SourceResult {
	r := c.collect(ctx, runID, src, c.batch.open(runID, src.Name))
	c.record(ctx, []*sourceRun{r})
	return r.res
}

// sourceRun is one source's collection, to be recorded.
type sourceRun struct {
	res SourceResult
	// skipped is set when the run was cancelled before the source started.
	skipped bool
	log     *slog.Logger
	run     store.Run
	// next is the state to store, nil to leave it.
	next *store.SourceState
	// wall is when the collection began in real time, so durations are
	// real even on a simulated clock.
	wall time.Time
}

// processChunk is how many crawled posts are tagged and scored at once
// before they join a batch.
const processChunk = 256

// chunkBuffers is how many chunks of a source are in hand at once: being
// filled by the crawl, waiting, or being scored.
const chunkBuffers = 3

// collect crawls one source and stores its posts through its ticket, which
// it finishes; record writes its state and run.
func (c *Collector) collect(ctx context.Context, runID string, src *config.Source, t *ticket) *sourceRun {
	r := &sourceRun{log: c.opts.Logger.With("source", src.Name, "run", runID), wall: time.Now()}
	r.res.Source = src.Name
	started := c.opts.Now()
	st, err := c.store.State(ctx, src.Name)
	if err != nil {
		if c.opts.Spool == nil {
			c.batch.finish(t)
			r.res.Err = fmt.Errorf("collect %s: %w", src.Name, err)
			r.skipped = true
			return r
		}
		// The store is down: crawl from scratch (bounded by max_pages) into
		// the spool rather than miss what is being said now.
		r.log.Warn("store unavailable; crawling into the spool", "err", err)
		st = store.SourceState{}
	}
	// Posts are tagged and scored in chunks by a goroutine of the
	// source's own, in the order they were crawled, while the crawl reads
	// the next page; the batcher stores them while both go on. Chunk
	// buffers go round between the two, so at most chunkBuffers chunks
	// are in hand and a slow store holds the crawl back.
	chunks := make(chan []post.Post, chunkBuffers)
	free := make(chan []post.Post, chunkBuffers)
	for range chunkBuffers {
		free <- make([]post.Post, 0, processChunk)
	}
	scored := make(chan struct{})
	go func() {
		defer close(scored)
		for ch := range chunks {
			c.batch.add(t, c.proc.Process(ch, src.Topics, src.KeepUnmatched))
			free <- ch[:0]
		}
	}()
	chunk := <-free
	process := func() {
		chunks <- chunk
		chunk = <-free
	}
	deadline := src.Deadline.D()
	if deadline <= 0 {
		deadline = c.opts.SourceDeadline
	}
	cctx, cancel := context.WithTimeoutCause(ctx, deadline, errSourceDeadline)
	defer cancel()
	stats, crawlErr := c.crawler.Crawl(cctx, src, crawler.State{HighWater: st.HighWater, Cursor: st.Cursor}, func(p post.Post) error {
		if t.failed.Load() {
			return errStoreFailed
		}
		p.SettleTimes(c.opts.Now())
		chunk = append(chunk, p)
		if len(chunk) == processChunk {
			process()
		}
		return nil
	})
	if len(chunk) > 0 {
		chunks <- chunk
	}
	close(chunks)
	<-scored
	c.batch.finish(t)
	res := &r.res
	res.Stats = stats
	res.Stored, res.New, res.Updated, res.Spooled = t.stored, t.new, t.updated, t.spooled
	if c.opts.Metrics != nil {
		c.opts.Metrics.CrawlDone(src.Name, stats.Pages, stats.Posts, stats.Errors, stats.Duration)
	}
	if errors.Is(crawlErr, errStoreFailed) {
		crawlErr = nil // reported as the store's error
	}
	if crawlErr != nil && cctx.Err() != nil {
		// Cut at a deadline: what was collected is stored; the error says
		// which deadline and how far the crawl got.
		switch cause := context.Cause(cctx); {
		case errors.Is(cause, errSourceDeadline):
			res.Cut = fmt.Sprintf("source deadline %s", deadline)
		case errors.Is(cause, ErrRunDeadline):
			res.Cut = "run deadline"
		}
		if res.Cut != "" {
			crawlErr = fmt.Errorf("cut at the %s after %d pages; %d posts kept", res.Cut, stats.Pages, stats.Posts)
			r.log.Warn("crawl cut", "why", res.Cut, "pages", stats.Pages, "posts", stats.Posts)
		}
	}
	switch {
	case t.saveErr != nil:
		res.Err = fmt.Errorf("collect %s: store posts: %w", src.Name, t.saveErr)
	case t.spoolErr != nil:
		res.Err = fmt.Errorf("collect %s: store down, %d posts spooled: %w", src.Name, res.Spooled, t.spoolErr)
	case crawlErr != nil:
		res.Err = fmt.Errorf("collect %s: %w", src.Name, crawlErr)
	}
	// The crawler computes the high-water mark from every post it emitted,
	// kept or not. It moves only when every post of the run is stored
	// and the crawl was not cut: a cut crawl may have skipped older pages,
	// which the next run fetches again.
	if t.saveErr == nil && t.spoolErr == nil && res.Cut == "" {
		next := store.SourceState{HighWater: stats.NewHighWater, Cursor: stats.Cursor}
		if !next.HighWater.Equal(st.HighWater) || next.Cursor != st.Cursor {
			r.next = &next
		}
	}
	r.run = store.Run{ID: runID, Source: src.Name, Started: started, Finished: c.opts.Now(),
		Pages: stats.Pages, Posts: stats.Posts, NewPosts: res.New, Errs: stats.Errors, LastError: stats.LastError, HighWater: stats.NewHighWater}
	runHealth(&r.run, stats)
	if res.Cut != "" {
		r.run.LastError = res.Err.Error()
	}
	return r
}

// Save stores posts collected outside a crawl, such as those a spool
// replays, in the collector's store.
func (c *Collector) Save(ctx context.Context, posts []post.Post) error {
	_, err := c.store.SavePosts(ctx, posts)
	return err
}

// record stores the states and runs of collected sources, one insert each.
func (c *Collector) record(ctx context.Context, runs []*sourceRun) {
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.opts.FlushTimeout)
	defer cancel()
	states := map[string]store.SourceState{}
	for _, r := range runs {
		if r.next != nil {
			states[r.res.Source] = *r.next
		}
	}
	if err := c.store.SetStates(fctx, states); err != nil {
		for _, r := range runs {
			if r.next != nil {
				r.res.Err = errors.Join(r.res.Err, fmt.Errorf("collect %s: %w", r.res.Source, err))
			}
		}
	}
	var rows []store.Run
	for _, r := range runs {
		if r.skipped {
			continue
		}
		if r.res.Err != nil && r.run.LastError == "" {
			r.run.LastError = r.res.Err.Error()
		}
		rows = append(rows, r.run)
	}
	if err := c.store.RecordRuns(fctx, rows); err != nil {
		c.opts.Logger.Warn("record crawl runs", "runs", len(rows), "err", err)
	}
	for _, r := range runs {
		if r.skipped {
			continue
		}
		s := r.res
		r.log.Info("source crawled", "pages", s.Pages, "posts", s.Posts, "stored", s.Stored,
			"new", s.New, "errors", s.Errors, "duration", time.Since(r.wall).Round(time.Millisecond))
	}
}
