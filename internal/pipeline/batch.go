package pipeline

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/backlash-monitor/backlash/internal/post"
)

// batcher stores the posts of every source being collected in shared
// batches: one INSERT carries the posts of several sources, so a run over
// many sources makes a few large parts in ClickHouse instead of a small one
// per source (see docs/scaling.md). Batches are stored by a goroutine of
// their own while the crawls go on, and at most two wait for it, which
// bounds memory when the store is slower than the crawl.
//
// A batch is stored when it reaches the batch size, when no source is
// still crawling, or when a source that has finished has waited the batch
// wait for others to fill it.
type batcher struct {
	store   PostStore
	spool   *Spool
	size    int
	wait    time.Duration
	log     *slog.Logger
	metrics Metrics

	mu       sync.Mutex
	cond     *sync.Cond // broadcast when a batch is stored or leaves the queue
	buf      []post.Post
	segs     []segment // who added the posts in buf, in order
	crawling int       // tickets not yet finished
	queue    []*batch  // batches waiting for the storing goroutine
	storing  bool      // the storing goroutine is running
	timer    *time.Timer
}

// segment is n consecutive posts of a batch added by one ticket.
type segment struct {
	t *ticket
	n int
}

// batch is a set of posts stored in one call.
type batch struct {
	posts []post.Post
	segs  []segment
}

// ticket is one source's share of the batcher during one collection. Its
// counts are written under the batcher's lock.
type ticket struct {
	runID, source string

	pending  int // posts added and not yet stored or spooled
	stored   int
	new      int
	updated  int
	spooled  int
	saveErr  error       // the store failed and posts could not be spooled
	spoolErr error       // the store failed and posts went to the spool
	failed   atomic.Bool // saveErr is set: stop crawling
}

func newBatcher(s PostStore, o Options) *batcher {
	b := &batcher{store: s, spool: o.Spool, size: o.BatchSize, wait: o.BatchWait, log: o.Logger, metrics: o.Metrics}
	b.cond = sync.NewCond(&b.mu)
	return b
}

// open starts a source's collection.
func (b *batcher) open(runID, source string) *ticket {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.crawling++
	return &ticket{runID: runID, source: source}
}

// add queues processed posts of t for storing, cutting a batch each time
// the buffer reaches the batch size. It copies the posts, and blocks while
// two batches already wait for the store.
func (b *batcher) add(t *ticket, posts []post.Post) {
	if len(posts) == 0 {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, s := range b.segs {
		if s.t != t && s.t.source == t.source {
			// Counts come back per source: keep two runs of one source
			// in separate batches.
			b.cut()
			break
		}
	}
	t.pending += len(posts)
	for len(posts) > 0 {
		if b.buf == nil {
			b.buf = make([]post.Post, 0, b.size)
		}
		n := min(len(posts), b.size-len(b.buf))
		b.buf = append(b.buf, posts[:n]...)
		if k := len(b.segs); k > 0 && b.segs[k-1].t == t {
			b.segs[k-1].n += n
		} else {
			b.segs = append(b.segs, segment{t: t, n: n})
		}
		posts = posts[n:]
		if len(b.buf) == b.size {
			b.cut()
		}
	}
	for len(b.queue) > 1 {
		b.cond.Wait()
	}
}

// finish waits until every post t added is stored or spooled.
func (b *batcher) finish(t *ticket) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.crawling--
	switch {
	case b.crawling == 0:
		b.cut()
	case b.timer == nil && b.holds(t):
		var tm *time.Timer
		tm = time.AfterFunc(b.wait, func() {
			b.mu.Lock()
			defer b.mu.Unlock()
			if b.timer == tm {
				b.cut()
			}
		})
		b.timer = tm
	}
	for t.pending > 0 {
		b.cond.Wait()
	}
}

// holds reports whether the buffer has posts of t. Call it with b.mu held.
func (b *batcher) holds(t *ticket) bool {
	for _, s := range b.segs {
		if s.t == t {
			return true
		}
	}
	return false
}

// cut hands the buffered posts to the storing goroutine. Call it with b.mu
// held.
func (b *batcher) cut() {
	if b.timer != nil {
		b.timer.Stop()
		b.timer = nil
	}
	if len(b.buf) == 0 {
		return
	}
	b.queue = append(b.queue, &batch{posts: b.buf, segs: b.segs})
	b.buf, b.segs = nil, nil
	if !b.storing {
		b.storing = true
		go b.storeQueued()
	}
}

// storeQueued stores the queued batches in order, then exits.
func (b *batcher) storeQueued() {
	b.mu.Lock()
	defer b.mu.Unlock()
	for len(b.queue) > 0 {
		bt := b.queue[0]
		b.queue = b.queue[1:]
		b.cond.Broadcast()
		b.mu.Unlock()
		done := b.storeBatch(bt)
		b.mu.Lock()
		done()
		b.cond.Broadcast()
	}
	b.storing = false
}

// storeBatch stores one batch, spooling it when the store fails, and
// returns the update of its tickets to apply under b.mu.
//
// Batches are stored with a context that is never cancelled: cancelling a
// context the driver saw can close a pooled connection that another query
// is already using, and what was collected is stored even when the run is
// stopped. The driver's own read and dial timeouts bound a hung server.
func (b *batcher) storeBatch(bt *batch) (apply func()) {
	t0 := time.Now()
	sr, err := b.store.SavePosts(context.Background(), bt.posts)
	if err == nil {
		if b.metrics != nil {
			b.metrics.Inserted(len(bt.posts), time.Since(t0))
		}
		return func() {
			counted := map[*ticket]bool{}
			for _, s := range bt.segs {
				s.t.pending -= s.n
				s.t.stored += s.n
				if !counted[s.t] {
					counted[s.t] = true
					c := sr.BySource[s.t.source]
					s.t.new += c.New
					s.t.updated += c.Updated
				}
			}
		}
	}
	spoolErrs := make([]error, len(bt.segs))
	if b.spool != nil {
		at := 0
		for i, s := range bt.segs {
			spoolErrs[i] = b.spool.Append(s.t.runID, bt.posts[at:at+s.n])
			if spoolErrs[i] == nil {
				b.log.Warn("store failed; posts spooled for the next run", "source", s.t.source, "run", s.t.runID,
					"posts", s.n, "err", err)
			}
			at += s.n
		}
	}
	return func() {
		for i, s := range bt.segs {
			t := s.t
			t.pending -= s.n
			switch {
			case b.spool == nil:
				t.saveErr = err
			case spoolErrs[i] != nil:
				t.saveErr = errors.Join(err, spoolErrs[i])
			default:
				t.spooled += s.n
				t.spoolErr = err
				continue
			}
			t.failed.Store(true)
		}
	}
}
