package sentiment

import (
	"slices"
	"testing"
	"unicode/utf8"
)

// TestHanWordsAsEmitWord checks that the tokenizer's path for words of
// Han letters only gives each word the token, lower-case bytes and counts
// that lower-casing it as any other word gives, at the edges of the runes
// that path reads (U+4E00 to U+9FA5) and where a run does not end its word.
func TestHanWordsAsEmitWord(t *testing.T) {
	s := newTestScorer(t)
	lx := s.lx
	texts := []string{
		"好好好，太差了",
		"一\u9fa5 \u4dff一 \u9fa6好 \u4e00",
		"差差差差差!!! 真的差",
		"买了3次 好用abc 用了Ｖ2 好",
		"卸载卸载了 垃圾app",
		"半个字\xe4\xb8",
		"坏\xe4\xb8好",
		"中文中文的中文。太差差了",
		"呵呵呵呵呵呵呵呵呵呵呵呵呵呵呵呵呵呵呵呵呵呵呵呵呵呵呵呵呵呵呵呵呵呵呵呵呵呵呵呵呵呵呵呵呵呵呵呵呵呵",
	}
	for _, text := range texts {
		var got, want scratch
		lx.tokenize(text, &got)
		han := 0
		for i, tk := range got.toks {
			if tk.kind != tkWord {
				continue
			}
			lx.emitWord(text, int(tk.start), int(tk.end), tk.clause, tk.hashtag, nil, &want)
			w := want.toks[len(want.toks)-1]
			if got.isHan(i) {
				han++
				if word := []byte(text[tk.start:tk.end]); !allThreeByte(word) || !utf8.Valid(word) {
					t.Errorf("%q token %d: %q is not Han letters only", text, i, word)
				}
			}
			if w != tk {
				t.Errorf("%q token %d: got %+v, want %+v", text, i, tk, w)
			}
		}
		if han == 0 {
			t.Errorf("%q: no word took the Han path", text)
		}
		if got.stats.han != want.stats.han || got.stats.words != want.stats.words {
			t.Errorf("%q: %d Han letters in %d words, want %d in %d", text, got.stats.han, got.stats.words, want.stats.han, want.stats.words)
		}
		if !slices.Equal(got.lower, want.lower) {
			t.Errorf("%q: lower-case bytes %q, want %q", text, got.lower, want.lower)
		}
	}
}

// TestDecodeRune checks decodeRune against package utf8 on every byte
// before 0xf0 with every two bytes after it, and on short and other
// inputs.
func TestDecodeRune(t *testing.T) {
	var b [4]byte
	for c0 := 0x80; c0 <= 0xef; c0++ {
		for c1 := 0; c1 < 256; c1++ {
			for c2 := 0; c2 < 256; c2++ {
				b = [4]byte{byte(c0), byte(c1), byte(c2), 'x'}
				s := string(b[:])
				r, n := decodeRune(s)
				wr, wn := utf8.DecodeRuneInString(s)
				if r != wr || n != wn {
					t.Fatalf("% x: got %U %d, want %U %d", b[:3], r, n, wr, wn)
				}
			}
		}
	}
	for _, s := range []string{"", "a", "\xe4\xb8", "好", "，", "😀", "é", "\xff\xfe\xfd"} {
		r, n := decodeRune(s)
		if wr, wn := utf8.DecodeRuneInString(s); r != wr || n != wn {
			t.Errorf("%q: got %U %d, want %U %d", s, r, n, wr, wn)
		}
	}
}

// TestTermBytes checks that termBytes marks every byte a term spans, in
// texts shorter and longer than its bits, and in a short text nothing
// else, after a longer text left bits behind.
func TestTermBytes(t *testing.T) {
	var b termBytes
	for _, c := range []struct {
		n     int
		rules []cand
	}{
		{10000, []cand{{start: 4090, end: 4100}, {start: 9000, end: 9003}}},
		{300, []cand{{start: 0, end: 3}, {start: 63, end: 65}, {start: 297, end: 300}}},
		{5, nil},
	} {
		setTermBytes(&b, c.n, c.rules)
		for k := 0; k < c.n; k++ {
			in := false
			for _, r := range c.rules {
				in = in || int32(k) >= r.start && int32(k) < r.end
			}
			if got := b.has(int32(k)); in && !got || c.n <= 64*len(b) && got != in {
				t.Errorf("text of %d bytes: byte %d marked %v, in a term %v", c.n, k, got, in)
			}
		}
	}
}
