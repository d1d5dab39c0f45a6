package html

import (
	"bytes"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"

	"github.com/backlash-monitor/backlash/internal/crawler/clean"
	"github.com/backlash-monitor/backlash/internal/crawler/when"
	"github.com/backlash-monitor/backlash/internal/post"
)

// extractReference is Extract as first written, with goquery finding
// each selector's matches over the whole page and maps assigning them to
// their items: the reference the one-walk index must agree with.
func extractReference(doc *goquery.Document, pg Page, s *Spec) Result {
	var res Result
	x := newRefIndex(doc, s.Item)
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
	refFields := []Field{s.ID, s.Title, s.Author, s.Time, s.URL, s.Likes, s.Replies, s.Shares, s.Parent}
	if s.Text.Attr != "" {
		refFields = append(refFields, s.Text)
	}
	for _, f := range refFields {
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
			text = s.textOf(node, skipNested)
		default:
			var parts []string
			for _, t := range texts[node] {
				if p := s.textOf(t, skipNested); p != "" {
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
		} else if m := node; s.Time.Sel == "" || fields[s.Time.Sel][node] != nil {
			if s.Time.Sel != "" {
				m = fields[s.Time.Sel][node]
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
		if s.Parent.IsZero() && node.Parent != nil {
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
			p.ID = post.DeriveID(where, p.Author, stableTime(rawTime, s.Time, timeNode), p.Text)
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
			if u := Resolve(pg.URL, refLink(a, s.Follow.Attr)); u != "" && !seen[u] {
				seen[u] = true
				res.Follow = append(res.Follow, u)
			}
		})
	}
	if !s.Next.IsZero() {
		doc.Find(orAll(s.Next.Sel)).EachWithBreak(func(_ int, a *goquery.Selection) bool {
			res.Next = Resolve(pg.URL, refLink(a, s.Next.Attr))
			return res.Next == ""
		})
		if res.Next == pageURL {
			res.Next = ""
		}
	}
	return res
}

// refIndex knows which item owns each node of a page.
type refIndex struct {
	items  []*html.Node
	isItem map[*html.Node]bool
	// owner is the nearest item at or above a node.
	owner map[*html.Node]*html.Node
}

func newRefIndex(doc *goquery.Document, itemSel string) *refIndex {
	x := &refIndex{isItem: map[*html.Node]bool{}, owner: map[*html.Node]*html.Node{}}
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
func (x *refIndex) all(doc *goquery.Document, sel string) map[*html.Node][]*html.Node {
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
func (x *refIndex) first(doc *goquery.Document, sel string) map[*html.Node]*html.Node {
	out := map[*html.Node]*html.Node{}
	for _, m := range doc.Find(sel).Nodes {
		if o := x.owner[m]; o != nil && out[o] == nil {
			out[o] = m
		}
	}
	return out
}

// refLink reads a link's target: attr if given, else href.
func refLink(a *goquery.Selection, attr string) string {
	if attr == "" {
		attr = "href"
	}
	v, _ := a.Attr(attr)
	return strings.TrimSpace(v)
}

// specsForEquality cover the ways fields are read: attributes, text,
// the item itself, nested items that own their replies, a text selector
// with an attribute, and selectors that match nothing.
var specsForEquality = []*Settings{
	forumSpec,
	newsSpec,
	{Item: ".post, li.comment", ID: "@data-id", Text: ".body, .comment-body", Author: ".author", Time: "time@datetime",
		Likes: ".likes", Parent: "@data-parent-id", Follow: "a", Next: "a.next"},
	{Item: "article, li", Text: "p", Title: "h1, title", Time: "time", URL: "a@href", Follow: "a@href", Next: "a[rel=next]"},
	{Item: "div", Text: "", Author: "span", Replies: "span, b"},
	{Item: "article.post", Text: ".body@data-text", ID: ".nothing-has-this"},
	{Item: "li.comment", Text: "@data-comment-id", Author: ".name", Time: ".when@title"},
	{Item: "body *", Text: "*", Time: "*"},
}

func TestExtractEqualsReference(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*", "*.html"))
	if err != nil {
		t.Fatal(err)
	}
	more, _ := filepath.Glob(filepath.Join("testdata", "*.html"))
	files = append(files, more...)
	base, _ := url.Parse("https://forum.example/t/1?page=2")
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for i, h := range specsForEquality {
			if h.Text == "" {
				h = &Settings{Item: h.Item, Text: "*", Author: h.Author, Replies: h.Replies}
			}
			spec, err := Compile(h)
			if err != nil {
				t.Fatalf("spec %d: %v", i, err)
			}
			checkSameExtract(t, fmt.Sprintf("%s spec %d", file, i), data, base, spec)
		}
	}
}

// checkSameExtract fails when Extract and extractReference read a page
// differently.
func checkSameExtract(t *testing.T, name string, data []byte, base *url.URL, spec *Spec) {
	t.Helper()
	parse := func() *goquery.Document {
		doc, err := goquery.NewDocumentFromReader(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		return doc
	}
	pg := Page{URL: base, Fetched: fetched, ParentID: "top"}
	got, want := Extract(parse(), pg, spec), extractReference(parse(), pg, spec)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%s: Extract differs from the reference\n got %+v\nwant %+v", name, got, want)
	}
}
