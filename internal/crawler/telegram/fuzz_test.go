package telegram

import (
	"net/url"
	"testing"
)

// FuzzExtract: no page, however broken, crashes the reader or yields a
// post without an id, text or time.
func FuzzExtract(f *testing.F) {
	for _, name := range []string{"acmenews.html", "acmenews_before810.html", "private.html"} {
		f.Add(fixture(f, name))
	}
	f.Add([]byte(`<div class="tgme_widget_message" data-post="a/1"><div class="tgme_widget_message_text">x</div><a class="tgme_widget_message_date"><time datetime="bad"></time></a></div>`))
	base, _ := url.Parse("https://t.me/s/acmenews")
	f.Fuzz(func(t *testing.T, page []byte) {
		res, _ := Extract(page, base, now)
		for _, p := range res.Posts {
			if p.ID == "" || p.Text == "" || p.Published.IsZero() || p.ParentID == p.ID && p.ID != "" && p.ParentID != "" {
				t.Fatalf("bad post %+v", p)
			}
		}
	})
}
