package drivers

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// backgroundTable is the learned table of how many posts of each
// language's training texts hold each term, written by
// `go run ./internal/analyzer/drivers/learnbg` from the train splits in
// ../shared/data/sentiment (UMSAB's tweets, the Chinese reviews). It holds
// counts, not texts.
//
//go:embed background.tsv.gz
var backgroundTable []byte

// Background is how common each term is in a language's posts in general:
// the share of a language's posts that hold it. It is the informative
// prior's second part: a word common everywhere ("company", "good",
// "公司") is expected in any window however new it is to the topic, a word
// rare in the language and new to the topic ("hookup", "截图") is not.
type Background struct {
	langs map[string]*langTable
}

type langTable struct {
	posts int
	// terms holds, per term, the posts holding it.
	terms map[string]int32
	// min is the least count listed: terms not listed are held by fewer.
	min int32
}

// DefaultBackground returns the background table shipped with the
// package, parsed once.
var DefaultBackground = sync.OnceValue(func() *Background {
	zr, err := gzip.NewReader(bytes.NewReader(backgroundTable))
	if err != nil {
		panic(fmt.Sprintf("drivers: shipped background table: %v", err))
	}
	b, err := ReadBackground(zr)
	if err != nil {
		panic(fmt.Sprintf("drivers: shipped background table: %v", err))
	}
	return b
})

// ReadBackground parses a background table: for each language a line
// "lang CODE POSTS" (no tab), then one "TERM<TAB>POSTS" line per term.
func ReadBackground(r io.Reader) (*Background, error) {
	b := &Background{langs: map[string]*langTable{}}
	var cur *langTable
	sc := bufio.NewScanner(r)
	for line := 1; sc.Scan(); line++ {
		s := sc.Text()
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		if !strings.Contains(s, "\t") { // a language's header; terms have a tab
			f := strings.Fields(s)
			if len(f) != 3 || f[0] != "lang" {
				return nil, fmt.Errorf("background line %d: want \"lang CODE POSTS\", got %q", line, s)
			}
			n, err := strconv.Atoi(f[2])
			if err != nil || n <= 0 {
				return nil, fmt.Errorf("background line %d: posts %q is not a positive number", line, f[2])
			}
			cur = &langTable{posts: n, terms: map[string]int32{}}
			b.langs[f[1]] = cur
			continue
		}
		term, count, ok := strings.Cut(s, "\t")
		if !ok || cur == nil {
			return nil, fmt.Errorf("background line %d: want \"TERM<TAB>POSTS\" after a lang line, got %q", line, s)
		}
		n, err := strconv.Atoi(count)
		if err != nil || n <= 0 || n > cur.posts {
			return nil, fmt.Errorf("background line %d: count %q of %q is not in 1..%d", line, count, term, cur.posts)
		}
		cur.terms[term] = int32(n)
		if cur.min == 0 || int32(n) < cur.min {
			cur.min = int32(n)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("background: %w", err)
	}
	return b, nil
}

// Languages returns the language codes the table holds, sorted.
func (b *Background) Languages() []string {
	var out []string
	for l := range b.langs {
		out = append(out, l)
	}
	sort.Strings(out)
	return out
}

// Share is the share of lang's posts holding term: 0 for a language the
// table does not hold, and for a term it does not list, half the least
// listed count (it is held by fewer posts than that, maybe none).
func (b *Background) Share(lang, term string) float64 {
	if b == nil {
		return 0
	}
	t := b.langs[lang]
	if t == nil {
		return 0
	}
	n, ok := t.terms[term]
	if !ok {
		return 0.5 * float64(t.min) / float64(t.posts)
	}
	return float64(n) / float64(t.posts)
}

// Has reports whether the table holds lang.
func (b *Background) Has(lang string) bool {
	return b != nil && b.langs[lang] != nil
}

// WriteBackground writes counts in the table's format: languages sorted,
// each language's terms by count, then alphabetically, keeping the top
// terms held by at least minPosts posts.
func WriteBackground(w io.Writer, posts map[string]int, counts map[string]map[string]int, top, minPosts int) error {
	langs := make([]string, 0, len(posts))
	for l := range posts {
		langs = append(langs, l)
	}
	sort.Strings(langs)
	bw := bufio.NewWriter(w)
	for _, l := range langs {
		type tc struct {
			t string
			n int
		}
		var list []tc
		for t, n := range counts[l] {
			if n >= minPosts && !strings.ContainsAny(t, "\t\n") {
				list = append(list, tc{t, n})
			}
		}
		sort.Slice(list, func(i, j int) bool {
			if list[i].n != list[j].n {
				return list[i].n > list[j].n
			}
			return list[i].t < list[j].t
		})
		if len(list) > top {
			list = list[:top]
		}
		fmt.Fprintf(bw, "lang %s %d\n", l, posts[l])
		for _, x := range list {
			fmt.Fprintf(bw, "%s\t%d\n", x.t, x.n)
		}
	}
	return bw.Flush()
}

// BackgroundTerms returns the distinct terms of one text as the
// background table counts them, and the text's language: every word
// (generic and function words too, so the table knows them as common),
// two-word phrases and Chinese and Japanese character bigrams.
func BackgroundTerms(tok Tokenizer, text string) ([]string, string) {
	ts, lang := terms(tok, text, nil, true)
	seen := make(map[string]struct{}, len(ts))
	out := ts[:0]
	for _, t := range ts {
		if _, ok := seen[t]; ok {
			continue
		}
		seen[t] = struct{}{}
		out = append(out, t)
	}
	return out, lang
}
