package html

import (
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"

	"github.com/backlash-monitor/backlash/internal/crawler/clean"
	"github.com/backlash-monitor/backlash/internal/crawler/when"
	"github.com/backlash-monitor/backlash/internal/post"
)

// Page says where a document came from.
type Page struct {
	// URL is the page's final URL; relative links resolve against it.
	URL *url.URL
	// Thread is the URL of the thread's first page, shared by its pages.
	Thread string
	// ParentID is given to top-level items (a feed item's comments).
	ParentID string
	// Fetched is when the page was fetched.
	Fetched time.Time
}

// Result is what one page yields.
type Result struct {
	// Posts are the page's items, in document order.
	Posts []post.Post
	// Follow are absolute links to further pages (threads).
	Follow []string
	// Next is the absolute link to the next page of this listing, if any.
	Next string
	// NoText counts the items the item selector matched whose text was
	// empty; they yield no post.
	NoText int
	// UnreadTime is the first time the page showed that was not read as
	// one (its posts have the fetch time, guessed), for the warning that
	// tells the operator which format to configure.
	UnreadTime string
}

// Extract reads posts and links from a parsed page. Its cost grows
// linearly with the page: one walk over the document finds the items and,
// for each item, the first match of every field selector and every match
// of the text selector that it owns (the nearest item at or above the
// match). The selectors are compiled once, by Compile.
func Extract(doc *goquery.Document, pg Page, s *Spec) Result {
	var res Result
	var fieldSels []string
	fields := []Field{s.ID, s.Title, s.Author, s.Time, s.URL, s.Likes, s.Replies, s.Shares, s.Parent}
	if s.Text.Attr != "" {
		// A text read from an attribute (".body@data-text") is a field
		// like the others: its selector's first match in the item.
		fields = append(fields, s.Text)
	}
	for _, f := range fields {
		if f.Sel != "" && !slices.Contains(fieldSels, f.Sel) {
			fieldSels = append(fieldSels, f.Sel)
		}
	}
	x := newIndex(doc, s, fieldSels)
	pageURL := ""
	if pg.URL != nil {
		pageURL = pg.URL.String()
	}
	thread := pg.Thread
	if thread == "" {
		thread = pageURL
	}
	docTitle := ""
	if s.Title.Sel != "" {
		if m := findFirst(doc, s.selector(s.Title.Sel)); m != nil {
			docTitle = clean.OneLine(value(m, s.Title))
		}
	}
	ids := make([]string, len(x.items))
	skipNested := func(n *html.Node) bool { _, ok := x.pos[n]; return ok }
	var parts []string
	for i, node := range x.items {
		firsts := x.first[i*len(fieldSels) : (i+1)*len(fieldSels)]
		match := func(sel string) *html.Node {
			if k := slices.Index(fieldSels, sel); k >= 0 {
				return firsts[k]
			}
			return nil
		}
		get := func(f Field) string {
			if f.IsZero() {
				return ""
			}
			m := node
			if f.Sel != "" {
				if m = match(f.Sel); m == nil {
					return ""
				}
			}
			return value(m, f)
		}
		skip := func(n *html.Node) bool { return n != node && skipNested(n) }

		var text string
		switch {
		case s.Text.Attr != "":
			text = clean.HTML(get(Field{Sel: s.Text.Sel, Attr: s.Text.Attr}))
		case s.Text.Sel == "":
			text = s.textOf(node, skip)
		default:
			parts = parts[:0]
			for _, t := range x.texts[i] {
				if p := s.textOf(t, skip); p != "" {
					parts = append(parts, p)
				}
			}
			text = strings.Join(parts, "\n")
		}
		if text == "" {
			res.NoText++
			continue
		}
		p := post.Post{
			Thread:  thread,
			Author:  clean.OneLine(get(s.Author)),
			Title:   clean.OneLine(get(s.Title)),
			Text:    text,
			Fetched: pg.Fetched,
			Likes:   countOf(get(s.Likes)),
			Replies: countOf(get(s.Replies)),
			Shares:  countOf(get(s.Shares)),
		}
		if p.Title == "" {
			p.Title = docTitle
		}
		var rawTime string
		var timeNode *html.Node
		if s.Time.Attr != "" || s.Time.IsZero() {
			rawTime = get(s.Time)
		} else if m := node; s.Time.Sel == "" || match(s.Time.Sel) != nil {
			if s.Time.Sel != "" {
				m = match(s.Time.Sel)
			}
			rawTime, timeNode = timeValue(m), m
		}
		if t, ok := readTime(rawTime, timeNode, when.Options{Now: pg.Fetched, Location: s.Location, Layout: s.Layout}); ok {
			p.Published = t
		} else {
			p.Published, p.TimeGuessed = pg.Fetched, true
			if res.UnreadTime == "" {
				res.UnreadTime = clean.OneLine(rawTime)
			}
		}
		p.URL = Resolve(pg.URL, clean.OneLine(get(s.URL)))
		if p.URL == "" {
			p.URL = pageURL
		}
		if !s.Parent.IsZero() {
			p.ParentID = refID(clean.OneLine(get(s.Parent)))
		}
		if s.Parent.IsZero() && x.up[i] >= 0 {
			// Without a parent field, a reply is the item it is nested
			// in; with one, the site says which posts reply, and an item
			// inside another only by broken markup (an unclosed element)
			// is no reply.
			p.ParentID = ids[x.up[i]]
		}
		if p.ParentID == "" {
			p.ParentID = pg.ParentID
		}
		p.ID = clean.OneLine(get(s.ID))
		if p.ID == "" {
			// The parent is part of a derived id, so the same short reply
			// ("+1") under two comments stays two posts.
			where := p.URL
			if p.ParentID != "" {
				where += "#reply-to-" + p.ParentID
			}
			p.ID = post.DeriveID(where, p.Author, stableTime(rawTime, s.Time, timeNode), p.Text)
		}
		ids[i] = p.ID
		if p.ParentID == p.ID {
			p.ParentID = ""
		}
		res.Posts = append(res.Posts, p)
	}

	if !s.Follow.IsZero() {
		seen := map[string]bool{}
		for _, a := range findAll(doc, s.selector(orAll(s.Follow.Sel))) {
			if u := Resolve(pg.URL, link(a, s.Follow.Attr)); u != "" && !seen[u] {
				seen[u] = true
				res.Follow = append(res.Follow, u)
			}
		}
	}
	if !s.Next.IsZero() {
		for _, a := range findAll(doc, s.selector(orAll(s.Next.Sel))) {
			if res.Next = Resolve(pg.URL, link(a, s.Next.Attr)); res.Next != "" {
				break
			}
		}
		if res.Next == pageURL {
			res.Next = ""
		}
	}
	return res
}

// textOf returns the readable text under root without the subtrees
// nested skips (replies nested in a comment) and, unless the source keeps
// them, without the quoted blocks s.Quote matches: a reply quoting an
// angry post is not angry. A quote that holds the whole of root's text is
// read (vBulletin wraps each post's own text in a blockquote).
func (s *Spec) textOf(root *html.Node, nested func(*html.Node) bool) string {
	if s.Quote == nil {
		return clean.NodeText(root, nested)
	}
	return clean.NodeText(root, func(n *html.Node) bool {
		if nested(n) {
			return true
		}
		return n != root && s.Quote.Match(n) && !wholeOf(root, n, nested)
	})
}

// wholeOf reports whether q, below root, holds all of root's text: every
// node beside q and beside each of its ancestors up to root has none.
func wholeOf(root, q *html.Node, nested func(*html.Node) bool) bool {
	for a := q; a != root && a.Parent != nil; a = a.Parent {
		for c := a.Parent.FirstChild; c != nil; c = c.NextSibling {
			if c != a && clean.NodeText(c, nested) != "" {
				return false
			}
		}
	}
	return true
}

// index is what one walk over a page found: its items in document order
// and, per item, the matches of the field selectors it owns. A node's
// owner is the nearest item at or above it.
type index struct {
	items []*html.Node
	// pos is each item's place in items.
	pos map[*html.Node]int
	// up is, per item, the place of the item that owns its parent node
	// (-1 for none).
	up []int
	// first holds, for item i and field selector k, the first match of
	// the selector that i owns, at first[i*len(fieldSels)+k].
	first []*html.Node
	// texts are, per item, the matches of the text selector it owns.
	texts [][]*html.Node
}

// newIndex walks the document once. Like goquery's Find, it looks at the
// element children of each document node and everything below them.
func newIndex(doc *goquery.Document, s *Spec, fieldSels []string) *index {
	x := &index{pos: map[*html.Node]int{}}
	item := s.selector(s.Item)
	sels := make([]cascadia.Matcher, len(fieldSels))
	for k, f := range fieldSels {
		sels[k] = s.selector(f)
	}
	var text cascadia.Matcher
	if s.Text.Sel != "" {
		text = s.selector(s.Text.Sel)
	}
	nf := len(sels)
	var walk func(n *html.Node, owner int)
	walk = func(n *html.Node, owner int) {
		if item.Match(n) {
			if _, dup := x.pos[n]; !dup {
				x.pos[n] = len(x.items)
				x.items = append(x.items, n)
				x.up = append(x.up, owner)
				x.texts = append(x.texts, nil)
				for range nf {
					x.first = append(x.first, nil)
				}
			}
			owner = x.pos[n]
		}
		if owner >= 0 {
			firsts := x.first[owner*nf : (owner+1)*nf]
			for k, sel := range sels {
				if firsts[k] == nil && sel.Match(n) {
					firsts[k] = n
				}
			}
			if text != nil && text.Match(n) {
				x.texts[owner] = append(x.texts[owner], n)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, owner)
		}
	}
	for _, root := range doc.Nodes {
		for c := root.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode {
				walk(c, -1)
			}
		}
	}
	return x
}

// findAll returns the matches of sel below the document's nodes in
// document order, as goquery's Find does.
func findAll(doc *goquery.Document, sel cascadia.Matcher) []*html.Node {
	var out []*html.Node
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if sel.Match(n) {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for _, root := range doc.Nodes {
		for c := root.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode {
				walk(c)
			}
		}
	}
	return out
}

// findFirst returns the first match of sel below the document's nodes, or
// nil.
func findFirst(doc *goquery.Document, sel cascadia.Matcher) *html.Node {
	if m := findAll(doc, sel); len(m) > 0 {
		return m[0]
	}
	return nil
}

func orAll(sel string) string {
	if sel == "" {
		return "*"
	}
	return sel
}

// link reads a link's target: attr if given, else href.
func link(a *html.Node, name string) string {
	if name == "" {
		name = "href"
	}
	return strings.TrimSpace(attr(a, name))
}

// value reads a field from node m: an attribute, or its text.
func value(m *html.Node, f Field) string {
	if f.Attr != "" {
		return attr(m, f.Attr)
	}
	return clean.NodeText(m, nil)
}

func attr(n *html.Node, name string) string {
	for _, a := range n.Attr {
		if a.Key == name {
			return a.Val
		}
	}
	return ""
}

// timeAttrs are the attributes that hold a machine-readable time.
var timeAttrs = []string{"datetime", "data-time", "data-timestamp", "title"}

// timeValue prefers a <time datetime> or title attribute to the text. It
// is the time a derived id is made from.
func timeValue(m *html.Node) string {
	for _, a := range timeAttrs {
		if v := strings.TrimSpace(attr(m, a)); v != "" {
			return v
		}
	}
	return clean.OneLine(clean.NodeText(m, nil))
}

// stableTime is the part a post's time has in an id derived for it: the
// time as read when it came from an attribute (a datetime, a title), none
// when it is the page's text, which sites change as the post ages ("3
// hours ago", "Yesterday, 09:12", then "Mon Dec 07, 2026 9:12 am"), so
// the same post would get a new id, and be stored again, as it ages.
func stableTime(raw string, f Field, m *html.Node) string {
	if f.Attr != "" || m != nil && slices.ContainsFunc(timeAttrs, func(a string) bool { return strings.TrimSpace(attr(m, a)) != "" }) {
		return raw
	}
	return ""
}

// readTime reads a post's time: raw, the value of the time field; when
// the field is an element (m), a time attribute of an element inside it
// is preferred to its text, as WordPress's .comment-metadata holds a
// <time datetime> and Discuz's "发表于 <span title="2026-3-9 14:02">2
// 小时前</span>" the exact time behind the relative one. An attribute
// that is not a time (an icon's title) is passed over.
func readTime(raw string, m *html.Node, o when.Options) (time.Time, bool) {
	if m != nil && !slices.ContainsFunc(timeAttrs, func(a string) bool { return attr(m, a) != "" }) {
		found := false
		var t time.Time
		var walk func(n *html.Node)
		walk = func(n *html.Node) {
			for c := n.FirstChild; c != nil && !found; c = c.NextSibling {
				if c.Type != html.ElementNode {
					continue
				}
				for _, a := range timeAttrs {
					if v := strings.TrimSpace(attr(c, a)); v != "" {
						if t, found = when.Parse(v, o); found {
							return
						}
					}
				}
				walk(c)
			}
		}
		walk(m)
		if found {
			return t, true
		}
	}
	return when.Parse(raw, o)
}

func countOf(s string) uint32 {
	if s == "" {
		return 0
	}
	return clean.Count(s)
}

// refID reads a parent reference: "#c12" or ".../post/5#c12" give "c12".
func refID(v string) string {
	if i := strings.LastIndexByte(v, '#'); i >= 0 {
		return v[i+1:]
	}
	return v
}

// Resolve makes a link found on a page absolute against the page's URL;
// javascript:, empty and non-HTTP links give "". Other kinds that read
// HTML use it so every kind follows links the same way.
func Resolve(base *url.URL, ref string) string {
	if ref == "" || strings.HasPrefix(strings.ToLower(ref), "javascript:") || strings.HasPrefix(ref, "#") && base == nil {
		return ""
	}
	r, err := url.Parse(ref)
	if err != nil {
		return ""
	}
	if base != nil {
		r = base.ResolveReference(r)
	}
	if r.Scheme != "http" && r.Scheme != "https" {
		return ""
	}
	dropSession(r)
	return r.String()
}

// sessionRe is a session key as forum software puts in links for
// visitors without cookies: phpBB's sid and vBulletin's s are 32 hex
// digits.
var sessionRe = regexp.MustCompile(`^[0-9a-fA-F]{32}$`)

// dropSession removes session keys from a link (phpBB's sid=, vBulletin's
// s=, PHPSESSID=, ;jsessionid=): they change with every visit, so a post's
// link, and the id derived from it when the site gives none, would change
// with every crawl, and a listing's pages would not be known again.
func dropSession(u *url.URL) {
	if i := strings.Index(strings.ToLower(u.Path), ";jsessionid="); i >= 0 {
		u.Path, u.RawPath = u.Path[:i], ""
	}
	if u.RawQuery == "" {
		return
	}
	q := u.Query()
	changed := false
	for k, vs := range q {
		switch strings.ToLower(k) {
		case "phpsessid", "jsessionid":
		case "sid", "s", "sessionid", "session_id":
			if len(vs) != 1 || !sessionRe.MatchString(vs[0]) {
				continue
			}
		default:
			continue
		}
		delete(q, k)
		changed = true
	}
	if changed {
		u.RawQuery = q.Encode()
	}
}
