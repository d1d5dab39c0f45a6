package store_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/backlash-monitor/backlash/internal/incident"
	"github.com/backlash-monitor/backlash/internal/post"
	"github.com/backlash-monitor/backlash/internal/store/chtest"
)

// TestIncidentDriversRoundTrip stores two messages' drivers for an
// incident, one of them twice as a retried run would, and reads back the
// latest message's, terms before themes.
func TestIncidentDriversRoundTrip(t *testing.T) {
	s := chtest.Store(t)
	ctx := context.Background()
	at := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	base := incident.Driver{IncidentID: "moments-1", Topic: "moments", At: at, WindowStart: at.Add(-time.Hour)}
	theme := base
	theme.Kind, theme.Rank, theme.Text, theme.Posts, theme.Share, theme.Example = "theme", 1, "hookup · meat market", 12, 0.42, "Moments is a meat market"
	term := base
	term.Kind, term.Rank, term.Text, term.Posts, term.BaselinePosts, term.Z, term.LogOdds = "term", 1, "hookup", 41, 0, 8.1, 2.5
	subject := base
	subject.Kind, subject.Rank, subject.Text, subject.Subject, subject.Posts, subject.Z = "term", 2, "brothel · meat market", "sex", 7, 4.2
	older := term
	older.At, older.WindowStart, older.Posts = at.Add(-time.Hour), at.Add(-2*time.Hour), 9
	for _, batch := range [][]incident.Driver{{older}, {theme, term, subject}, {theme, subject, term}} {
		if err := s.SaveIncidentDrivers(ctx, batch); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.IncidentDrivers(ctx, "moments-1")
	if err != nil {
		t.Fatal(err)
	}
	if want := []incident.Driver{term, subject, theme}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
	got, err = s.TopicDrivers(ctx, "moments", at.Add(-90*time.Minute), at.Add(-time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if want := []incident.Driver{older}; !reflect.DeepEqual(got, want) {
		t.Errorf("topic drivers before the latest message: got %+v\nwant %+v", got, want)
	}
	if got, err = s.TopicDrivers(ctx, "moments", at, at.Add(time.Hour)); err != nil || len(got) != 0 {
		t.Errorf("topic drivers after the last message: %+v, %v", got, err)
	}
}

// TestBaselinePosts reads a topic's posts for the drivers' baseline: one
// row per post however often it was stored, its newest text, and with a
// version given only the posts stored after it.
func TestBaselinePosts(t *testing.T) {
	s := chtest.Store(t)
	ctx := context.Background()
	t0 := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	first := []post.Post{mkPost("1", t0, -0.5, "moments"), mkPost("2", t0.Add(time.Hour), 0.5, "moments"),
		mkPost("3", t0.Add(2*time.Hour), 0.5, "paywise"), mkPost("4", t0.Add(-time.Hour), 0.5, "moments")}
	if _, err := s.SavePosts(ctx, first); err != nil {
		t.Fatal(err)
	}
	all, err := s.BaselinePosts(ctx, "moments", t0, t0.Add(24*time.Hour), 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 2 {
		t.Fatalf("got %d posts, want the 2 of the topic in the span: %+v", len(all), all)
	}
	var seen uint64
	for _, p := range all {
		seen = max(seen, p.Version)
		if p.Key == "" || p.Version == 0 || p.Text != "text "+p.Key[len(p.Key)-1:] {
			t.Errorf("post %+v: want its key, version and text", p)
		}
	}
	// A new post and a new version of post 1 (edited), stored later.
	edited := mkPost("1", t0, -0.5, "moments")
	edited.Text = "text 1, edited"
	if _, err := s.SavePosts(ctx, []post.Post{edited, mkPost("5", t0.Add(3*time.Hour), 0.1, "moments")}); err != nil {
		t.Fatal(err)
	}
	got, err := s.BaselinePosts(ctx, "moments", t0, t0.Add(24*time.Hour), seen)
	if err != nil {
		t.Fatal(err)
	}
	texts := map[string]bool{}
	for _, p := range got {
		texts[p.Text] = true
	}
	if len(got) != 2 || !texts["text 5"] || !texts["text 1, edited"] {
		t.Errorf("stored since %d: got %+v, want post 5 and the new version of post 1", seen, got)
	}
}
