package html

import (
	"bytes"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
)

// TestDeepNesting guards against extraction cost growing faster than the
// page: a 250-deep reply chain and a page of 20,000 posts.
func TestDeepNesting(t *testing.T) {
	spec, err := Compile(&Settings{Item: ".post", Text: ".body", Author: ".author", Time: "time", Likes: ".likes"})
	if err != nil {
		t.Fatal(err)
	}
	base, _ := url.Parse("https://deep.example/t/1")
	for name, c := range map[string]struct {
		page  string
		posts int
	}{
		"reply chain": {strings.Repeat(`<div class="post"><div class="body">reply</div>`, 250), 250},
		"many posts":  {strings.Repeat(`<div class="post"><span class="author">a</span><div class="body">x</div></div>`, 20000), 20000},
	} {
		doc, err := goquery.NewDocumentFromReader(bytes.NewReader([]byte(c.page)))
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		res := Extract(doc, Page{URL: base, Fetched: fetched}, spec)
		if el := time.Since(start); el > 2*time.Second {
			t.Errorf("%s: extraction took %v", name, el)
		}
		if name == "reply chain" {
			// Every reply has the same text; the parent keeps their
			// derived ids apart.
			for i := 1; i < len(res.Posts); i++ {
				if res.Posts[i].ParentID != res.Posts[i-1].ID {
					t.Fatalf("reply %d: parent %q, want %q", i, res.Posts[i].ParentID, res.Posts[i-1].ID)
				}
			}
		}
		if len(res.Posts) != c.posts {
			t.Errorf("%s: %d posts, want %d", name, len(res.Posts), c.posts)
		}
	}
}
