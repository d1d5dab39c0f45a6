package html

import (
	"bytes"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/backlash-monitor/backlash/internal/post"
)

var fetched = time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)

// ForumSpec is the selector set for the forum fixtures.
var forumSpec = &Settings{
	Item:    "article.post",
	ID:      "@data-id",
	Text:    ".body",
	Title:   "h1.thread-title",
	Author:  ".author",
	Time:    "time.ts@datetime",
	Likes:   ".likes",
	Replies: ".reply-count",
	Follow:  "a.topic-title",
	Next:    "a.next",
}

var newsSpec = &Settings{
	Item:   "li.comment",
	ID:     "@data-comment-id",
	Text:   ".comment-body",
	Author: ".name",
	Time:   ".when",
	Likes:  ".votes",
	Parent: "@data-parent-id",
}

func extractFile(t testing.TB, file, pageURL string, h *Settings) Result {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	spec, err := Compile(h)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(pageURL)
	return Extract(doc, Page{URL: u, Fetched: fetched}, spec)
}

func TestExtract(t *testing.T) {
	type want struct {
		id, parent, author, text, title string
		likes, replies                  uint32
		published                       time.Time
		guessed                         bool
	}
	cases := []struct {
		name   string
		file   string
		url    string
		spec   *Settings
		posts  []want
		follow []string
		next   string
	}{
		{
			name: "forum thread with nested replies",
			file: "forum/thread-101.html", url: "https://forum.example/t/new-sync-engine-feedback/101",
			spec: forumSpec,
			posts: []want{
				{id: "9001", author: "maria_k", title: "New sync engine feedback", likes: 1200, replies: 3,
					text:      "Since the 4.2 update the new sync engine keeps duplicating my notes.\nAnyone else seeing this? It's honestly frustrating & I’m close to cancelling.",
					published: time.Date(2026, 3, 9, 8, 15, 0, 0, time.UTC)},
				{id: "9002", parent: "9001", author: "devin", title: "New sync engine feedback", likes: 45,
					text: "Same here. Three copies of every checklist.", published: time.Date(2026, 3, 9, 9, 1, 0, 0, time.UTC)},
				{id: "9003", parent: "9002", author: "Acme Support", title: "New sync engine feedback", likes: 3456,
					text: "Thanks for the report, a fix is rolling out in 4.2.1.", published: time.Date(2026, 3, 9, 10, 30, 0, 0, time.UTC)},
			},
			next: "https://forum.example/t/new-sync-engine-feedback/101?page=2",
		},
		{
			name: "forum index links", file: "forum/index.html", url: "https://forum.example/c/feedback",
			spec: forumSpec,
			follow: []string{
				"https://forum.example/t/new-sync-engine-feedback/101",
				"https://forum.example/t/dark-mode-is-finally-here/102?utm_source=index#latest",
			},
			next: "https://forum.example/c/feedback?page=2",
		},
		{
			name: "news comments with parent attribute and relative times",
			file: "news/article.html", url: "https://ledger.example/tech/acme-prices",
			spec: newsSpec,
			posts: []want{
				{id: "c-501", author: "PriceWatcher", likes: 213, text: "A 55% jump? That’s outrageous. Switching to a competitor.",
					published: fetched.Add(-2 * time.Hour)},
				{id: "c-502", parent: "c-501", author: "longtime_user", likes: 17, text: "Honestly the sync features are worth it for me.",
					published: time.Date(2026, 3, 9, 14, 2, 0, 0, time.UTC)},
				{id: "c-503", author: "anon", likes: 3, text: "first", published: fetched, guessed: true},
			},
		},
		{
			name: "text selector naming the item itself",
			file: "news/article.html", url: "https://ledger.example/tech/acme-prices",
			spec: &Settings{Item: ".comment-body", Text: ".comment-body", ID: "@class"},
			posts: []want{
				{id: "comment-body", text: "A 55% jump? That’s outrageous. Switching to a competitor.", published: fetched, guessed: true},
				{id: "comment-body", text: "Honestly the sync features are worth it for me.", published: fetched, guessed: true},
				{id: "comment-body", text: "first", published: fetched, guessed: true},
			},
		},
		{
			name: "malformed markup still yields posts",
			file: "malformed.html", url: "https://broken.example/",
			spec: &Settings{Item: ".post", ID: "@data-id", Text: ".body", Author: ".author"},
			posts: []want{
				{id: "m1", author: "x", text: "unclosed bold italic", published: fetched, guessed: true},
				{id: "m2", parent: "m1", text: "second & third < fourth", published: fetched, guessed: true},
			},
		},
		{
			name: "with a parent field, an item nested by broken markup is no reply",
			file: "malformed.html", url: "https://broken.example/",
			spec: &Settings{Item: ".post", ID: "@data-id", Text: ".body", Author: ".author", Parent: "@data-reply-to"},
			posts: []want{
				{id: "m1", author: "x", text: "unclosed bold italic", published: fetched, guessed: true},
				{id: "m2", text: "second & third < fourth", published: fetched, guessed: true},
			},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := extractFile(t, c.file, c.url, c.spec)
			if len(res.Posts) != len(c.posts) {
				t.Fatalf("got %d posts, want %d: %+v", len(res.Posts), len(c.posts), res.Posts)
			}
			for i, w := range c.posts {
				p := res.Posts[i]
				got := want{id: p.ID, parent: p.ParentID, author: p.Author, text: p.Text, title: p.Title,
					likes: p.Likes, replies: p.Replies, published: p.Published.UTC(), guessed: p.TimeGuessed}
				if got != w {
					t.Errorf("post %d:\n got  %+v\n want %+v", i, got, w)
				}
				if p.URL == "" || p.Thread == "" {
					t.Errorf("post %d has no URL or thread: %+v", i, p)
				}
			}
			if len(res.Follow) != len(c.follow) {
				t.Fatalf("follow = %v, want %v", res.Follow, c.follow)
			}
			for i := range c.follow {
				if res.Follow[i] != c.follow[i] {
					t.Errorf("follow[%d] = %q, want %q", i, res.Follow[i], c.follow[i])
				}
			}
			if res.Next != c.next {
				t.Errorf("next = %q, want %q", res.Next, c.next)
			}
		})
	}
}

func TestDerivedIDsAreStable(t *testing.T) {
	h := &Settings{Item: "li.comment", Text: ".comment-body", Author: ".name", Time: ".when"}
	a := extractFile(t, "news/article.html", "https://ledger.example/a", h)
	b := extractFile(t, "news/article.html", "https://ledger.example/a", h)
	if len(a.Posts) != 3 {
		t.Fatalf("got %d posts", len(a.Posts))
	}
	for i := range a.Posts {
		if a.Posts[i].ID != b.Posts[i].ID || a.Posts[i].ID == "" {
			t.Errorf("derived id not stable: %q vs %q", a.Posts[i].ID, b.Posts[i].ID)
		}
	}
	if a.Posts[1].ParentID != a.Posts[0].ID {
		t.Errorf("nested reply parent = %q, want %q", a.Posts[1].ParentID, a.Posts[0].ID)
	}
}

func TestParseField(t *testing.T) {
	cases := []struct {
		in   string
		want Field
		err  bool
	}{
		{"", Field{}, false},
		{".author", Field{Sel: ".author"}, false},
		{"time@datetime", Field{Sel: "time", Attr: "datetime"}, false},
		{"@data-id", Field{Attr: "data-id"}, false},
		{"a.permalink@href", Field{Sel: "a.permalink", Attr: "href"}, false},
		{`a[href*="@"]`, Field{Sel: `a[href*="@"]`}, false},
		{"div[", Field{}, true},
	}
	for _, c := range cases {
		got, err := ParseField(c.in)
		if (err != nil) != c.err || got != c.want {
			t.Errorf("ParseField(%q) = %+v, %v; want %+v, err %v", c.in, got, err, c.want, c.err)
		}
	}
}

func FuzzExtractHTML(f *testing.F) {
	for _, file := range []string{"forum/thread-101.html", "news/article.html", "malformed.html"} {
		data, err := os.ReadFile(filepath.Join("testdata", file))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	spec, err := Compile(&Settings{Item: ".post, li.comment", ID: "@data-id", Text: ".body, .comment-body",
		Author: ".author", Time: "time@datetime", Likes: ".likes", Parent: "@data-parent-id", Follow: "a", Next: "a.next"})
	if err != nil {
		f.Fatal(err)
	}
	base, _ := url.Parse("https://fuzz.example/t/1")
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := goquery.NewDocumentFromReader(bytes.NewReader(data))
		if err != nil {
			return
		}
		res := Extract(doc, Page{URL: base, Fetched: fetched}, spec)
		checkSameExtract(t, "fuzzed page", data, base, spec)
		ids := map[string]bool{}
		for _, p := range res.Posts {
			checkPost(t, p)
			ids[p.ID] = true
		}
	})
}

func checkPost(t *testing.T, p post.Post) {
	t.Helper()
	if p.ID == "" || p.Text == "" {
		t.Fatalf("post without id or text: %+v", p)
	}
	if p.Published.IsZero() {
		t.Fatalf("post with zero time: %+v", p)
	}
	if p.ParentID == p.ID {
		t.Fatalf("post is its own parent: %+v", p)
	}
}

// TestTextFromAttribute reads a post's text from an attribute of an
// element inside the item (".preview@data-full"), as sites that truncate
// the visible text and keep the whole in an attribute need; it came out
// empty, so such a page yielded no posts.
func TestTextFromAttribute(t *testing.T) {
	page := `<html><body>
<div class="card" data-id="1"><span class="preview" data-full="The whole review: fees doubled &amp; support vanished">The whole review: fees…</span></div>
<div class="card" data-id="2"><span class="preview" data-full="Works fine for me">Works fine…</span><span class="preview" data-full="second match ignored"></span></div>
<div class="card" data-id="3"><span class="other">no preview here</span></div>
</body></html>`
	spec, err := Compile(&Settings{Item: ".card", ID: "@data-id", Text: ".preview@data-full"})
	if err != nil {
		t.Fatal(err)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse("https://reviews.example/acme")
	res := Extract(doc, Page{URL: u, Fetched: fetched}, spec)
	got := map[string]string{}
	for _, p := range res.Posts {
		got[p.ID] = p.Text
	}
	want := map[string]string{"1": "The whole review: fees doubled & support vanished", "2": "Works fine for me"}
	if len(got) != len(want) || got["1"] != want["1"] || got["2"] != want["2"] {
		t.Errorf("texts = %q, want %q", got, want)
	}
	if res.NoText != 1 {
		t.Errorf("NoText = %d, want 1 (the card without a preview)", res.NoText)
	}
}

// TestQuotes: quoted blocks are left out of a post's text, whoever's
// software marks them, unless they hold the whole of it or the source
// keeps them.
func TestQuotes(t *testing.T) {
	page := `<div class="post" data-id="1"><div class="body">
<blockquote><cite>ann wrote:</cite>the quoted post</blockquote>the reply
<aside class="quote"><div class="title">bob:</div><blockquote>another quote</blockquote></aside>
<div class="bbcode_quote">a vBulletin quote</div><div class="quoteheader">Quote from: cy</div>
<span>and more</span></div></div>
<div class="post" data-id="2"><blockquote class="body">only a quote</blockquote></div>
<div class="post" data-id="3"><div class="body"><blockquote class="postcontent"><div class="bbcode_quote">q</div>own</blockquote></div></div>
<div class="post" data-id="4"><div class="body"><blockquote><cite>carol wrote:</cite>that is not fun</blockquote></div></div>`
	cases := []struct {
		name string
		spec *Settings
		want []string
	}{
		{"default", &Settings{Item: ".post", ID: "@data-id", Text: ".body"},
			[]string{"the reply\nand more", "only a quote", "own", "carol wrote: that is not fun"}},
		{"the item's own text", &Settings{Item: ".post", ID: "@data-id", Text: ":scope"},
			[]string{"the reply\nand more", "only a quote", "own", "carol wrote: that is not fun"}},
		{"own quote selector", &Settings{Item: ".post", ID: "@data-id", Text: ".body", Quote: ".bbcode_quote"},
			[]string{"ann wrote: the quoted post\nthe reply\nbob:\nanother quote\nQuote from: cy\nand more", "only a quote", "own", "carol wrote: that is not fun"}},
		{"kept", &Settings{Item: ".post", ID: "@data-id", Text: ".body", KeepQuotes: true},
			[]string{"ann wrote: the quoted post\nthe reply\nbob:\nanother quote\na vBulletin quote\nQuote from: cy\nand more", "only a quote", "q\nown", "carol wrote: that is not fun"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			spec, err := Compile(c.spec)
			if err != nil {
				t.Fatal(err)
			}
			doc, err := goquery.NewDocumentFromReader(strings.NewReader(page))
			if err != nil {
				t.Fatal(err)
			}
			res := Extract(doc, Page{Fetched: fetched}, spec)
			var got []string
			for _, p := range res.Posts {
				got = append(got, p.Text)
			}
			if strings.Join(got, "|") != strings.Join(c.want, "|") {
				t.Errorf("texts\n got %q\nwant %q", got, c.want)
			}
		})
	}
}

// TestTimeInside: a time element without a time attribute of its own
// reads one of an element inside it before its text, skipping attributes
// that are not times.
func TestTimeInside(t *testing.T) {
	cases := []struct {
		name, inner string
		want        time.Time
		guessed     bool
	}{
		{"WordPress comment metadata", `<a href="#c1"><time datetime="2026-03-09T10:11:12+00:00">March 9, 2026 at 10:11 am</time></a>`,
			time.Date(2026, 3, 9, 10, 11, 12, 0, time.UTC), false},
		{"Discuz exact time behind a relative one", `发表于 <span title="2026-3-10 9:30:00">2 小时前</span>`,
			time.Date(2026, 3, 10, 9, 30, 0, 0, time.UTC), false},
		{"an icon's title is no time", `<a href="#p1"><img title="Post" alt="Post"></a>by alice » Mon Mar 09, 2026 3:14 pm`,
			time.Date(2026, 3, 9, 15, 14, 0, 0, time.UTC), false},
		{"nothing readable", `<span title="Post">sometime</span>`, fetched, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			spec, err := Compile(&Settings{Item: ".post", Text: ".body", Time: ".when"})
			if err != nil {
				t.Fatal(err)
			}
			doc, err := goquery.NewDocumentFromReader(strings.NewReader(`<div class="post"><div class="when">` + c.inner + `</div><p class="body">x</p></div>`))
			if err != nil {
				t.Fatal(err)
			}
			res := Extract(doc, Page{Fetched: fetched}, spec)
			if len(res.Posts) != 1 {
				t.Fatalf("%d posts", len(res.Posts))
			}
			p := res.Posts[0]
			if !p.Published.Equal(c.want) || p.TimeGuessed != c.guessed {
				t.Errorf("published %v guessed %v, want %v %v", p.Published.UTC(), p.TimeGuessed, c.want, c.guessed)
			}
		})
	}
}

// TestResolveDropsSessions: session keys leave a link; parameters that
// only share their names stay.
func TestResolveDropsSessions(t *testing.T) {
	base, _ := url.Parse("https://forum.example/viewtopic.php?t=42")
	hex := "0123456789abcdef0123456789abcdef"
	cases := []struct{ ref, want string }{
		{"./viewtopic.php?t=42&sid=" + hex + "#p1", "https://forum.example/viewtopic.php?t=42#p1"},
		{"showthread.php?s=" + hex + "&t=77&page=2", "https://forum.example/showthread.php?page=2&t=77"},
		{"/t/1?PHPSESSID=abc123", "https://forum.example/t/1"},
		{"/forum/thread;jsessionid=ABC123?id=5", "https://forum.example/forum/thread?id=5"},
		{"/article.pl?sid=26/12/07/1234", "https://forum.example/article.pl?sid=26/12/07/1234"},
		{"/search?s=moments", "https://forum.example/search?s=moments"},
		{"/t/1?page=2", "https://forum.example/t/1?page=2"},
	}
	for _, c := range cases {
		if got := Resolve(base, c.ref); got != c.want {
			t.Errorf("Resolve(%q) = %q, want %q", c.ref, got, c.want)
		}
	}
}
