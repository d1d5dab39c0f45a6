package ingest

import (
	"fmt"
	"hash/maphash"
	"reflect"
	"testing"

	"github.com/backlash-monitor/backlash/internal/analyzer"
	"github.com/backlash-monitor/backlash/internal/analyzer/sentiment"
	"github.com/backlash-monitor/backlash/internal/config"
	"github.com/backlash-monitor/backlash/internal/post"
)

// TestProcessOnEveryCoreAsOneCall checks that scoring a batch in chunks on
// several goroutines keeps the same posts, in the same order, with the
// same topics and scores as one Process call over the batch.
func TestProcessOnEveryCoreAsOneCall(t *testing.T) {
	sc, err := sentiment.New(sentiment.Options{})
	if err != nil {
		t.Fatal(err)
	}
	m, err := analyzer.NewMatcher([]config.Topic{{Name: "sync", Keywords: []string{"sync"}}, {Name: "search", Keywords: []string{"search"}}})
	if err != nil {
		t.Fatal(err)
	}
	a := analyzer.New(m, sc)
	texts := []string{"sync is broken again, I hate it", "search works great now", "nothing about the features",
		"Sync and search are both slow :(", "the weather is lovely", "sync ate my notes!!!"}
	for _, n := range []int{1, chunk - 1, chunk, 3*chunk + 17, 7 * chunk} {
		b := make([]post.Post, n)
		for i := range b {
			b[i] = post.Post{Source: "s", ID: fmt.Sprint(i), Text: texts[(i*7)%len(texts)]}
			if i%5 == 0 {
				b[i].Title = "a thread about sync"
			}
		}
		want := a.Process(append([]post.Post(nil), b...), []string{"sync", "search"}, false)
		src := &config.Source{Name: "s", Topics: []string{"sync", "search"}}
		got := (&Importer{proc: a}).process(b, src)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%d posts: %d kept on every core, %d by one call, or they differ", n, len(got), len(want))
		}
	}
}

// TestIDSet checks that the set tells repeated ids from new ones, also
// when two ids share a hash.
func TestIDSet(t *testing.T) {
	var s idSet
	for _, c := range []struct {
		id  string
		new bool
	}{{"a", true}, {"b", true}, {"a", false}, {"", true}, {"", false}, {"b", false}, {"abc", true}} {
		if got := s.add(c.id); got != c.new {
			t.Errorf("add(%q) = %v, want %v", c.id, got, c.new)
		}
	}
	// An id whose hash an earlier id has is new once, then repeated: "a"
	// is put where "collides" hashes to, with its hash.
	h := maphash.String(s.seed, "collides")
	s.place(h, 0) // the position of "a"
	if !s.add("collides") || s.add("collides") || s.add("a") {
		t.Error("an id sharing a hash with another was not told from it")
	}
	// Many ids, through the table's growth, each new once.
	for round := 0; round < 2; round++ {
		for i := 0; i < 100000; i++ {
			if got := s.add(fmt.Sprint("id-", i)); got != (round == 0) {
				t.Fatalf("round %d: add(id-%d) = %v", round, i, got)
			}
		}
	}
	if !s.add("new at last") || s.add("a") || s.add("") {
		t.Error("the set lost ids as it grew")
	}
}

// BenchmarkIDSet adds the ids of an import of 300,000 posts.
func BenchmarkIDSet(b *testing.B) {
	ids := make([]string, 300000)
	for i := range ids {
		ids[i] = fmt.Sprintf("bench-%07d", i)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var s idSet
		for _, id := range ids {
			s.add(id)
		}
	}
}
