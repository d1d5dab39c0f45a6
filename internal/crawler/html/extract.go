package html

import (
	"net/url"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"
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
}

// Extract reads posts and links from a parsed page. Its cost grows
// linearly with the page for each field: every selector runs once over the
// whole document and each match is assigned to the item that owns it.
func Extract(doc *goquery.Document, pg Page, s *Spec) Result {
	var res Result
	x := newIndex(doc, s.Item)
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
		if m := doc.Find(s.Title.Sel).Nodes; len(m) > 0 {
			docTitle = clean.OneLine(value(m[0], s.Title))
		}
	}
	ids := make(map[*html.Node]string, len(x.items))
	texts := x.all(doc, s.Text.Sel)
	fields := map[string]map[*html.Node]*html.Node{}
	for _, f := range []Field{s.ID, s.Title, s.Author, s.Time, s.URL, s.Likes, s.Replies, s.Shares, s.Parent} {
		if f.Sel != "" && fields[f.Sel] == nil {
			fields[f.Sel] = x.first(doc, f.Sel)
		}
	}
	for _, node := range x.items {
		get := func(f Field) string {
			if f.IsZero() {
				return ""
			}
			m := node
			if f.Sel != "" {
				if m = fields[f.Sel][node]; m == nil {
					return ""
				}
			}
			return value(m, f)
		}
		skipNested := func(n *html.Node) bool { return n != node && x.isItem[n] }

		var text string
		switch {
		case s.Text.Attr != "":
			text = clean.HTML(get(Field{Sel: s.Text.Sel, Attr: s.Text.Attr}))
		case s.Text.Sel == "":
			text = clean.NodeText(node, skipNested)
		default:
			var parts []string
			for _, t := range texts[node] {
				if p := clean.NodeText(t, skipNested); p != "" {
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
		if s.Time.Attr != "" || s.Time.IsZero() {
			rawTime = get(s.Time)
		} else if m := node; s.Time.Sel == "" || fields[s.Time.Sel][node] != nil {
			if s.Time.Sel != "" {
				m = fields[s.Time.Sel][node]
			}
			rawTime = timeValue(m)
		}
		if t, ok := when.Parse(rawTime, when.Options{Now: pg.Fetched, Location: s.Location, Layout: s.Layout}); ok {
			p.Published = t
		} else {
			p.Published, p.TimeGuessed = pg.Fetched, true
		}
		p.URL = Resolve(pg.URL, clean.OneLine(get(s.URL)))
		if p.URL == "" {
			p.URL = pageURL
		}
		if !s.Parent.IsZero() {
			p.ParentID = refID(clean.OneLine(get(s.Parent)))
		}
		if p.ParentID == "" && node.Parent != nil {
			if up := x.owner[node.Parent]; up != nil {
				p.ParentID = ids[up]
			}
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
			p.ID = post.DeriveID(where, p.Author, rawTime, p.Text)
		}
		ids[node] = p.ID
		if p.ParentID == p.ID {
			p.ParentID = ""
		}
		res.Posts = append(res.Posts, p)
	}

	if !s.Follow.IsZero() {
		seen := map[string]bool{}
		doc.Find(orAll(s.Follow.Sel)).Each(func(_ int, a *goquery.Selection) {
			if u := Resolve(pg.URL, link(a, s.Follow.Attr)); u != "" && !seen[u] {
				seen[u] = true
				res.Follow = append(res.Follow, u)
			}
		})
	}
	if !s.Next.IsZero() {
		doc.Find(orAll(s.Next.Sel)).EachWithBreak(func(_ int, a *goquery.Selection) bool {
			res.Next = Resolve(pg.URL, link(a, s.Next.Attr))
			return res.Next == ""
		})
		if res.Next == pageURL {
			res.Next = ""
		}
	}
	return res
}

// index knows which item owns each node of a page.
type index struct {
	items  []*html.Node
	isItem map[*html.Node]bool
	// owner is the nearest item at or above a node.
	owner map[*html.Node]*html.Node
}

func newIndex(doc *goquery.Document, itemSel string) *index {
	x := &index{isItem: map[*html.Node]bool{}, owner: map[*html.Node]*html.Node{}}
	x.items = doc.Find(itemSel).Nodes
	for _, n := range x.items {
		x.isItem[n] = true
	}
	var walk func(n, owner *html.Node)
	walk = func(n, owner *html.Node) {
		if x.isItem[n] {
			owner = n
		}
		if owner != nil {
			x.owner[n] = owner
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, owner)
		}
	}
	for _, n := range doc.Nodes {
		walk(n, nil)
	}
	return x
}

// all returns, per item, the matches of sel at or inside it and not inside
// a nested item, in document order.
func (x *index) all(doc *goquery.Document, sel string) map[*html.Node][]*html.Node {
	out := map[*html.Node][]*html.Node{}
	if sel == "" {
		return out
	}
	for _, m := range doc.Find(sel).Nodes {
		if o := x.owner[m]; o != nil {
			out[o] = append(out[o], m)
		}
	}
	return out
}

// first returns, per item, the first match of sel that it owns.
func (x *index) first(doc *goquery.Document, sel string) map[*html.Node]*html.Node {
	out := map[*html.Node]*html.Node{}
	for _, m := range doc.Find(sel).Nodes {
		if o := x.owner[m]; o != nil && out[o] == nil {
			out[o] = m
		}
	}
	return out
}

func orAll(sel string) string {
	if sel == "" {
		return "*"
	}
	return sel
}

// link reads a link's target: attr if given, else href.
func link(a *goquery.Selection, attr string) string {
	if attr == "" {
		attr = "href"
	}
	v, _ := a.Attr(attr)
	return strings.TrimSpace(v)
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

// timeValue prefers a <time datetime> or title attribute to the text.
func timeValue(m *html.Node) string {
	for _, a := range []string{"datetime", "data-time", "data-timestamp", "title"} {
		if v := strings.TrimSpace(attr(m, a)); v != "" {
			return v
		}
	}
	return clean.OneLine(clean.NodeText(m, nil))
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
	return r.String()
}
