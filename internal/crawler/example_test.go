package crawler_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/backlash-monitor/backlash/internal/config"
	"github.com/backlash-monitor/backlash/internal/crawler"
	"github.com/backlash-monitor/backlash/internal/crawler/html"
	"github.com/backlash-monitor/backlash/internal/post"
)

func ExampleCrawler_Crawl() {
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<html><body><h1>Sync is broken again</h1>
<div class="comment" data-id="c1"><b class="who">maria_k</b> <time datetime="2026-03-09T08:15:00Z">Mar 9</time>
  <p class="text">Since 4.2 every note shows up three times.</p>
  <div class="comment" data-id="c2"><b class="who">acme_support</b> <time datetime="2026-03-09T10:30:00Z">Mar 9</time>
    <p class="text">A fix is rolling out in 4.2.1.</p></div>
</div></body></html>`)
	}))
	defer site.Close()

	src := &config.Source{
		Name: "acme-forum", Kind: html.Name, URLs: []string{site.URL},
		AllowPrivate: true, // the example site listens on 127.0.0.1
		Delay:        config.Duration(time.Millisecond),
		Settings: &html.Settings{
			Item: ".comment", ID: "@data-id", Text: ".text", Author: ".who", Time: "time@datetime", Title: "h1",
		},
	}
	c := crawler.New(crawler.Options{UserAgent: "backlash/1 (+https://acme.example/bot)"})
	stats, err := c.Crawl(context.Background(), src, crawler.State{}, func(p post.Post) error {
		fmt.Printf("%s (reply to %q) by %s at %s: %s\n", p.ID, p.ParentID, p.Author, p.Published.Format(time.RFC3339), p.Text)
		return nil
	})
	if err != nil {
		fmt.Println(err)
	}
	fmt.Println(stats.Pages, "page,", stats.Posts, "posts, high-water", stats.NewHighWater.Format(time.RFC3339))
	// Output:
	// c1 (reply to "") by maria_k at 2026-03-09T08:15:00Z: Since 4.2 every note shows up three times.
	// c2 (reply to "c1") by acme_support at 2026-03-09T10:30:00Z: A fix is rolling out in 4.2.1.
	// 1 page, 2 posts, high-water 2026-03-09T10:30:00Z
}

func ExampleShard() {
	sources := []config.Source{{Name: "acme-forum"}, {Name: "reddit-acme"}, {Name: "hn-acme"}, {Name: "ledger-tech"}}
	i, n, err := crawler.ParseShard("1/2")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range crawler.Shard(sources, i, n) {
		fmt.Println(s.Name)
	}
	// Output:
	// acme-forum
	// ledger-tech
}
