package jsonapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/tidwall/gjson"

	"github.com/backlash-monitor/backlash/internal/crawler/clean"
	"github.com/backlash-monitor/backlash/internal/crawler/kind"
	"github.com/backlash-monitor/backlash/internal/crawler/when"
	"github.com/backlash-monitor/backlash/internal/post"
)

// Path is a gjson path with " || " alternatives.
type Path []string

// ParsePath splits alternatives outside brackets and parentheses.
func ParsePath(s string) Path {
	var out Path
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(', '[', '{':
			depth++
		case ')', ']', '}':
			depth--
		case '|':
			if depth == 0 && strings.HasPrefix(s[i:], "||") && i > 0 && s[i-1] == ' ' && strings.HasPrefix(s[i:], "|| ") {
				if p := strings.TrimSpace(s[start:i]); p != "" {
					out = append(out, p)
				}
				start = i + 3
				i += 2
			}
		}
	}
	if p := strings.TrimSpace(s[start:]); p != "" {
		out = append(out, p)
	}
	return out
}

// Get returns the first alternative that exists and is not null or "".
func (p Path) Get(r gjson.Result) gjson.Result {
	for _, alt := range p {
		v := r.Get(alt)
		if v.Exists() && v.Type != gjson.Null && !(v.Type == gjson.String && strings.TrimSpace(v.Str) == "") {
			return v
		}
	}
	return gjson.Result{}
}

// Spec is a compiled Settings block, preset applied.
type Spec struct {
	// Items selects the array of items in a response.
	Items Path
	// ID, Text, ... are paths relative to an item.
	ID, Text, Title, Author, Time, URL, Likes, Replies, Shares, Followers, Parent Path
	// Views, Rating and AppVersion read a view count, a review's stars and
	// the reviewed app's version.
	Views, Rating, AppVersion Path
	// Children leads from an item to its nested replies.
	Children Path
	// Cursor is the path of the next-page cursor.
	Cursor Path
	// CursorParam is the query parameter the cursor is sent back in.
	CursorParam string
	// Layout is the source's own time layout, if any.
	Layout string
	// Location is the zone of times that carry none.
	Location *time.Location
	// PageParam is the page-number query parameter.
	PageParam string
	// PageStart is the number of the first page.
	PageStart int
	// LinkHeader follows Link rel="next".
	LinkHeader bool
	// TextHTML reduces HTML text to plain text.
	TextHTML bool

	preset preset
}

// Compile applies a preset and compiles the paths.
func Compile(j *Settings) (*Spec, error) {
	if j == nil {
		return nil, errors.New("no json paths configured")
	}
	cfg := *j
	var pr preset
	if j.Preset != "" {
		var ok bool
		if pr, ok = presets()[j.Preset]; !ok {
			return nil, fmt.Errorf("unknown preset %q", j.Preset)
		}
		cfg = merge(pr.cfg, *j)
	}
	if cfg.Text == "" {
		return nil, errors.New("missing path: text")
	}
	if cfg.Items == "" {
		cfg.Items = "@this"
	}
	s := &Spec{
		Items:       ParsePath(cfg.Items),
		ID:          ParsePath(cfg.ID),
		Text:        ParsePath(cfg.Text),
		Title:       ParsePath(cfg.Title),
		Author:      ParsePath(cfg.Author),
		Time:        ParsePath(cfg.Time),
		URL:         ParsePath(cfg.URL),
		Likes:       ParsePath(cfg.Likes),
		Replies:     ParsePath(cfg.Replies),
		Shares:      ParsePath(cfg.Shares),
		Followers:   ParsePath(cfg.Followers),
		Parent:      ParsePath(cfg.Parent),
		Views:       ParsePath(cfg.Views),
		Rating:      ParsePath(cfg.Rating),
		AppVersion:  ParsePath(cfg.AppVersion),
		Children:    ParsePath(cfg.Children),
		Cursor:      ParsePath(cfg.Cursor),
		CursorParam: cfg.CursorParam,
		PageParam:   cfg.PageParam,
		PageStart:   1,
		LinkHeader:  cfg.LinkHeader,
		TextHTML:    cfg.TextHTML,
		Layout:      cfg.TimeFormat,
		Location:    time.UTC,
		preset:      pr,
	}
	if cfg.TimeZone != "" {
		loc, err := when.Zone(cfg.TimeZone)
		if err != nil {
			return nil, fmt.Errorf("time_zone: %w", err)
		}
		s.Location = loc
	}
	if cfg.PageStart != nil {
		s.PageStart = *cfg.PageStart
	}
	return s, nil
}

// SyntaxError is a response that is not valid JSON.
type SyntaxError struct {
	// Line and Column locate the error (1-based).
	Line, Column int
	// Err is the decoder's message.
	Err error
}

// Error locates the syntax error.
func (e *SyntaxError) Error() string {
	return fmt.Sprintf("malformed JSON at line %d, column %d: %v", e.Line, e.Column, e.Err)
}

// Unwrap returns the decoder's error.
func (e *SyntaxError) Unwrap() error { return e.Err }

// Response is what one API response yields.
type Response struct {
	// Posts are the response's items.
	Posts []post.Post
	// Items is how many items the items path matched, posts or not.
	Items int
	// NoText counts the items (replies included) whose text path was empty;
	// they yield no post.
	NoText int
	// Cursor is the next-page cursor, if the spec has a cursor path.
	Cursor string
	// Next is the next page's URL when the response names it (a preset
	// that pages by URL); "" leaves paging to the configured pagination.
	Next string
	// Last is true when the response says it is the last page.
	Last bool
}

// FieldError is an item that lacks a field its preset always has: the
// API changed its format, or the URL is not the API the preset reads.
// Extract returns it with the posts of the items that were whole.
type FieldError struct {
	// Item is the item's index in the response (0-based).
	Item int
	// Field is the post field ("id", "time", ...) and Path where the
	// preset looks for it.
	Field, Path string
	// Missing is how many items lacked a required field in all.
	Missing int
}

// Error names the field and where it was looked for.
func (e *FieldError) Error() string {
	more := ""
	if e.Missing > 1 {
		more = fmt.Sprintf(" (and %d more items)", e.Missing-1)
	}
	return fmt.Sprintf("item %d has no %s (path %q): the API's format may have changed%s", e.Item, e.Field, e.Path, more)
}

// Extract reads posts from one response body. base resolves relative URLs.
func Extract(body []byte, base *url.URL, s *Spec, fetched time.Time) (Response, error) {
	var res Response
	if !gjson.ValidBytes(body) {
		unwrapped, ok := unwrap(body)
		if !ok {
			return res, syntaxError(body)
		}
		body = unwrapped
	}
	root := gjson.ParseBytes(body)
	if s.preset.check != nil {
		if err := s.preset.check(root); err != nil {
			return res, err
		}
	}
	items := s.Items.Get(root)
	if !items.Exists() {
		sel := strings.Join(s.Items, " || ")
		return res, &kind.NoMatchError{Selector: sel, Msg: fmt.Sprintf("items path %q matched nothing", sel)}
	}
	if items.IsObject() && (s.Text.Get(items).Exists() || len(s.ID) > 0 && s.ID.Get(items).Exists()) {
		// An API that serves one item a URL (Hacker News' /item/{id},
		// most REST "GET one" endpoints): the object is the item.
		items = gjson.Parse("[" + items.Raw + "]")
	}
	if !items.IsArray() {
		return res, fmt.Errorf("items path %q matched a %s, not an array", strings.Join(s.Items, " || "), items.Type)
	}
	if len(s.Cursor) > 0 {
		res.Cursor = scalar(s.Cursor.Get(root))
	}
	if s.preset.page != nil {
		res.Next, res.Last = s.preset.page(base, root)
	}
	var ferr *FieldError
	s.walk(items, root, base, fetched, &res, 0, "", &ferr)
	if ferr != nil {
		return res, ferr
	}
	return res, nil
}

// maxDepth bounds how deep nested replies are followed.
const maxDepth = 64

// walk reads an array of items and, with a children path, their nested
// replies, depth first so a reply follows its parent.
func (s *Spec) walk(items, root gjson.Result, base *url.URL, fetched time.Time, res *Response, depth int, parent string, ferr **FieldError) {
	items.ForEach(func(_, it gjson.Result) bool {
		n := res.Items
		if depth == 0 {
			res.Items++
		}
		if s.preset.skip != nil && s.preset.skip(it) {
			return true
		}
		if e := s.missing(it); e != nil {
			if *ferr == nil {
				e.Item = n
				*ferr = e
			}
			(*ferr).Missing++
			return true
		}
		id := ""
		p, ok := s.item(it, root, base, fetched)
		if !ok {
			res.NoText++
		}
		if ok {
			if p.ParentID == "" && parent != p.ID {
				p.ParentID = parent
			}
			res.Posts = append(res.Posts, p)
			id = p.ID
		}
		if len(s.Children) > 0 && depth < maxDepth {
			if kids := s.Children.Get(it); kids.IsArray() {
				s.walk(kids, root, base, fetched, res, depth+1, id, ferr)
			}
		}
		return true
	})
}

// missing reports the first field the preset requires that the item
// lacks.
func (s *Spec) missing(it gjson.Result) *FieldError {
	for _, f := range s.preset.required {
		var p Path
		switch f {
		case "id":
			p = s.ID
		case "time":
			p = s.Time
		case "author":
			p = s.Author
		case "text":
			p = s.Text
		case "rating":
			p = s.Rating
		}
		if len(p) > 0 && !p.Get(it).Exists() {
			return &FieldError{Field: f, Path: strings.Join(p, " || ")}
		}
	}
	return nil
}

// text reads the text path's first alternative that holds a text, not
// null, empty or one of the preset's placeholders.
func (s *Spec) text(it gjson.Result) string {
	if s.preset.placeholders == nil {
		return scalar(s.Text.Get(it))
	}
	for _, alt := range s.Text {
		if t := scalar(it.Get(alt)); t != "" && !s.preset.placeholders[t] {
			return t
		}
	}
	return ""
}

func (s *Spec) item(it, root gjson.Result, base *url.URL, fetched time.Time) (post.Post, bool) {
	text := s.text(it)
	if s.TextHTML {
		text = clean.HTML(text)
	} else {
		text = clean.Text(text)
	}
	if text == "" {
		return post.Post{}, false
	}
	p := post.Post{
		ID:         scalar(s.ID.Get(it)),
		ParentID:   scalar(s.Parent.Get(it)),
		Author:     clean.OneLine(scalar(s.Author.Get(it))),
		Title:      clean.OneLine(clean.HTML(scalar(s.Title.Get(it)))),
		Text:       text,
		Fetched:    fetched,
		Likes:      count(s.Likes.Get(it)),
		Replies:    count(s.Replies.Get(it)),
		Shares:     count(s.Shares.Get(it)),
		Followers:  count(s.Followers.Get(it)),
		Views:      count(s.Views.Get(it)),
		Rating:     rating(s.Rating.Get(it)),
		AppVersion: clean.OneLine(scalar(s.AppVersion.Get(it))),
	}
	if u := scalar(s.URL.Get(it)); u != "" {
		if r, err := url.Parse(u); err == nil {
			if base != nil {
				r = base.ResolveReference(r)
			}
			if r.Scheme == "http" || r.Scheme == "https" {
				p.URL = r.String()
			}
		}
	}
	rawTime := scalar(s.Time.Get(it))
	if t, ok := when.Parse(rawTime, when.Options{Now: fetched, Location: s.Location, Layout: s.Layout}); ok {
		p.Published = t
	} else {
		p.Published, p.TimeGuessed = fetched, true
	}
	if s.preset.fix != nil {
		s.preset.fix(&p, it, root)
	}
	if p.URL == "" && base != nil {
		p.URL = base.String()
	}
	if p.ID == "" {
		idTime := rawTime
		if when.Relative(rawTime, when.Options{Now: fetched, Location: s.Location, Layout: s.Layout}) {
			idTime = "" // "3 hours ago" says something else next crawl
		}
		p.ID = post.DeriveID(p.URL, p.Author, idTime, p.Text)
	}
	if p.ParentID == p.ID {
		p.ParentID = ""
	}
	return p, true
}

// scalar renders a value as a string; numbers keep their exact digits.
func scalar(r gjson.Result) string {
	switch r.Type {
	case gjson.Null:
		return ""
	case gjson.Number:
		return r.Raw
	case gjson.String:
		return strings.TrimSpace(r.Str)
	case gjson.JSON:
		return ""
	}
	return r.String()
}

// count reads a count from a number or a label like "1.2k".
func count(r gjson.Result) uint32 {
	switch r.Type {
	case gjson.Number:
		switch {
		case r.Num <= 0 || math.IsNaN(r.Num):
			return 0
		case r.Num >= math.MaxUint32:
			return math.MaxUint32
		}
		return uint32(math.Round(r.Num))
	case gjson.String:
		return clean.Count(r.Str)
	}
	return 0
}

// rating reads a star rating of 1 to 5 from a number or a string like
// "4" or "4.0"; anything else is 0 (not rated).
func rating(r gjson.Result) uint8 {
	var v float64
	switch r.Type {
	case gjson.Number:
		v = r.Num
	case gjson.String:
		f, err := strconv.ParseFloat(strings.TrimSpace(r.Str), 64)
		if err != nil {
			return 0
		}
		v = f
	default:
		return 0
	}
	if v < 1 || v > 5 || math.IsNaN(v) {
		return 0
	}
	return uint8(math.Round(v))
}

// syntaxError locates the first syntax error in body.
func syntaxError(body []byte) error {
	var v any
	err := json.Unmarshal(body, &v)
	var se *json.SyntaxError
	if !errors.As(err, &se) {
		if err == nil {
			err = errors.New("invalid JSON")
		}
		return &SyntaxError{Line: 1, Column: 1, Err: err}
	}
	off := min(int(se.Offset), len(body))
	line := 1 + strings.Count(string(body[:off]), "\n")
	col := off - strings.LastIndexByte(string(body[:off]), '\n')
	return &SyntaxError{Line: line, Column: col, Err: err}
}

var (
	// guardRe is a prefix APIs put before JSON so a page cannot run it
	// as a script: ")]}'" (Google), "while(1);", "for(;;);" (Facebook).
	guardRe = regexp.MustCompile(`^\s*(?:\)\]\}',?|while\s*\(1\)\s*;|for\s*\(;;\)\s*;)`)
	// jsonpRe is a JSONP callback around the JSON: "cb({...});", as many
	// Chinese sites' APIs answer.
	jsonpRe = regexp.MustCompile(`(?s)^\s*(?:/\*\*/\s*)?(?:typeof\s+[\w$.]+\s*===?\s*['"]function['"]\s*&&\s*)?[\w$.]+\s*\((.*)\)\s*;?\s*$`)
)

// unwrap takes the JSON out of a JSONP callback or from behind a guard
// prefix; ok is false when body is neither, or what is inside is not a
// JSON object or array.
func unwrap(body []byte) ([]byte, bool) {
	if m := guardRe.FindIndex(body); m != nil {
		body = body[m[1]:]
	} else if m := jsonpRe.FindSubmatch(body); m != nil {
		body = m[1]
	} else {
		return nil, false
	}
	t := bytes.TrimSpace(body)
	return body, len(t) > 0 && (t[0] == '{' || t[0] == '[') && gjson.ValidBytes(body)
}

// nextPage returns the URL of the page after u, or "" when there is none.
func (s *Spec) nextPage(u *url.URL, res Response, link string) string {
	if res.Last {
		return ""
	}
	if s.preset.page != nil {
		if res.Next == "" {
			return ""
		}
		r, err := url.Parse(res.Next)
		if err != nil {
			return ""
		}
		return u.ResolveReference(r).String()
	}
	switch {
	case s.LinkHeader:
		if link == "" {
			return ""
		}
		r, err := url.Parse(link)
		if err != nil {
			return ""
		}
		return u.ResolveReference(r).String()
	case len(s.Cursor) > 0:
		if res.Cursor == "" {
			return ""
		}
		if next, ok := cursorLink(u, res.Cursor, s.CursorParam == ""); ok {
			return next
		}
		if s.CursorParam == "" {
			// Not a URL and nowhere to send it: the caller reports it.
			return res.Cursor
		}
		if u.Query().Get(s.CursorParam) == res.Cursor {
			return ""
		}
		return withParam(u, s.CursorParam, res.Cursor)
	case s.PageParam != "":
		if res.Items == 0 {
			return ""
		}
		n := s.PageStart
		if v := u.Query().Get(s.PageParam); v != "" {
			var err error
			if n, err = strconv.Atoi(v); err != nil {
				return ""
			}
		}
		return withParam(u, s.PageParam, strconv.Itoa(n+1))
	}
	return ""
}

// cursorLink reads a cursor that is the next page's URL: an absolute
// http(s) URL, or, when relative is set (the source names no parameter to
// send a token in), a path or query resolved against u.
func cursorLink(u *url.URL, cursor string, relative bool) (string, bool) {
	r, err := url.Parse(cursor)
	if err != nil {
		return "", false
	}
	abs := (r.Scheme == "http" || r.Scheme == "https") && r.Host != ""
	if !abs && !(relative && r.Scheme == "" && (strings.HasPrefix(cursor, "/") || strings.HasPrefix(cursor, "?"))) {
		return "", false
	}
	return u.ResolveReference(r).String(), true
}

func withParam(u *url.URL, k, v string) string {
	c := *u
	q := c.Query()
	q.Set(k, v)
	c.RawQuery = q.Encode()
	return c.String()
}
