package config

import (
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/andybalholm/cascadia"
	htmlcharset "golang.org/x/net/html/charset"
	"golang.org/x/net/http/httpguts"
)

// Source kinds.
const (
	KindHTML = "html"
	KindFeed = "feed"
	KindJSON = "json"
)

// Source is one place posts are collected from: an HTML forum or comment
// section, an RSS/Atom/JSON feed, or a JSON API.
type Source struct {
	// Name identifies the source in the store, logs and the dashboard.
	Name string `yaml:"name"`
	// Kind is html, feed or json.
	Kind string `yaml:"kind"`
	// URLs are where crawling starts.
	URLs []string `yaml:"urls"`
	// Schedule is a cron expression for `backlash serve` (default every 15 min).
	Schedule string `yaml:"schedule"`
	// Topics restricts the topics this source's posts are matched against
	// (default: all topics).
	Topics []string `yaml:"topics"`
	// KeepUnmatched stores posts that match no topic.
	KeepUnmatched bool `yaml:"keep_unmatched"`
	// AllowPrivate lets the source reach loopback and private addresses.
	AllowPrivate bool `yaml:"allow_private"`
	// IgnoreRobots skips robots.txt, for sites you own.
	IgnoreRobots bool `yaml:"ignore_robots"`
	// AllowedDomains are the hosts links may be followed to (default: the
	// hosts of URLs).
	AllowedDomains []string `yaml:"allowed_domains"`
	// Delay is the pause between requests to one domain (default 1s; an
	// explicit 0s means none).
	Delay Duration `yaml:"delay"`
	// Parallelism is how many requests run at once per domain (default 1).
	Parallelism int `yaml:"parallelism"`
	// MaxPages caps the pages fetched in one run (default 50).
	MaxPages int `yaml:"max_pages"`
	// Deadline bounds the source's whole crawl (default
	// crawler.source_deadline); a crawl cut at it keeps what it collected.
	Deadline Duration `yaml:"deadline"`
	// Lookback re-fetches posts this far behind the high-water mark so
	// edited counts are refreshed (default 1h).
	Lookback Duration `yaml:"lookback"`
	// Encoding forces a character set when a site declares it wrongly.
	Encoding string `yaml:"encoding"`
	// Headers are sent with every request of the source, e.g. an API
	// version or a language. Not for credentials: use HeaderEnv.
	Headers map[string]string `yaml:"headers"`
	// HeaderEnv names, per header, the environment variable holding its
	// value, for credentials such as {Authorization: REDDIT_AUTHORIZATION}
	// (the variable holding "Bearer ..."). They are sent only to the hosts
	// of URLs, never to another host a link or a redirect leads to.
	HeaderEnv map[string]SecretEnv `yaml:"header_env"`
	// HTML describes how to extract posts from pages (kind html, or a
	// feed's comment pages).
	HTML *HTMLSource `yaml:"html"`
	// Feed holds feed options (kind feed).
	Feed *FeedSource `yaml:"feed"`
	// JSON describes how to extract posts from an API (kind json).
	JSON *JSONSource `yaml:"json"`
}

// HTMLSource holds CSS selectors. A field selector is relative to the item;
// "sel@attr" reads an attribute, "@attr" an attribute of the item itself.
type HTMLSource struct {
	// Item selects one post or comment; the other selectors are relative
	// to it.
	Item string `yaml:"item"`
	// ID reads the site's id for the post (default: derived from URL,
	// author, time and text).
	ID string `yaml:"id"`
	// Text selects the post's body.
	Text string `yaml:"text"`
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
}

// FeedSource holds options for RSS, Atom and JSON Feed sources.
type FeedSource struct {
	// Comments, when set, follows each item's link and extracts comments.
	Comments *HTMLSource `yaml:"comments"`
}

// JSONSource holds gjson paths into an API's responses.
type JSONSource struct {
	// Preset fills in paths and pagination for a known API: reddit,
	// hackernews, mastodon, bluesky, appstore, lemmy, youtube,
	// activitystreams or jsonapi. Paths set alongside override it.
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
	// Cursor is the path of the next-page cursor in a response.
	Cursor string `yaml:"cursor"`
	// CursorParam is the query parameter the cursor is sent back in.
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
}

// JSONPresets are the names json.preset accepts; the crawler documents
// what each one fills in.
var JSONPresets = []string{"reddit", "hackernews", "mastodon", "bluesky", "appstore", "lemmy", "youtube", "activitystreams", "jsonapi"}

// setDefaults fills unset fields; delaySet says the file set delay, so an
// explicit "0s" (a site you own) is kept.
func (s *Source) setDefaults(delaySet bool) {
	if s.Schedule == "" {
		s.Schedule = "*/15 * * * *"
	}
	if s.Delay == 0 && !delaySet {
		s.Delay = Duration(time.Second)
	}
	if s.Parallelism == 0 {
		s.Parallelism = 1
	}
	if s.MaxPages == 0 {
		s.MaxPages = 50
	}
	if s.Lookback == 0 {
		s.Lookback = Duration(time.Hour)
	}
	if len(s.AllowedDomains) == 0 {
		for _, u := range s.URLs {
			if pu, err := url.Parse(u); err == nil && pu.Hostname() != "" {
				s.AllowedDomains = append(s.AllowedDomains, pu.Hostname())
			}
		}
	}
}

func (s *Source) validate(v *validator, p path, c *Config) {
	if s.Name == "" {
		v.errorf(p, "source needs a name")
	} else if !identRe.MatchString(s.Name) {
		v.errorf(append(p, "name"), "source name %q must be letters, digits, _ . or -", s.Name)
	}
	if len(s.URLs) == 0 {
		v.errorf(p, "source %q needs urls", s.Name)
	}
	for i, u := range s.URLs {
		pu, err := url.Parse(u)
		if err != nil || (pu.Scheme != "http" && pu.Scheme != "https") || pu.Host == "" {
			v.errorf(path{"sources", p[1], "urls", i}, "url %q must be an absolute http(s) URL", u)
		}
	}
	for i, d := range s.AllowedDomains {
		if d == "" || strings.ContainsAny(d, "/:@ ") && !strings.HasPrefix(d, "[") {
			v.errorf(append(append(path{}, p...), "allowed_domains", i), "allowed domain %q must be a bare host name like www.example.com", d)
		}
	}
	if len(s.AllowedDomains) > 0 {
		for i, u := range s.URLs {
			if pu, err := url.Parse(u); err == nil && pu.Hostname() != "" && !slices.Contains(s.AllowedDomains, pu.Hostname()) {
				v.errorf(append(append(path{}, p...), "urls", i), "host %q of %s is not in allowed_domains", pu.Hostname(), u)
			}
		}
	}
	if s.Delay < 0 {
		v.errorf(append(append(path{}, p...), "delay"), "delay must not be negative")
	}
	if s.Parallelism < 0 {
		v.errorf(append(append(path{}, p...), "parallelism"), "parallelism must not be negative")
	}
	if s.MaxPages < 0 {
		v.errorf(append(append(path{}, p...), "max_pages"), "max_pages must not be negative")
	}
	if s.Encoding != "" {
		if e, _ := htmlcharset.Lookup(s.Encoding); e == nil {
			v.errorf(append(append(path{}, p...), "encoding"), "unknown encoding %q (try gbk, gb18030, big5, shift_jis, euc-kr, windows-1251)", s.Encoding)
		}
	}
	s.validateHeaders(v, p)
	for i, t := range s.Topics {
		found := false
		for _, ct := range c.Topics {
			found = found || ct.Name == t
		}
		if !found {
			v.errorf(append(append(path{}, p...), "topics", i), "unknown topic %q", t)
		}
	}
	switch s.Kind {
	case KindHTML:
		if s.HTML == nil {
			v.errorf(p, "html source %q needs an html block with selectors", s.Name)
			return
		}
		s.HTML.validate(v, append(append(path{}, p...), "html"))
	case KindFeed:
		if s.Feed != nil && s.Feed.Comments != nil {
			s.Feed.Comments.validate(v, append(append(path{}, p...), "feed", "comments"))
		}
	case KindJSON:
		if s.JSON == nil {
			v.errorf(p, "json source %q needs a json block", s.Name)
			return
		}
		s.JSON.validate(v, append(append(path{}, p...), "json"), s.Name)
	case "":
		v.errorf(p, "source %q needs a kind (html, feed or json)", s.Name)
	default:
		v.errorf(append(append(path{}, p...), "kind"), "unknown kind %q (want html, feed or json)", s.Kind)
	}
}

func (j *JSONSource) validate(v *validator, p path, name string) {
	if j.Preset != "" && !slices.Contains(JSONPresets, j.Preset) {
		v.errorf(append(append(path{}, p...), "preset"), "unknown preset %q (want one of %s)", j.Preset, strings.Join(JSONPresets, ", "))
	}
	if j.Preset == "" && j.Text == "" {
		v.errorf(p, "json source %q needs a preset or a text path", name)
	}
	if (j.Cursor == "") != (j.CursorParam == "") {
		v.errorf(append(append(path{}, p...), "cursor"), "cursor and cursor_param go together")
	}
	if j.PageParam != "" && j.Cursor != "" {
		v.errorf(append(append(path{}, p...), "page_param"), "use either cursor or page_param pagination, not both")
	}
	if j.PageStart != nil && *j.PageStart < 0 {
		v.errorf(append(append(path{}, p...), "page_start"), "page_start must not be negative")
	}
}

func (h *HTMLSource) validate(v *validator, p path) {
	if strings.TrimSpace(h.Item) == "" {
		v.errorf(p, "missing selector: item")
	} else if _, err := cascadia.ParseGroup(h.Item); err != nil {
		v.errorf(append(append(path{}, p...), "item"), "bad CSS selector %q: %v", h.Item, err)
	}
	if strings.TrimSpace(h.Text) == "" {
		v.errorf(p, "missing selector: text")
	}
	for _, f := range []struct{ key, val string }{
		{"id", h.ID}, {"text", h.Text}, {"title", h.Title}, {"author", h.Author},
		{"time", h.Time}, {"url", h.URL}, {"likes", h.Likes}, {"replies", h.Replies},
		{"shares", h.Shares}, {"parent", h.Parent}, {"follow", h.Follow}, {"next", h.Next},
	} {
		sel := strings.TrimSpace(f.val)
		if i := strings.LastIndexByte(sel, '@'); i >= 0 && !strings.Contains(sel[i:], "]") {
			sel = strings.TrimSpace(sel[:i])
		}
		if sel == "" {
			continue
		}
		if _, err := cascadia.ParseGroup(sel); err != nil {
			v.errorf(append(append(path{}, p...), f.key), "bad CSS selector %q: %v", sel, err)
		}
	}
	if h.TimeZone != "" {
		if _, err := time.LoadLocation(h.TimeZone); err != nil {
			v.errorf(append(append(path{}, p...), "time_zone"), "unknown time zone %q", h.TimeZone)
		}
	}
}

// reservedHeaders are set by the crawler or the HTTP client; a source may
// not override them.
var reservedHeaders = []string{"Host", "Content-Length", "Connection", "Transfer-Encoding", "User-Agent", "Accept-Encoding"}

func (s *Source) validateHeaders(v *validator, p path) {
	check := func(key, name string) bool {
		hp := append(append(path{}, p...), key, name)
		switch {
		case !httpguts.ValidHeaderFieldName(name):
			v.errorf(hp, "%q is not a valid header name", name)
		case slices.ContainsFunc(reservedHeaders, func(r string) bool { return strings.EqualFold(r, name) }):
			v.errorf(hp, "header %s is set by the crawler and cannot be configured", name)
		default:
			return true
		}
		return false
	}
	for name, val := range s.Headers {
		if check("headers", name) && !httpguts.ValidHeaderFieldValue(val) {
			v.errorf(append(append(path{}, p...), "headers", name), "header %s has a value with control characters", name)
		}
	}
	for name := range s.HeaderEnv {
		if !check("header_env", name) {
			continue
		}
		for other := range s.Headers {
			if strings.EqualFold(other, name) {
				v.errorf(append(append(path{}, p...), "header_env", name), "header %s is set in both headers and header_env", name)
			}
		}
	}
}
