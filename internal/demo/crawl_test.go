package demo

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/backlash-monitor/backlash/internal/config"
	"github.com/backlash-monitor/backlash/internal/crawler"
	"github.com/backlash-monitor/backlash/internal/pipeline"
	"github.com/backlash-monitor/backlash/internal/post"
)

// The project's crawler, configured by Config and run every six simulated
// hours as the site's clock advances, collects every item it should, with
// the right text, author and time.
func TestCrawlerCollectsTheScenario(t *testing.T) {
	s := NewScenario(Options{Seed: 4, Scale: 0.5})
	site := NewSite(s)
	srv := httptest.NewServer(site)
	defer srv.Close()
	cfg, err := config.Parse("demo.yaml", Config(srv.URL, s))
	if err != nil {
		t.Fatal(err)
	}
	c := pipeline.NewCrawler(cfg, nil, nil, nil)
	states := map[string]crawler.State{}
	got := map[string]map[string]post.Post{}
	last := s.Start()
	for now := s.Start(); now.Before(s.End()); now = now.Add(6 * time.Hour) {
		site.SetNow(now)
		last = now
		for i := range cfg.Sources {
			src := &cfg.Sources[i]
			if got[src.Name] == nil {
				got[src.Name] = map[string]post.Post{}
			}
			st, err := c.Crawl(context.Background(), src, states[src.Name], func(p post.Post) error {
				got[src.Name][p.ID] = p
				return nil
			})
			if err != nil {
				t.Fatalf("%s at %v: %v", src.Name, now, err)
			}
			if st.Errors > 0 {
				t.Errorf("%s at %v: %d page errors, last: %s", src.Name, now, st.Errors, st.LastError)
			}
			states[src.Name] = crawler.State{HighWater: st.NewHighWater, Cursor: st.Cursor}
		}
	}
	source := map[string]string{ChannelForum: "forum", ChannelFeed: "news", ChannelAPI: "microblog"}
	terms := queryTerms(SearchQuery)
	want := map[string]int{}
	for _, it := range s.Items() {
		if it.Published.After(last) || it.Channel == ChannelAPI && !matches(it.Text, terms) {
			continue
		}
		want[it.Channel]++
		key := it.ID
		if it.Channel == ChannelFeed {
			key = "" // feed posts are checked by their link below
			for id, p := range got["news"] {
				if p.URL == srv.URL+it.URL {
					key = id
				}
			}
		}
		p, ok := got[source[it.Channel]][key]
		if !ok {
			t.Errorf("%s item %s (%v) was not collected", it.Channel, it.ID, it.Published)
			continue
		}
		if !p.Published.Equal(it.Published) || p.Author != it.Author || p.TimeGuessed {
			t.Errorf("%s item %s collected as %+v", it.Channel, it.ID, p)
		}
		if it.Channel != ChannelFeed && p.Text != it.Text {
			t.Errorf("%s item %s text %q, want %q", it.Channel, it.ID, p.Text, it.Text)
		}
	}
	for ch, n := range want {
		if len(got[source[ch]]) != n {
			t.Errorf("%s: collected %d posts, want %d", ch, len(got[source[ch]]), n)
		}
	}
}
