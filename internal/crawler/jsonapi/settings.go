package jsonapi

import (
	"sort"
	"strings"

	"github.com/backlash-monitor/backlash/internal/config"
	"github.com/backlash-monitor/backlash/internal/crawler/kind"
	"github.com/backlash-monitor/backlash/internal/crawler/when"
)

// Name is the kind's name: a source's kind and the key of its block.
const Name = "json"

func init() {
	kind.Register(Name, func() config.KindSettings { return new(Settings) }, Crawl)
}

// Settings is a json source's block: gjson paths into an API's responses.
type Settings struct {
	// Preset fills in paths and pagination for a known API (see
	// Presets). Paths set alongside override it.
	Preset string `yaml:"preset"`
	// Items is the path of the array of items (default "@this").
	Items string `yaml:"items"`
	// ID, Text, Title, Author, Time, URL, Likes, Replies, Shares,
	// Followers and Parent are paths relative to an item; " || " separates
	// alternatives.
	ID        string `yaml:"id"`
	Text      string `yaml:"text"`
	Title     string `yaml:"title"`
	Author    string `yaml:"author"`
	Time      string `yaml:"time"`
	URL       string `yaml:"url"`
	Likes     string `yaml:"likes"`
	Replies   string `yaml:"replies"`
	Shares    string `yaml:"shares"`
	Followers string `yaml:"followers"`
	Parent    string `yaml:"parent"`
	// Views is the path of a view count (it counts toward reach); Rating
	// of a review's stars (1 to 5); AppVersion of the app version a
	// review was written about.
	Views      string `yaml:"views"`
	Rating     string `yaml:"rating"`
	AppVersion string `yaml:"app_version"`
	// Children is the path from an item to its nested replies, read
	// recursively as items of the same shape (Reddit's
	// data.replies.data.children).
	Children string `yaml:"children"`
	// Cursor is the path of the next-page cursor in a response. A cursor
	// that is a URL ("next": "https://api.example/posts?page=3") is the
	// next page itself.
	Cursor string `yaml:"cursor"`
	// CursorParam is the query parameter the cursor is sent back in; not
	// needed when the cursor is the next page's URL.
	CursorParam string `yaml:"cursor_param"`
	// PageParam is a page-number query parameter, for page pagination.
	PageParam string `yaml:"page_param"`
	// PageStart is the number of the first page when the URL does not
	// carry page_param (default 1; 0 for zero-based APIs).
	PageStart *int `yaml:"page_start"`
	// LinkHeader follows the response's Link rel="next" header, as
	// Mastodon and GitHub paginate.
	LinkHeader bool `yaml:"link_header"`
	// TextHTML says the text path holds HTML, to be reduced to plain text.
	TextHTML bool `yaml:"text_html"`
	// TimeFormat is a Go time layout tried before the built-in ones.
	TimeFormat string `yaml:"time_format"`
	// TimeZone is the IANA zone of times that carry none (default UTC):
	// many APIs send local times ("2026-12-07 14:02:00" in Beijing).
	TimeZone string `yaml:"time_zone"`
}

// Presets returns the names preset accepts, sorted.
func Presets() []string {
	var out []string
	for name := range presets() {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// Check validates the block as the loader requires.
func (j *Settings) Check(c *config.KindCheck) {
	if c.Missing {
		c.Errorf("", "json source %q needs a json block", c.Source)
		return
	}
	if _, ok := presets()[j.Preset]; j.Preset != "" && !ok {
		c.Errorf("preset", "unknown preset %q (want one of %s)", j.Preset, strings.Join(Presets(), ", "))
	}
	if j.Preset == "" && j.Text == "" {
		c.Errorf("", "json source %q needs a preset or a text path", c.Source)
	}
	if j.CursorParam != "" && j.Cursor == "" {
		c.Errorf("cursor_param", "cursor_param needs cursor, the path of the cursor in a response")
	}
	if j.PageParam != "" && j.Cursor != "" {
		c.Errorf("page_param", "use either cursor or page_param pagination, not both")
	}
	if j.TimeZone != "" {
		if _, err := when.Zone(j.TimeZone); err != nil {
			c.Errorf("time_zone", "%v", err)
		}
	}
	if j.PageStart != nil && *j.PageStart < 0 {
		c.Errorf("page_start", "page_start must not be negative")
	}
}

// settings returns the json block of src, nil when it has none.
func settings(src *config.Source) *Settings {
	s, _ := src.Settings.(*Settings)
	return s
}

// FieldSelectors names the path of each field, for source-health messages
// that say which one stopped matching.
func (j *Settings) FieldSelectors() map[string]string {
	return map[string]string{"item": j.Items, "text": j.Text, "title": j.Title, "author": j.Author, "time": j.Time, "url": j.URL}
}
