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

// TestCJKGrams3 checks that the three-byte fast path of cjkGrams emits
// the features of cjkGramsAny in the same order, for runs from empty to
// several chunks of maxWordRunes long and at several offsets, and that a
// run with a four-byte rune takes the general path.
func TestCJKGrams3(t *testing.T) {
	cfg := &featCfg{CJKMin: 1, CJKMax: 3}
	const mask = 1<<20 - 1
	han := []rune("好用不卡顿但是价格太贵了客服态度差评")
	for _, runes := range []int{0, 1, 2, 3, 4, 5, 47, 48, 49, 50, 51, 52, 93, 94, 95, 96, 97, 98, 140, 141, 142, 143, 200} {
		for _, start := range []int32{0, 7} {
			var b strings.Builder
			for i := range runes {
				b.WriteRune(han[(i*7+i/3)%len(han)])
			}
			w := []byte(b.String())
			tk := token{start: start, end: start + int32(len(w))}
			var want, got scratch
			ref := featSink{sc: &want, tagged: true, keepTagged: true, mask: mask, langSalt: mix(0x9fb21c651e98df25)}
			cjkGramsAny(&tk, w, cfg, &ref)
			k := ref
			k.sc = &got
			cjkGrams(&tk, w, runes%2 == 1, cfg, &k) // as read by the tokenizer, or not
			if wantN := runes + max(0, runes-1) + max(0, runes-2); len(want.feats) != wantN {
				t.Fatalf("%d runes: cjkGramsAny emitted %d features, want %d", runes, len(want.feats), wantN)
			}
			if len(got.feats) != len(want.feats) {
				t.Fatalf("%d runes at %d: %d features, want %d", runes, start, len(got.feats), len(want.feats))
			}
			for i := range want.feats {
				if got.feats[i] != want.feats[i] {
					t.Fatalf("%d runes at %d: feature %d is %+v, want %+v", runes, start, i, got.feats[i], want.feats[i])
				}
			}
		}
	}
	if allThreeByte([]byte("好𠀀")) || allThreeByte([]byte("好a")) || !allThreeByte([]byte("好用")) {
		t.Error("allThreeByte misjudges a run")
	}
}

// TestOneFeatPerSpan checks featCfg.oneFeatPerSpan, which lets explain
// take each feature for a group of its own: under every model whose
// settings claim it, no two features in a row share a span, nor follows
// a feature a rule indicator, on the Chinese reviews and the dev posts;
// and settings with character n-grams, which repeat a word's span, do not
// claim it.
func TestOneFeatPerSpan(t *testing.T) {
	s := newTestScorer(t)
	texts, _ := devTexts(t)
	ps, err := ReadLabelled("../../../../shared/data/sentiment/zh-reviews-train.jsonl")
	if err != nil {
		t.Fatalf("development data: %v", err)
	}
	for _, p := range ps[:min(3000, len(ps))] {
		texts = append(texts, p.Text)
	}
	sc := s.pool.Get().(*scratch)
	defer s.pool.Put(sc)
	claimed := 0
	for _, m := range []*linear{s.models.Zh, s.models.En, s.models.Tweets, s.models.LID} {
		if m == nil || !m.Cfg.oneFeatPerSpan() {
			continue
		}
		claimed++
		for _, x := range texts {
			s.lx.tokenize(x, sc)
			var r Result
			s.prepare(x, sc, m, 0, "", &r)
			fs := sc.feats
			for i := 1; i < len(fs); i++ {
				f, prev := fs[i], fs[i-1]
				if f.start != f.end && (prev.start == prev.end || f.start == prev.start && f.end == prev.end) {
					t.Fatalf("%s: features %d and %d of %q share span %d-%d or follow an indicator", m.Name, i-1, i, x, f.start, f.end)
				}
			}
		}
	}
	if claimed == 0 {
		t.Error("no model claims one feature per span: the Chinese model should")
	}
	if (&featCfg{Words: true, CharMin: 1, CharMax: 3}).oneFeatPerSpan() || (&featCfg{Words: true, Shared: true}).oneFeatPerSpan() ||
		(&featCfg{Words: true, Skel: 1}).oneFeatPerSpan() {
		t.Error("settings that repeat a span claim one feature per span")
	}
}
