package feed

import (
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"
)

// FuzzParse feeds arbitrary bytes to the feed parser: it may refuse them
// but must not panic, and every post it returns has an id and a time.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*"))
	for _, name := range files {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`<rss version="2.0"><channel><item><title>x</title></item></channel></rss>`))
	f.Add([]byte(`{"version":"https://jsonfeed.org/version/1.1","items":[{"id":"1"}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		posts, err := Parse(body, "https://news.example/feed", fetched)
		if err != nil {
			return
		}
		for _, p := range posts {
			if p.ID == "" || p.Published.IsZero() {
				t.Fatalf("post without id or time: %+v", p)
			}
			if !utf8.ValidString(p.Text) && utf8.Valid(body) {
				t.Fatalf("valid input gave invalid text %q", p.Text)
			}
		}
	})
}
