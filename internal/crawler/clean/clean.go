package clean

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// skipped are elements whose content is never post text.
var skipped = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Nav: true, atom.Noscript: true,
	atom.Template: true, atom.Svg: true, atom.Iframe: true, atom.Object: true,
	atom.Head: true, atom.Button: true, atom.Select: true, atom.Form: true,
}

// blocks are elements that start a new line of text.
var blocks = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Br: true, atom.Li: true, atom.Ul: true,
	atom.Ol: true, atom.Blockquote: true, atom.Pre: true, atom.H1: true,
	atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Tr: true, atom.Table: true, atom.Section: true, atom.Article: true,
	atom.Header: true, atom.Footer: true, atom.Hr: true, atom.Dd: true,
	atom.Dt: true, atom.Figcaption: true,
}

// spaced are inline elements whose text is a word of its own: a quote's
// "carol wrote:" in a <cite> runs into the quoted text after it, and
// table cells into each other, unless a space separates them.
var spaced = map[atom.Atom]bool{atom.Cite: true, atom.Td: true, atom.Th: true}

// NodeText returns the readable text under n. skip, when not nil, drops a
// subtree (for example a nested reply inside its parent comment).
func NodeText(n *html.Node, skip func(*html.Node) bool) string {
	var b strings.Builder
	writeText(&b, n, skip)
	return Text(b.String())
}

// writeText writes the text under n, a newline before and after each block.
func writeText(b *strings.Builder, n *html.Node, skip func(*html.Node) bool) {
	block := false
	switch n.Type {
	case html.TextNode:
		if p := n.PrevSibling; p != nil && p.Type == html.ElementNode && spaced[p.DataAtom] {
			// "carol wrote:" then "that is not fun", but "<cite>The
			// Book</cite>, twice" without a space before the comma.
			if r, _ := utf8.DecodeRuneInString(n.Data); unicode.IsLetter(r) || unicode.IsDigit(r) {
				b.WriteByte(' ')
			}
		}
		b.WriteString(n.Data)
		return
	case html.ElementNode:
		if skipped[n.DataAtom] || (skip != nil && skip(n)) {
			return
		}
		if block = blocks[n.DataAtom]; block {
			b.WriteByte('\n')
		} else if spaced[n.DataAtom] {
			b.WriteByte(' ')
		}
	case html.CommentNode, html.DoctypeNode:
		return
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		writeText(b, c, skip)
	}
	if block {
		b.WriteByte('\n')
	}
}

// HTML returns the readable text of an HTML fragment, as feeds and APIs
// send post bodies. Plain text passes through with whitespace normalised.
func HTML(fragment string) string {
	if !strings.ContainsAny(fragment, "<&") {
		return Text(fragment)
	}
	nodes, err := html.ParseFragment(strings.NewReader(fragment), &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div})
	if err != nil {
		return Text(html.UnescapeString(fragment))
	}
	root := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	for _, n := range nodes {
		root.AppendChild(n)
	}
	return NodeText(root, nil)
}

// Text normalises whitespace: runs of spaces and tabs become one space,
// lines are trimmed, blank lines dropped, and invisible characters removed.
// It makes one pass and returns s itself when s is already normal.
func Text(s string) string {
	return normalise(s, true)
}

func isSpace(r rune) bool {
	return unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff' || r == '\u00ad' || r == '\u200e' || r == '\u200f'
}

// OneLine joins text onto one line, for titles and tables.
func OneLine(s string) string {
	return normalise(s, false)
}

// normalise keeps the words of s (runs of runes that are not isSpace),
// one space between two words of a line; with lines, a newline separates
// lines that have words and other lines are dropped, and without, every
// newline is a space. Bytes that are not UTF-8 are kept as they are.
func normalise(s string, lines bool) string {
	var b strings.Builder
	copied := 0 // while not negative, the result so far is s[:copied] and b is unused
	start := 0  // once copying, where the word being read began
	inWord, sep, nl, wrote := false, false, false, false
	for i := 0; i < len(s); {
		c := s[i]
		size, space := 1, c == ' ' || c-'\t' <= '\r'-'\t' // unicode.IsSpace's ASCII
		if c >= utf8.RuneSelf {
			var r rune
			r, size = utf8.DecodeRuneInString(s[i:])
			space = isSpace(r)
		}
		switch {
		case space && inWord:
			// A word ends.
			if copied < 0 {
				b.WriteString(s[start:i])
			}
			inWord, sep = false, true
			fallthrough
		case space:
			if c == '\n' && lines {
				nl, sep = wrote, false
			}
		case !inWord:
			// A word starts, after a newline or a space if it is not the
			// first.
			want := ""
			if nl {
				want = "\n"
			} else if sep {
				want = " "
			}
			nl, sep = false, false
			switch {
			case copied >= 0 && copied+len(want) == i && s[copied:i] == want:
				// Still the same as s.
			case copied >= 0:
				b.Grow(len(s))
				b.WriteString(s[:copied])
				copied = -1
				fallthrough
			default:
				b.WriteString(want)
				start = i
			}
			inWord, wrote = true, true
		}
		i += size
		if inWord && copied >= 0 {
			copied = i
		}
	}
	if copied >= 0 {
		return s[:copied]
	}
	if inWord {
		b.WriteString(s[start:])
	}
	return b.String()
}

var countRe = regexp.MustCompile(`(?i)(\d+(?:[.,]\d+)*)\s*(k|m|b|mil|mio|bn|千|万|萬|亿|億)?`)

// Count reads an engagement count: "1.2k" is 1200, "3,456" 3456,
// "2.5M" 2500000, "1,2 万" 12000, "12 likes" 12. Text without a number is 0;
// counts beyond uint32 saturate.
func Count(s string) uint32 {
	if n, ok := digits(s); ok {
		return n
	}
	m := countRe.FindStringSubmatch(s)
	if m == nil {
		return 0
	}
	num, suffix := m[1], strings.ToLower(m[2])
	mult := 1.0
	switch suffix {
	case "k", "千":
		mult = 1e3
	case "m", "mil", "mio":
		mult = 1e6
	case "b", "bn":
		mult = 1e9
	case "万", "萬":
		mult = 1e4
	case "亿", "億":
		mult = 1e8
	}
	num = normaliseNumber(num, mult > 1)
	f, err := strconv.ParseFloat(num, 64)
	if err != nil {
		return 0
	}
	f = math.Round(f * mult)
	if f >= math.MaxUint32 {
		return math.MaxUint32
	}
	return uint32(f)
}

// digits reads a count written as one to nine ASCII digits alone, the
// common case, without the regular expression.
func digits(s string) (uint32, bool) {
	if len(s) == 0 || len(s) > 9 {
		return 0, false
	}
	n := uint32(0)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + uint32(c-'0')
	}
	return n, true
}

// normaliseNumber removes thousands separators and turns a decimal comma
// into a point. With a suffix ("1,2k") a lone separator is a decimal mark;
// without one ("3,456") a separator followed by three digits groups
// thousands.
func normaliseNumber(s string, suffixed bool) string {
	seps := strings.Count(s, ",") + strings.Count(s, ".")
	if seps == 0 {
		return s
	}
	last := strings.LastIndexAny(s, ",.")
	intPart, frac := s[:last], s[last+1:]
	intPart = strings.NewReplacer(",", "", ".", "").Replace(intPart)
	if seps == 1 && (suffixed || len(frac) != 3) {
		return intPart + "." + frac
	}
	if seps > 1 && strings.Count(s, string(s[last])) == 1 && len(frac) != 3 {
		return intPart + "." + frac // "1.234,5"
	}
	return intPart + frac
}
