package discourse

import (
	"net/url"
	"testing"
)

// FuzzTopic: no topic response, however broken, crashes the reader or
// yields a post without an id, text or time, or replying to itself.
func FuzzTopic(f *testing.F) {
	for _, name := range []string{"topic_101.json", "topic_101_posts.json", "topic_97.json", "latest.json"} {
		f.Add(fixture(f, name))
	}
	f.Add([]byte(`{"id": 1, "post_stream": {"posts": [{"post_number": 2, "reply_to_post_number": 2, "username": "a", "created_at": "x", "cooked": "<aside class=quote>q</aside>t"}]}}`))
	base, _ := url.Parse("https://community.acme.example/")
	f.Fuzz(func(t *testing.T, body []byte) {
		_, _ = parseListing(body)
		tp, err := parseTopic(body, false)
		if err != nil {
			return
		}
		posts, _ := thread{base: base, id: tp.ID, slug: tp.Slug, title: tp.Title}.posts(tp.PostStream.Posts, now)
		for _, p := range posts {
			if p.ID == "" || p.Text == "" || p.Published.IsZero() {
				t.Fatalf("bad post %+v", p)
			}
		}
	})
}
