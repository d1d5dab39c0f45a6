package analyzer

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/backlash-monitor/backlash/internal/config"
)

// Matcher tags texts with the topics they are about. It is safe for
// concurrent use.
type Matcher struct {
	topics []topicMatcher
	// words are the keywords and exclusions of every topic, lower-cased,
	// each once; a topic's refer to them by index.
	words []string
	// starts lists, by the byte an ASCII word begins with, the indexes of
	// the words an ASCII text is searched for in one pass (see
	// matchASCII); words that are not ASCII cannot occur in such a text.
	starts [utf8.RuneSelf][]int
	// class holds each byte's classes (cWord, cStart, cHigh, cOne).
	class [256]byte
	// pairs holds the first two bytes of the ASCII words (see pair): a
	// text is compared to the words only where two such bytes begin.
	pairs [128 * 128 / 64]uint64
}

type topicMatcher struct {
	name     string
	keywords []string // lower-cased
	exclude  []string // lower-cased
	regex    []*regexp.Regexp
	// kw and ex index keywords and exclude in Matcher.words.
	kw, ex []int
	// only is the result of a text that matches this topic alone; Match
	// returns it rather than a new slice each time.
	only []string
}

// NewMatcher compiles the configured topics.
func NewMatcher(topics []config.Topic) (*Matcher, error) {
	m := &Matcher{}
	for c := range m.class {
		switch {
		case c >= utf8.RuneSelf:
			m.class[c] = cHigh
		case wordByte(byte(c)):
			m.class[c] = cWord
		}
	}
	for _, t := range topics {
		tm := topicMatcher{name: t.Name}
		for _, k := range t.Keywords {
			if k = strings.ToLower(strings.TrimSpace(k)); k != "" {
				tm.keywords = append(tm.keywords, k)
			}
		}
		for _, k := range t.Exclude {
			if k = strings.ToLower(strings.TrimSpace(k)); k != "" {
				tm.exclude = append(tm.exclude, k)
			}
		}
		for _, r := range t.Regex {
			re, err := regexp.Compile("(?i)" + r)
			if err != nil {
				return nil, fmt.Errorf("topic %s: regex %q: %w", t.Name, r, err)
			}
			tm.regex = append(tm.regex, re)
		}
		tm.kw, tm.ex = m.index(tm.keywords), m.index(tm.exclude)
		tm.only = []string{tm.name}
		m.topics = append(m.topics, tm)
	}
	return m, nil
}

// index adds the words not yet in m.words and returns each one's index.
func (m *Matcher) index(words []string) []int {
	var idx []int
	for _, w := range words {
		i := slices.Index(m.words, w)
		if i < 0 {
			i = len(m.words)
			m.words = append(m.words, w)
			if ascii(w) {
				m.starts[w[0]] = append(m.starts[w[0]], i)
				m.class[w[0]] |= cStart
				m.class[upperByte(w[0])] |= cStart
				if len(w) == 1 {
					m.class[w[0]] |= cOne
					m.class[upperByte(w[0])] |= cOne
				} else {
					p := pair(w[0], w[1])
					m.pairs[p/64] |= 1 << (p % 64)
				}
			}
		}
		idx = append(idx, i)
	}
	return idx
}

// Match returns the names of the topics text matches, in configuration
// order, restricted to allowed when it is not empty. Keywords match
// case-insensitively on word boundaries in Latin scripts and as substrings in
// scripts written without spaces (Chinese, Japanese, Thai).
//
// The slice returned may be shared with other results: it must not be
// modified (appending to it is fine).
func (m *Matcher) Match(text string, allowed []string) []string {
	if len(m.topics) == 0 {
		return nil
	}
	var found bitset
	lower := ""
	isASCII := m.matchASCII(text, &found)
	if !isASCII {
		lower = strings.ToLower(text)
	}
	var out []string
	var first *topicMatcher
	for i := range m.topics {
		t := &m.topics[i]
		if len(allowed) > 0 && !contains(allowed, t.name) {
			continue
		}
		if isASCII && !t.matchesFound(&found, text) || !isASCII && !t.matches(lower, text) {
			continue
		}
		switch {
		case first == nil:
			first = t
		case out == nil:
			out = append(make([]string, 0, 2), first.name, t.name)
		default:
			out = append(out, t.name)
		}
	}
	if out == nil && first != nil {
		return first.only
	}
	return out
}

// bitset is a set of word indexes: the words matchASCII found.
type bitset struct {
	small [4]uint64
	more  []uint64
}

func (b *bitset) add(i int) {
	if i < 64*len(b.small) {
		b.small[i/64] |= 1 << (i % 64)
		return
	}
	i -= 64 * len(b.small)
	for len(b.more) <= i/64 {
		b.more = append(b.more, 0)
	}
	b.more[i/64] |= 1 << (i % 64)
}

func (b *bitset) has(i int) bool {
	if i < 64*len(b.small) {
		return b.small[i/64]&(1<<(i%64)) != 0
	}
	i -= 64 * len(b.small)
	return i/64 < len(b.more) && b.more[i/64]&(1<<(i%64)) != 0
}

// matchASCII finds, in one pass over an ASCII text, the words of m that
// occur in it as containsWord finds them in the text lower-cased, and adds
// their indexes to found. It reports false, having found nothing, for a
// text that is not ASCII.
//
// In ASCII a rune is a byte and a word rune is a letter, a digit or '_',
// and no script is written without spaces: a word that begins with a word
// byte can only start where a word of the text does, and one that begins
// with another byte anywhere. Each candidate is compared to the text,
// folded to lower case as it goes, in place of a lower-cased copy.
func (m *Matcher) matchASCII(text string, found *bitset) bool {
	class := &m.class
	prev := byte(0) // the class of the byte before, as far as cWord
	for i := 0; i < len(text); i++ {
		k := class[text[i]]
		if k&(cStart|cHigh) != 0 {
			if k&cHigh != 0 {
				*found = bitset{}
				return false
			}
			if (k&cWord == 0 || prev == 0) && (k&cOne != 0 || i+1 < len(text) && m.hasPair(text[i], text[i+1])) {
				m.matchAt(text, i, found)
			}
		}
		prev = k & cWord
	}
	return true
}

// hasPair reports whether an ASCII word of m begins with c0 and c1, in
// either case.
func (m *Matcher) hasPair(c0, c1 byte) bool {
	p := pair(c0, c1)
	return m.pairs[p/64]&(1<<(p%64)) != 0
}

// pair is the index in Matcher.pairs of a word's first two bytes, folded
// to lower case.
func pair(c0, c1 byte) int { return int(lowerByte(c0))<<7 | int(lowerByte(c1)&0x7f) }

// matchAt adds the words of m that begin at text[i] and end at a word
// boundary to found.
func (m *Matcher) matchAt(text string, i int, found *bitset) {
	for _, w := range m.starts[lowerByte(text[i])] {
		kw := m.words[w]
		if found.has(w) || !hasFoldedPrefix(text[i:], kw) {
			continue
		}
		if end := i + len(kw); end == len(text) || !wordByte(kw[len(kw)-1]) || !wordByte(text[end]) {
			found.add(w)
		}
	}
}

// Classes of bytes, for matchASCII.
const (
	cWord  = 1 << iota // a word rune: a letter, a digit or '_'
	cStart             // some ASCII word of the matcher begins with it, in either case
	cHigh              // not ASCII
	cOne               // a word of the matcher is this one byte, in either case
)

// matchesFound is matches for an ASCII text whose words matchASCII found.
func (t *topicMatcher) matchesFound(found *bitset, text string) bool {
	hit := false
	for _, w := range t.kw {
		if found.has(w) {
			hit = true
			break
		}
	}
	if !hit {
		for _, re := range t.regex {
			if re.MatchString(text) {
				hit = true
				break
			}
		}
	}
	if !hit {
		return false
	}
	for _, w := range t.ex {
		if found.has(w) {
			return false
		}
	}
	return true
}

// hasFoldedPrefix reports whether ASCII s, lower-cased, begins with the
// lower-case ASCII word w.
func hasFoldedPrefix(s, w string) bool {
	if len(s) < len(w) {
		return false
	}
	for j := 0; j < len(w); j++ {
		if lowerByte(s[j]) != w[j] {
			return false
		}
	}
	return true
}

func upperByte(c byte) byte {
	if 'a' <= c && c <= 'z' {
		return c - ('a' - 'A')
	}
	return c
}

func lowerByte(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// wordByte reports whether an ASCII byte is a word rune (isWordRune).
func wordByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_'
}

// ascii reports whether s is ASCII.
func ascii(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (t *topicMatcher) matches(lower, text string) bool {
	hit := false
	for _, k := range t.keywords {
		if containsWord(lower, k) {
			hit = true
			break
		}
	}
	if !hit {
		for _, re := range t.regex {
			if re.MatchString(text) {
				hit = true
				break
			}
		}
	}
	if !hit {
		return false
	}
	for _, k := range t.exclude {
		if containsWord(lower, k) {
			return false
		}
	}
	return true
}

// containsWord reports whether kw occurs in s at word boundaries; a keyword
// edge in a script without spaces needs no boundary.
func containsWord(s, kw string) bool {
	for off := 0; ; {
		i := strings.Index(s[off:], kw)
		if i < 0 {
			return false
		}
		start, end := off+i, off+i+len(kw)
		if boundaryBefore(s, start, kw) && boundaryAfter(s, end, kw) {
			return true
		}
		_, size := utf8.DecodeRuneInString(s[start:])
		off = start + size
	}
}

func boundaryBefore(s string, i int, kw string) bool {
	first, _ := utf8.DecodeRuneInString(kw)
	if i == 0 || !isWordRune(first) || unspaced(first) {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return !isWordRune(r) || unspaced(r)
}

func boundaryAfter(s string, i int, kw string) bool {
	last, _ := utf8.DecodeLastRuneInString(kw)
	if i >= len(s) || !isWordRune(last) || unspaced(last) {
		return true
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return !isWordRune(r) || unspaced(r)
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' }

// unspaced reports runes of scripts written without spaces between words.
func unspaced(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Thai, unicode.Lao, unicode.Khmer, unicode.Myanmar)
}
