package html

import (
	"strings"

	"github.com/backlash-monitor/backlash/internal/config"
	"github.com/backlash-monitor/backlash/internal/crawler/kind"
	"github.com/backlash-monitor/backlash/internal/crawler/when"
)

// Name is the kind's name: a source's kind and the key of its block.
const Name = "html"

func init() {
	kind.Register(Name, func() config.KindSettings { return new(Settings) }, Crawl)
}

// Settings is an html source's block: CSS selectors. A field selector is
// relative to the item; "sel@attr" reads an attribute, "@attr" an
// attribute of the item itself.
type Settings struct {
	// Item selects one post or comment; the other selectors are relative
	// to it.
	Item string `yaml:"item"`
	// ID reads the site's id for the post (default: derived from URL,
	// author, time and text).
	ID string `yaml:"id"`
	// Text selects the post's body; ":scope" is the item itself.
	Text string `yaml:"text"`
	// Quote selects quoted blocks inside the text, left out of it, so a
	// reply quoting an angry post is not read as angry (default
	// DefaultQuote). A quote holding the whole of the text is kept.
	Quote string `yaml:"quote"`
	// KeepQuotes keeps quoted blocks in the text.
	KeepQuotes bool `yaml:"keep_quotes"`
	// Title reads the post's or thread's title; it falls back to the first
	// match on the page.
	Title string `yaml:"title"`
	// Author reads the author's name or handle.
	Author string `yaml:"author"`
	// Time reads when the post was published, absolute or relative.
	Time string `yaml:"time"`
	// URL reads the post's permalink.
	URL string `yaml:"url"`
	// Likes, Replies and Shares read engagement counts ("1.2k", "3,456").
	Likes   string `yaml:"likes"`
	Replies string `yaml:"replies"`
	Shares  string `yaml:"shares"`
	// Parent reads the id of the post this one replies to (default: the
	// enclosing item's id, for nested replies).
	Parent string `yaml:"parent"`
	// Follow selects links to pages with more posts, e.g. thread pages from
	// an index.
	Follow string `yaml:"follow"`
	// Next selects the link to the next page of the same listing.
	Next string `yaml:"next"`
	// TimeFormat is a Go time layout tried before the built-in ones.
	TimeFormat string `yaml:"time_format"`
	// TimeZone is the IANA zone of times that carry none (default UTC).
	TimeZone string `yaml:"time_zone"`
	// Render loads each page in headless Chromium and reads the DOM its
	// scripts built (for pages whose posts are built by JavaScript).
	Render bool `yaml:"render"`
	// RenderWait is the CSS selector waited for before a rendered page is
	// read (default: item), up to crawler.timeout.
	RenderWait string `yaml:"render_wait"`
	// RenderScroll is how many times a rendered page is scrolled to the
	// bottom, waiting for more items each time (infinite scroll).
	RenderScroll int `yaml:"render_scroll"`
}

// fields lists the field selectors with their keys.
func (h *Settings) fields() []struct{ key, val string } {
	return []struct{ key, val string }{
		{"id", h.ID}, {"text", h.Text}, {"title", h.Title}, {"author", h.Author},
		{"time", h.Time}, {"url", h.URL}, {"likes", h.Likes}, {"replies", h.Replies},
		{"shares", h.Shares}, {"parent", h.Parent}, {"follow", h.Follow}, {"next", h.Next},
	}
}

// Check validates the selectors as the loader requires: an item and a
// text selector, every selector valid CSS, a known time zone.
func (h *Settings) Check(c *config.KindCheck) {
	if c.Missing {
		c.Errorf("", "html source %q needs an html block with selectors", c.Source)
		return
	}
	if strings.TrimSpace(h.Item) == "" {
		c.Errorf("", "missing selector: item")
	} else if err := checkSelector(h.Item); err != nil {
		c.Errorf("item", "%v", err)
	}
	if strings.TrimSpace(h.Text) == "" {
		c.Errorf("", `missing selector: text (":scope" reads the item's own text)`)
	}
	if h.Quote != "" {
		if h.KeepQuotes {
			c.Errorf("quote", "quote and keep_quotes: true contradict each other")
		} else if err := checkSelector(h.Quote); err != nil {
			c.Errorf("quote", "%v", err)
		}
	}
	for _, f := range h.fields() {
		if _, err := ParseField(f.val); err != nil {
			c.Errorf(f.key, "%v", err)
		} else if f.key != "text" && strings.TrimSpace(f.val) == scope {
			c.Errorf(f.key, `%q alone is only for text; "@name" reads an attribute of the item`, scope)
		}
	}
	if h.TimeZone != "" {
		if _, err := when.Zone(h.TimeZone); err != nil {
			c.Errorf("time_zone", "%v", err)
		}
	}
	if h.RenderWait != "" {
		if err := checkSelector(h.RenderWait); err != nil {
			c.Errorf("render_wait", "%v", err)
		} else if !h.Render {
			c.Errorf("render_wait", "render_wait needs render: true")
		}
	}
	switch {
	case h.RenderScroll < 0 || h.RenderScroll > 100:
		c.Errorf("render_scroll", "render_scroll must be between 0 and 100")
	case h.RenderScroll > 0 && !h.Render:
		c.Errorf("render_scroll", "render_scroll needs render: true")
	}
}

// Renders reports whether src is an html source with render: true, for
// callers that check the browser is installed.
func Renders(src *config.Source) bool {
	s := settings(src)
	return src.Kind == Name && s != nil && s.Render
}

// settings returns the html block of src, nil when it has none.
func settings(src *config.Source) *Settings {
	s, _ := src.Settings.(*Settings)
	return s
}

// FieldSelectors names the selector of each field, for source-health
// messages that say which one stopped matching.
func (h *Settings) FieldSelectors() map[string]string {
	return map[string]string{"item": h.Item, "text": h.Text, "title": h.Title, "author": h.Author, "time": h.Time, "url": h.URL}
}
