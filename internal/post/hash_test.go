package post

import (
	"crypto/sha256"
	"encoding/binary"
	"strings"
	"testing"
)

func TestContentHashFoldsASCIIAsUnicodeRulesDo(t *testing.T) {
	for _, text := range []string{
		"", "   ", "Hello", "  Hello,\tWORLD \r\n again\v\f!  ", "a  b", "MiXeD 123 _@#",
		"caf\u00e9 CAF\u00c9", "non\u00a0breaking", "x\u0085y", "\xff bad bytes", "K\u212a",
	} {
		p := Post{Text: text}
		want := sha256.Sum256([]byte(strings.ToLower(strings.Join(strings.Fields(text), " "))))
		if got := p.ContentHash(); got != binary.BigEndian.Uint64(want[:8]) {
			t.Errorf("ContentHash(%q) = %x, want %x", text, got, binary.BigEndian.Uint64(want[:8]))
		}
	}
}
