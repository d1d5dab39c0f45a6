package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/backlash-monitor/backlash/internal/post"
	"github.com/backlash-monitor/backlash/internal/store/chtest"
)

// TestApplyRetention stores posts in five months and applies a 60-day
// retention on the real server: the months wholly older than the cut are
// dropped from posts and the rollup, the others kept row for row.
func TestApplyRetention(t *testing.T) {
	s := chtest.Store(t)
	ctx := context.Background()
	months := []time.Time{
		time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC),
		time.Date(2026, 2, 15, 12, 0, 0, 0, time.UTC),
		time.Date(2026, 3, 15, 12, 0, 0, 0, time.UTC),
		time.Date(2026, 4, 15, 12, 0, 0, 0, time.UTC),
		time.Date(2026, 5, 15, 12, 0, 0, 0, time.UTC),
	}
	var posts []post.Post
	for i, m := range months {
		for j := range 3 {
			posts = append(posts, post.Post{Source: "forum", ID: fmt.Sprintf("p%d-%d", i, j), Text: "the checkout",
				Published: m.Add(time.Duration(j) * time.Hour), Fetched: m.Add(time.Duration(j) * time.Hour), Topics: []string{"checkout"}})
		}
	}
	if _, err := s.SavePosts(ctx, posts); err != nil {
		t.Fatal(err)
	}
	// 60 days before 20 May is 21 March: January and February end before
	// it, March does not.
	now := time.Date(2026, 5, 20, 0, 0, 0, 0, time.UTC)
	dropped, err := s.ApplyRetention(ctx, 60*24*time.Hour, now)
	if err != nil {
		t.Fatalf("retention: %v", err)
	}
	got := map[string]uint64{}
	for _, d := range dropped {
		got[d.Table+"/"+d.Partition] = d.Rows
	}
	for _, want := range []string{"posts/202601", "posts/202602", "topic_rollup_5m/202601", "topic_rollup_5m/202602"} {
		if _, ok := got[want]; !ok {
			t.Errorf("retention did not drop %s; dropped %v", want, got)
		}
	}
	for k := range got {
		if k[len(k)-6:] >= "202603" {
			t.Errorf("retention dropped %s, which is not wholly older than the cut", k)
		}
	}
	var n, minMonth uint64
	if err := s.Conn().QueryRow(ctx, "SELECT count(), toUInt64(min(toYYYYMM(published))) FROM "+s.Table("posts")).Scan(&n, &minMonth); err != nil {
		t.Fatal(err)
	}
	if n != 9 || minMonth != 202603 {
		t.Errorf("posts left: %d from %d, want 9 from 202603", n, minMonth)
	}
	var rolled uint64
	if err := s.Conn().QueryRow(ctx, "SELECT toUInt64(sum(posts)) FROM "+s.Table("topic_rollup_5m")).Scan(&rolled); err != nil {
		t.Fatal(err)
	}
	if rolled != 9 {
		t.Errorf("rollup counts %d posts after retention, want 9", rolled)
	}
	// Applying it again drops nothing more; zero keeps everything.
	if again, err := s.ApplyRetention(ctx, 60*24*time.Hour, now); err != nil || len(again) != 0 {
		t.Errorf("second retention: dropped %v, err %v", again, err)
	}
	if none, err := s.ApplyRetention(ctx, 0, now); err != nil || len(none) != 0 {
		t.Errorf("retention 0: dropped %v, err %v", none, err)
	}
}
