package pipeline_test

import (
	"context"
	"fmt"
	"math/rand"
	"strings"
	"testing"
	"time"

	"github.com/backlash-monitor/backlash/internal/config"
	"github.com/backlash-monitor/backlash/internal/pipeline"
	"github.com/backlash-monitor/backlash/internal/post"
	"github.com/backlash-monitor/backlash/internal/store/chtest"
)

func TestMain(m *testing.M) { chtest.Main(m) }

// TestBacktest stores three calm days and a negative surge, and replays
// them through the rules: nothing fires in the calm days, an incident opens
// within the surge's first hour, before its peak.
func TestBacktest(t *testing.T) {
	ctx := context.Background()
	st := chtest.Store(t)
	rng := rand.New(rand.NewSource(7))
	start := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	surge := start.Add(3*24*time.Hour + 10*time.Hour)
	var posts []post.Post
	add := func(at time.Time, negative bool, i int) {
		p := post.Post{Source: []string{"forum", "news"}[i%2], ID: fmt.Sprintf("p%d", len(posts)), Author: fmt.Sprintf("user%d", rng.Intn(5000)),
			Text: "about pay", Published: at, Fetched: at, Likes: uint32(rng.Intn(5)), Topics: []string{"pay"}}
		p.Sentiment = &post.Sentiment{Compound: 0.3, Label: "positive"}
		if negative {
			p.Sentiment = &post.Sentiment{Compound: -0.6, Label: "negative"}
		}
		posts = append(posts, p)
	}
	for at := start; at.Before(surge.Add(4 * time.Hour)); at = at.Add(10 * time.Minute) {
		add(at, rng.Intn(5) == 0, len(posts)) // calm: one post in ten minutes, a fifth negative
		if !at.Before(surge) {
			// The surge grows for three hours: more negative posts every bucket.
			n := 2 + int(at.Sub(surge)/(10*time.Minute))*2
			for k := 0; k < n; k++ {
				add(at.Add(time.Duration(k)*time.Second), true, k)
			}
		}
	}
	if _, err := st.SavePosts(ctx, posts); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Parse("bt.yaml", []byte(`topics: [{name: pay, keywords: [pay]}]
alerts:
  rules:
    - {name: brand-risk, topic: "*", metric: risk, severities: {watch: 40, warn: 55, page: 70}, min_posts: 10, min_authors: 5, min_sources: 2}
`))
	if err != nil {
		t.Fatal(err)
	}
	res, err := pipeline.Backtest(ctx, st, cfg, "pay", start.Add(48*time.Hour), surge.Add(4*time.Hour), 15*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	res.Write(&out)
	t.Log("\n" + out.String())
	for _, e := range res.Events {
		if e.At.Before(surge) {
			t.Errorf("alert before the surge: %+v", e)
		}
	}
	if res.FirstFired.IsZero() || res.FirstFired.After(surge.Add(time.Hour)) {
		t.Fatalf("first alert at %v, want within the surge's first hour (from %v)", res.FirstFired, surge)
	}
	if lead, ok := res.LeadTime(); !ok || lead < 0 {
		t.Errorf("lead time %v (%v), want the alert before the peak at %v", lead, ok, res.Peak)
	}
	// The scratch database is gone.
	var n uint64
	if err := st.Conn().QueryRow(ctx, "SELECT count() FROM system.databases WHERE name LIKE ?", st.Database()+"_backtest_%").Scan(&n); err != nil || n != 0 {
		t.Errorf("scratch databases left: %d, %v", n, err)
	}
}
