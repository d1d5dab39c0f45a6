package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/backlash-monitor/backlash/internal/post"
	"github.com/backlash-monitor/backlash/internal/store/chtest"
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

// TestWindowRatings: a window counts its rated and one-star reviews, and
// Ratings counts them over a period, each post once however often it was
// stored.
func TestWindowRatings(t *testing.T) {
	s := chtest.Store(t)
	ctx := context.Background()
	at := time.Date(2026, 3, 9, 18, 0, 0, 0, time.UTC)
	var batch []post.Post
	for i, r := range []uint8{1, 1, 1, 2, 5, 0} {
		p := mkPost(string(rune('a'+i)), at.Add(time.Duration(i)*time.Minute), -0.3, "sync")
		p.Source, p.Rating = "appstore-us", r
		batch = append(batch, p)
	}
	old := mkPost("old", at.Add(-48*time.Hour), 0.4, "sync")
	old.Source, old.Rating = "appstore-us", 5
	other := mkPost("other", at, -0.3, "pricing")
	other.Rating = 1
	for range 2 { // a re-crawl stores each post again
		if _, err := s.SavePosts(ctx, append(append([]post.Post{}, batch...), old, other)); err != nil {
			t.Fatal(err)
		}
	}
	w, err := s.Window(ctx, "sync", at, at.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if w.Posts != 6 || w.Rated != 5 || w.OneStar != 3 {
		t.Errorf("window: %d posts, %d rated, %d one-star; want 6, 5, 3", w.Posts, w.Rated, w.OneStar)
	}
	rated, ones, err := s.Ratings(ctx, "sync", at.Add(-72*time.Hour), at.Add(time.Hour))
	if err != nil || rated != 6 || ones != 3 {
		t.Errorf("ratings = %d, %d, %v; want 6 rated, 3 one-star", rated, ones, err)
	}
}
