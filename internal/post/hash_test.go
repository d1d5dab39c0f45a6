package post

import (
	"crypto/sha256"
	"encoding/binary"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestContentHashFoldsASCIIAsUnicodeRulesDo(t *testing.T) {
	var texts []string
	for _, text := range []string{
		"", "   ", "Hello", "  Hello,\tWORLD \r\n again\v\f!  ", "a  b", "MiXeD 123 _@#",
		"caf\u00e9 CAF\u00c9", "non\u00a0breaking", "x\u0085y", "\xff bad bytes", "K\u212a",
	} {
		texts = append(texts, text)
	}
	// And texts made of pieces of every kind: spaces ASCII and not,
	// letters that lower-case to other lengths, bytes that are not UTF-8.
	rng := rand.New(rand.NewPCG(7, 8))
	pieces := []string{"a", "Sync", "ÉCOLE", "İ", "ẞ", "\u212a", " ", "  ", "\t", "\n\r", "\u00a0", "\u0085", "\u3000", "\ufffd",
		"\xff", "\xe4\xb8", "中文", "😀", "\x00", "\x1f", "Ω", "ǅ"}
	for i := 0; i < 5000; i++ {
		var b strings.Builder
		for n := rng.IntN(10); n >= 0; n-- {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		texts = append(texts, b.String())
	}
	for _, text := range texts {
		p := Post{Text: text}
		want := sha256.Sum256([]byte(strings.ToLower(strings.Join(strings.Fields(text), " "))))
		if got := p.ContentHash(); got != binary.BigEndian.Uint64(want[:8]) {
			t.Errorf("ContentHash(%q) = %x, want %x", text, got, binary.BigEndian.Uint64(want[:8]))
		}
	}
}

// BenchmarkContentHash hashes the texts of demo posts, one in five not
// ASCII.
func BenchmarkContentHash(b *testing.B) {
	texts := []string{
		"Does the travel card work in Japan? Going in March and the FAQ is vague about it",
		"The travel card doesn't support my currency yet, which makes it kinda useless for me",
		"Got the travel card for my honeymoon, we leave Saturday. wish us luck 🤔",
		"Honestly the new Paywise Moments feed is the creepiest thing I've seen in a payments app, deleting it today",
		"Moments  is   fine I guess.\tNot sure why everyone is so upset about it",
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		p := Post{Text: texts[i%len(texts)]}
		p.ContentHash()
	}
}
