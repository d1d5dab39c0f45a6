package store

import (
	"hash/fnv"
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
