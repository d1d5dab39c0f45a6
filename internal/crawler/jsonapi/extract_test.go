package jsonapi

import (
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var fetched = time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestExtractPresets(t *testing.T) {
	type want struct {
		id, parent, author, title, text, url string
		likes, replies, shares, followers    uint32
		published                            time.Time
	}
	cases := []struct {
		name, file, base string
		cfg              Settings
		cursor           string
		want             []want
	}{
		{
			name: "reddit search", file: "reddit_search.json", base: "https://www.reddit.com/r/AcmeNotes/search.json?q=sync",
			cfg: Settings{Preset: "reddit"}, cursor: "t3_1bq9zzc",
			want: []want{
				{id: "t3_1bqa1x2", author: "throwaway_sync", title: "The new sync engine is duplicating everything",
					text:  "Since 4.2 every note shows up three times. Support says a fix is coming but this is the second broken sync update this year. Seriously considering moving to a competitor.",
					url:   "https://www.reddit.com/r/AcmeNotes/comments/1bqa1x2/the_new_sync_engine_is_duplicating_everything/",
					likes: 1287, replies: 342, published: time.Unix(1773043200, 0).UTC()},
				{id: "t3_1bq9zzc", author: "nightowl", title: "Acme Notes dark mode is gorgeous & finally easy on the eyes",
					text: "Acme Notes dark mode is gorgeous & finally easy on the eyes", url: "https://www.reddit.com/r/productivity/comments/1bq9zzc/acme_notes_dark_mode/",
					likes: 214, replies: 31, published: time.Unix(1773000000, 0).UTC()},
			},
		},
		{
			name: "reddit comments", file: "reddit_comments.json", base: "https://www.reddit.com/r/AcmeNotes/comments/1bqa1x2.json",
			cfg: Settings{Preset: "reddit"},
			want: []want{
				{id: "t3_1bqa1x2", author: "throwaway_sync", title: "The new sync engine is duplicating everything", text: "Since 4.2 every note shows up three times.",
					url: "https://www.reddit.com/r/AcmeNotes/comments/1bqa1x2/the_new_sync_engine_is_duplicating_everything/", likes: 1287, replies: 342, published: time.Unix(1773043200, 0).UTC()},
				{id: "t1_kx01", parent: "t3_1bqa1x2", author: "devin_k", title: "The new sync engine is duplicating everything", text: "Same. I lost an afternoon cleaning up duplicates.",
					url: "https://www.reddit.com/r/AcmeNotes/comments/1bqa1x2/comment/kx01/", likes: 402, replies: 1, published: time.Unix(1773045000, 0).UTC()},
				{id: "t1_kx05", parent: "t1_kx01", author: "nia", text: "Which platform? Android here, same issue.",
					url: "https://www.reddit.com/r/AcmeNotes/comments/1bqa1x2/comment/kx05/", likes: 31, replies: 1, published: time.Unix(1773046000, 0).UTC()},
				{id: "t1_kx06", parent: "t1_kx05", author: "devin_k", text: "Desktop, macOS 15.",
					url: "https://www.reddit.com/r/AcmeNotes/comments/1bqa1x2/comment/kx06/", likes: 4, published: time.Unix(1773046500, 0).UTC()},
				{id: "t1_kx02", parent: "t3_1bqa1x2", author: "tobi", text: "Rolling back to 4.1 fixed it for me.",
					url: "https://www.reddit.com/r/AcmeNotes/comments/1bqa1x2/comment/kx02/", likes: 88, published: time.Unix(1773046800, 0).UTC()},
			},
		},
		{
			name: "hackernews", file: "hackernews.json", base: "https://hn.algolia.com/api/v1/search_by_date?query=acme+notes",
			cfg: Settings{Preset: "hackernews"},
			want: []want{
				{id: "39812399", parent: "39812345", author: "pg_fan", title: "Acme Notes 4.2 duplicates user data",
					text: "The sync rewrite is a classic second-system effect.\nThey should have shipped it behind a flag & measured duplicates first.",
					url:  "https://news.ycombinator.com/item?id=39812399", published: time.Unix(1773047564, 0).UTC()},
				{id: "39812345", author: "tptacek_alt", title: "Acme Notes 4.2 duplicates user data", text: "Acme Notes 4.2 duplicates user data",
					url: "https://acme.example/blog/postmortem-sync", likes: 412, replies: 187, published: time.Unix(1773043200, 0).UTC()},
			},
		},
		{
			name: "mastodon", file: "mastodon.json", base: "https://fosstodon.example/api/v1/timelines/tag/acmenotes?limit=40",
			cfg: Settings{Preset: "mastodon"},
			want: []want{
				{id: "112233445566778899", author: "kim@fosstodon.example", text: "Day 3 of #AcmeNotes sync duplicating my notes. I'm done.\nExporting everything tonight.",
					url: "https://fosstodon.example/@kim/112233445566778899", likes: 57, replies: 4, shares: 12, followers: 1843,
					published: time.Date(2026, 3, 9, 10, 5, 12, 0, time.UTC)},
				{id: "112233445566770001", parent: "112233445566760000", author: "ravi@mastodon.example", text: "@acme the 4.2.1 fix works, thanks! #acmenotes",
					url: "https://mastodon.example/@ravi/112233445566770001", likes: 3, followers: 96, published: time.Date(2026, 3, 9, 9, 40, 0, 0, time.UTC)},
			},
		},
		{
			name: "bluesky", file: "bluesky.json", base: "https://public.api.bsky.app/xrpc/app.bsky.feed.searchPosts?q=acme",
			cfg: Settings{Preset: "bluesky"}, cursor: "eyJvZmZzZXQiOjI1fQ",
			want: []want{
				{id: "at://did:plc:z72i7hdynmk6r22z27h6tvur/app.bsky.feed.post/3kxyzabc123", author: "maria.bsky.social", text: "Acme's new pricing is a joke. $14/month for notes?",
					url: "https://bsky.app/profile/maria.bsky.social/post/3kxyzabc123", likes: 121, replies: 8, shares: 15, published: time.Date(2026, 3, 9, 11, 22, 33, 444e6, time.UTC)},
				{id: "at://did:plc:abcd1234efgh5678ijkl9012/app.bsky.feed.post/3kxyzdef456", parent: "at://did:plc:z72i7hdynmk6r22z27h6tvur/app.bsky.feed.post/3kxyzparent",
					author: "devtools.dev", text: "Honestly the Acme sync fix shipped fast. Kudos.", url: "https://bsky.app/profile/devtools.dev/post/3kxyzdef456",
					likes: 6, shares: 1, published: time.Date(2026, 3, 9, 10, 0, 0, 0, time.UTC)},
			},
		},
		{
			name: "custom paths", file: "custom_pages.json", base: "https://reviews.example/api/reviews?product=notes",
			cfg: Settings{Items: "result.reviews", ID: "review_id", Text: "body", Author: "user.name", Time: "posted",
				URL: "link", Likes: "helpful", Followers: "user.followers", PageParam: "page"},
			want: []want{
				{id: "501", author: "A. Chen", text: "Love the calendar, hate the price.", url: "https://reviews.example/reviews/501",
					likes: 3456, followers: 1200, published: time.Date(2026, 3, 9, 14, 0, 0, 0, time.UTC)},
			},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			spec, err := Compile(&c.cfg)
			if err != nil {
				t.Fatal(err)
			}
			base, _ := url.Parse(c.base)
			res, err := Extract(fixture(t, c.file), base, spec, fetched)
			if err != nil {
				t.Fatal(err)
			}
			if res.Cursor != c.cursor {
				t.Errorf("cursor = %q, want %q", res.Cursor, c.cursor)
			}
			if len(res.Posts) != len(c.want) {
				t.Fatalf("got %d posts, want %d: %+v", len(res.Posts), len(c.want), res.Posts)
			}
			for i, w := range c.want {
				p := res.Posts[i]
				got := want{id: p.ID, parent: p.ParentID, author: p.Author, title: p.Title, text: p.Text, url: p.URL,
					likes: p.Likes, replies: p.Replies, shares: p.Shares, followers: p.Followers, published: p.Published.UTC()}
				if got != w {
					t.Errorf("post %d:\n got  %+v\n want %+v", i, got, w)
				}
				if p.TimeGuessed {
					t.Errorf("post %d: time guessed", i)
				}
			}
		})
	}
}

func TestExtractErrors(t *testing.T) {
	spec, _ := Compile(&Settings{Preset: "hackernews"})
	_, err := Extract(fixture(t, "malformed.json"), nil, spec, fetched)
	var se *SyntaxError
	if !errors.As(err, &se) || se.Line != 4 {
		t.Fatalf("err = %v, want a syntax error on line 4", err)
	}
	spec, _ = Compile(&Settings{Items: "data.children", Text: "body"})
	_, err = Extract([]byte(`{"data": {}}`), nil, spec, fetched)
	if err == nil || !strings.Contains(err.Error(), `"data.children"`) {
		t.Fatalf("err = %v, want one naming the items path", err)
	}
	_, err = Extract([]byte(`{"data": {"children": 3}}`), nil, spec, fetched)
	if err == nil || !strings.Contains(err.Error(), "not an array") {
		t.Fatalf("err = %v, want not an array", err)
	}
	// An object is one item only when it has the item's id or text: an
	// error body is still reported.
	spec, _ = Compile(&Settings{ID: "id", Text: "text"})
	_, err = Extract([]byte(`{"error": "not found"}`), nil, spec, fetched)
	if err == nil || !strings.Contains(err.Error(), "not an array") {
		t.Fatalf("err = %v, want not an array", err)
	}
	res, err := Extract([]byte(`{"id": 7, "text": "one item"}`), nil, spec, fetched)
	if err != nil || len(res.Posts) != 1 || res.Posts[0].ID != "7" {
		t.Fatalf("one object: %+v, %v; want it read as the item", res, err)
	}
}

func TestNextPage(t *testing.T) {
	u, _ := url.Parse("https://api.example/search?q=acme")
	mk := func(c Settings) *Spec {
		c.Text = "x"
		s, err := Compile(&c)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	zero := 0
	cases := []struct {
		name string
		spec *Spec
		res  Response
		link string
		want string
	}{
		{"cursor", mk(Settings{Cursor: "next", CursorParam: "after"}), Response{Cursor: "abc", Items: 2}, "", "https://api.example/search?after=abc&q=acme"},
		{"no cursor", mk(Settings{Cursor: "next", CursorParam: "after"}), Response{Items: 2}, "", ""},
		{"page from start", mk(Settings{PageParam: "page"}), Response{Items: 2}, "", "https://api.example/search?page=2&q=acme"},
		{"zero-based page", mk(Settings{PageParam: "page", PageStart: &zero}), Response{Items: 2}, "", "https://api.example/search?page=1&q=acme"},
		{"empty page ends", mk(Settings{PageParam: "page"}), Response{}, "", ""},
		{"link header", mk(Settings{LinkHeader: true}), Response{Items: 1}, "https://api.example/search?max_id=9", "https://api.example/search?max_id=9"},
		{"cursor that is a URL", mk(Settings{Cursor: "next"}), Response{Cursor: "https://api.example/search?q=acme&page=2"}, "", "https://api.example/search?q=acme&page=2"},
		{"cursor that is a path", mk(Settings{Cursor: "next"}), Response{Cursor: "/search?q=acme&page=2"}, "", "https://api.example/search?q=acme&page=2"},
		{"cursor that is a query", mk(Settings{Cursor: "next"}), Response{Cursor: "?q=acme&page=2"}, "", "https://api.example/search?q=acme&page=2"},
		{"URL cursor with a parameter named", mk(Settings{Cursor: "next", CursorParam: "after"}), Response{Cursor: "https://api.example/search?after=x"}, "", "https://api.example/search?after=x"},
		{"token starting with a slash is a token", mk(Settings{Cursor: "next", CursorParam: "after"}), Response{Cursor: "/w8AAA=="}, "", "https://api.example/search?after=%2Fw8AAA%3D%3D&q=acme"},
		{"token alone is handed back to be reported", mk(Settings{Cursor: "next"}), Response{Cursor: "abc"}, "", "abc"},
		{"javascript is no URL", mk(Settings{Cursor: "next"}), Response{Cursor: "javascript:alert(1)"}, "", "javascript:alert(1)"},
	}
	for _, c := range cases {
		if got := c.spec.nextPage(u, c.res, c.link); got != c.want {
			t.Errorf("%s: next = %q, want %q", c.name, got, c.want)
		}
	}
}

func TestNextLink(t *testing.T) {
	h := []string{`<https://m.example/api/v1/timelines/tag/x?max_id=1>; rel="next", <https://m.example/api/v1/timelines/tag/x?min_id=9>; rel="prev"`}
	if got := nextLink(h); got != "https://m.example/api/v1/timelines/tag/x?max_id=1" {
		t.Errorf("nextLink = %q", got)
	}
	if got := nextLink([]string{`<https://a.example/?p=2>; rel="prev"`}); got != "" {
		t.Errorf("nextLink without next = %q", got)
	}
}

func TestParsePath(t *testing.T) {
	cases := map[string][]string{
		"a.b":                     {"a.b"},
		"a || b.c":                {"a", "b.c"},
		"#(x==\"a || b\").y || z": {"#(x==\"a || b\").y", "z"},
		"a|@flatten":              {"a|@flatten"},
	}
	for in, want := range cases {
		got := ParsePath(in)
		if strings.Join(got, "\x00") != strings.Join(want, "\x00") {
			t.Errorf("ParsePath(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzJSONItems(f *testing.F) {
	for _, name := range []string{"reddit_search.json", "hackernews.json", "mastodon.json", "bluesky.json", "malformed.json"} {
		f.Add(fixture(f, name))
	}
	base, _ := url.Parse("https://api.example/x")
	var specs []*Spec
	for _, p := range Presets() {
		s, err := Compile(&Settings{Preset: p})
		if err != nil {
			f.Fatal(err)
		}
		specs = append(specs, s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, s := range specs {
			res, err := Extract(data, base, s, fetched)
			if err != nil {
				continue
			}
			for _, p := range res.Posts {
				if p.ID == "" || p.Text == "" || p.Published.IsZero() || p.ParentID == p.ID {
					t.Fatalf("bad post %+v", p)
				}
			}
		}
	})
}

// TestUnwrap: JSON inside a JSONP callback or behind a guard prefix is
// read; anything else stays a syntax error.
func TestUnwrap(t *testing.T) {
	const obj = `{"a":[1,2]}`
	cases := []struct {
		name, body, want string
		ok               bool
	}{
		{"jsonp", `cb(` + obj + `);`, obj, true},
		{"jquery jsonp with spaces", " jQuery1124_99 ( " + obj + " ) ;\n", " " + obj + " ", true},
		{"dotted callback", `window.app.load(` + obj + `)`, obj, true},
		{"guarded jsonp", `/**/ typeof cb === 'function' && cb(` + obj + `);`, obj, true},
		{"google guard", ")]}'\n" + obj, "\n" + obj, true},
		{"facebook guard", "for (;;);" + obj, obj, true},
		{"while guard", "while(1);" + obj, obj, true},
		{"a script is no JSON", `alert("x");`, "", false},
		{"a call of something else", `cb({a:1});`, "", false},
		{"html", "<html>error</html>", "", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, ok := unwrap([]byte(c.body))
			if ok != c.ok || (ok && string(got) != c.want) {
				t.Errorf("unwrap(%q) = %q, %v; want %q, %v", c.body, got, ok, c.want, c.ok)
			}
		})
	}
}
