package telegram

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

// TestExtract holds every field of every message of the recorded page.
func TestExtract(t *testing.T) {
	base, _ := url.Parse("https://t.me/s/acmenews")
	res, err := Extract(fixture(t, "acmenews.html"), base, now)
	if err != nil {
		t.Fatal(err)
	}
	type want struct {
		id, parent, author, text, url string
		likes, views, followers       uint32
		published                     time.Time
	}
	// 811 is a photo without a caption and 812 a service message: not posts.
	wants := []want{
		{id: "acmenews/810", author: "Acme News",
			text: "Acme Notes 4.2 is out: a new sync engine, faster search and the calendar view.\nUpdate today & tell us what you think! acme.example/blog/4-2",
			url:  "https://t.me/acmenews/810", likes: 1100 + 214 + 31, views: 31400, followers: 48200, published: time.Date(2026, 3, 8, 16, 0, 0, 0, time.UTC)},
		{id: "acmenews/813", parent: "acmenews/810", author: "Dana Whitfield",
			text: "We hear you about duplicated notes after the update. A fix (4.2.1) is in review; please do not delete anything yet.",
			url:  "https://t.me/acmenews/813", views: 58900, followers: 48200, published: time.Date(2026, 3, 9, 9, 12, 44, 0, time.UTC)},
		{id: "acmenews/814", author: "Acme News", text: "🔧 Sync is degraded for some users. We are investigating.",
			url: "https://t.me/acmenews/814", likes: 2405, views: 1200000, followers: 48200, published: time.Date(2026, 3, 9, 10, 30, 0, 0, time.UTC)},
	}
	if len(res.Posts) != len(wants) {
		t.Fatalf("%d posts, want %d: %+v", len(res.Posts), len(wants), res.Posts)
	}
	for i, w := range wants {
		p := res.Posts[i]
		got := want{p.ID, p.ParentID, p.Author, p.Text, p.URL, p.Likes, p.Views, p.Followers, p.Published.UTC()}
		if got != w {
			t.Errorf("post %d:\n got  %+v\n want %+v", i, got, w)
		}
		if p.TimeGuessed {
			t.Errorf("post %d: time guessed", i)
		}
	}
	if res.Older != "https://t.me/s/acmenews?before=810" {
		t.Errorf("older = %q", res.Older)
	}
	// The channel's first page has no older one.
	res, err = Extract(fixture(t, "acmenews_before810.html"), base, now)
	if err != nil || len(res.Posts) != 1 || res.Posts[0].Views != 9870 || res.Older != "" {
		t.Errorf("first page: %+v, %v", res, err)
	}
}

func TestExtractChanged(t *testing.T) {
	base, _ := url.Parse("https://t.me/s/acmesecret")
	if _, err := Extract(fixture(t, "private.html"), base, now); err == nil || !strings.Contains(err.Error(), "no messages (.tgme_widget_message)") {
		t.Errorf("private channel: %v", err)
	}
	page := `<section class="tgme_channel_history">
<div class="tgme_widget_message" data-post="acmenews/5"><div class="tgme_widget_message_text">kept</div>
 <a class="tgme_widget_message_date" href="https://t.me/acmenews/5"><time datetime="2026-03-09T10:00:00+00:00"></time></a></div>
<div class="tgme_widget_message" data-post="acmenews/6"><div class="tgme_widget_message_text">no time</div></div>
<div class="tgme_widget_message"><div class="tgme_widget_message_text">no id</div></div></section>`
	res, err := Extract([]byte(page), base, now)
	if len(res.Posts) != 1 || res.Posts[0].ID != "acmenews/5" || err == nil ||
		err.Error() != "message 1: acmenews/6 has no time (.tgme_widget_message_date time[datetime]): the preview's layout may have changed (and 1 more messages)" {
		t.Errorf("posts %+v err %v", res.Posts, err)
	}
	if res, err := Extract([]byte(`<section class="tgme_channel_history"></section>`), base, now); err != nil || len(res.Posts) != 0 {
		t.Errorf("empty channel: %+v %v", res, err)
	}
}

func TestPreviewURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://t.me/acmenews":           "https://t.me/s/acmenews",
		"https://t.me/s/acmenews":         "https://t.me/s/acmenews",
		"https://t.me/acmenews/810":       "https://t.me/s/acmenews",
		"https://t.me/s/acmenews?q=sync":  "https://t.me/s/acmenews?q=sync",
		"https://telegram.me/s/acmenews/": "https://telegram.me/s/acmenews",
	} {
		if u, err := PreviewURL(in); err != nil || u.String() != want {
			t.Errorf("%s: %v %v, want %s", in, u, err, want)
		}
	}
	for _, bad := range []string{"https://t.me/", "https://t.me/s/", "t.me/acmenews"} {
		if _, err := PreviewURL(bad); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
	if got := postID("https://t.me/acmenews/810"); got != "acmenews/810" {
		t.Errorf("postID = %q", got)
	}
}
