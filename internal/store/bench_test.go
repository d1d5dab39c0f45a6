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
