package html

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/andybalholm/cascadia"

	"github.com/backlash-monitor/backlash/config"
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

// ParseField reads "sel", "sel@attr" or "@attr".
func ParseField(s string) (Field, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Field{}, nil
	}
	f := Field{Sel: s}
	if i := strings.LastIndexByte(s, '@'); i >= 0 && attrRe.MatchString(s[i+1:]) && !strings.Contains(s[i:], "]") {
		f.Sel, f.Attr = strings.TrimSpace(s[:i]), s[i+1:]
	}
	if f.Sel != "" {
		if _, err := cascadia.ParseGroup(f.Sel); err != nil {
			return Field{}, fmt.Errorf("selector %q: %w", f.Sel, err)
		}
	}
	return f, nil
}

// Spec is a compiled HTMLSource.
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
}

// Compile checks and compiles an HTMLSource.
func Compile(h *config.HTMLSource) (*Spec, error) {
	if h == nil {
		return nil, fmt.Errorf("no html selectors configured")
	}
	if _, err := cascadia.ParseGroup(h.Item); err != nil {
		return nil, fmt.Errorf("item selector %q: %w", h.Item, err)
	}
	s := &Spec{Item: h.Item, Layout: h.TimeFormat, Location: time.UTC,
		Render: h.Render, RenderWait: h.RenderWait, RenderScroll: h.RenderScroll}
	if h.RenderWait != "" {
		if _, err := cascadia.ParseGroup(h.RenderWait); err != nil {
			return nil, fmt.Errorf("render_wait selector %q: %w", h.RenderWait, err)
		}
	}
	for _, f := range []struct {
		name string
		src  string
		dst  *Field
	}{
		{"id", h.ID, &s.ID}, {"text", h.Text, &s.Text}, {"title", h.Title, &s.Title},
		{"author", h.Author, &s.Author}, {"time", h.Time, &s.Time}, {"url", h.URL, &s.URL},
		{"likes", h.Likes, &s.Likes}, {"replies", h.Replies, &s.Replies}, {"shares", h.Shares, &s.Shares},
		{"parent", h.Parent, &s.Parent}, {"follow", h.Follow, &s.Follow}, {"next", h.Next, &s.Next},
	} {
		v, err := ParseField(f.src)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.name, err)
		}
		*f.dst = v
	}
	if s.Text.IsZero() {
		return nil, fmt.Errorf("missing selector: text")
	}
	if h.TimeZone != "" {
		loc, err := time.LoadLocation(h.TimeZone)
		if err != nil {
			return nil, fmt.Errorf("time_zone: %w", err)
		}
		s.Location = loc
	}
	return s, nil
}
