package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/backlash-monitor/backlash/internal/post"
	"github.com/backlash-monitor/backlash/internal/store"
	"github.com/backlash-monitor/backlash/internal/store/chtest"
)

// sighting builds one post of a forum seen through one of its sources.
func sighting(source, id, shared, url, thread, author, text string, at time.Time, compound float64) post.Post {
	p := mkPost(id, at, compound, "moments")
	p.Source, p.Namespace, p.SharedID = source, "forum", shared
	p.URL, p.Thread, p.Author, p.Text = url, thread, author, text
	return p
}

// forumViews returns the same three posts of one thread as the forum's
// pages, its API and its feed show them: the feed's item is the thread's
// first post, linked to the thread and with no id in the namespace.
func forumViews(t0 time.Time) map[string][]post.Post {
	thread := "https://forum.example/t/42"
	texts := []string{"Moments is a disgrace and I want it gone", "I agree with this completely", "Moments looks fine to me honestly"}
	views := map[string][]post.Post{}
	for i, text := range texts {
		at := t0.Add(time.Duration(i) * time.Minute)
		c := -0.6
		if i > 0 {
			c = 0.3
		}
		n := 1001 + i
		author := fmt.Sprintf("user%d", i)
		views["html"] = append(views["html"], sighting("forum-html", fmt.Sprint(n), fmt.Sprint(n),
			fmt.Sprintf("%s#p%d", thread, n), thread, author, text, at, c))
		views["json"] = append(views["json"], sighting("forum-api", fmt.Sprintf("post-%d", n), fmt.Sprint(n),
			fmt.Sprintf("https://www.forum.example/t/42/?utm_source=api#p%d", n), "42", "@"+author, text, at.Add(time.Second), c))
	}
	views["feed"] = []post.Post{sighting("forum-feed", thread, "", thread, "https://forum.example/latest.rss", "user0", texts[0], t0, -0.6)}
	return views
}

func rollupTotals(t *testing.T, s *store.Store, from, to time.Time) (posts, negative uint64) {
	t.Helper()
	b, err := s.Series(context.Background(), "moments", "", from, to)
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range b {
		posts += x.Posts
		negative += x.Negative
	}
	return posts, negative
}

func TestIdentityCountsEachPostOnceInAnyOrder(t *testing.T) {
	ctx := context.Background()
	t0 := time.Date(2026, 3, 2, 10, 1, 0, 0, time.UTC)
	from, to := t0.Add(-time.Hour), t0.Add(time.Hour)
	orders := [][]string{{"html", "json", "feed"}, {"feed", "json", "html"}, {"json", "feed", "html"}, {"all-at-once"}}
	for _, order := range orders {
		t.Run(fmt.Sprint(order), func(t *testing.T) {
			s := chtest.Store(t)
			views := forumViews(t0)
			saved := map[string]int{}
			if order[0] == "all-at-once" {
				var all []post.Post
				for _, k := range []string{"json", "html", "feed"} {
					all = append(all, views[k]...)
				}
				res, err := s.SavePosts(ctx, all)
				if err != nil {
					t.Fatal(err)
				}
				if res.New != 7 || res.Counted != 3 {
					t.Fatalf("one batch of 7 sightings: new %d, counted %d; want 7, 3", res.New, res.Counted)
				}
			}
			for _, k := range order {
				if k == "all-at-once" {
					continue
				}
				res, err := s.SavePosts(ctx, views[k])
				if err != nil {
					t.Fatal(err)
				}
				saved[k] = res.New
			}
			// A re-crawl of everything changes nothing.
			for _, k := range []string{"html", "json", "feed"} {
				if res, err := s.SavePosts(ctx, forumViews(t0)[k]); err != nil || res.New != 0 || res.Counted != 0 {
					t.Fatalf("re-crawl of %s: %+v, %v", k, res, err)
				}
			}
			if order[0] != "all-at-once" && (saved["html"] != 3 || saved["json"] != 3 || saved["feed"] != 1) {
				t.Fatalf("each sighting counts for its source's health: %v", saved)
			}
			posts, neg := rollupTotals(t, s, from, to)
			if posts != 3 || neg != 1 {
				t.Fatalf("rollup counts %d posts, %d negative; want 3, 1", posts, neg)
			}
			w, err := s.Window(ctx, "moments", from, to)
			if err != nil {
				t.Fatal(err)
			}
			if w.Posts != 3 || w.Negative != 1 || w.NegativeSources != 3 || w.Authors != 3 {
				t.Fatalf("window %+v; want 3 posts, 1 negative seen through 3 sources, 3 authors", w)
			}
			top, err := s.TopPosts(ctx, "moments", "", from, to, 10)
			if err != nil {
				t.Fatal(err)
			}
			if len(top) != 3 {
				t.Fatalf("top posts: %d, want 3", len(top))
			}
			var keys uint64
			if err := s.Conn().QueryRow(ctx, "SELECT uniqExact(post_key) FROM "+s.Table("posts")).Scan(&keys); err != nil || keys != 3 {
				t.Fatalf("distinct post_key %d, %v; want 3", keys, err)
			}
		})
	}
}

func TestRepostsCountOnceAndCampaignsAreReported(t *testing.T) {
	ctx := context.Background()
	s := chtest.Store(t)
	t0 := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	campaign := "Moments exposes everything you pay for, delete it now"
	var ps []post.Post
	// One author posts the same text three times within the window, and
	// again two days later: two posts.
	for i, d := range []time.Duration{0, 10 * time.Minute, 40 * time.Minute} {
		p := mkPost(fmt.Sprintf("r%d", i), t0.Add(d), -0.7, "moments")
		p.Author, p.Text = "angry", "I am closing my account over Moments"
		ps = append(ps, p)
	}
	later := mkPost("r9", t0.Add(48*time.Hour), -0.7, "moments")
	later.Author, later.Text = "angry", "I am closing my account over Moments"
	ps = append(ps, later)
	// Five authors post one text: five voices, one shared text.
	for i := 0; i < 5; i++ {
		p := mkPost(fmt.Sprintf("c%d", i), t0.Add(time.Duration(i)*time.Minute), -0.6, "moments")
		p.Author, p.Text = fmt.Sprintf("acct%d", i), campaign
		ps = append(ps, p)
	}
	// Short texts shared by many are not a campaign.
	for i := 0; i < 3; i++ {
		p := mkPost(fmt.Sprintf("s%d", i), t0.Add(time.Duration(i)*time.Minute), -0.3, "moments")
		p.Author, p.Text = fmt.Sprintf("short%d", i), "this is bad"
		ps = append(ps, p)
	}
	// Stored in two saves, the repost first.
	if _, err := s.SavePosts(ctx, ps[2:]); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SavePosts(ctx, ps[:2]); err != nil {
		t.Fatal(err)
	}
	posts, _ := rollupTotals(t, s, t0.Add(-time.Hour), t0.Add(time.Hour))
	if posts != 1+5+3 {
		t.Fatalf("rollup counts %d posts in the first hour, want 9 (reposts once, campaign as five voices)", posts)
	}
	w, err := s.Window(ctx, "moments", t0.Add(-time.Hour), t0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if w.Negative != 9 || w.SharedPosts != 5 || w.SharedTexts != 1 {
		t.Fatalf("window %+v; want 9 negative, 5 sharing 1 text", w)
	}
	if all, _ := rollupTotals(t, s, t0.Add(-time.Hour), t0.Add(72*time.Hour)); all != 10 {
		t.Fatalf("the same text two days later is a new post: %d posts, want 10", all)
	}
}

// TestLargeBatchLooksUpIdentitiesInPieces stores one batch whose identity
// keys, written into a single lookup query, would pass ClickHouse's
// max_query_size: the lookup must split it and store every post once.
func TestLargeBatchLooksUpIdentitiesInPieces(t *testing.T) {
	ctx := context.Background()
	s := chtest.Store(t)
	t0 := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	const n = 12000 // about 24,000 keys: over 500 KiB as one IN list
	batch := make([]post.Post, n)
	for i := range batch {
		id := fmt.Sprint(100000 + i)
		batch[i] = sighting("forum-html", id, id, "https://forum.example/t/7#p"+id, "https://forum.example/t/7",
			fmt.Sprintf("user%d", i%300), "post number "+id, t0.Add(time.Duration(i)*time.Second), 0.1)
	}
	res, err := s.SavePosts(ctx, batch)
	if err != nil {
		t.Fatalf("one batch of %d posts: %v", n, err)
	}
	if res.New != n || res.Counted != n {
		t.Fatalf("one batch of %d posts: new %d, counted %d", n, res.New, res.Counted)
	}
	if res, err := s.SavePosts(ctx, batch); err != nil || res.New != 0 {
		t.Fatalf("the same batch again: %+v, %v; want nothing new", res, err)
	}
}
