// Package drivers finds what an incident is about: the words and phrases
// people use in the incident's window that they did not use before, ranked
// by the weighted log-odds ratio with an informative Dirichlet prior
// (Monroe, Colaresi and Quinn 2008, "Fightin' Words"), and the themes the
// window's negative posts form around them.
//
// Everything here is pure and deterministic: the same posts give the same
// terms, in the same order, with the same figures.
package drivers

import (
	"math"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/backlash-monitor/backlash/internal/analyzer/sentiment"
)

// Tokenizer splits a post into words and says which are generic sentiment
// words. *sentiment.Scorer is one.
type Tokenizer interface {
	Words(text string) ([]sentiment.Word, string)
	GenericIn(lang, text string) bool
}

// Options tune Distinctive.
type Options struct {
	// Exclude are names never reported as terms, such as the topic's name
	// and keywords; matched case-insensitively, word by word.
	Exclude []string
	// MinPosts is the least number of window posts a term must appear in
	// (default 3, or 3% of the window's posts when that is more: a term a
	// handful of posts share in a large window is chance, not a driver).
	MinPosts int
	// Alpha is the significance a term must reach (default 0.05): the
	// chance of seeing it in at least as many window posts, were it as
	// frequent as in the baseline (Poisson, with half a post added to the
	// baseline's count), must be below Alpha divided by the number of
	// terms tested (Bonferroni). A term common before ("nearby" in 3 of 15
	// posts when 226 of 2,661 held it) is then not a driver however it
	// ranks, and a small window may have none: the honest answer while a
	// backlash is a handful of posts with nothing in common yet. A
	// negative Alpha reports every over-represented term.
	Alpha float64
	// Top is how many terms to return (default 10).
	Top int
	// Prior is the total weight of the informative Dirichlet prior, spread
	// over the vocabulary by each term's share of both corpora (default a
	// tenth of both corpora's term occurrences: the prior shrinks rare
	// terms without drowning the window).
	Prior float64
}

func (o Options) withDefaults() Options {
	if o.MinPosts <= 0 {
		o.MinPosts = 3
	}
	if o.Alpha == 0 {
		o.Alpha = 0.05
	}
	if o.Top <= 0 {
		o.Top = 10
	}
	return o
}

// Term is one distinctive term of a window.
type Term struct {
	// Text is the word, two-word phrase or (Chinese, Japanese) character
	// bigram, in lower case.
	Text string
	// Posts and BaselinePosts count the window's and the baseline's posts
	// that hold the term.
	Posts, BaselinePosts int
	// LogOdds is the prior-smoothed log-odds ratio of the term in the
	// window against the baseline, and Z its z-score.
	LogOdds, Z float64
	// P is the chance of the term's window posts were it as frequent as
	// in the baseline (see Options.Alpha).
	P float64
}

// poissonTail is P(X >= k) for X Poisson with mean lambda.
func poissonTail(k int, lambda float64) float64 {
	if k <= 0 {
		return 1
	}
	if float64(k) > lambda+12*math.Sqrt(lambda)+30 {
		return 0 // beyond the double's reach of 1 - cdf
	}
	term := math.Exp(-lambda) // P(X = 0)
	cdf := term
	for i := 1; i < k; i++ {
		term *= lambda / float64(i)
		cdf += term
	}
	return max(0, 1-cdf)
}

// Counts are the posts holding each term in one corpus. Build them with
// Count; a baseline's counts can be kept and reused across windows.
type Counts struct {
	// Posts is the number of posts counted.
	Posts int
	// Terms maps each term to the number of posts holding it.
	Terms map[string]int
}

// Count counts, per term, the posts of texts that hold it.
func Count(tok Tokenizer, texts []string, exclude []string) Counts {
	c := Counts{Posts: len(texts), Terms: make(map[string]int, 1024)}
	ex := excluded(exclude)
	seen := map[string]struct{}{}
	for _, t := range texts {
		clear(seen)
		for _, term := range Terms(tok, t, ex) {
			if _, ok := seen[term]; ok {
				continue
			}
			seen[term] = struct{}{}
			c.Terms[term]++
		}
	}
	return c
}

// Exclusions is the set of lower-case words and strings never reported.
type Exclusions map[string]bool

func excluded(names []string) Exclusions {
	ex := Exclusions{}
	for _, n := range names {
		n = strings.ToLower(strings.TrimSpace(n))
		if n == "" {
			continue
		}
		ex[n] = true
		for _, w := range strings.FieldsFunc(n, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
			ex[w] = true
		}
	}
	return ex
}

func (ex Exclusions) has(w string) bool {
	if ex[w] {
		return true
	}
	if strings.HasSuffix(w, "'s") && ex[w[:len(w)-2]] {
		return true
	}
	return false
}

// covered marks the runes of a Chinese or Japanese run that belong to an
// excluded name.
func (ex Exclusions) covered(rs []rune) []bool {
	cov := make([]bool, len(rs))
	for n := range ex {
		nr := []rune(n)
		if !isCJKString(n) || len(nr) > len(rs) {
			continue
		}
		for i := 0; i+len(nr) <= len(rs); i++ {
			if string(rs[i:i+len(nr)]) == n {
				for k := i; k < i+len(nr); k++ {
					cov[k] = true
				}
			}
		}
	}
	return cov
}

// Terms returns the candidate terms of one text, in order, with repeats:
// words that are neither generic nor excluded, two-word phrases of such
// words within a clause, and character bigrams of Chinese and Japanese
// runs.
func Terms(tok Tokenizer, text string, ex Exclusions) []string {
	words, lang := tok.Words(text)
	var out []string
	prev, prevClause := "", -1
	for _, w := range words {
		if isCJKString(w.Text) {
			prev = ""
			rs := []rune(w.Text)
			cov := ex.covered(rs)
			for i := 0; i+1 < len(rs); i++ {
				bg := string(rs[i : i+2])
				if cov[i] || cov[i+1] || strings.ContainsRune(cjkFunction, rs[i]) || strings.ContainsRune(cjkFunction, rs[i+1]) ||
					cjkConventions[bg] || tok.GenericIn(lang, bg) {
					continue
				}
				out = append(out, bg)
			}
			continue
		}
		if w.Generic || functionWords[w.Text] || ex.has(w.Text) || !meaningful(w.Text) {
			prev = ""
			continue
		}
		out = append(out, w.Text)
		if prev != "" && prevClause == w.Clause {
			out = append(out, prev+" "+w.Text)
		}
		prev, prevClause = w.Text, w.Clause
	}
	return out
}

// meaningful keeps words of at least two letters that are not numbers.
func meaningful(w string) bool {
	letters := 0
	for _, r := range w {
		if unicode.IsLetter(r) {
			letters++
		}
	}
	return letters >= 2 && utf8.RuneCountInString(w) >= 2
}

func isCJK(r rune) bool {
	return unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r)
}

func isCJKString(s string) bool {
	for _, r := range s {
		if !isCJK(r) {
			return false
		}
	}
	return s != ""
}

// Distinctive ranks the window's terms against the baseline by the
// z-score of the weighted log-odds ratio with an informative Dirichlet
// prior, and returns the top ones over-represented in the window, held by
// at least MinPosts window posts and significantly more frequent there
// (Alpha). A term that shares a word (or a
// character, for bigrams of Chinese and Japanese) with a better-ranked term
// and is held by about the same posts (within a quarter) is left out as a
// repeat of it.
func Distinctive(window, baseline Counts, o Options) []Term {
	if o.MinPosts <= 0 {
		o.MinPosts = max(3, int(math.Ceil(0.03*float64(window.Posts))))
	}
	o = o.withDefaults()
	var nw, nb float64
	for _, c := range window.Terms {
		nw += float64(c)
	}
	for _, c := range baseline.Terms {
		nb += float64(c)
	}
	total := nw + nb
	if total == 0 {
		return nil
	}
	if o.Prior <= 0 {
		o.Prior = total / 10
	}
	var cands []Term
	for t, yw := range window.Terms {
		if yw < o.MinPosts {
			continue
		}
		yb := baseline.Terms[t]
		a := o.Prior * float64(yw+yb) / total
		fw, fb := float64(yw), float64(yb)
		delta := math.Log((fw+a)/(nw+o.Prior-fw-a)) - math.Log((fb+a)/(nb+o.Prior-fb-a))
		z := delta / math.Sqrt(1/(fw+a)+1/(fb+a))
		if delta <= 0 {
			continue
		}
		lambda := float64(window.Posts) * (fb + 0.5) / float64(baseline.Posts+1)
		cands = append(cands, Term{Text: t, Posts: yw, BaselinePosts: yb, LogOdds: delta, Z: z, P: poissonTail(yw, lambda)})
	}
	if o.Alpha > 0 {
		kept := cands[:0]
		for _, c := range cands {
			if c.P < o.Alpha/float64(len(cands)) {
				kept = append(kept, c)
			}
		}
		cands = kept
	}
	sort.Slice(cands, func(i, j int) bool {
		if cands[i].Z != cands[j].Z {
			return cands[i].Z > cands[j].Z
		}
		if li, lj := termLen(cands[i].Text), termLen(cands[j].Text); li != lj {
			return li > lj // the phrase before its words
		}
		return cands[i].Text < cands[j].Text
	})
	var out []Term
	for _, c := range cands {
		if len(out) == o.Top {
			break
		}
		if repeats(c, out) {
			continue
		}
		out = append(out, c)
	}
	return out
}

// repeats reports whether c overlaps a chosen term held by about as many
// posts.
func repeats(c Term, chosen []Term) bool {
	for _, t := range chosen {
		if !overlaps(c.Text, t.Text) {
			continue
		}
		lo, hi := min(c.Posts, t.Posts), max(c.Posts, t.Posts)
		if float64(lo) >= 0.75*float64(hi) {
			return true
		}
	}
	return false
}

// termLen is a term's length in words, or in characters for Chinese and
// Japanese.
func termLen(t string) int {
	if isCJKString(t) {
		return utf8.RuneCountInString(t)
	}
	return len(strings.Fields(t))
}

// cjkFunction are Chinese and Japanese function characters; a bigram
// holding one is grammar, not a topic.
const cjkFunction = "的了是我你他她它们在和就都也这那给把被很太吗呢吧啊个有不没之与及或而に の は が を で と も た て だ す る い な"

// cjkConventions are the bigrams of Chinese posting conventions, as "rt"
// and "via" are in English: the microblog's repost mark "转发微博" (repost
// on Weibo) says how a post travelled, not what it says.
var cjkConventions = map[string]bool{"转发": true, "发微": true, "微博": true}

func overlaps(a, b string) bool {
	if isCJKString(a) && isCJKString(b) {
		for _, r := range a {
			if strings.ContainsRune(b, r) {
				return true
			}
		}
		return false
	}
	for _, x := range strings.Fields(a) {
		for _, y := range strings.Fields(b) {
			if x == y {
				return true
			}
		}
	}
	return false
}
