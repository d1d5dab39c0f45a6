package store

import (
	"hash/fnv"
	"runtime"
	"testing"

	"github.com/backlash-monitor/backlash/internal/post"
)

// TestKeyHashIsFNV checks that identity keys hash as hash/fnv's FNV-1a
// over the parts, each followed by a zero byte: the keys stored before.
func TestKeyHashIsFNV(t *testing.T) {
	for _, parts := range [][]string{{}, {""}, {"i", "ns", "123"}, {"t", "ns", "https://x.example/a", "@ana", "1f2e"}, {"r", "/src", "日本語", "x\x00y"}} {
		h := fnv.New64a()
		for _, s := range parts {
			h.Write([]byte(s))
			h.Write([]byte{0})
		}
		if got, want := keyHash(parts...), h.Sum64(); got != want {
			t.Errorf("keyHash(%q) = %x, want %x", parts, got, want)
		}
	}
}

func BenchmarkIdentityKeys(b *testing.B) {
	p := post.Post{Source: "s", ID: "1", Namespace: "ns", SharedID: "1", Author: "@Ana", Text: "sync broke again",
		URL: "https://forum.example/t/1#p2", Thread: "https://forum.example/t/1"}
	buf := make([]identKey, 0, maxKeys)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		buf = identityKeys(&p, 0x1234abcd, buf)
	}
}

// TestRepostKeyOfASourceWithoutNamespace checks that a post of a source
// with no namespace is indexed for reposts under "/" and its source, as
// keyHash of that scope gives it, without allocating for the scope.
func TestRepostKeyOfASourceWithoutNamespace(t *testing.T) {
	p := post.Post{Source: "old-forum", ID: "1", Author: "ana", Text: "sync broke again"}
	keys := identityKeys(&p, 0x1234abcd, make([]identKey, 0, maxKeys))
	want := keyHash("r", "/old-forum", "ana", "1234abcd")
	if len(keys) != 1 || keys[0].kind != keyRepost || keys[0].hash != want {
		t.Fatalf("keys %+v, want one repost key %x", keys, want)
	}
	buf := make([]identKey, 0, maxKeys)
	if allocs := testing.AllocsPerRun(100, func() { identityKeys(&p, 0x1234abcd, buf) }); allocs != 0 {
		t.Errorf("%v allocations a post", allocs)
	}
}

// TestKeyArena checks that the keys a save cuts from one block are the
// posts' own keys, and stay so as the block fills and overflows.
func TestKeyArena(t *testing.T) {
	posts := []post.Post{{Source: "forum", ID: "1"}, {Source: "feed", ID: "x9", Namespace: "acme", SharedID: "77"},
		{Source: "feed", ID: "x10", Namespace: "acme"}, {Source: "s", ID: ""}}
	a := newKeyArena(posts)
	var got []string
	for round := 0; round < 3; round++ { // the last two rounds overflow the block
		for i := range posts {
			got = append(got, a.key(&posts[i]))
		}
	}
	for i, k := range got {
		if want := posts[i%len(posts)].Key(); k != want {
			t.Errorf("key %d = %q, want %q", i, k, want)
		}
	}
	a = newKeyArena(posts)
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	for i := range posts {
		a.key(&posts[i])
	}
	runtime.ReadMemStats(&m1)
	if allocs := m1.Mallocs - m0.Mallocs; allocs != 0 {
		t.Errorf("%d allocations for %d keys", allocs, len(posts))
	}
}
