package kind

import (
	"testing"
	"time"

	"github.com/backlash-monitor/backlash/internal/post"
)

func TestStale(t *testing.T) {
	at := func(h int) time.Time { return time.Date(2026, 3, 9, h, 0, 0, 0, time.UTC) }
	p := func(id, parent string, h int) post.Post { return post.Post{ID: id, ParentID: parent, Published: at(h)} }
	cases := []struct {
		name  string
		posts []post.Post
		fresh int
		want  bool
	}{
		{"newest first, nothing fresh", []post.Post{p("3", "", 12), p("2", "", 11), p("1", "", 10)}, 0, true},
		{"newest first, something fresh", []post.Post{p("3", "", 12), p("2", "", 11)}, 1, false},
		{"oldest first", []post.Post{p("1", "", 10), p("2", "", 11), p("3", "", 12)}, 0, false},
		{"no posts", nil, 0, false},
		// Comments oldest first with an early reply nested last: judged on
		// the top-level comments.
		{"threaded, oldest first", []post.Post{p("a", "entry", 10), p("b", "entry", 11), p("b1", "b", 9)}, 0, false},
		{"threaded, newest first", []post.Post{p("b", "entry", 11), p("b1", "b", 12), p("a", "entry", 10)}, 0, true},
		{"one thread on the page does not tell", []post.Post{p("a", "entry", 10), p("a1", "a", 11), p("a2", "a1", 3)}, 0, false},
		{"a page of one old post ends the listing", []post.Post{p("a", "", 10)}, 0, true},
	}
	for _, c := range cases {
		if got := Stale(c.posts, c.fresh); got != c.want {
			t.Errorf("%s: Stale = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestRepeats(t *testing.T) {
	ids := map[string]bool{}
	pages := []struct {
		ids  []string
		want bool
	}{
		{[]string{"a", "b"}, false},
		{[]string{"b", "c"}, false}, // shifted by a new post: not a repeat
		{[]string{"a", "b", "c"}, true},
		{nil, false},
	}
	for i, pg := range pages {
		var posts []post.Post
		for _, id := range pg.ids {
			posts = append(posts, post.Post{ID: id})
		}
		if got := Repeats(posts, ids); got != pg.want {
			t.Errorf("page %d %v: Repeats = %v, want %v", i, pg.ids, got, pg.want)
		}
	}
}
