package drivers_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"sync"
	"testing"
	"time"

	"github.com/backlash-monitor/backlash/internal/analyzer/drivers"
	"github.com/backlash-monitor/backlash/internal/demo"
)

// memSource is a store in memory: posts with the version they were stored
// at, answering as the store's BaselinePosts does.
type memSource struct {
	mu      sync.Mutex
	posts   map[string][]drivers.Post // topic → rows, sightings included
	version uint64
	reads   int // rows returned, over all calls
	fail    error
}

func (m *memSource) add(topic string, p drivers.Post) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.posts == nil {
		m.posts = map[string][]drivers.Post{}
	}
	m.version += uint64(time.Minute) // a store write a minute
	p.Version = m.version
	m.posts[topic] = append(m.posts[topic], p)
}

func (m *memSource) BaselinePosts(_ context.Context, topic string, from, to time.Time, since uint64) ([]drivers.Post, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return nil, m.fail
	}
	byKey := map[string]drivers.Post{}
	for _, p := range m.posts[topic] {
		if p.Published.Before(from) || !p.Published.Before(to) || p.Version <= since {
			continue
		}
		if q, ok := byKey[p.Key]; !ok || p.Version > q.Version {
			byKey[p.Key] = p
		}
	}
	out := make([]drivers.Post, 0, len(byKey))
	for _, p := range byKey {
		out = append(out, p)
	}
	m.reads += len(out)
	return out, nil
}

// want counts, from scratch, the distinct posts published in the whole
// hours of [from, to).
func (m *memSource) want(tok drivers.Tokenizer, topic string, exclude []string, from, to time.Time) drivers.Counts {
	m.mu.Lock()
	from, to = from.Truncate(time.Hour), to.Truncate(time.Hour)
	seen := map[string]bool{}
	var texts []string
	for _, p := range m.posts[topic] {
		if seen[p.Key] || p.Published.Before(from) || !p.Published.Before(to) {
			continue
		}
		seen[p.Key] = true
		texts = append(texts, drivers.Body(p.Title, p.Text))
	}
	m.mu.Unlock()
	return drivers.Count(tok, texts, exclude)
}

func demoTexts(t testing.TB) []string {
	var texts []string
	for _, it := range demo.NewScenario(demo.Options{Scale: 1}).Items() {
		if it.Text != "" {
			texts = append(texts, it.Text)
		}
	}
	if len(texts) < 100 {
		t.Fatalf("demo gave %d texts", len(texts))
	}
	return texts
}

func sameCounts(t *testing.T, step string, got, want drivers.Counts) {
	t.Helper()
	if got.Posts != want.Posts || !maps.Equal(got.Terms, want.Terms) {
		diff := 0
		for k, v := range want.Terms {
			if got.Terms[k] != v {
				diff++
				if diff <= 3 {
					t.Logf("%s: %q counted %d, want %d", step, k, got.Terms[k], v)
				}
			}
		}
		t.Fatalf("%s: %d posts and %d terms (%d differ), want %d posts and %d terms",
			step, got.Posts, len(got.Terms), diff, want.Posts, len(want.Terms))
	}
}

// TestBaselineMatchesRecount holds the cached baseline to a count from
// scratch at every step of its life: the first fill, posts stored after
// it (and sightings of posts already counted), the span sliding forward
// and back, a restart, and eviction under a memory bound.
func TestBaselineMatchesRecount(t *testing.T) {
	tok := newScorer(t)
	texts := demoTexts(t)
	src := &memSource{}
	t0 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	n := 0
	post := func(topic string, at time.Time) drivers.Post {
		n++
		p := drivers.Post{Key: fmt.Sprintf("k%d", n), Published: at, Text: texts[n%len(texts)]}
		src.add(topic, p)
		return p
	}
	for i := range 2000 { // ten days, one post every seven minutes
		post("moments", t0.Add(time.Duration(i)*7*time.Minute))
	}
	ex := []string{"Moments"}
	ctx := context.Background()
	b := drivers.NewBaseline(tok, src, drivers.BaselineOptions{})
	span := func(at time.Time) (time.Time, time.Time) { return at.Add(-7 * 24 * time.Hour), at }

	at := t0.Add(8*24*time.Hour + 20*time.Minute)
	from, to := span(at)
	got, err := b.Counts(ctx, "moments", ex, from, to)
	if err != nil {
		t.Fatal(err)
	}
	sameCounts(t, "first fill", got, src.want(tok, "moments", ex, from, to))

	// Posts stored since, inside the span, and a new sighting of one
	// already counted (same key, newer version): read once, counted once.
	reads := src.reads
	p := post("moments", at.Add(-3*24*time.Hour))
	post("moments", at.Add(-2*24*time.Hour))
	src.add("moments", drivers.Post{Key: p.Key, Published: p.Published, Text: p.Text})
	if got, err = b.Counts(ctx, "moments", ex, from, to); err != nil {
		t.Fatal(err)
	}
	sameCounts(t, "after new posts", got, src.want(tok, "moments", ex, from, to))
	if r := src.reads - reads; r > 10 {
		t.Errorf("the refresh read %d rows; want only those stored since", r)
	}

	// The span slides forward hour by hour while posts keep coming, then
	// back a day (a rule with a longer window).
	for h := range 30 {
		at = at.Add(time.Hour)
		post("moments", at.Add(-time.Minute))
		from, to = span(at)
		if got, err = b.Counts(ctx, "moments", ex, from, to); err != nil {
			t.Fatal(err)
		}
		sameCounts(t, fmt.Sprintf("slid %dh", h+1), got, src.want(tok, "moments", ex, from, to))
	}
	from, to = span(at.Add(-24 * time.Hour))
	if got, err = b.Counts(ctx, "moments", ex, from, to); err != nil {
		t.Fatal(err)
	}
	sameCounts(t, "back a day", got, src.want(tok, "moments", ex, from, to))
	if s := b.Stats(); s.Buckets > 7*24+2*48+2 {
		t.Errorf("%d buckets held; want the week and the days kept either side at most", s.Buckets)
	}

	// A restart counts from the store again, and agrees.
	b2 := drivers.NewBaseline(tok, src, drivers.BaselineOptions{})
	got2, err := b2.Counts(ctx, "moments", ex, from, to)
	if err != nil {
		t.Fatal(err)
	}
	sameCounts(t, "after a restart", got2, got)

	// Under a memory bound one topic's counts fit, two do not: the least
	// recently used is dropped and counted again when asked for.
	for i := range 300 {
		post("paywise", t0.Add(8*24*time.Hour+time.Duration(i)*7*time.Minute))
	}
	need := b2.Stats().Entries
	small := drivers.NewBaseline(tok, src, drivers.BaselineOptions{MaxEntries: need + need/2})
	for _, topic := range []string{"moments", "paywise", "moments"} {
		got, err := small.Counts(ctx, topic, ex, from, to)
		if err != nil {
			t.Fatal(err)
		}
		sameCounts(t, "bounded "+topic, got, src.want(tok, topic, ex, from, to))
		if s := small.Stats(); s.Entries > need+need/2 {
			t.Errorf("bounded: %d entries held, over the bound %d", s.Entries, need+need/2)
		}
	}

	src.fail = errors.New("connection refused")
	if _, err := drivers.NewBaseline(tok, src, drivers.BaselineOptions{}).Counts(ctx, "moments", ex, from, to); err == nil {
		t.Error("a failing source gave no error")
	}
}
