package jsonapi

import (
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestExtractNewPresets holds every field of every item of the recorded
// samples, as the formats' documentation shapes them.
func TestExtractNewPresets(t *testing.T) {
	type want struct {
		id, parent, thread, author, title, text, url string
		likes, replies, shares, views                uint32
		rating                                       uint8
		version                                      string
		published                                    time.Time
	}
	utc := func(s string) time.Time {
		t.Helper()
		tm, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		return tm.UTC()
	}
	const review = "https://itunes.apple.com/us/review?id=1545678901&type=Purple%20Software"
	cases := []struct {
		name, preset, file, base string
		cursor, next             string
		want                     []want
	}{
		{
			name: "app store page 1", preset: "appstore", file: "appstore.json",
			base: "https://itunes.apple.com/us/rss/customerreviews/page=1/id=1545678901/sortby=mostrecent/json",
			next: "https://itunes.apple.com/us/rss/customerreviews/page=2/id=1545678901/sortby=mostrecent/json",
			want: []want{
				{id: "11876543210", author: "SyncVictim42", title: "Update destroyed my notes",
					text: "After updating to 4.2 every note is duplicated three times.\nSupport has not answered in four days. Uninstalling.",
					url:  review, likes: 37, rating: 1, version: "4.2.0", published: utc("2026-03-10T01:42:07Z")},
				{id: "11876501234", author: "Marta P.", title: "Sync & search broken",
					text: "Search can't find anything since the update & sync takes minutes. Please roll back.",
					url:  review, rating: 2, version: "4.2.0", published: utc("2026-03-09T22:03:55Z")},
				{id: "11875000001", author: "longtime user", title: "Best notes app", text: "Fast, simple, and the calendar view is great.",
					url: review, likes: 3, rating: 5, version: "4.1.3", published: utc("2026-03-08T14:30:00Z")},
			},
		},
		{
			// One review: feed.entry is an object; page 2 is the last.
			name: "app store last page", preset: "appstore", file: "appstore_2.json",
			base: "https://itunes.apple.com/us/rss/customerreviews/page=2/id=1545678901/sortby=mostrecent/json",
			want: []want{
				{id: "11874000777", author: "Ola N", title: "Good but pricey", text: "Works well, but $14 a month is a lot for notes.",
					url: review, likes: 1, rating: 4, version: "4.1.3", published: utc("2026-03-08T05:14:09Z")},
			},
		},
		{
			name: "lemmy posts", preset: "lemmy", file: "lemmy_posts.json",
			base: "https://lemmy.example/api/v3/post/list?community_name=acmenotes&sort=New&limit=2",
			next: "https://lemmy.example/api/v3/post/list?community_name=acmenotes&limit=2&page=2&sort=New",
			want: []want{
				{id: "post/1843021", thread: "post/1843021", author: "notetaker@lemmy.example", title: "Acme Notes 4.2 sync is duplicating every note",
					text: "Anyone else? Since the **4.2** update my notes show up three times on every device.",
					url:  "https://lemmy.example/post/1843021", likes: 44, replies: 2, published: utc("2026-03-09T16:20:11.482913Z")},
				{id: "post/1839977", thread: "post/1839977", author: "pixel@feddit.example", title: "Dark mode in 4.1 looks great", text: "Dark mode in 4.1 looks great",
					url: "https://feddit.example/post/99812", likes: 12, published: utc("2026-03-08T09:00:00Z")},
			},
		},
		{
			name: "lemmy comments", preset: "lemmy", file: "lemmy_comments.json",
			base: "https://lemmy.example/api/v3/comment/list?post_id=1843021&sort=New",
			next: "https://lemmy.example/api/v3/comment/list?page=2&post_id=1843021&sort=New",
			want: []want{
				{id: "comment/9120033", parent: "post/1843021", thread: "post/1843021", author: "droid_dan@lemmy.example",
					title: "Acme Notes 4.2 sync is duplicating every note", text: "Same here on Android. Rolling back to 4.1 fixed it.",
					url: "https://lemmy.example/comment/9120033", likes: 9, replies: 1, published: utc("2026-03-09T16:45:02Z")},
				{id: "comment/9120588", parent: "comment/9120033", thread: "post/1843021", author: "notetaker@lemmy.example",
					title: "Acme Notes 4.2 sync is duplicating every note", text: "Thanks, that worked for me too.",
					url: "https://lemmy.example/comment/9120588", likes: 2, published: utc("2026-03-09T17:02:40.1Z")},
			},
		},
		{
			name: "youtube", preset: "youtube", file: "youtube.json", cursor: "QURTSl9pMkFtVVFnMzVnd2Nxd0ZXYWZ1",
			base: "https://www.googleapis.com/youtube/v3/commentThreads?part=snippet,replies&videoId=aB3dE5fG7hI&order=time",
			next: "https://www.googleapis.com/youtube/v3/commentThreads?order=time&pageToken=QURTSl9pMkFtVVFnMzVnd2Nxd0ZXYWZ1&part=snippet%2Creplies&videoId=aB3dE5fG7hI",
			want: []want{
				{id: "UgzQ4mX1lG7kYc3bR9J4AaABAg", thread: "aB3dE5fG7hI", author: "@priya_codes",
					text: "The new pricing is a dealbreaker.\n$14 a month & the sync still duplicates notes.",
					url:  "https://www.youtube.com/watch?v=aB3dE5fG7hI&lc=UgzQ4mX1lG7kYc3bR9J4AaABAg", likes: 231, replies: 2, published: utc("2026-03-09T14:05:33Z")},
				{id: "UgzQ4mX1lG7kYc3bR9J4AaABAg.A1bC2dE3fG4A1bC2dE3fG5", parent: "UgzQ4mX1lG7kYc3bR9J4AaABAg", thread: "aB3dE5fG7hI", author: "@mk_ultra_notes",
					text: "Agreed, cancelled my subscription today.",
					url:  "https://www.youtube.com/watch?v=aB3dE5fG7hI&lc=UgzQ4mX1lG7kYc3bR9J4AaABAg.A1bC2dE3fG4A1bC2dE3fG5", likes: 17, published: utc("2026-03-09T15:20:00Z")},
				{id: "UgxR5nY2mH8lZd4cS0K5AaABAg", thread: "aB3dE5fG7hI", author: "@lena.k", text: "Great walkthrough, the calendar looks useful.",
					url: "https://www.youtube.com/watch?v=aB3dE5fG7hI&lc=UgxR5nY2mH8lZd4cS0K5AaABAg", likes: 4, published: utc("2026-03-09T09:12:45Z")},
			},
		},
		{
			// The Announce (a boost of another server's post) has no text
			// and is not a post.
			name: "activitystreams", preset: "activitystreams", file: "activitystreams.json",
			base: "https://social.example/users/acme/outbox?page=true",
			next: "https://social.example/users/acme/outbox?max_id=110000000000000001&page=true",
			want: []want{
				{id: "https://social.example/users/acme/statuses/110000000000000009", author: "https://social.example/users/acme",
					text: "We hear you: 4.2.1 fixes the duplicate notes. Update now & tell us how it goes.",
					url:  "https://social.example/@acme/110000000000000009", likes: 88, replies: 14, shares: 21, published: utc("2026-03-09T12:00:00Z")},
				{id: "https://social.example/users/acme/statuses/110000000000000003", parent: "https://other.example/users/bo/statuses/41", author: "acme",
					text: "@bo Sorry about that, a fix is on the way.",
					url:  "https://social.example/@acme/110000000000000003", likes: 2, published: utc("2026-03-09T09:30:15Z")},
			},
		},
		{
			name: "activitystreams collection", preset: "activitystreams", file: "activitystreams_collection.json",
			base: "https://social.example/users/acme/outbox",
			next: "https://social.example/users/acme/outbox?page=true",
		},
		{
			name: "json:api", preset: "jsonapi", file: "jsonapi.json",
			base: "https://forum.example/jsonapi/comment/comment?include=uid&sort=-created",
			next: "https://forum.example/jsonapi/comment/comment?include=uid&page%5Boffset%5D=2&page%5Blimit%5D=2&sort=-created",
			want: []want{
				{id: "3f9a2c1e-8b7d-4e6f-9a0b-1c2d3e4f5a6b", author: "jmiller", title: "Price increase", text: "Raising the price by 40% without warning is not OK.",
					url: "https://forum.example/jsonapi/comment/comment?include=uid&sort=-created", published: utc("2026-03-09T13:15:00Z")},
				{id: "7c6b5a49-3828-4716-a5b4-c3d2e1f0a9b8", parent: "3f9a2c1e-8b7d-4e6f-9a0b-1c2d3e4f5a6b", author: "sofia_r", title: "Re: Price increase",
					text: "Agreed. Looking at alternatives.", url: "https://forum.example/jsonapi/comment/comment?include=uid&sort=-created", published: utc("2026-03-09T13:40:21Z")},
			},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			spec, err := Compile(&Settings{Preset: c.preset})
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
			if next := spec.nextPage(base, res, ""); next != c.next {
				t.Errorf("next page = %q\n want       %q", next, c.next)
			}
			if len(res.Posts) != len(c.want) {
				t.Fatalf("got %d posts, want %d: %+v", len(res.Posts), len(c.want), res.Posts)
			}
			for i, w := range c.want {
				p := res.Posts[i]
				got := want{id: p.ID, parent: p.ParentID, thread: p.Thread, author: p.Author, title: p.Title, text: p.Text, url: p.URL,
					likes: p.Likes, replies: p.Replies, shares: p.Shares, views: p.Views, rating: p.Rating, version: p.AppVersion,
					published: p.Published.UTC()}
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

// TestPresetChangedPayload: a payload that is not the API's, or whose
// items lack a field the API always sends, is an error naming it; whole
// items are still read.
func TestPresetChangedPayload(t *testing.T) {
	cases := []struct {
		preset, body, want string
		posts              int
	}{
		{"appstore", `{"reviews": []}`, `no "feed" object`, 0},
		{"appstore", string(fixture(t, "appstore_changed.json")), `item 0 has no rating (path "im:rating.label")`, 1},
		{"lemmy", `{"posts": [{"post": {"id": 1, "name": "x", "published": "2026-03-09T10:00:00Z"}}]}`, `item 0 has no author (path "creator.name")`, 0},
		{"lemmy", `{"post_view": {}}`, `items path "posts || comments" matched nothing`, 0},
		{"youtube", `{"items": [{"id": "a", "snippet": {"topLevelComment": {"id": "a", "snippet": {"textDisplay": "hi", "authorDisplayName": "@x"}}}}]}`,
			`item 0 has no time (path "snippet.topLevelComment.snippet.publishedAt || snippet.publishedAt")`, 0},
		{"jsonapi", `{"meta": {}}`, `no "data" member`, 0},
		{"jsonapi", `{"errors": [{"status": "404", "title": "Not Found", "detail": "No route"}]}`, `API error: Not Found No route`, 0},
		{"activitystreams", `{"orderedItems": []}`, `no "type" member`, 0},
	}
	for _, c := range cases {
		spec, err := Compile(&Settings{Preset: c.preset})
		if err != nil {
			t.Fatal(err)
		}
		res, err := Extract([]byte(c.body), nil, spec, fetched)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want it to contain %q", c.preset, err, c.want)
		}
		if len(res.Posts) != c.posts {
			t.Errorf("%s: %d posts, want %d", c.preset, len(res.Posts), c.posts)
		}
	}
	var fe *FieldError
	spec, _ := Compile(&Settings{Preset: "appstore"})
	if _, err := Extract(fixture(t, "appstore_changed.json"), nil, spec, fetched); !errors.As(err, &fe) || fe.Field != "rating" {
		t.Errorf("err = %v, want a FieldError for rating", err)
	}
}

func TestGoogleAPIError(t *testing.T) {
	reason, stop := googleAPIError(fixture(t, "youtube_quota.json"))
	if !stop || reason != "quotaExceeded: The request cannot be completed because you have exceeded your quota." {
		t.Errorf("quota: %q, %v", reason, stop)
	}
	reason, stop = googleAPIError(fixture(t, "youtube_disabled.json"))
	if stop || reason != "commentsDisabled: The video identified by the videoId parameter has disabled comments." {
		t.Errorf("disabled: %q, %v", reason, stop)
	}
	if reason, stop := googleAPIError([]byte("<html>502</html>")); reason != "" || stop {
		t.Errorf("not JSON: %q, %v", reason, stop)
	}
}

func TestRating(t *testing.T) {
	spec, _ := Compile(&Settings{Items: "r", Text: "t", Rating: "s"})
	for body, want := range map[string]uint8{
		`{"r":[{"t":"x","s":"1"}]}`: 1, `{"r":[{"t":"x","s":4.6}]}`: 5, `{"r":[{"t":"x","s":"0"}]}`: 0,
		`{"r":[{"t":"x","s":9}]}`: 0, `{"r":[{"t":"x","s":"five"}]}`: 0, `{"r":[{"t":"x"}]}`: 0,
	} {
		res, err := Extract([]byte(body), nil, spec, fetched)
		if err != nil || len(res.Posts) != 1 || res.Posts[0].Rating != want {
			t.Errorf("%s: %+v %v, want rating %d", body, res.Posts, err, want)
		}
	}
}

func TestAppStorePages(t *testing.T) {
	spec, _ := Compile(&Settings{Preset: "appstore"})
	full := `{"feed": {"entry": [{"id": {"label": "1"}}]}}`
	cases := []struct{ u, body, want string }{
		// A URL without page= is page 1.
		{"https://itunes.apple.com/gb/rss/customerreviews/id=42/sortby=mostrecent/json", full,
			"https://itunes.apple.com/gb/rss/customerreviews/page=2/id=42/sortby=mostrecent/json"},
		{"https://itunes.apple.com/gb/rss/customerreviews/page=9/id=42/sortby=mostrecent/json", full,
			"https://itunes.apple.com/gb/rss/customerreviews/page=10/id=42/sortby=mostrecent/json"},
		// Apple serves ten pages at most.
		{"https://itunes.apple.com/gb/rss/customerreviews/page=10/id=42/sortby=mostrecent/json", full, ""},
		// A page past the last has no entries.
		{"https://itunes.apple.com/gb/rss/customerreviews/page=3/id=42/sortby=mostrecent/json", `{"feed": {"title": {"label": "x"}}}`, ""},
	}
	for _, c := range cases {
		u, _ := url.Parse(c.u)
		res, _ := Extract([]byte(c.body), u, spec, fetched)
		if got := spec.nextPage(u, res, ""); got != c.want {
			t.Errorf("%s: next = %q, want %q", c.u, got, c.want)
		}
	}
}
