package drivers

import (
	"context"
	"fmt"
	"hash/fnv"
	"strings"
	"sync"
	"time"
)

// Post is one stored post as a baseline counts it.
type Post struct {
	// Key identifies the post across its sightings (the store's post_key):
	// a post is counted once, however often it is stored again.
	Key       string
	Published time.Time
	// Version is when this row of the post was stored (the store's
	// version): a baseline reads only the rows stored since it last looked.
	Version     uint64
	Title, Text string
}

// Body is what a post is counted by: a reply's own words, or its title
// when it has no text.
func Body(title, text string) string {
	if text = strings.TrimSpace(text); text != "" {
		return text
	}
	return strings.TrimSpace(title)
}

// Source reads the posts a Baseline counts. *store.Store is one.
type Source interface {
	// BaselinePosts returns a topic's posts published in [from, to) with a
	// row stored after version since (0: all of them), one per post.
	BaselinePosts(ctx context.Context, topic string, from, to time.Time, since uint64) ([]Post, error)
}

// BaselineOptions tune a Baseline.
type BaselineOptions struct {
	// Bucket is the span posts are counted in (default an hour). A
	// baseline asked for [from, to) counts the whole buckets from the one
	// holding from up to the one holding to, that one excluded.
	Bucket time.Duration
	// MaxEntries bounds the memory: the term counts, post keys and totals
	// held across topics (default 4,000,000, a few hundred MB at most).
	// Past it the least recently used topics are dropped, and counted
	// again from the Source when next asked for.
	MaxEntries int
	// Keep is how far before the baseline's start buckets are kept for
	// rules with longer windows (default two days); older ones are dropped
	// as the baseline slides.
	Keep time.Duration
	// Overlap is how far back, in version units (nanoseconds), each
	// refresh reads before the newest version it saw, so a write that was
	// in flight during the last read is not missed (default five minutes).
	// Posts already counted are recognised by their key.
	Overlap uint64
}

func (o BaselineOptions) withDefaults() BaselineOptions {
	if o.Bucket <= 0 {
		o.Bucket = time.Hour
	}
	if o.MaxEntries <= 0 {
		o.MaxEntries = 4_000_000
	}
	if o.Keep <= 0 {
		o.Keep = 48 * time.Hour
	}
	if o.Overlap == 0 {
		o.Overlap = uint64(5 * time.Minute)
	}
	return o
}

// Baseline keeps, per topic, the term counts of the posts stored in
// hourly buckets and a running total over the span last asked for, so an
// alert ranks its window against a week of posts without counting the
// week again. It is filled lazily from a Source: the first question about
// a topic counts its span once; later ones read only the posts stored
// since (by version) and the buckets the span slid onto, and drop the
// buckets it slid off. Nothing is lost across a restart: a new Baseline
// counts from the Source again. It is safe for concurrent use.
type Baseline struct {
	tok Tokenizer
	src Source
	o   BaselineOptions

	mu     sync.Mutex
	topics map[string]*topicCounts
	clock  uint64
}

// NewBaseline returns an empty Baseline reading posts from src.
func NewBaseline(tok Tokenizer, src Source, o BaselineOptions) *Baseline {
	return &Baseline{tok: tok, src: src, o: o.withDefaults(), topics: map[string]*topicCounts{}}
}

type bucket struct {
	posts int
	terms map[string]int32
	keys  []uint64
}

type topicCounts struct {
	exclude string // the exclusions the counts were made with
	ex      Exclusions
	buckets map[int64]*bucket
	keys    map[uint64]int64 // post key hash → its bucket
	// loaded is the span of buckets counted in full, [loadLo, loadHi);
	// sum totals [lo, hi).
	loadLo, loadHi int64
	lo, hi         int64
	sum            Counts
	version        uint64
	used           uint64
	entries        int
}

// Stats describe what a Baseline holds.
type Stats struct {
	Topics, Buckets, Entries int
}

// Stats returns what the Baseline holds now.
func (b *Baseline) Stats() Stats {
	b.mu.Lock()
	defer b.mu.Unlock()
	var s Stats
	for _, t := range b.topics {
		s.Topics++
		s.Buckets += len(t.buckets)
		s.Entries += t.entries
	}
	return s
}

// Rank ranks window's terms (counted with the same exclusions) against
// the topic's posts published in [from, to), as Distinctive does.
func (b *Baseline) Rank(ctx context.Context, topic string, exclude []string, from, to time.Time, window Counts, o Options) ([]Term, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	t, err := b.counts(ctx, topic, exclude, from, to)
	if err != nil {
		return nil, err
	}
	terms := Distinctive(window, t.sum, o)
	b.evict(t)
	return terms, nil
}

// Counts returns a copy of the topic's counts over [from, to).
func (b *Baseline) Counts(ctx context.Context, topic string, exclude []string, from, to time.Time) (Counts, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	t, err := b.counts(ctx, topic, exclude, from, to)
	if err != nil {
		return Counts{}, err
	}
	c := Counts{Posts: t.sum.Posts, Terms: make(map[string]int, len(t.sum.Terms))}
	for k, v := range t.sum.Terms {
		c.Terms[k] = v
	}
	b.evict(t)
	return c, nil
}

func (b *Baseline) index(at time.Time) int64 {
	return at.UnixNano() / int64(b.o.Bucket) // times before 1970 are not posts
}

func (b *Baseline) start(i int64) time.Time { return time.Unix(0, i*int64(b.o.Bucket)).UTC() }

// counts brings the topic's total to the buckets of [from, to): it reads
// what was stored since the last look, counts the buckets not yet
// counted, moves the total and drops the buckets left far behind.
func (b *Baseline) counts(ctx context.Context, topic string, exclude []string, from, to time.Time) (*topicCounts, error) {
	lo, hi := b.index(from), b.index(to)
	if hi < lo {
		hi = lo
	}
	key := strings.ToLower(strings.Join(exclude, "\x00"))
	keep := int64(b.o.Keep / b.o.Bucket)
	t := b.topics[topic]
	if t != nil && (t.exclude != key || hi < t.loadLo-keep || lo > t.loadHi+keep) {
		t = nil // other exclusions, or a span far from what is held: start again
	}
	if t == nil {
		t = &topicCounts{exclude: key, ex: excluded(exclude), buckets: map[int64]*bucket{}, keys: map[uint64]int64{},
			loadLo: lo, loadHi: lo, lo: lo, hi: lo, sum: Counts{Terms: map[string]int{}}}
		b.topics[topic] = t
	}
	b.clock++
	t.used = b.clock
	// What was stored since the last look, in the buckets already counted.
	if t.loadHi > t.loadLo {
		since := uint64(0) // nothing seen yet: read the span again
		if t.version > b.o.Overlap {
			since = t.version - b.o.Overlap
		}
		if err := b.load(ctx, topic, t, t.loadLo, t.loadHi, since); err != nil {
			return nil, err
		}
	}
	// The buckets the span reaches that were never counted.
	if t.loadHi == t.loadLo {
		if err := b.load(ctx, topic, t, lo, hi, 0); err != nil {
			return nil, err
		}
		t.loadLo, t.loadHi = lo, hi
	} else {
		if lo < t.loadLo {
			if err := b.load(ctx, topic, t, lo, t.loadLo, 0); err != nil {
				return nil, err
			}
			t.loadLo = lo
		}
		if hi > t.loadHi {
			if err := b.load(ctx, topic, t, t.loadHi, hi, 0); err != nil {
				return nil, err
			}
			t.loadHi = hi
		}
	}
	// Move the total: subtract the buckets it leaves, add those it enters.
	for i := t.lo; i < t.hi; i++ {
		if i < lo || i >= hi {
			t.apply(t.buckets[i], -1)
		}
	}
	for i := lo; i < hi; i++ {
		if i < t.lo || i >= t.hi {
			t.apply(t.buckets[i], 1)
		}
	}
	t.lo, t.hi = lo, hi
	// Drop what the span left far behind (or ahead, for a backtest going
	// back in time).
	if t.loadLo < lo-keep || t.loadHi > hi+keep {
		for i, bk := range t.buckets {
			if i >= lo-keep && i < hi+keep {
				continue
			}
			for _, k := range bk.keys {
				delete(t.keys, k)
			}
			delete(t.buckets, i)
		}
		t.loadLo, t.loadHi = max(t.loadLo, lo-keep), min(t.loadHi, hi+keep)
	}
	t.entries = len(t.sum.Terms) + len(t.keys)
	for _, bk := range t.buckets {
		t.entries += len(bk.terms)
	}
	return t, nil
}

// load counts the topic's posts of buckets [lo, hi) stored after since.
func (b *Baseline) load(ctx context.Context, topic string, t *topicCounts, lo, hi int64, since uint64) error {
	if hi <= lo {
		return nil
	}
	posts, err := b.src.BaselinePosts(ctx, topic, b.start(lo), b.start(hi), since)
	if err != nil {
		return fmt.Errorf("drivers: baseline of %s: %w", topic, err)
	}
	seen := map[string]struct{}{}
	for _, p := range posts {
		t.version = max(t.version, p.Version)
		i := b.index(p.Published)
		if i < lo || i >= hi {
			continue
		}
		h := fnv.New64a()
		h.Write([]byte(p.Key))
		k := h.Sum64()
		if _, ok := t.keys[k]; ok {
			continue // counted already: a new sighting, a rescore
		}
		t.keys[k] = i
		bk := t.buckets[i]
		if bk == nil {
			bk = &bucket{terms: map[string]int32{}}
			t.buckets[i] = bk
		}
		bk.posts++
		bk.keys = append(bk.keys, k)
		in := i >= t.lo && i < t.hi
		if in {
			t.sum.Posts++
		}
		clear(seen)
		for _, term := range termsOf(b.tok, Body(p.Title, p.Text), t.ex) {
			if _, ok := seen[term]; ok {
				continue
			}
			seen[term] = struct{}{}
			bk.terms[term]++
			if in {
				t.sum.Terms[term]++
			}
		}
	}
	return nil
}

// apply adds (sign 1) or subtracts (-1) a bucket's counts to the total.
func (t *topicCounts) apply(bk *bucket, sign int) {
	if bk == nil {
		return
	}
	t.sum.Posts += sign * bk.posts
	for term, n := range bk.terms {
		v := t.sum.Terms[term] + sign*int(n)
		if v <= 0 {
			delete(t.sum.Terms, term)
		} else {
			t.sum.Terms[term] = v
		}
	}
}

// evict drops the least recently used topics other than keep while the
// Baseline holds more than MaxEntries, and keep itself when it alone is
// over: it is counted again when next asked for.
func (b *Baseline) evict(keep *topicCounts) {
	total := 0
	for _, t := range b.topics {
		total += t.entries
	}
	for total > b.o.MaxEntries {
		var oldest string
		var ot *topicCounts
		for name, t := range b.topics {
			if t != keep && (ot == nil || t.used < ot.used) {
				oldest, ot = name, t
			}
		}
		if ot == nil {
			for name, t := range b.topics {
				if t == keep {
					delete(b.topics, name)
				}
			}
			return
		}
		total -= ot.entries
		delete(b.topics, oldest)
	}
}
