package html

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/backlash-monitor/backlash/internal/crawler/when"
)

// Field is one compiled field selector.
type Field struct {
	// Sel is the CSS selector, relative to the item; empty means the item.
	Sel string
	// Attr is the attribute to read; empty means the text.
	Attr string
}

// IsZero reports whether the field was not configured.
func (f Field) IsZero() bool { return f.Sel == "" && f.Attr == "" }

var attrRe = regexp.MustCompile(`^[A-Za-z_:][-A-Za-z0-9_:.]*$`)

// SelectorError is a selector cascadia cannot parse.
type SelectorError struct {
	// Sel is the selector as written, without its @attr.
	Sel string
	// Err is cascadia's error.
	Err error
}

func (e *SelectorError) Error() string { return fmt.Sprintf("bad CSS selector %q: %v", e.Sel, e.Err) }

func (e *SelectorError) Unwrap() error { return e.Err }

// checkSelector parses a CSS selector group.
func checkSelector(sel string) error {
	if _, err := cascadia.ParseGroup(sel); err != nil {
		return &SelectorError{Sel: sel, Err: err}
	}
	return nil
}

// ParseField reads "sel", "sel@attr" or "@attr": the one parser of the
// syntax, used by the loader's checks and by Compile. A bad selector is a
// *SelectorError.
func ParseField(s string) (Field, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Field{}, nil
	}
	f := Field{Sel: s}
	if i := strings.LastIndexByte(s, '@'); i >= 0 && attrRe.MatchString(s[i+1:]) && !strings.Contains(s[i:], "]") {
		f.Sel, f.Attr = strings.TrimSpace(s[:i]), s[i+1:]
	}
	if f.Sel == scope {
		// CSS's name for the element a selector is relative to: the item.
		f.Sel = ""
	}
	if f.Sel != "" {
		if err := checkSelector(f.Sel); err != nil {
			return Field{}, err
		}
	}
	return f, nil
}

// scope is the selector of the item itself (":scope", ":scope@data-x").
const scope = ":scope"

// DefaultQuote selects the quoted blocks of common forum and blog
// software: a blockquote (phpBB, XenForo, MyBB, Invision, WordPress
// comments), Discourse's aside.quote, vBulletin's .bbcode_quote and SMF's
// .quoteheader.
const DefaultQuote = "blockquote, aside.quote, .bbcode_quote, .quoteheader"

// defaultQuote is DefaultQuote compiled, behind a test every element of
// a text passes cheaply: each of its selectors needs a blockquote, an
// aside or a class naming "quote".
type defaultQuote struct{ m cascadia.Matcher }

func (q defaultQuote) Match(n *html.Node) bool {
	if n.Type != html.ElementNode {
		return false
	}
	if n.DataAtom != atom.Blockquote && n.DataAtom != atom.Aside {
		quoted := false
		for _, a := range n.Attr {
			if a.Key == "class" {
				quoted = strings.Contains(a.Val, "quote")
				break
			}
		}
		if !quoted {
			return false
		}
	}
	return q.m.Match(n)
}

// Spec is a compiled Settings block.
type Spec struct {
	// Item selects each post.
	Item string
	// ID, Text, ... are the item's fields.
	ID, Text, Title, Author, Time, URL, Likes, Replies, Shares, Parent Field
	// Follow selects links to pages with more posts (thread pages).
	Follow Field
	// Next selects the link to the next page of the same listing.
	Next Field
	// Layout is the source's own time layout, if any.
	Layout string
	// Location is the zone of times that carry none.
	Location *time.Location
	// Render loads pages in the headless browser and reads the DOM its
	// scripts built, instead of the HTML as served.
	Render bool
	// RenderWait is the selector waited for before a rendered page is read
	// (default: Item).
	RenderWait string
	// RenderScroll is how many times a rendered page is scrolled to the
	// bottom to load more items.
	RenderScroll int
	// Quote matches the quoted blocks left out of the text; nil keeps
	// them.
	Quote cascadia.Matcher

	// sels are the selectors above, compiled once by Compile; a Spec
	// shared by the page workers only reads them.
	sels map[string]cascadia.Matcher
}

// selector returns sel compiled. A selector Compile did not see is
// compiled on the spot; one that does not parse matches nothing, as in
// goquery.
func (s *Spec) selector(sel string) cascadia.Matcher {
	if m, ok := s.sels[sel]; ok {
		return m
	}
	return compileSelector(sel)
}

// neverMatch is the selector that does not parse.
type neverMatch struct{}

func (neverMatch) Match(*html.Node) bool { return false }

func compileSelector(sel string) cascadia.Matcher {
	g, err := cascadia.ParseGroup(sel)
	if err != nil {
		return neverMatch{}
	}
	return g
}

// Compile checks and compiles a Settings block.
func Compile(h *Settings) (*Spec, error) {
	if h == nil {
		return nil, fmt.Errorf("no html selectors configured")
	}
	if err := checkSelector(h.Item); err != nil {
		return nil, fmt.Errorf("item: %w", err)
	}
	s := &Spec{Item: h.Item, Layout: h.TimeFormat, Location: time.UTC,
		Render: h.Render, RenderWait: h.RenderWait, RenderScroll: h.RenderScroll}
	if h.RenderWait != "" {
		if err := checkSelector(h.RenderWait); err != nil {
			return nil, fmt.Errorf("render_wait: %w", err)
		}
	}
	dst := []*Field{&s.ID, &s.Text, &s.Title, &s.Author, &s.Time, &s.URL, &s.Likes, &s.Replies, &s.Shares, &s.Parent, &s.Follow, &s.Next}
	for i, f := range h.fields() {
		v, err := ParseField(f.val)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.key, err)
		}
		*dst[i] = v
	}
	if strings.TrimSpace(h.Text) == "" {
		return nil, fmt.Errorf("missing selector: text")
	}
	if !h.KeepQuotes {
		q := h.Quote
		if q == "" {
			q = DefaultQuote
		}
		if err := checkSelector(q); err != nil {
			return nil, fmt.Errorf("quote: %w", err)
		}
		s.Quote = compileSelector(q)
		if q == DefaultQuote {
			s.Quote = defaultQuote{s.Quote}
		}
	}
	s.sels = map[string]cascadia.Matcher{}
	for _, sel := range []string{s.Item, orAll(s.Follow.Sel), orAll(s.Next.Sel)} {
		s.sels[sel] = compileSelector(sel)
	}
	for _, f := range dst {
		if f.Sel != "" {
			s.sels[f.Sel] = compileSelector(f.Sel)
		}
	}
	if h.TimeZone != "" {
		loc, err := when.Zone(h.TimeZone)
		if err != nil {
			return nil, fmt.Errorf("time_zone: %w", err)
		}
		s.Location = loc
	}
	return s, nil
}
