package analyzer

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"github.com/backlash-monitor/backlash/internal/config"
)

// Matcher tags texts with the topics they are about. It is safe for
// concurrent use.
type Matcher struct {
	topics []topicMatcher
	// lowers holds buffers (*[]byte) that ASCII texts are lower-cased into.
	lowers sync.Pool
}

type topicMatcher struct {
	name     string
	keywords []string // lower-cased
	exclude  []string // lower-cased
	regex    []*regexp.Regexp
}

// NewMatcher compiles the configured topics.
func NewMatcher(topics []config.Topic) (*Matcher, error) {
	m := &Matcher{}
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
		m.topics = append(m.topics, tm)
	}
	return m, nil
}

// Match returns the names of the topics text matches, in configuration
// order, restricted to allowed when it is not empty. Keywords match
// case-insensitively on word boundaries in Latin scripts and as substrings in
// scripts written without spaces (Chinese, Japanese, Thai).
func (m *Matcher) Match(text string, allowed []string) []string {
	if len(m.topics) == 0 {
		return nil
	}
	lower, buf := m.lower(text)
	if buf != nil {
		defer m.lowers.Put(buf)
	}
	var out []string
	for i := range m.topics {
		t := &m.topics[i]
		if len(allowed) > 0 && !contains(allowed, t.name) {
			continue
		}
		if t.matches(lower, text) {
			out = append(out, t.name)
		}
	}
	return out
}

// lower returns text lower-cased as strings.ToLower does. An ASCII text
// with capitals is lower-cased into a pooled buffer rather than a new
// string: the string returned shares the buffer, which is returned too, to
// be given back to m.lowers once the string is no longer used.
func (m *Matcher) lower(text string) (string, *[]byte) {
	upper := false
	for i := 0; i < len(text); i++ {
		c := text[i]
		if c >= utf8.RuneSelf {
			return strings.ToLower(text), nil
		}
		upper = upper || 'A' <= c && c <= 'Z'
	}
	if !upper || len(text) == 0 {
		return text, nil
	}
	bp, _ := m.lowers.Get().(*[]byte)
	if bp == nil {
		bp = new([]byte)
	}
	b := (*bp)[:0]
	for i := 0; i < len(text); i++ {
		c := text[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b = append(b, c)
	}
	*bp = b
	return unsafe.String(&b[0], len(b)), bp
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
