package discourse

import (
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var now = time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestListingURL(t *testing.T) {
	cases := []struct{ in, listing, topic, err string }{
		{in: "https://community.acme.example", listing: "https://community.acme.example/latest.json"},
		{in: "https://community.acme.example/", listing: "https://community.acme.example/latest.json"},
		{in: "https://community.acme.example/latest", listing: "https://community.acme.example/latest.json"},
		{in: "https://community.acme.example/latest.json?order=created", listing: "https://community.acme.example/latest.json?order=created"},
		{in: "https://community.acme.example/c/feedback/5", listing: "https://community.acme.example/c/feedback/5.json"},
		{in: "https://community.acme.example/tag/sync", listing: "https://community.acme.example/tag/sync.json"},
		{in: "https://community.acme.example/forum/c/feedback/5", listing: "https://community.acme.example/forum/c/feedback/5.json"},
		{in: "https://community.acme.example/t/sync-duplicates/101", topic: "/t/sync-duplicates/101.json"},
		{in: "https://community.acme.example/t/sync-duplicates/101/7?u=maria", topic: "/t/sync-duplicates/101.json"},
		{in: "https://community.acme.example/t/101", topic: "/t/101.json"},
		{in: "https://community.acme.example/t/no-id", err: "has no topic id"},
		{in: "community.acme.example", err: "bad forum URL"},
	}
	for _, c := range cases {
		u, topic, err := ListingURL(c.in)
		switch {
		case c.err != "":
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%s: err %v, want %q", c.in, err, c.err)
			}
		case err != nil:
			t.Errorf("%s: %v", c.in, err)
		case topic != c.topic || (c.listing != "" && u.String() != c.listing):
			t.Errorf("%s: listing %s topic %q, want %s %q", c.in, u, topic, c.listing, c.topic)
		}
	}
}

func TestNextListing(t *testing.T) {
	cur, _ := url.Parse("https://community.acme.example/latest.json")
	if got := nextListing(cur, "/latest?no_definitions=true&page=1"); got == nil || got.String() != "https://community.acme.example/latest.json?no_definitions=true&page=1" {
		t.Errorf("next = %v", got)
	}
	cat, _ := url.Parse("https://community.acme.example/c/feedback/5.json")
	if got := nextListing(cat, "/c/feedback/5/l/latest?page=1"); got == nil || got.String() != "https://community.acme.example/c/feedback/5/l/latest.json?page=1" {
		t.Errorf("category next = %v", got)
	}
	if got := nextListing(cur, ""); got != nil {
		t.Errorf("last page next = %v", got)
	}
	if got := nextListing(cur, "https://elsewhere.example/latest?page=1"); got != nil {
		t.Errorf("off-site next = %v", got)
	}
}

// TestTopicPosts holds every field of the recorded topic's posts.
func TestTopicPosts(t *testing.T) {
	base, _ := url.Parse("https://community.acme.example/t/sync-duplicates-every-note-since-4-2/101.json")
	type want struct {
		id, parent, author, text, url string
		likes, replies, views         uint32
		published                     time.Time
	}
	check := func(file string, whole bool, wants []want) {
		t.Helper()
		tp, err := parseTopic(fixture(t, file), whole)
		if err != nil {
			t.Fatal(err)
		}
		th := thread{base: base, id: 101, slug: "sync-duplicates-every-note-since-4-2", title: "Sync duplicates every note since 4.2", views: 842}
		posts, err := th.posts(tp.PostStream.Posts, now)
		if err != nil {
			t.Fatal(err)
		}
		if len(posts) != len(wants) {
			t.Fatalf("%s: %d posts, want %d: %+v", file, len(posts), len(wants), posts)
		}
		for i, w := range wants {
			p := posts[i]
			got := want{p.ID, p.ParentID, p.Author, p.Text, p.URL, p.Likes, p.Replies, p.Views, p.Published.UTC()}
			if got != w {
				t.Errorf("%s post %d:\n got  %+v\n want %+v", file, i, got, w)
			}
			if p.Thread != "101" || p.Title != "Sync duplicates every note since 4.2" || p.TimeGuessed {
				t.Errorf("%s post %d: thread %q title %q guessed %v", file, i, p.Thread, p.Title, p.TimeGuessed)
			}
		}
	}
	const site = "https://community.acme.example/t/sync-duplicates-every-note-since-4-2/101/"
	check("topic_101.json", true, []want{
		{id: "101/1", author: "maria_k",
			text: "Since the 4.2 update every note shows up three times on all my devices.\nAnyone else? I have 2,000 notes & cleaning up by hand is not an option.",
			url:  site + "1", likes: 14, replies: 1, views: 842, published: time.Date(2026, 3, 9, 8, 15, 0, 0, time.UTC)},
		{id: "101/2", parent: "101/1", author: "devin", text: "Same here on Android. Turning sync off and on again made it worse.",
			url: site + "2", likes: 3, replies: 1, published: time.Date(2026, 3, 9, 8, 40, 12, 0, time.UTC)},
		{id: "101/3", parent: "101/2", author: "maria_k", text: "Good to know, I won’t try that then.", // the quote is devin's words
			url: site + "3", likes: 1, published: time.Date(2026, 3, 9, 9, 5, 30, 0, time.UTC)},
	})
	// The small action (the topic was closed) is not a post.
	check("topic_101_posts.json", false, []want{
		{id: "101/4", parent: "101/1", author: "devin", text: "@maria_k rolling back to 4.1 fixed it for me.",
			url: site + "4", likes: 6, published: time.Date(2026, 3, 9, 10, 20, 0, 0, time.UTC)},
		{id: "101/6", parent: "101/1", author: "acme_team", text: "Thanks for the reports. 4.2.1 fixes the duplicates and removes the extra copies; it is rolling out now.",
			url: site + "6", published: time.Date(2026, 3, 9, 11, 2, 41, 318e6, time.UTC)},
	})
}

// TestChangedPayloads: what is not Discourse's, or lacks a field it
// always sends, is an error naming it.
func TestChangedPayloads(t *testing.T) {
	if _, err := parseListing([]byte(`{"topics": []}`)); err == nil || !strings.Contains(err.Error(), `no "topic_list"`) {
		t.Errorf("listing without topic_list: %v", err)
	}
	if _, err := parseListing([]byte(`{"topic_list": {"topics": [{"id": "x"}]}}`)); err == nil || !strings.Contains(err.Error(), `field "topic_list.topics.id" is a JSON string, want int64`) {
		t.Errorf("listing with a string id: %v", err)
	}
	if _, err := parseListing([]byte(`{"topic_list": {"topics": [{"title": "x"}]}}`)); err == nil || !strings.Contains(err.Error(), "topic_list.topics[0] has no id") {
		t.Errorf("topic without id: %v", err)
	}
	if _, err := parseTopic([]byte(`<html><body>Discourse is down</body></html>`), true); err == nil || !strings.Contains(err.Error(), "malformed JSON at line 1") {
		t.Errorf("HTML for a topic: %v", err)
	}
	if _, err := parseTopic([]byte(`{"id": 101, "posts": []}`), true); err == nil || !strings.Contains(err.Error(), `no "post_stream"`) {
		t.Errorf("topic without post_stream: %v", err)
	}
	base, _ := url.Parse("https://community.acme.example/")
	th := thread{base: base, id: 101}
	tp, _ := parseTopic([]byte(`{"id": 101, "post_stream": {"posts": [
		{"id": 1, "post_number": 1, "username": "a", "created_at": "2026-03-09T08:15:00Z", "cooked": "<p>ok</p>"},
		{"id": 2, "post_number": 2, "created_at": "2026-03-09T08:16:00Z", "cooked": "<p>no user</p>"},
		{"id": 3, "post_number": 3, "username": "c", "cooked": "<p>no time</p>"}]}}`), true)
	posts, err := th.posts(tp.PostStream.Posts, now)
	if len(posts) != 1 || err == nil || err.Error() != `post_stream.posts[1] of topic 101: no "username": the forum's format may have changed (and 1 more posts)` {
		t.Errorf("posts %+v err %v", posts, err)
	}
}

func TestExplain(t *testing.T) {
	reason, stop := explain([]byte(`{"errors":["You are not permitted to view the requested resource."],"error_type":"invalid_access"}`))
	if stop || reason != "invalid_access: You are not permitted to view the requested resource. (the forum, or this part of it, needs a login)" {
		t.Errorf("invalid access: %q %v", reason, stop)
	}
	reason, stop = explain([]byte(`{"errors":["You’ve performed this action too many times."],"error_type":"rate_limit","extras":{"wait_seconds":30}}`))
	if !stop || !strings.HasPrefix(reason, "rate_limit: ") {
		t.Errorf("rate limit: %q %v", reason, stop)
	}
	if reason, stop := explain([]byte(`<h1>502 Bad Gateway</h1>`)); reason != "" || stop {
		t.Errorf("not JSON: %q %v", reason, stop)
	}
}
