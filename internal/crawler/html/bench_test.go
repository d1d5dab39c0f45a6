package html

import (
	"bytes"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// BenchmarkExtract measures extraction from a stored forum page, grown to
// 200 comments so the per-item cost dominates.
func BenchmarkExtract(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("testdata", "forum", "thread-101.html"))
	if err != nil {
		b.Fatal(err)
	}
	page := string(data)
	start := strings.Index(page, `<article class="post" id="p9001"`)
	end := strings.LastIndex(page, "</article>") + len("</article>")
	var items strings.Builder
	for i := 0; i < 200/3+1; i++ {
		items.WriteString(strings.ReplaceAll(page[start:end], `data-id="90`, fmt.Sprintf(`data-id="%d-90`, i)))
	}
	page = page[:start] + items.String() + page[end:]
	spec, err := Compile(forumSpec)
	if err != nil {
		b.Fatal(err)
	}
	u, _ := url.Parse("https://forum.example/t/new-sync-engine-feedback/101")
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		doc, err := goquery.NewDocumentFromReader(bytes.NewReader([]byte(page)))
		if err != nil {
			b.Fatal(err)
		}
		n += len(Extract(doc, Page{URL: u, Fetched: fetched}, spec).Posts)
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "items/s")
}
