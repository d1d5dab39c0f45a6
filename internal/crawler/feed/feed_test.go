package feed

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var fetched = time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)

func readFixture(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return []byte(strings.ReplaceAll(string(data), "{{base}}", "https://news.example"))
}

func TestParse(t *testing.T) {
	type want struct {
		id, author, title, text, url string
		published                    time.Time
		guessed                      bool
	}
	cases := []struct {
		file string
		want []want
	}{
		{"rss20.xml", []want{
			{id: "ledger-2026-0309-acme", author: "R. Ortega", title: "Acme raises prices for its Pro plan",
				text: "Acme will charge $14 a month for Pro from April, up from $9. Customers on annual plans keep the old price until renewal.",
				url:  "https://news.example/tech/acme-prices", published: time.Date(2026, 3, 9, 7, 30, 0, 0, time.UTC)},
			{id: "https://news.example/tech/acme-notes-review", author: "Kim Park", title: "Review: Acme Notes 4.2 fixes the basics",
				text: "The new sync engine is quicker, but dark mode still has contrast problems & the export is buggy.",
				url:  "https://news.example/tech/acme-notes-review", published: time.Date(2026, 3, 8, 15, 0, 0, 0, time.UTC)},
		}},
		{"rss091.xml", []want{
			{id: "https://news.example/news/pos-cafe", title: "Café owners love the new Acme POS",
				text: `Three cafés in Lyon tried the Acme POS: "fast, simple, fair priced".`,
				url:  "https://news.example/news/pos-cafe", published: fetched, guessed: true},
			{id: "https://news.example/news/pos-outage", title: "Acme POS outage on Saturday",
				text: "Card payments failed for two hours. Owners were furious.",
				url:  "https://news.example/news/pos-outage", published: fetched, guessed: true},
		}},
		{"atom.xml", []want{
			{id: "tag:acme.example,2026-03-09:/blog/postmortem-sync", author: "Acme Engineering", title: "Postmortem: sync duplicates in 4.2.0",
				text: "A race in the new sync engine created duplicate notes for 3% of users.",
				url:  "https://news.example/blog/postmortem-sync", published: time.Date(2026, 3, 9, 11, 0, 0, 0, time.UTC)},
			{id: "tag:acme.example,2026-03-07:/blog/dark-mode", author: "Priya N.", title: "Dark mode ships",
				text: "Dark mode is now available on every platform.",
				url:  "https://news.example/blog/dark-mode", published: time.Date(2026, 3, 7, 8, 30, 0, 0, time.UTC)},
		}},
		{"feed.json", []want{
			{id: "2026-03-09-price-hike", author: "Acme Watch", title: "The Pro price hike, explained",
				text: "Acme's Pro plan goes from $9 to $14. Users on the forum are not happy.",
				url:  "https://news.example/posts/price-hike", published: time.Date(2026, 3, 9, 20, 45, 0, 0, time.UTC)},
			{id: "2026-03-06-calendar", text: "The new calendar view is a genuine improvement.",
				url: "https://news.example/posts/calendar", published: time.Date(2026, 3, 6, 8, 0, 0, 0, time.UTC)},
		}},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			posts, err := Parse(readFixture(t, c.file), "https://news.example/feed", fetched)
			if err != nil {
				t.Fatal(err)
			}
			if len(posts) != len(c.want) {
				t.Fatalf("got %d posts, want %d", len(posts), len(c.want))
			}
			for i, w := range c.want {
				p := posts[i]
				got := want{id: p.ID, author: p.Author, title: p.Title, text: p.Text, url: p.URL, published: p.Published.UTC(), guessed: p.TimeGuessed}
				if got != w {
					t.Errorf("post %d:\n got  %+v\n want %+v", i, got, w)
				}
			}
		})
	}
}

func TestParseMalformed(t *testing.T) {
	_, err := Parse(readFixture(t, "malformed.xml"), "https://news.example/feed", fetched)
	if err == nil || !strings.Contains(err.Error(), "malformed feed") {
		t.Fatalf("err = %v, want a malformed feed error", err)
	}
	if !strings.Contains(err.Error(), "line 9") {
		t.Errorf("err = %v, want the line", err)
	}
	_, err = Parse([]byte("{\"version\": \"https://jsonfeed.org/version/1.1\",\n\"items\": [{\"id\": 1,}]}"), "https://news.example/feed.json", fetched)
	if err == nil || !strings.Contains(err.Error(), "malformed JSON feed at line 2") {
		t.Errorf("err = %v, want a JSON feed error with its line", err)
	}
	_, err = Parse([]byte("this is not a feed"), "https://news.example/feed", fetched)
	if err == nil {
		t.Fatal("plain text parsed as a feed")
	}
}
