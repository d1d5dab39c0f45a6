package store_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/backlash-monitor/backlash/internal/incident"
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
	older := term
	older.At, older.WindowStart, older.Posts = at.Add(-time.Hour), at.Add(-2*time.Hour), 9
	for _, batch := range [][]incident.Driver{{older}, {theme, term}, {theme, term}} {
		if err := s.SaveIncidentDrivers(ctx, batch); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.IncidentDrivers(ctx, "moments-1")
	if err != nil {
		t.Fatal(err)
	}
	if want := []incident.Driver{term, theme}; !reflect.DeepEqual(got, want) {
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
