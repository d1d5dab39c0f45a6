package store_test

import (
	"context"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/backlash-monitor/backlash/internal/post"
	"github.com/backlash-monitor/backlash/internal/series"
	"github.com/backlash-monitor/backlash/internal/store"
	"github.com/backlash-monitor/backlash/internal/store/chtest"
)

// channelPost is a Telegram channel message as the telegram kind gives it:
// views, and neither likes nor followers.
func channelPost(id string, at time.Time, views uint32, compound float64, topics ...string) post.Post {
	p := mkPost(id, at, compound, topics...)
	p.Source, p.Author, p.Likes, p.Views = "acmenews-telegram", "Acme News", 0, views
	return p
}

// bucketReach returns a topic's rolled-up reach and negative reach in the
// 5-minute bucket holding at, from one source ("" for all).
func bucketReach(t *testing.T, s *store.Store, topic, source string, at time.Time) (reach, negative uint64) {
	t.Helper()
	from := at.Truncate(series.BucketSize)
	bs, err := s.Series(context.Background(), topic, source, from, from.Add(series.BucketSize))
	if err != nil || len(bs) != 1 {
		t.Fatalf("series of %s: %d buckets, %v", topic, len(bs), err)
	}
	return bs[0].Reach, bs[0].NegativeReach
}

// TestViewsCountTowardReach: a channel post's views raise its topic's
// rolled-up reach (one per hundred views, as post.Post.Reach counts them),
// once: a re-crawl showing more views adds nothing to the rollup, while
// the window, which takes each post's highest counts, follows them.
func TestViewsCountTowardReach(t *testing.T) {
	s := chtest.Store(t)
	ctx := context.Background()
	at := time.Date(2026, 3, 9, 9, 12, 44, 0, time.UTC)
	channel := channelPost("acmenews/813", at, 58900, -0.6, "sync")
	forum := mkPost("77", at.Add(time.Minute), 0.4, "sync") // 2 likes
	forum.Replies, forum.Shares = 3, 1
	both := mkPost("78", at.Add(2*time.Minute), 0, "sync")
	both.Likes, both.Replies, both.Shares, both.Views = 7, 2, 1, 1250
	batch := []post.Post{channel, forum, both}
	var want uint64
	for _, p := range batch {
		want += p.Reach()
	}
	if want != 589+6+22 {
		t.Fatalf("post.Reach of the batch = %d, want 617", want)
	}

	if res, err := s.SavePosts(ctx, batch); err != nil || res.Counted != 3 {
		t.Fatalf("first crawl: %+v, %v", res, err)
	}
	if r, n := bucketReach(t, s, "sync", "acmenews-telegram", at); r != 589 || n != 589 {
		t.Errorf("channel's rolled-up reach = %d (negative %d), want 589 from 58,900 views", r, n)
	}
	if r, n := bucketReach(t, s, "sync", "", at); r != want || n != 589 {
		t.Errorf("topic's rolled-up reach = %d (negative %d), want %d (the posts' Reach) and 589", r, n, want)
	}

	// The channel's next crawl sees the same message with more views.
	again := slices.Clone(batch)
	again[0].Views = 61000
	if res, err := s.SavePosts(ctx, again); err != nil || res.New != 0 || res.Counted != 0 {
		t.Fatalf("re-crawl: %+v, %v; want nothing new or counted", res, err)
	}
	if r, n := bucketReach(t, s, "sync", "", at); r != want || n != 589 {
		t.Errorf("after a re-crawl the rolled-up reach = %d (negative %d), want %d and 589 unchanged", r, n, want)
	}

	w, err := s.Window(ctx, "sync", at.Add(-time.Hour), at.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if w.Posts != 3 || w.Reach != 610+6+22 || w.NegativeReach != 610 {
		t.Errorf("window: %d posts, reach %d, negative reach %d; want 3, 638, 610 (highest views seen)", w.Posts, w.Reach, w.NegativeReach)
	}
	top, err := s.TopPosts(ctx, "sync", "negative", at.Add(-time.Hour), at.Add(time.Hour), 5)
	if err != nil || len(top) != 1 {
		t.Fatalf("top negative posts: %d, %v", len(top), err)
	}
	if top[0].ID != "acmenews/813" || top[0].Views != 61000 || top[0].Reach() != 610 {
		t.Errorf("top negative post %s: %d views, reach %d; want acmenews/813, 61000, 610", top[0].ID, top[0].Views, top[0].Reach())
	}

	// Rebuilding the rollups (after a re-score) counts views as the view
	// does, from the newest counts.
	if err := s.RebuildRollups(ctx, at.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	if r, n := bucketReach(t, s, "sync", "", at); r != 638 || n != 610 {
		t.Errorf("rebuilt rollup reach = %d (negative %d), want 638 and 610", r, n)
	}
}

// TestViewsReachUpgrade: migrating a store whose rollups were kept before
// views counted adds the views of the posts already rolled up to their
// buckets, once, and counts new posts' views from then on.
func TestViewsReachUpgrade(t *testing.T) {
	addr, db := chtest.Database(t)
	ctx := context.Background()
	s, err := store.Open(ctx, store.Options{Addr: []string{addr}, Database: db, Username: "default", Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = s.DropDatabase(context.Background())
		s.Close()
	})
	if _, err := s.MigrateThrough(ctx, 21); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 9, 9, 12, 44, 0, time.UTC)
	old := []post.Post{
		channelPost("acmenews/813", at, 58900, -0.6, "sync", "pricing"),
		channelPost("acmenews/814", at.Add(time.Minute), 99, -0.6, "sync"), // under 100 views: no reach
		mkPost("77", at, 0.4, "sync"),                                      // 2 likes
	}
	// Stored once: a second crawl's rows carry the counted flag of their
	// sighting, which only the view of migration 0141 leaves uncounted;
	// the re-crawl after the upgrade, below, stores them again.
	if _, err := s.SavePosts(ctx, old); err != nil {
		t.Fatal(err)
	}
	if r, n := bucketReach(t, s, "sync", "", at); r != 2 || n != 0 {
		t.Fatalf("before the upgrade reach = %d (negative %d), want 2 and 0: views did not count", r, n)
	}

	applied, err := s.Migrate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(applied, "0023_topic_rollup_5m_views") || !slices.Contains(applied, "0024_topic_rollup_5m_mv") {
		t.Fatalf("applied %v, want the views migrations", applied)
	}
	if r, n := bucketReach(t, s, "sync", "", at); r != 2+589 || n != 589 {
		t.Errorf("after the upgrade reach = %d (negative %d), want 591 and 589", r, n)
	}
	if r, _ := bucketReach(t, s, "pricing", "", at); r != 589 {
		t.Errorf("after the upgrade the second topic's reach = %d, want 589", r)
	}
	bs, err := s.Series(ctx, "sync", "", at.Truncate(series.BucketSize), at.Truncate(series.BucketSize).Add(series.BucketSize))
	if err != nil || bs[0].Posts != 3 || bs[0].Negative != 2 {
		t.Errorf("after the upgrade the bucket holds %+v, %v; want the 3 posts, 2 negative, counted once", bs, err)
	}

	// A re-crawl after the upgrade adds nothing; a new post counts its views.
	fresh := channelPost("acmenews/815", at.Add(2*time.Minute), 1000, -0.6, "sync")
	if _, err := s.SavePosts(ctx, append(slices.Clone(old), fresh)); err != nil {
		t.Fatal(err)
	}
	if r, n := bucketReach(t, s, "sync", "", at); r != 2+589+10 || n != 599 {
		t.Errorf("after a re-crawl and a new post reach = %d (negative %d), want 601 and 599", r, n)
	}
	if again, err := s.Migrate(ctx); err != nil || len(again) != 0 {
		t.Errorf("second migrate applied %v, %v; want nothing", again, err)
	}
	if r, _ := bucketReach(t, s, "sync", "", at); r != 601 {
		t.Errorf("a second migrate changed reach to %d, want 601", r)
	}
}
