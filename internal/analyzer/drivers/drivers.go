// Package drivers finds what an incident is about: the words and phrases
// people use in the incident's window that they did not use before and
// that are not common in their language anyway, held by the posts of
// more than one author, ranked by the weighted log-odds ratio with an
// informative Dirichlet prior (Monroe, Colaresi and Quinn 2008,
// "Fightin' Words") against the topic's own past under a prior of the
// language's background (a learned table, Background), and the themes the
// window's negative posts form around them.
//
// Everything here is pure and deterministic: the same posts give the same
// terms, in the same order, with the same figures.
package drivers

import (
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/backlash-monitor/backlash/internal/analyzer/sentiment"
)

// Tokenizer splits a post into words, says which are generic sentiment
// words, and which name a subject of complaint (About). *sentiment.Scorer
// is one.
type Tokenizer interface {
	Words(text string) ([]sentiment.Word, string)
	GenericIn(lang, text string) bool
	About(lang, term string) string
}

// Options tune Distinctive.
type Options struct {
	// Exclude are names never reported as terms, such as the topic's
	// name; matched case-insensitively, word by word.
	Exclude []string
	// Keywords are the topic's keywords. The topic's posts are chosen for
	// holding them, so how common they are in the language says nothing
	// of them: a term made of keywords' words (or, in Chinese and
	// Japanese, a bigram of a keyword) is judged against the topic's own
	// past alone. So a keyword is a driver only when it is new to the
	// topic ("brothel", added to the keywords once the backlash began and
	// said by none of the week's posts), never when it is what the topic
	// always says ("moments"). Counts must be made without excluding them.
	Keywords []string
	// MinPosts is the least number of distinct authors whose window posts
	// must hold a term (default 2, or 3% of the window's posts when that
	// is more: a term a handful of posts share in a large window is chance,
	// not a driver). Without authors (Count) each post is its own author.
	MinPosts int
	// Alpha is the significance a term must reach (default 0.05): the
	// chance of seeing it from at least as many authors, were it as
	// frequent as expected (Poisson; expected is the larger of its share
	// of the baseline's posts, with half a post added, and of the
	// language's posts in general, see Background), must be below Alpha
	// divided by the number of terms tested, every term held by MinPosts
	// authors (Bonferroni). A term common before ("nearby" in 3 of 15 posts when
	// 226 of 2,661 held it) is then not a driver however it ranks, and a
	// small window may have none: the honest answer while a backlash is a
	// handful of posts with nothing in common yet. A negative Alpha
	// reports every over-represented term.
	Alpha float64
	// Top is how many terms to return (default 10).
	Top int
	// Background is how common each term is in each language in general
	// (default DefaultBackground, learned from the training texts); an
	// empty Background turns it off.
	Background *Background
	// BackgroundWeight is how many posts the background weighs in the
	// log-odds' reference (default as many as the baseline's posts, and
	// at least 1,000): half the reference is the topic's own past, half
	// the language.
	BackgroundWeight float64
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
	// bigram, in lower case; for a subject, its words the window holds,
	// most held first, joined by " · " ("brothel · meat market").
	Text string
	// Subject, when set, is what the lexicons say the term's words are
	// about ("sex", "privacy", "leaving"; see sentiment.Scorer.About): the
	// term is then that subject, counted as one term however many of its
	// words a post holds, so authors who name it in different words
	// ("brothel", "meat market") add up. Empty for a word, phrase or
	// bigram.
	Subject string
	// Posts and BaselinePosts count the window's and the baseline's posts
	// that hold the term, Voices the distinct authors of the window's.
	Posts, Voices, BaselinePosts int
	// Background is the share of the language's posts in general that
	// hold the term (see Background), over the window's languages.
	Background float64
	// LogOdds is the weighted log-odds ratio of the term in the window
	// against the reference (the baseline under the background's prior),
	// with an informative Dirichlet prior (see Distinctive), and Z its
	// z-score, by which terms are ranked.
	LogOdds, Z float64
	// P is the chance of the term's window authors were it as frequent as
	// expected (see Options.Alpha).
	P float64
}

// poissonTail is P(X >= k) for X Poisson with mean lambda.
func poissonTail(k int, lambda float64) float64 {
	return math.Exp(logPoissonTail(k, lambda))
}

// logPoissonTail is the natural log of P(X >= k) for X Poisson with mean
// lambda, exact in the far tail where the chance underflows 1 - cdf.
func logPoissonTail(k int, lambda float64) float64 {
	if k <= 0 {
		return 0
	}
	if lambda <= 0 {
		return math.Inf(-1)
	}
	if float64(k) <= lambda+1 {
		term := math.Exp(-lambda) // P(X = 0)
		cdf := term
		for i := 1; i < k; i++ {
			term *= lambda / float64(i)
			cdf += term
		}
		return math.Log(max(1-cdf, math.SmallestNonzeroFloat64))
	}
	// Sum P(X = i) for i >= k, from P(X = k) in logs: the terms fall
	// at least geometrically.
	lg, _ := math.Lgamma(float64(k) + 1)
	first := -lambda + float64(k)*math.Log(lambda) - lg
	sum, term := 1.0, 1.0
	for i := k + 1; term > 1e-17*sum && i < k+10_000; i++ {
		term *= lambda / float64(i)
		sum += term
	}
	return first + math.Log(sum)
}

// Counts are the posts holding each term in one corpus. Build them with
// Count or CountDocs; a baseline's counts can be kept and reused across
// windows.
type Counts struct {
	// Posts is the number of posts counted.
	Posts int
	// Terms maps each term to the number of posts holding it.
	Terms map[string]int
	// Voices maps each term to the number of distinct authors whose words
	// hold it (a repost counts for the author it quotes); nil when the
	// authors are not known (Count), and then each post is its own voice.
	Voices map[string]int
	// Langs counts the posts per language, as the tokenizer tells them.
	Langs map[string]int
	// Words maps each subject's key (see Term.Subject) to its words and the
	// posts holding each.
	Words map[string]map[string]int
}

// subjectMark starts a subject's key among the terms: no word holds it.
const subjectMark = "\x1f"

// subjectSep joins a subject's words in its Text.
const subjectSep = " · "

// subjectText names a subject by its three words most held in the window.
func subjectText(words map[string]int) string {
	ws := make([]string, 0, len(words))
	for w := range words {
		ws = append(ws, w)
	}
	sort.Slice(ws, func(i, j int) bool {
		if words[ws[i]] != words[ws[j]] {
			return words[ws[i]] > words[ws[j]]
		}
		return ws[i] < ws[j]
	})
	return strings.Join(ws[:min(3, len(ws))], subjectSep)
}

// subjectKey is how a subject is counted among the terms.
func subjectKey(about string) string { return subjectMark + about }

// key is how the term is counted: its text, or its subject's key.
func (t Term) key() string {
	if t.Subject != "" {
		return subjectKey(t.Subject)
	}
	return t.Text
}

// Doc is one post as CountDocs reads it.
type Doc struct {
	// Author is the post's author's handle; empty when not known (the post
	// is then its own voice).
	Author, Text string
}

// Count counts, per term, the posts of texts that hold it.
func Count(tok Tokenizer, texts []string, exclude []string) Counts {
	docs := make([]Doc, len(texts))
	for i, t := range texts {
		docs[i].Text = t
	}
	c := CountDocs(tok, docs, exclude)
	c.Voices = nil
	return c
}

// CountDocs counts, per term, the posts that hold it and their distinct
// authors.
func CountDocs(tok Tokenizer, docs []Doc, exclude []string) Counts {
	c := Counts{Posts: len(docs), Terms: make(map[string]int, 1024), Voices: map[string]int{}, Langs: map[string]int{},
		Words: map[string]map[string]int{}}
	ex := excluded(exclude)
	seen := map[string]struct{}{}
	heard := map[string]map[string]bool{}
	for i, d := range docs {
		clear(seen)
		ts, lang := terms(tok, d.Text, ex, false)
		c.Langs[lang]++
		voice := Voice(d.Author, d.Text)
		if voice == "" {
			voice = "\x00" + strconv.Itoa(i)
		}
		for _, term := range ts {
			if _, ok := seen[term]; ok {
				continue
			}
			seen[term] = struct{}{}
			c.Terms[term]++
			if a := tok.About(lang, term); a != "" && !strings.HasPrefix(term, subjectMark) {
				k := subjectKey(a)
				if c.Words[k] == nil {
					c.Words[k] = map[string]int{}
				}
				c.Words[k][term]++
			}
			h := heard[term]
			if h == nil {
				h = map[string]bool{}
				heard[term] = h
			}
			if !h[voice] {
				h[voice] = true
				c.Voices[term]++
			}
		}
	}
	return c
}

// Voice is whose words a post holds: the quoted author of a repost ("RT
// @mia: ...", "转发微博 //@小李: ..."), else its author, lower-cased.
func Voice(author, text string) string {
	t := strings.TrimSpace(text)
	for _, mark := range []string{"RT @", "rt @", "转发微博 //@", "//@"} {
		if rest, ok := strings.CutPrefix(t, mark); ok {
			if i := strings.IndexAny(rest, ":："); i > 0 && !strings.ContainsAny(rest[:i], " \t\n") {
				return strings.ToLower(rest[:i])
			}
		}
	}
	return strings.ToLower(strings.TrimSpace(author))
}

// keywords is the set of a topic's keywords, lower-case, and of their
// words.
type keywords struct {
	words Exclusions
	cjk   []string // the keywords written in Chinese or Japanese
}

func keywordSet(names []string) keywords {
	k := keywords{words: excluded(names)}
	for n := range k.words {
		if hasCJK(n) {
			k.cjk = append(k.cjk, n)
		}
	}
	return k
}

// holds reports whether term is made of the keywords: a word or phrase
// whose every word is a keyword's, or a Chinese or Japanese bigram inside
// a keyword.
func (k keywords) holds(term string) bool {
	if len(k.words) == 0 {
		return false
	}
	if isCJKString(term) {
		for _, n := range k.cjk {
			if strings.Contains(n, term) {
				return true
			}
		}
		return false
	}
	words := strings.Fields(term)
	for _, w := range words {
		if !k.words.has(w) {
			return false
		}
	}
	return len(words) > 0
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
	out, _ := terms(tok, text, ex, false)
	kept := out[:0]
	for _, t := range out {
		if !strings.HasPrefix(t, subjectMark) {
			kept = append(kept, t)
		}
	}
	return kept
}

// termsOf is terms of a post as a window counts them, subjects included.
func termsOf(tok Tokenizer, text string, ex Exclusions) []string {
	out, _ := terms(tok, text, ex, false)
	return out
}

// terms returns the candidate terms of one text and its language, and
// the keys of the subjects they name (subjectKey); with all, generic words
// and function words are kept too (the background table counts them, so
// they are known to be common), and subjects are not.
func terms(tok Tokenizer, text string, ex Exclusions, all bool) ([]string, string) {
	words, lang := tok.Words(text)
	var out []string
	prev, prevClause := "", -1
	for _, w := range words {
		if hasCJK(w.Text) {
			// Chinese and Japanese runs give character bigrams; digits or
			// letters inside a run ("等15个工作日") only break it.
			prev = ""
			for _, run := range strings.FieldsFunc(w.Text, func(r rune) bool { return !isCJK(r) }) {
				rs := []rune(run)
				cov := ex.covered(rs)
				for i := 0; i+1 < len(rs); i++ {
					bg := string(rs[i : i+2])
					if cov[i] || cov[i+1] || strings.ContainsRune(cjkFunction, rs[i]) || strings.ContainsRune(cjkFunction, rs[i+1]) ||
						cjkConventions[bg] || !all && tok.GenericIn(lang, bg) {
						continue
					}
					out = append(out, bg)
				}
			}
			continue
		}
		if !all && (w.Generic || functionWords[w.Text]) || ex.has(w.Text) || !meaningful(w.Text) {
			prev = ""
			continue
		}
		out = append(out, w.Text)
		if prev != "" && prevClause == w.Clause {
			out = append(out, prev+" "+w.Text)
		}
		prev, prevClause = w.Text, w.Clause
	}
	if !all {
		for _, t := range out {
			if a := tok.About(lang, t); a != "" {
				out = append(out, subjectKey(a))
			}
		}
	}
	return out, lang
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

func hasCJK(s string) bool {
	for _, r := range s {
		if isCJK(r) {
			return true
		}
	}
	return false
}

func isCJKString(s string) bool {
	for _, r := range s {
		if !isCJK(r) {
			return false
		}
	}
	return s != ""
}

// Distinctive ranks the window's terms against what was expected of them
// and returns the top ones over-represented in the window, held by the
// posts of at least MinPosts distinct authors and significantly more
// frequent there (Alpha).
//
// What is expected of a term is its share of the topic's baseline posts
// under an informative Dirichlet prior centred on its share of the
// language's posts in general (Options.Background): the reference is the
// baseline's posts plus BackgroundWeight posts of the language's
// background. The window is ranked against that reference by the z-score
// of the weighted log-odds ratio with an informative Dirichlet prior
// (Monroe, Colaresi and Quinn 2008), whose prior is spread over the terms
// by their share of the window and the reference; ties go to the term
// rarer in the language, then to the phrase before its words. So a word
// new to the topic but common in the language ("company", "公司") is
// weaker than one new to the topic and rare in it ("hookup", "截图") held
// by as many authors. The z-score grows with the reference's count, too:
// of two terms held by as many window posts and new to the topic, the
// one with more background mass can rank first (the variance of its
// log-odds is smaller). A window's counts are its distinct authors (a
// repost counts for the author it quotes) when the authors are known.
//
// A word held by about the same posts as a phrase holding it, and a
// Chinese or Japanese bigram that straddles two words, give way to the
// fuller term (wordLike). A term that shares a word (or a character, for
// bigrams) with a better-ranked term and is held by about the same posts
// (within a quarter) is left out as a repeat of it.
func Distinctive(window, baseline Counts, o Options) []Term {
	if o.MinPosts <= 0 {
		o.MinPosts = max(2, int(math.Ceil(0.03*float64(window.Posts))))
	}
	o = o.withDefaults()
	voices := func(t string) int {
		if window.Voices == nil {
			return window.Terms[t]
		}
		return window.Voices[t]
	}
	// The background's share of each term, mixed over the window's
	// languages; cover is the share of the window's posts in a language
	// the background knows.
	bg := o.Background
	if bg == nil {
		bg = DefaultBackground()
	}
	type langShare struct {
		lang  string
		share float64
	}
	var mix []langShare
	var cover float64
	for l, n := range window.Langs {
		if bg.Has(l) && window.Posts > 0 {
			f := float64(n) / float64(window.Posts)
			mix = append(mix, langShare{l, f})
			cover += f
		}
	}
	sort.Slice(mix, func(i, j int) bool { return mix[i].lang < mix[j].lang })
	bgShare := func(t string) float64 {
		var p float64
		for _, m := range mix {
			p += m.share * bg.Share(m.lang, t)
		}
		return p
	}
	m := o.BackgroundWeight
	if m <= 0 {
		m = max(float64(baseline.Posts), 1000)
	}
	m *= cover
	var nw, nb float64
	for t := range window.Terms {
		nw += float64(voices(t))
	}
	for _, c := range baseline.Terms {
		nb += float64(c)
	}
	// The background's posts are taken to hold as many terms as the
	// baseline's (or, with no baseline, the window's).
	perPost := 0.0
	switch {
	case baseline.Posts > 0:
		perPost = nb / float64(baseline.Posts)
	case window.Posts > 0:
		perPost = nw / float64(window.Posts)
	}
	nr := nb + m*perPost
	total := nw + nr
	if total == 0 {
		return nil
	}
	if o.Prior <= 0 {
		o.Prior = total / 10
	}
	kw := keywordSet(o.Keywords)
	var cands []Term // every term tested, over-represented or not
	tested := 0
	for t, posts := range window.Terms {
		yw := voices(t)
		if yw < o.MinPosts {
			continue
		}
		text, subject, share, keyword := t, "", 0.0, false
		if about, ok := strings.CutPrefix(t, subjectMark); ok {
			// A subject named in one word only is that word's term. What
			// is expected of a subject is what is expected of its words;
			// one made of keywords only is judged as a keyword is.
			words := window.Words[t]
			if len(words) < 2 {
				continue
			}
			text, subject, keyword = subjectText(words), about, true
			anyKeyword := false
			for w := range words {
				share += bgShare(w)
				keyword = keyword && kw.holds(w)
				anyKeyword = anyKeyword || kw.holds(w)
			}
			if anyKeyword && baseline.Posts == 0 {
				// With no past nothing says a keyword is new, so a
				// subject holding one is left to its other words, each
				// its own term.
				continue
			}
		} else {
			share, keyword = bgShare(t), kw.holds(t)
		}
		if keyword && baseline.Posts == 0 {
			continue // with no past, nothing says a keyword is new
		}
		tested++
		yb := baseline.Terms[t]
		fw := float64(yw)
		// The reference: the topic's past and the language's background,
		// or, for a keyword, the topic's past alone.
		expected, fr, ref := share, float64(yb)+m*share, nr
		if keyword {
			expected, fr, ref = 0, float64(yb), nb
		}
		a := o.Prior * (fw + fr) / total
		delta := math.Log((fw+a)/(nw+o.Prior-fw-a)) - math.Log((fr+a)/(ref+o.Prior-fr-a))
		// Expected: the larger of the term's share of the topic's past
		// and of the language in general.
		lambda := float64(window.Posts) * max((float64(yb)+0.5)/float64(baseline.Posts+1), expected)
		cands = append(cands, Term{Text: text, Subject: subject, Posts: posts, Voices: yw, BaselinePosts: yb, Background: share,
			LogOdds: delta, Z: delta / math.Sqrt(1/(fw+a)+1/(fr+a)), P: poissonTail(yw, lambda)})
	}
	cands = wordLike(cands)
	kept := cands[:0]
	for _, c := range cands {
		if c.LogOdds > 0 && (o.Alpha < 0 || c.P < o.Alpha/float64(tested)) {
			kept = append(kept, c)
		}
	}
	cands = kept
	sort.Slice(cands, func(i, j int) bool {
		if cands[i].Z != cands[j].Z {
			return cands[i].Z > cands[j].Z
		}
		if cands[i].Background != cands[j].Background {
			return cands[i].Background < cands[j].Background // the rarer in general
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
		if repeats(c, out) || inSubject(c, out, window.Words) {
			continue
		}
		out = append(out, c)
	}
	return out
}

// wordLike keeps, of the terms that are pieces of one longer unit, the
// one that says what the unit says. A word held by about the same window
// posts (within a quarter) as a two-word phrase holding it is dropped for
// the phrase ("double" for "double charge"). A Chinese or Japanese bigram
// that overlaps another held by about the same posts which is more common
// in the language is dropped: both are pieces of one longer run, and the
// rarer one straddles its words ("情交" of "色情交易", beside "交易"), so
// its rarity says nothing about what is new.
func wordLike(cands []Term) []Term {
	byRune := map[rune][]int{}
	byWord := map[string]int{}
	for i, c := range cands {
		if isCJKString(c.Text) {
			for _, r := range c.Text {
				byRune[r] = append(byRune[r], i)
			}
		} else if !strings.Contains(c.Text, " ") {
			byWord[c.Text] = i
		}
	}
	drop := make([]bool, len(cands))
	for _, c := range cands {
		if isCJKString(c.Text) || !strings.Contains(c.Text, " ") {
			continue
		}
		for _, w := range strings.Fields(c.Text) {
			if j, ok := byWord[w]; ok && float64(c.Posts) >= 0.75*float64(cands[j].Posts) {
				drop[j] = true
			}
		}
	}
	for i, c := range cands {
		if !isCJKString(c.Text) {
			continue
		}
		for _, r := range c.Text {
			for _, j := range byRune[r] {
				o := cands[j]
				lo, hi := min(c.Posts, o.Posts), max(c.Posts, o.Posts)
				if j != i && o.Background > c.Background && float64(lo) >= 0.75*float64(hi) {
					drop[i] = true
				}
			}
		}
	}
	kept := cands[:0]
	for i, c := range cands {
		if !drop[i] {
			kept = append(kept, c)
		}
	}
	return kept
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

// inSubject reports whether c is a word of a chosen subject: the
// subject already counts its posts ("meat market" after "brothel ·
// hookup · meat market"), so naming it again says nothing new.
func inSubject(c Term, chosen []Term, words map[string]map[string]int) bool {
	if c.Subject != "" {
		return false
	}
	for _, t := range chosen {
		if t.Subject != "" && words[t.key()][c.Text] > 0 {
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
	for _, pair := range [][2]string{{a, b}, {b, a}} {
		if words := strings.Split(pair[0], subjectSep); len(words) > 1 {
			for _, w := range words {
				if overlaps(w, pair[1]) {
					return true
				}
			}
			return false
		}
	}
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
