package html

import (
	"net/url"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"

	"github.com/backlash-monitor/backlash/crawler/clean"
	"github.com/backlash-monitor/backlash/crawler/when"
	"github.com/backlash-monitor/backlash/post"
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
}

// Extract reads posts and links from a parsed page.
func Extract(doc *goquery.Document, pg Page, s *Spec) Result {
	var res Result
	items := doc.Find(s.Item)
	isItem := make(map[*html.Node]bool, items.Length())
	items.Each(func(_ int, it *goquery.Selection) { isItem[it.Nodes[0]] = true })
	ids := make(map[*html.Node]string, items.Length())
	pageURL := ""
	if pg.URL != nil {
		pageURL = pg.URL.String()
	}
	thread := pg.Thread
	if thread == "" {
		thread = pageURL
	}
	docTitle := ""
	if !s.Title.IsZero() {
		docTitle = clean.OneLine(value(doc.Selection, s.Title, nil))
	}

	items.Each(func(_ int, it *goquery.Selection) {
		node := it.Nodes[0]
		// owned keeps matches that belong to this item, not a nested one.
		owned := func(m *goquery.Selection) *goquery.Selection {
			return m.FilterFunction(func(_ int, m *goquery.Selection) bool {
				for n := m.Nodes[0]; n != nil; n = n.Parent {
					if isItem[n] {
						return n == node
					}
				}
				return false
			})
		}
		get := func(f Field) string { return value(it, f, owned) }
		skipNested := func(n *html.Node) bool { return n != node && isItem[n] }

		var text string
		if s.Text.Attr == "" {
			m := it
			if s.Text.Sel != "" {
				m = owned(it.Find(s.Text.Sel))
			}
			var parts []string
			m.Each(func(_ int, t *goquery.Selection) {
				if x := clean.NodeText(t.Nodes[0], skipNested); x != "" {
					parts = append(parts, x)
				}
			})
			text = strings.Join(parts, "\n")
		} else {
			text = clean.HTML(get(s.Text))
		}
		if text == "" {
			return
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
		rawTime := timeValue(it, s.Time, owned)
		if t, ok := when.Parse(rawTime, when.Options{Now: pg.Fetched, Location: s.Location, Layout: s.Layout}); ok {
			p.Published = t
		} else {
			p.Published, p.TimeGuessed = pg.Fetched, true
		}
		p.URL = resolve(pg.URL, clean.OneLine(get(s.URL)))
		if p.URL == "" {
			p.URL = pageURL
		}
		p.ID = clean.OneLine(get(s.ID))
		if p.ID == "" {
			p.ID = post.DeriveID(p.URL, p.Author, rawTime, p.Text)
		}
		ids[node] = p.ID
		if !s.Parent.IsZero() {
			p.ParentID = refID(clean.OneLine(get(s.Parent)))
		}
		if p.ParentID == "" {
			for n := node.Parent; n != nil; n = n.Parent {
				if isItem[n] {
					p.ParentID = ids[n]
					break
				}
			}
		}
		if p.ParentID == "" {
			p.ParentID = pg.ParentID
		}
		if p.ParentID == p.ID {
			p.ParentID = ""
		}
		res.Posts = append(res.Posts, p)
	})

	if !s.Follow.IsZero() {
		seen := map[string]bool{}
		doc.Find(orAll(s.Follow.Sel)).Each(func(_ int, a *goquery.Selection) {
			if u := resolve(pg.URL, link(a, s.Follow.Attr)); u != "" && !seen[u] {
				seen[u] = true
				res.Follow = append(res.Follow, u)
			}
		})
	}
	if !s.Next.IsZero() {
		doc.Find(orAll(s.Next.Sel)).EachWithBreak(func(_ int, a *goquery.Selection) bool {
			res.Next = resolve(pg.URL, link(a, s.Next.Attr))
			return res.Next == ""
		})
		if res.Next == pageURL {
			res.Next = ""
		}
	}
	return res
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

// value reads a field from the first owned match under sel.
func value(sel *goquery.Selection, f Field, owned func(*goquery.Selection) *goquery.Selection) string {
	if f.IsZero() {
		return ""
	}
	m := sel
	if f.Sel != "" {
		m = sel.Find(f.Sel)
		if owned != nil {
			m = owned(m)
		}
		m = m.First()
	}
	if m.Length() == 0 {
		return ""
	}
	if f.Attr != "" {
		v, _ := m.Attr(f.Attr)
		return v
	}
	return clean.NodeText(m.Nodes[0], nil)
}

// timeValue prefers a <time datetime> or title attribute when the field
// names no attribute.
func timeValue(it *goquery.Selection, f Field, owned func(*goquery.Selection) *goquery.Selection) string {
	if f.IsZero() || f.Attr != "" {
		return value(it, f, owned)
	}
	m := it
	if f.Sel != "" {
		m = owned(it.Find(f.Sel)).First()
	}
	if m.Length() == 0 {
		return ""
	}
	for _, a := range []string{"datetime", "data-time", "data-timestamp", "title"} {
		if v, ok := m.Attr(a); ok && strings.TrimSpace(v) != "" {
			return v
		}
	}
	return clean.OneLine(clean.NodeText(m.Nodes[0], nil))
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

// resolve makes ref absolute against base; javascript: and empty links
// give "".
func resolve(base *url.URL, ref string) string {
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
