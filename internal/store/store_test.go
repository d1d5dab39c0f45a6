package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/backlash-monitor/backlash/internal/post"
	"github.com/backlash-monitor/backlash/internal/store"
	"github.com/backlash-monitor/backlash/internal/store/chtest"
)

func TestMain(m *testing.M) { chtest.Main(m) }

func schema(t *testing.T, s *store.Store) string {
	t.Helper()
	rows, err := s.Conn().Query(context.Background(),
		"SELECT name, create_table_query FROM system.tables WHERE database = ? ORDER BY name", s.Database())
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := ""
	for rows.Next() {
		var n, q string
		if err := rows.Scan(&n, &q); err != nil {
			t.Fatal(err)
		}
		out += n + ": " + q + "\n"
	}
	return out
}

func TestMigrateTwice(t *testing.T) {
	s := chtest.Store(t) // applies every migration once
	before := schema(t, s)
	applied, err := s.Migrate(context.Background())
	if err != nil {
		t.Fatalf("second migrate: %v", err)
	}
	if len(applied) != 0 {
		t.Fatalf("second migrate applied %v, want nothing", applied)
	}
	if after := schema(t, s); after != before {
		t.Fatalf("schema changed on re-run:\nbefore:\n%s\nafter:\n%s", before, after)
	}
	if n, err := s.Pending(context.Background()); err != nil || n != 0 {
		t.Fatalf("pending = %d, %v; want 0", n, err)
	}
	ms, _ := store.Migrations()
	var count uint64
	if err := s.Conn().QueryRow(context.Background(), "SELECT count() FROM "+s.Table("schema_migrations")).Scan(&count); err != nil {
		t.Fatal(err)
	}
	if int(count) != len(ms) {
		t.Fatalf("schema_migrations has %d rows, want %d", count, len(ms))
	}
}

func mkPost(id string, at time.Time, compound float64, topics ...string) post.Post {
	label := "neutral"
	if compound <= -0.05 {
		label = "negative"
	} else if compound >= 0.05 {
		label = "positive"
	}
	return post.Post{Source: "forum", ID: id, Author: "a" + id, Text: "text " + id, Published: at, Fetched: at,
		Likes: 2, Topics: topics, Language: "en",
		Sentiment: &post.Sentiment{Compound: compound, Label: label, Terms: []string{"bad"}}}
}

func TestSavePostsCountsOnce(t *testing.T) {
	ctx := context.Background()
	s := chtest.Store(t)
	t0 := time.Date(2026, 3, 2, 10, 1, 0, 0, time.UTC)
	var batch []post.Post
	for i := 0; i < 10; i++ {
		c := 0.5
		if i%2 == 0 {
			c = -0.6
		}
		batch = append(batch, mkPost(fmt.Sprint(i), t0.Add(time.Duration(i)*time.Minute), c, "pay"))
	}
	res, err := s.SavePosts(ctx, batch)
	if err != nil || res.New != 10 || res.Updated != 0 {
		t.Fatalf("first save = %+v, %v", res, err)
	}
	// Re-crawl: same posts, more likes, and a relative time that drifted.
	for i := range batch {
		batch[i].Likes = 100
		batch[i].Published = batch[i].Published.Add(3 * time.Minute)
	}
	res, err = s.SavePosts(ctx, batch)
	if err != nil || res.New != 0 || res.Updated != 10 {
		t.Fatalf("second save = %+v, %v", res, err)
	}
	series, err := s.Series(ctx, "pay", "", t0.Add(-time.Minute), t0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	var posts, neg uint64
	for _, b := range series {
		posts += b.Posts
		neg += b.Negative
	}
	if posts != 10 || neg != 5 {
		t.Fatalf("rollup counts posts=%d negative=%d, want 10 and 5", posts, neg)
	}
	if len(series) != 13 {
		t.Fatalf("series has %d buckets, want 13 (gaps filled)", len(series))
	}
	w, err := s.Window(ctx, "pay", t0, t0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if w.Posts != 10 || w.Negative != 5 || w.Authors != 10 || w.Reach != 1000 {
		t.Fatalf("window = %+v", w)
	}
	top, err := s.TopPosts(ctx, "pay", "negative", t0, t0.Add(time.Hour), 3)
	if err != nil || len(top) != 3 || top[0].Sentiment.Label != "negative" {
		t.Fatalf("top = %+v, %v", top, err)
	}
	// After the merges that keep each sighting's newest version, every
	// post still has its one counted row, and a third sighting counts
	// nothing more.
	if _, err := s.SavePosts(ctx, batch); err != nil {
		t.Fatal(err)
	}
	if err := s.Conn().Exec(ctx, "OPTIMIZE TABLE "+s.Table("posts")+" FINAL"); err != nil {
		t.Fatal(err)
	}
	var rows, counted uint64
	if err := s.Conn().QueryRow(ctx, "SELECT count(), sum(counted) FROM "+s.Table("posts")+" FINAL").Scan(&rows, &counted); err != nil {
		t.Fatal(err)
	}
	if rows != 10 || counted != 10 {
		t.Fatalf("after merges: %d rows, %d counted, want 10 and 10", rows, counted)
	}
	if series, err = s.Series(ctx, "pay", "", t0.Add(-time.Minute), t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	posts = 0
	for _, b := range series {
		posts += b.Posts
	}
	if posts != 10 {
		t.Fatalf("rollup counts %d posts after a third sighting, want 10", posts)
	}
	// A batch shared by two sources counts each on its own.
	other := mkPost("0", t0, -0.6, "pay")
	other.Source = "news"
	res, err = s.SavePosts(ctx, append([]post.Post{other}, batch[:3]...))
	if err != nil || res.BySource["news"] != (store.SaveCounts{New: 1, Counted: 1}) || res.BySource[batch[0].Source] != (store.SaveCounts{Updated: 3}) {
		t.Fatalf("shared save = %+v, %v", res, err)
	}
}

func TestStateRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := chtest.Store(t)
	st, err := s.State(ctx, "forum")
	if err != nil || !st.HighWater.IsZero() {
		t.Fatalf("fresh state = %+v, %v", st, err)
	}
	hw := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	if err := s.SetState(ctx, "forum", store.SourceState{HighWater: hw, Cursor: "c1"}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetState(ctx, "forum", store.SourceState{HighWater: hw.Add(time.Hour), Cursor: "c2"}); err != nil {
		t.Fatal(err)
	}
	st, err = s.State(ctx, "forum")
	if err != nil || !st.HighWater.Equal(hw.Add(time.Hour)) || st.Cursor != "c2" {
		t.Fatalf("state = %+v, %v", st, err)
	}
	// Several sources in one insert.
	if err := s.SetStates(ctx, map[string]store.SourceState{"forum": {HighWater: hw.Add(2 * time.Hour)},
		"news": {HighWater: hw, Cursor: "n1"}}); err != nil {
		t.Fatal(err)
	}
	for src, want := range map[string]store.SourceState{"forum": {HighWater: hw.Add(2 * time.Hour)}, "news": {HighWater: hw, Cursor: "n1"}} {
		st, err := s.State(ctx, src)
		if err != nil || !st.HighWater.Equal(want.HighWater) || st.Cursor != want.Cursor {
			t.Errorf("state of %s = %+v, %v; want %+v", src, st, err, want)
		}
	}
}

func TestRescoreRebuildsRollups(t *testing.T) {
	ctx := context.Background()
	s := chtest.Store(t)
	t0 := time.Date(2026, 3, 2, 10, 1, 0, 0, time.UTC)
	var batch []post.Post
	for i := 0; i < 6; i++ {
		p := mkPost(fmt.Sprint(i), t0.Add(time.Duration(i)*time.Minute), 0.5, "pay")
		p.Sentiment.LexiconVersion = "v1"
		batch = append(batch, p)
	}
	if _, err := s.SavePosts(ctx, batch); err != nil {
		t.Fatal(err)
	}
	n, err := s.Rescore(ctx, t0.Add(-time.Hour), "v2", func(p *post.Post) {
		p.Sentiment = &post.Sentiment{Compound: -0.7, Label: "negative", LexiconVersion: "v2"}
	})
	if err != nil || n != 6 {
		t.Fatalf("rescore = %d, %v; want 6", n, err)
	}
	series, err := s.Series(ctx, "pay", "", t0.Add(-time.Minute), t0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	var posts, neg uint64
	for _, b := range series {
		posts += b.Posts
		neg += b.Negative
	}
	if posts != 6 || neg != 6 {
		t.Fatalf("after rescore the rollup has %d posts, %d negative; want 6 and 6", posts, neg)
	}
	if n, err := s.Rescore(ctx, t0.Add(-time.Hour), "v2", func(*post.Post) {}); err != nil || n != 0 {
		t.Fatalf("second rescore = %d, %v; want nothing to do", n, err)
	}
}

func TestEnrichStoresEntities(t *testing.T) {
	ctx := context.Background()
	s := chtest.Store(t)
	t0 := time.Date(2026, 3, 2, 10, 1, 0, 0, time.UTC)
	if _, err := s.SavePosts(ctx, []post.Post{
		mkPost("neg", t0, -0.6, "pay"), mkPost("pos", t0, 0.6, "pay"), mkPost("other", t0, -0.6, "card"),
	}); err != nil {
		t.Fatal(err)
	}
	var seen []string
	n, err := s.Enrich(ctx, "pay", t0.Add(-time.Hour), 10, func(p *post.Post) []string {
		seen = append(seen, p.ID)
		return []string{"Paywise", "Lagos"}
	})
	if err != nil || n != 1 || len(seen) != 1 || seen[0] != "neg" {
		t.Fatalf("enrich = %d, %v, saw %v; want only the negative pay post", n, err, seen)
	}
	var ents []string
	if err := s.Conn().QueryRow(ctx, "SELECT argMax(entities, version) FROM "+s.Table("posts")+" WHERE id = 'neg'").Scan(&ents); err != nil {
		t.Fatal(err)
	}
	if len(ents) != 2 || ents[0] != "Paywise" {
		t.Fatalf("stored entities = %v", ents)
	}
	if n, _ := s.Enrich(ctx, "pay", t0.Add(-time.Hour), 10, func(*post.Post) []string { return []string{"x"} }); n != 0 {
		t.Fatalf("second enrich touched %d posts; want none", n)
	}
	series, _ := s.Series(ctx, "pay", "", t0.Add(-time.Minute), t0.Add(time.Minute))
	var total uint64
	for _, b := range series {
		total += b.Posts
	}
	if total != 2 {
		t.Fatalf("rollup counts %d pay posts after enrich, want 2", total)
	}
}

// TestSaveManyPostsKeepsValues stores a batch large enough for the insert
// to size its String columns ahead, and reads every text, topic list and
// term list back as it was given.
func TestSaveManyPostsKeepsValues(t *testing.T) {
	ctx := context.Background()
	s := chtest.Store(t)
	t0 := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	want := map[string]string{}
	var batch []post.Post
	for i := 0; i < 1200; i++ {
		p := mkPost(fmt.Sprintf("m%04d", i), t0.Add(time.Duration(i)*time.Second), -0.5, fmt.Sprintf("topic-%d", i%3))
		p.Text = strings.Repeat("long text ", i%7) + fmt.Sprint(i)
		p.Sentiment.Terms = strings.Fields(strings.Repeat("bad ", i%4))
		if i%5 == 0 {
			p.Topics = append(p.Topics, "pay")
		}
		batch = append(batch, p)
		want[p.ID] = fmt.Sprint(p.Text, p.Topics, p.Sentiment.Terms)
	}
	if _, err := s.SavePosts(ctx, batch); err != nil {
		t.Fatal(err)
	}
	rows, err := s.Conn().Query(ctx, "SELECT id, text, topics, terms FROM "+s.Table("posts"))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	got := 0
	for rows.Next() {
		var id, text string
		var topics, terms []string
		if err := rows.Scan(&id, &text, &topics, &terms); err != nil {
			t.Fatal(err)
		}
		if g := fmt.Sprint(text, topics, terms); g != want[id] {
			t.Errorf("post %s stored as %q, want %q", id, g, want[id])
		}
		got++
	}
	if err := rows.Err(); err != nil || got != len(batch) {
		t.Fatalf("read %d posts back (%v), want %d", got, err, len(batch))
	}
}

// TestLargeSavesInTurn stores batches large enough for an insert to fill
// the room the one before it left (see spareRoom), and reads every post's
// text, topics and terms back as saved.
func TestLargeSavesInTurn(t *testing.T) {
	s := chtest.Store(t)
	ctx := context.Background()
	t0 := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	want := map[string]string{}
	for batch, size := range []int{6000, 5000, 6000} {
		posts := make([]post.Post, size)
		for i := range posts {
			id := fmt.Sprintf("b%d-%d", batch, i)
			posts[i] = mkPost(id, t0.Add(time.Duration(i)*time.Second), -0.3, "pay", fmt.Sprintf("t%d", i%3))
			posts[i].Text = fmt.Sprintf("batch %d post %d %s", batch, i, strings.Repeat("words ", i%40))
			posts[i].Sentiment.Terms = []string{"bad", id}
			want[id] = fmt.Sprintf("%s|[pay t%d]|[bad %s]", posts[i].Text, i%3, id)
		}
		if _, err := s.SavePosts(ctx, posts); err != nil {
			t.Fatal(err)
		}
	}
	rows, err := s.Conn().Query(ctx, "SELECT id, text, topics, terms FROM "+s.Table("posts"))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var id, text string
		var topics, terms []string
		if err := rows.Scan(&id, &text, &topics, &terms); err != nil {
			t.Fatal(err)
		}
		if got := fmt.Sprintf("%s|%v|%v", text, topics, terms); got != want[id] {
			t.Fatalf("post %s stored as %q, want %q", id, got, want[id])
		}
		n++
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if n != len(want) {
		t.Errorf("%d posts stored, want %d", n, len(want))
	}
	// Each post's identity row leads to the post it was saved from.
	var rowsN, own uint64
	if err := s.Conn().QueryRow(ctx, "SELECT count(), countIf(post_key = concat(source, '/', id)) FROM "+s.Table("post_identity")).Scan(&rowsN, &own); err != nil {
		t.Fatal(err)
	}
	if rowsN != uint64(len(want)) || own != rowsN {
		t.Errorf("%d identity rows, %d of them leading to their own post; want %d", rowsN, own, len(want))
	}
}
