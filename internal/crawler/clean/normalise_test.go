package clean

import (
	"strings"
	"testing"
)

// textReference and oneLineReference are Text and OneLine as first
// written, split and joined with the standard library: the one-pass
// versions must agree with them on every input.
func textReference(s string) string {
	var out []string
	for _, line := range strings.Split(s, "\n") {
		line = strings.Join(strings.FieldsFunc(line, isSpace), " ")
		if line != "" {
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n")
}

func oneLineReference(s string) string {
	return strings.Join(strings.FieldsFunc(s, isSpace), " ")
}

var normaliseCases = []string{
	"", " ", "\n", "\n\n", "a", " a", "a ", "a b", "a  b", "a\tb", "a \n b", "a\n\nb", "\na\n", "a\r\nb",
	"a\u200bb", "\u00a0a\u00a0", "a\u3000b", "x\xffy", "\xff \xfe", "héllo  wörld\n  ça va ", "first line\nsecond line",
	"a\n \n \nb", "trailing\n", " \t\n\t a b  c \n\n d", "日本語 テキスト", "a\u200e", "a\ufeff\n\ufeffb",
}

func TestTextAndOneLineEqualTheReference(t *testing.T) {
	for _, s := range normaliseCases {
		if got, want := Text(s), textReference(s); got != want {
			t.Errorf("Text(%q) = %q, want %q", s, got, want)
		}
		if got, want := OneLine(s), oneLineReference(s); got != want {
			t.Errorf("OneLine(%q) = %q, want %q", s, got, want)
		}
	}
}

func FuzzNormalise(f *testing.F) {
	for _, s := range normaliseCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := Text(s), textReference(s); got != want {
			t.Fatalf("Text(%q) = %q, want %q", s, got, want)
		}
		if got, want := OneLine(s), oneLineReference(s); got != want {
			t.Fatalf("OneLine(%q) = %q, want %q", s, got, want)
		}
	})
}

// countReference is Count without the digits fast path.
func countReference(s string) uint32 {
	m := countRe.FindStringSubmatch(s)
	if m == nil {
		return 0
	}
	return Count("x" + s) // not digits alone: the regular expression reads it
}

func FuzzCountDigits(f *testing.F) {
	for _, s := range []string{"0", "7", "12", "000123", "999999999", "4294967295", "1.2k", "", "12 likes"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := Count(s), countReference(s); got != want {
			t.Fatalf("Count(%q) = %d, want %d", s, got, want)
		}
	})
}

// BenchmarkText normalises a post's text as read from a page: a paragraph
// between the newlines its block elements add.
func BenchmarkText(b *testing.B) {
	s := "\n\nI'm impressed with the travel card's rates on Thai baht, and the app  is fast.\n\n"
	b.Run("one-pass", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			Text(s)
		}
	})
	b.Run("split-join", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			textReference(s)
		}
	})
}
