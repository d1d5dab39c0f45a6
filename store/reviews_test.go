package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/backlash-monitor/backlash/post"
	"github.com/backlash-monitor/backlash/store/chtest"
)

// TestSaveReviewFields: a review's rating and app version, and a post's
// views, are stored with it; posts without them read 0 and ”.
func TestSaveReviewFields(t *testing.T) {
	s := chtest.Store(t)
	ctx := context.Background()
	at := time.Date(2026, 3, 9, 18, 0, 0, 0, time.UTC)
	review := mkPost("11876543210", at, -0.6, "sync")
	review.Rating, review.AppVersion = 1, "4.2.0"
	channel := mkPost("acmenews/812", at, 0.1, "sync")
	channel.Views = 48213
	plain := mkPost("9001", at, 0, "sync")
	if _, err := s.SavePosts(ctx, []post.Post{review, channel, plain}); err != nil {
		t.Fatal(err)
	}
	if n, err := s.Rescore(ctx, at.Add(-time.Hour), "lexicon-v2", func(p *post.Post) { p.Sentiment.LexiconVersion = "lexicon-v2" }); err != nil || n != 3 {
		t.Fatalf("rescored %d, %v", n, err)
	}
	rows, err := s.Conn().Query(ctx, "SELECT id, rating, app_version, views FROM "+s.Table("posts")+" FINAL ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	got := map[string][3]any{}
	for rows.Next() {
		var id, ver string
		var rating uint8
		var views uint32
		if err := rows.Scan(&id, &rating, &ver, &views); err != nil {
			t.Fatal(err)
		}
		got[id] = [3]any{rating, ver, views}
	}
	want := map[string][3]any{
		"11876543210":  {uint8(1), "4.2.0", uint32(0)},
		"acmenews/812": {uint8(0), "", uint32(48213)},
		"9001":         {uint8(0), "", uint32(0)},
	}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("%s: rating, app_version, views = %v, want %v", id, got[id], w)
		}
	}
}
