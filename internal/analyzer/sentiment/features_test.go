package sentiment

import (
	"strings"
	"testing"
)

// TestASCIIWordFeatsSums checks that the language identifier's weight sums
// of a word are the same whether its short n-grams are read from
// linear.grams (asciiWordFeats) or hashed (wordFeats), for edge cases of
// length and bytes and for every word of the dev set.
func TestASCIIWordFeatsSums(t *testing.T) {
	s := newTestScorer(t)
	m := s.models.LID
	if m.grams == nil {
		t.Fatal("the language identifier has no n-gram rows")
	}
	words := []string{
		"a", "ab", "abc", "don't", "a1", "x9y", "'", "<>", "zz", "aaaa",
		strings.Repeat("q", 23), strings.Repeat("w", 24),
		strings.Repeat("abc", 15) + "de",  // 47 bytes: the longest read this way
		strings.Repeat("e", maxWordRunes), // cut to maxWordRunes-1 runes: hashed
		"très", "straße", "naïve", "日本",   // not ASCII: hashed
	}
	texts, _ := devTexts(t)
	sc := s.pool.Get().(*scratch)
	defer s.pool.Put(sc)
	for _, x := range texts {
		s.lx.tokenize(x, sc)
		for i := range sc.toks {
			if tk := &sc.toks[i]; tk.kind == tkWord {
				words = append(words, string(sc.lower[tk.ls:tk.le]))
			}
		}
	}
	fast := 0
	for _, w := range words {
		b := []byte(w)
		tk := token{end: int32(len(b)), le: int32(len(b)), h: hashBytes(b)}
		var want, got [maxClasses]int32
		ref := featSink{sc: sc, shared: true, mask: m.mask(), sum: &want, w: m.W, rows8: m.rows8, nc: len(m.Classes)}
		wordFeats(&tk, b, tk.h, &m.Cfg, &ref)
		ref.flush()
		k := featSink{sc: sc, shared: true, mask: m.mask(), sum: &got, w: m.W, rows8: m.rows8, nc: len(m.Classes), grams: m.grams}
		sumWordFeats(&tk, b, tk.h, &m.Cfg, &k)
		k.flush()
		if got != want {
			t.Errorf("%q: sums %v, want %v", w, got, want)
		}
		if len(w) < maxWordRunes && isASCII(w) {
			fast++
		}
	}
	if fast < len(words)/2 {
		t.Errorf("only %d of %d words took the ASCII path", fast, len(words))
	}
}

// TestAddRowFlushesBeforeOverflow sums more packed rows than a 16-bit lane
// holds between flushes.
func TestAddRowFlushesBeforeOverflow(t *testing.T) {
	var sum [maxClasses]int32
	k := featSink{sum: &sum, rows8: []uint64{0}, nc: 8}
	const n = 1000
	for range n {
		k.addRow(0xffffffffffffffff) // weight 127 in every class
	}
	k.flush()
	for c, v := range sum {
		if v != 127*n {
			t.Errorf("class %d: %d, want %d", c, v, 127*n)
		}
	}
}
