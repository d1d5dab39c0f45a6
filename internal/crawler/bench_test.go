package crawler

import (
	"fmt"
	"testing"

	"github.com/backlash-monitor/backlash/internal/crawler/html"
	"github.com/backlash-monitor/backlash/internal/post"
)

// BenchmarkCrawlPages measures whole-crawl throughput against a local
// site: fetch, decode, parse, extract and emit, with no politeness delay.
func BenchmarkCrawlPages(b *testing.B) {
	const pages = 50
	s := newSite(b, map[string]route{})
	for i := 0; i < pages; i++ {
		next := ""
		if i+1 < pages {
			next = fmt.Sprintf(`<a class="next" href="/t/1?page=%d">Next</a>`, i+1)
		}
		key := "/t/1"
		if i > 0 {
			key = fmt.Sprintf("/t/1?page=%d", i)
		}
		var body string
		for j := 0; j < 20; j++ {
			body += fmt.Sprintf(`<article class="post" data-id="%d-%d"><a class="author">user%d</a><time class="ts" datetime="2026-03-09T%02d:%02d:00Z"></time><div class="body"><p>Comment %d on page %d about the sync engine.</p></div><span class="likes">1.%dk</span></article>`, i, j, j, i%24, j, j, i, j%10)
		}
		s.set(key, route{body: "<html><body>" + body + next + "</body></html>"})
	}
	src := testSource("bench", html.Name, s.URL+"/t/1")
	src.Delay = 0
	src.MaxPages = pages
	src.Settings = &html.Settings{Item: "article.post", ID: "@data-id", Text: ".body", Author: ".author", Time: "time.ts@datetime", Likes: ".likes", Next: "a.next"}
	c := testCrawler(Options{})
	b.ReportAllocs()
	total := 0
	for b.Loop() {
		stats, err := c.Crawl(b.Context(), src, State{}, func(post.Post) error { return nil })
		if err != nil || stats.Pages != pages || stats.Errors != 0 {
			b.Fatalf("stats %+v err %v", stats, err)
		}
		total += stats.Pages
	}
	b.ReportMetric(float64(total)/b.Elapsed().Seconds(), "pages/s")
}
