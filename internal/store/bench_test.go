package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/backlash-monitor/backlash/internal/post"
	"github.com/backlash-monitor/backlash/internal/store/chtest"
)

// BenchmarkSavePosts measures inserting new posts in batches of the given
// size against the test's real ClickHouse, including the look-up of posts
// already stored; it reports posts/s.
func BenchmarkSavePosts(b *testing.B) {
	for _, size := range []int{500, 5000, 20000} {
		b.Run(fmt.Sprintf("batch=%d", size), func(b *testing.B) {
			s := chtest.Store(b)
			ctx := context.Background()
			t0 := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
			batch := make([]post.Post, size)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				for j := range batch {
					n := i*size + j
					batch[j] = mkPost(fmt.Sprintf("b%d", n), t0.Add(time.Duration(n)*time.Second), -0.3, "pay")
					batch[j].Text = "Moments turned my payments into a feed for strangers, uninstalling today"
				}
				if _, err := s.SavePosts(ctx, batch); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N*size)/b.Elapsed().Seconds(), "posts/s")
		})
	}
}

// BenchmarkInsertPostsBlock measures building and sending one insert of
// 50,000 posts (an import's batch) with their scores, topics and terms,
// without the look-ups a save makes first: the client's side of writing
// columns. Run it with -benchmem: bytes allocated per insert are the
// figure that does not depend on the load.
func BenchmarkInsertPostsBlock(b *testing.B) {
	s := chtest.Store(b)
	ctx := context.Background()
	const n = 50000
	t0 := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	posts := make([]post.Post, n)
	rows, pubs, hashes, keys := make([]int, n), make([]time.Time, n), make([]uint64, n), make([]string, n)
	counted, firsts := make([]uint8, n), make([]uint8, n)
	for i := range posts {
		id := fmt.Sprintf("bench-%07d", i)
		posts[i] = post.Post{Source: "microblog", ID: id, Author: fmt.Sprintf("user%d", i%9000), URL: "https://social.example/p/" + id,
			Text:      fmt.Sprintf("Moments turned my payments into a feed for strangers, uninstalling today (%d)", i),
			Published: t0.Add(time.Duration(i) * time.Second), Fetched: t0, Topics: []string{"moments-pay"}, Language: "en",
			Sentiment: &post.Sentiment{Compound: -0.4, Neg: 0.3, Neu: 0.7, Label: "negative", Terms: []string{"strangers", "uninstalling"}, LexiconVersion: "v1"}}
		rows[i], pubs[i], hashes[i], keys[i], firsts[i] = i, posts[i].Published, uint64(i), "microblog/"+id, 1
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := s.InsertPosts(ctx, posts, rows, pubs, hashes, keys, counted, firsts, uint64(i+1)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "posts/s")
}
