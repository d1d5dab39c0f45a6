package pipeline

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/backlash-monitor/backlash/internal/config"
	"github.com/backlash-monitor/backlash/internal/crawler"
	"github.com/backlash-monitor/backlash/internal/post"
	"github.com/backlash-monitor/backlash/internal/store"
)

// fakeCrawler emits a fixed number of posts per source, pausing between
// posts when the source has a delay.
type fakeCrawler struct {
	posts map[string]int
	pause map[string]time.Duration
}

func (f fakeCrawler) Crawl(ctx context.Context, src *config.Source, st crawler.State, emit func(post.Post) error) (crawler.Stats, error) {
	stats := crawler.Stats{NewHighWater: st.HighWater}
	t0 := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	for i := 0; i < f.posts[src.Name]; i++ {
		if d := f.pause[src.Name]; d > 0 {
			time.Sleep(d)
		}
		p := post.Post{Source: src.Name, ID: fmt.Sprintf("%s-%d", src.Name, i), Text: "text",
			Published: t0.Add(time.Duration(i) * time.Second), Fetched: t0.Add(time.Hour)}
		if err := emit(p); err != nil {
			return stats, err
		}
		stats.Posts++
		if p.Published.After(stats.NewHighWater) {
			stats.NewHighWater = p.Published
		}
	}
	stats.Pages = 1
	return stats, nil
}

// keepAll is a Processor that keeps every post.
type keepAll struct{}

func (keepAll) Process(posts []post.Post, _ []string, _ bool) []post.Post { return posts }

// recordingStore is a PostStore that remembers every call; IDs listed in
// known count as already stored, and fail makes SavePosts fail.
type recordingStore struct {
	mu      sync.Mutex
	known   map[string]bool
	fail    bool
	batches [][]post.Post
	at      []time.Time // when each batch was stored
	states  []map[string]store.SourceState
	runs    [][]store.Run
}

func (s *recordingStore) SavePosts(_ context.Context, posts []post.Post) (store.SaveResult, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail {
		return store.SaveResult{}, errors.New("connection refused")
	}
	s.batches = append(s.batches, append([]post.Post(nil), posts...))
	s.at = append(s.at, time.Now())
	var res store.SaveResult
	res.BySource = map[string]store.SaveCounts{}
	for _, p := range posts {
		c := res.BySource[p.Source]
		if s.known[p.ID] {
			c.Updated++
			res.Updated++
		} else {
			c.New++
			res.New++
		}
		res.BySource[p.Source] = c
	}
	return res, nil
}

func (s *recordingStore) State(context.Context, string) (store.SourceState, error) {
	return store.SourceState{}, nil
}

func (s *recordingStore) SetStates(_ context.Context, st map[string]store.SourceState) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(st) > 0 {
		s.states = append(s.states, st)
	}
	return nil
}

func (s *recordingStore) RecordRuns(_ context.Context, runs []store.Run) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.runs = append(s.runs, runs)
	return nil
}

// batchSources returns the sources of each stored batch, sorted.
func (s *recordingStore) batchSources() [][]string {
	var out [][]string
	for _, b := range s.batches {
		seen := map[string]bool{}
		var names []string
		for _, p := range b {
			if !seen[p.Source] {
				seen[p.Source] = true
				names = append(names, p.Source)
			}
		}
		sort.Strings(names)
		out = append(out, names)
	}
	return out
}

func sources(names ...string) []config.Source {
	out := make([]config.Source, len(names))
	for i, n := range names {
		out[i] = config.Source{Name: n}
	}
	return out
}

// TestCollectAllSharesBatches runs the collection in a synctest bubble,
// whose clock moves only when every goroutine of the collection waits:
// crawling, processing and storing take no time on it, while a source's
// pauses and the batch wait take exactly their length. So the batches
// (their sizes, and when each is stored) are those the batching rules
// give, however busy the machine is; on the wall clock a loaded machine
// let the batch wait expire while sources still crawled.
func TestCollectAllSharesBatches(t *testing.T) {
	const wait = 50 * time.Millisecond
	tests := []struct {
		name      string
		posts     map[string]int
		pause     map[string]time.Duration
		batchSize int
		// wantSizes is the size of each stored batch, in order, and
		// wantAt when each was stored after the collection began.
		wantSizes []int
		wantAt    []time.Duration
	}{
		{
			name:      "small sources share one insert",
			posts:     map[string]int{"forum": 40, "news": 3, "api": 25},
			batchSize: 1000,
			wantSizes: []int{68},
			wantAt:    []time.Duration{0},
		},
		{
			name:      "full batches are stored as the crawl goes on",
			posts:     map[string]int{"forum": 1500, "news": 7, "api": 1200},
			batchSize: 1000,
			wantSizes: []int{1000, 1000, 707},
			wantAt:    []time.Duration{0, 0, 0},
		},
		{
			name:      "a finished source waits only the batch wait for a slow one",
			posts:     map[string]int{"slow": 12, "news": 5},
			pause:     map[string]time.Duration{"slow": 20 * time.Millisecond},
			batchSize: 1000,
			// news waits 50ms and goes alone; slow's posts follow when
			// its crawl ends, after 12 pauses.
			wantSizes: []int{5, 12},
			wantAt:    []time.Duration{wait, 12 * 20 * time.Millisecond},
		},
		{
			name:      "a source finishing within the batch wait shares the insert",
			posts:     map[string]int{"slow": 4, "news": 5},
			pause:     map[string]time.Duration{"slow": 10 * time.Millisecond},
			batchSize: 1000,
			// slow ends after 40ms, before news's 50ms are up.
			wantSizes: []int{9},
			wantAt:    []time.Duration{4 * 10 * time.Millisecond},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				st := &recordingStore{known: map[string]bool{"forum-0": true, "forum-1": true}}
				c := NewCollector(fakeCrawler{posts: tc.posts, pause: tc.pause}, keepAll{}, st,
					Options{BatchSize: tc.batchSize, BatchWait: wait, Logger: slog.New(slog.DiscardHandler)})
				var names []string
				for n := range tc.posts {
					names = append(names, n)
				}
				sort.Strings(names)
				start := time.Now()
				res, err := c.CollectAll(context.Background(), "run-1", sources(names...))
				if err != nil {
					t.Fatal(err)
				}
				var sizes []int
				var at []time.Duration
				ids := map[string]bool{}
				for i, b := range st.batches {
					sizes = append(sizes, len(b))
					at = append(at, st.at[i].Sub(start))
					for _, p := range b {
						if ids[p.ID] {
							t.Errorf("post %s stored twice", p.ID)
						}
						ids[p.ID] = true
					}
				}
				if fmt.Sprint(sizes) != fmt.Sprint(tc.wantSizes) {
					t.Errorf("batch sizes %v, want %v (sources %v)", sizes, tc.wantSizes, st.batchSources())
				}
				if fmt.Sprint(at) != fmt.Sprint(tc.wantAt) {
					t.Errorf("batches stored at %v, want %v", at, tc.wantAt)
				}
				for _, r := range res {
					want := tc.posts[r.Source]
					wantUpdated := 0
					if r.Source == "forum" {
						wantUpdated = 2
					}
					if r.Stored != want || r.New != want-wantUpdated || r.Updated != wantUpdated {
						t.Errorf("%s: stored %d new %d updated %d, want %d, %d, %d", r.Source, r.Stored, r.New, r.Updated,
							want, want-wantUpdated, wantUpdated)
					}
				}
				if len(st.states) != 1 || len(st.states[0]) != len(tc.posts) {
					t.Errorf("states written %v, want one insert of %d", st.states, len(tc.posts))
				}
				if len(st.runs) != 1 || len(st.runs[0]) != len(tc.posts) {
					t.Errorf("runs recorded %v, want one insert of %d", st.runs, len(tc.posts))
				}
			})
		})
	}
}

func TestCollectKeepsRunsOfOneSourceApart(t *testing.T) {
	// Two collections of the same source at once (two runs overlapping)
	// never share a batch, so each gets its own counts.
	st := &recordingStore{known: map[string]bool{}}
	cr := fakeCrawler{posts: map[string]int{"forum": 30}, pause: map[string]time.Duration{"forum": time.Millisecond}}
	c := NewCollector(cr, keepAll{}, st, Options{BatchSize: 1000, BatchWait: time.Second, Logger: slog.New(slog.DiscardHandler)})
	var wg sync.WaitGroup
	results := make([]SourceResult, 2)
	for i := range results {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			src := config.Source{Name: "forum"}
			results[i] = c.Collect(context.Background(), fmt.Sprintf("run-%d", i), &src)
		}(i)
	}
	wg.Wait()
	for _, b := range st.batches {
		ids := map[string]bool{}
		for _, p := range b {
			if ids[p.ID] {
				t.Fatalf("a batch holds %s twice: two runs were mixed", p.ID)
			}
			ids[p.ID] = true
		}
	}
	for i, r := range results {
		if r.Err != nil || r.Stored != 30 || r.New != 30 {
			t.Errorf("run %d: stored %d new %d err %v, want 30, 30, nil", i, r.Stored, r.New, r.Err)
		}
	}
}

func TestCollectAllStoreDown(t *testing.T) {
	// Without a spool every source of a failed batch fails and keeps its
	// state; with one, every post lands in its run's spool file.
	for _, withSpool := range []bool{false, true} {
		t.Run(fmt.Sprintf("spool=%v", withSpool), func(t *testing.T) {
			st := &recordingStore{fail: true}
			o := Options{BatchSize: 100, Logger: slog.New(slog.DiscardHandler)}
			var sp *Spool
			if withSpool {
				sp = NewSpool(t.TempDir())
				o.Spool = sp
			}
			c := NewCollector(fakeCrawler{posts: map[string]int{"forum": 250, "news": 4}}, keepAll{}, st, o)
			res, err := c.CollectAll(context.Background(), "run-1", sources("forum", "news"))
			if err == nil {
				t.Fatal("CollectAll succeeded with the store down")
			}
			if len(st.states) != 0 {
				t.Errorf("states moved with the store down: %v", st.states)
			}
			if !withSpool {
				return
			}
			n, err := sp.Pending()
			if err != nil {
				t.Fatal(err)
			}
			if n != 254 || res[0].Spooled != 250 || res[1].Spooled != 4 {
				t.Errorf("spooled %d (forum %d, news %d), want 254 (250, 4)", n, res[0].Spooled, res[1].Spooled)
			}
		})
	}
}

func TestCollectAloneDoesNotWait(t *testing.T) {
	// With no other source crawling, a finished source's posts are stored
	// at once, not after the batch wait.
	st := &recordingStore{known: map[string]bool{}}
	c := NewCollector(fakeCrawler{posts: map[string]int{"forum": 10}}, keepAll{}, st,
		Options{BatchSize: 1000, BatchWait: time.Minute, Logger: slog.New(slog.DiscardHandler)})
	src := config.Source{Name: "forum"}
	start := time.Now()
	r := c.Collect(context.Background(), "run-1", &src)
	if took := time.Since(start); took > 10*time.Second || r.Stored != 10 {
		t.Fatalf("Collect stored %d posts in %s, want 10 without waiting for the batch wait", r.Stored, took)
	}
}

// gatedProcessor holds its first chunk until the crawl has emitted the
// post after it, and fails the run when that takes too long.
type gatedProcessor struct {
	next  chan struct{} // closed when the crawl emits post processChunk
	late  chan struct{} // closed when the wait timed out
	calls int
}

func (g *gatedProcessor) Process(posts []post.Post, _ []string, _ bool) []post.Post {
	g.calls++
	if g.calls == 1 {
		select {
		case <-g.next:
		case <-time.After(10 * time.Second):
			close(g.late)
		}
	}
	return posts
}

func TestCrawlGoesOnWhileAChunkIsScored(t *testing.T) {
	// A source's crawl reads the next posts while the chunk before them
	// is tagged and scored: scoring is not on the crawl's path.
	g := &gatedProcessor{next: make(chan struct{}), late: make(chan struct{})}
	st := &recordingStore{known: map[string]bool{}}
	emitted := 0
	crawl := crawlFunc(func(emit func(post.Post) error) error {
		for i := 0; i < 2*processChunk+1; i++ {
			if err := emit(post.Post{Source: "forum", ID: fmt.Sprintf("p%d", i), Text: "text",
				Published: time.Date(2026, 3, 2, 0, 0, i, 0, time.UTC)}); err != nil {
				return err
			}
			if emitted++; emitted == processChunk+1 {
				close(g.next)
			}
		}
		return nil
	})
	c := NewCollector(crawl, g, st, Options{BatchSize: 1000, Logger: slog.New(slog.DiscardHandler)})
	r := c.Collect(context.Background(), "run-1", &config.Source{Name: "forum"})
	select {
	case <-g.late:
		t.Fatalf("the crawl waited for the first chunk to be scored before emitting post %d", processChunk+1)
	default:
	}
	if r.Stored != 2*processChunk+1 {
		t.Fatalf("stored %d posts, want %d", r.Stored, 2*processChunk+1)
	}
	var ids []string
	for _, b := range st.batches {
		for _, p := range b {
			ids = append(ids, p.ID)
		}
	}
	for i, id := range ids {
		if want := fmt.Sprintf("p%d", i); id != want {
			t.Fatalf("post %d stored as %s, want %s: chunks kept their crawl order", i, id, want)
		}
	}
}

// crawlFunc is a Crawler that runs a function over emit.
type crawlFunc func(emit func(post.Post) error) error

func (f crawlFunc) Crawl(_ context.Context, _ *config.Source, st crawler.State, emit func(post.Post) error) (crawler.Stats, error) {
	return crawler.Stats{NewHighWater: st.HighWater}, f(emit)
}
