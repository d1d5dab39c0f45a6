package jsonapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/tidwall/gjson"

	"github.com/backlash-monitor/backlash/config"
	"github.com/backlash-monitor/backlash/crawler/clean"
	"github.com/backlash-monitor/backlash/crawler/kind"
	"github.com/backlash-monitor/backlash/crawler/when"
	"github.com/backlash-monitor/backlash/post"
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

// Spec is a compiled JSONSource, preset applied.
type Spec struct {
	// Items selects the array of items in a response.
	Items Path
	// ID, Text, ... are paths relative to an item.
	ID, Text, Title, Author, Time, URL, Likes, Replies, Shares, Followers, Parent Path
	// Children leads from an item to its nested replies.
	Children Path
	// Cursor is the path of the next-page cursor.
	Cursor Path
	// CursorParam is the query parameter the cursor is sent back in.
	CursorParam string
	// PageParam is the page-number query parameter.
	PageParam string
	// PageStart is the number of the first page.
	PageStart int
	// LinkHeader follows Link rel="next".
	LinkHeader bool
	// TextHTML reduces HTML text to plain text.
	TextHTML bool

	fix func(*post.Post, gjson.Result)
}

// Compile applies a preset and compiles the paths.
func Compile(j *config.JSONSource) (*Spec, error) {
	if j == nil {
		return nil, errors.New("no json paths configured")
	}
	cfg := *j
	var fix func(*post.Post, gjson.Result)
	if j.Preset != "" {
		pr, ok := presets()[j.Preset]
		if !ok {
			return nil, fmt.Errorf("unknown preset %q", j.Preset)
		}
		cfg = merge(pr.cfg, *j)
		fix = pr.fix
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
		Children:    ParsePath(cfg.Children),
		Cursor:      ParsePath(cfg.Cursor),
		CursorParam: cfg.CursorParam,
		PageParam:   cfg.PageParam,
		PageStart:   1,
		LinkHeader:  cfg.LinkHeader,
		TextHTML:    cfg.TextHTML,
		fix:         fix,
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
}

// Extract reads posts from one response body. base resolves relative URLs.
func Extract(body []byte, base *url.URL, s *Spec, fetched time.Time) (Response, error) {
	var res Response
	if !gjson.ValidBytes(body) {
		return res, syntaxError(body)
	}
	root := gjson.ParseBytes(body)
	items := s.Items.Get(root)
	if !items.Exists() {
		sel := strings.Join(s.Items, " || ")
		return res, &kind.NoMatchError{Selector: sel, Msg: fmt.Sprintf("items path %q matched nothing", sel)}
	}
	if !items.IsArray() {
		return res, fmt.Errorf("items path %q matched a %s, not an array", strings.Join(s.Items, " || "), items.Type)
	}
	if len(s.Cursor) > 0 {
		res.Cursor = scalar(s.Cursor.Get(root))
	}
	s.walk(items, base, fetched, &res, 0, "")
	return res, nil
}

// maxDepth bounds how deep nested replies are followed.
const maxDepth = 64

// walk reads an array of items and, with a children path, their nested
// replies, depth first so a reply follows its parent.
func (s *Spec) walk(items gjson.Result, base *url.URL, fetched time.Time, res *Response, depth int, parent string) {
	items.ForEach(func(_, it gjson.Result) bool {
		if depth == 0 {
			res.Items++
		}
		id := ""
		p, ok := s.item(it, base, fetched)
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
				s.walk(kids, base, fetched, res, depth+1, id)
			}
		}
		return true
	})
}

func (s *Spec) item(it gjson.Result, base *url.URL, fetched time.Time) (post.Post, bool) {
	text := scalar(s.Text.Get(it))
	if s.TextHTML {
		text = clean.HTML(text)
	} else {
		text = clean.Text(text)
	}
	if text == "" {
		return post.Post{}, false
	}
	p := post.Post{
		ID:        scalar(s.ID.Get(it)),
		ParentID:  scalar(s.Parent.Get(it)),
		Author:    clean.OneLine(scalar(s.Author.Get(it))),
		Title:     clean.OneLine(clean.HTML(scalar(s.Title.Get(it)))),
		Text:      text,
		Fetched:   fetched,
		Likes:     count(s.Likes.Get(it)),
		Replies:   count(s.Replies.Get(it)),
		Shares:    count(s.Shares.Get(it)),
		Followers: count(s.Followers.Get(it)),
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
	if t, ok := when.Parse(rawTime, when.Options{Now: fetched}); ok {
		p.Published = t
	} else {
		p.Published, p.TimeGuessed = fetched, true
	}
	if s.fix != nil {
		s.fix(&p, it)
	}
	if p.URL == "" && base != nil {
		p.URL = base.String()
	}
	if p.ID == "" {
		p.ID = post.DeriveID(p.URL, p.Author, rawTime, p.Text)
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

// nextPage returns the URL of the page after u, or "" when there is none.
func (s *Spec) nextPage(u *url.URL, res Response, link string) string {
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
	case s.CursorParam != "":
		if res.Cursor == "" || u.Query().Get(s.CursorParam) == res.Cursor {
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

func withParam(u *url.URL, k, v string) string {
	c := *u
	q := c.Query()
	q.Set(k, v)
	c.RawQuery = q.Encode()
	return c.String()
}
