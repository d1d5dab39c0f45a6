package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/backlash-monitor/backlash/internal/post"
)

func TestSpoolRoundTrip(t *testing.T) {
	dir := t.TempDir()
	sp := NewSpool(dir)
	at := time.Date(2026, 3, 6, 11, 0, 0, 0, time.UTC)
	in := []post.Post{
		{Source: "forum", ID: "1", Text: "invalid \xff utf-8 and \u202e bidi", Published: at, Topics: []string{"pay"},
			Sentiment: &post.Sentiment{Compound: -0.5, Label: "negative", Terms: []string{"scam"}}},
		{Source: "forum", ID: "2", Text: "plain", Published: at.Add(time.Minute)},
	}
	if err := sp.Append("run-1", in[:1]); err != nil {
		t.Fatal(err)
	}
	// A damaged line in the middle, and a crash mid-append leaves a torn
	// last line: neither blocks replay, both are quarantined.
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	f, _ := os.OpenFile(files[0], os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString("not base64 at all\n")
	f.Close()
	if err := sp.Append("run-1", in[1:]); err != nil {
		t.Fatal(err)
	}
	f, _ = os.OpenFile(files[0], os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString("AAAA")
	f.Close()
	if n, err := sp.Pending(); err != nil || n != 3 {
		t.Fatalf("pending = %d, %v; want 3 (two posts and a damaged line)", n, err)
	}
	var got []post.Post
	n, bad, err := sp.Replay(context.Background(), func(_ context.Context, ps []post.Post) error {
		got = append(got, ps...)
		return nil
	})
	if err != nil || n != 2 || bad != 2 {
		t.Fatalf("replay = %d stored, %d quarantined, %v; want 2 and 2", n, bad, err)
	}
	q, err := os.ReadFile(filepath.Join(sp.QuarantineDir(), "run-1.spool"))
	if err != nil || string(q) != "2\tnot base64 at all\n4\tAAAA\n" {
		t.Fatalf("quarantine holds %q, %v", q, err)
	}
	for i := range in {
		if !reflect.DeepEqual(got[i].Text, in[i].Text) || !got[i].Published.Equal(in[i].Published) {
			t.Fatalf("post %d came back as %+v", i, got[i])
		}
	}
	if got[0].Sentiment == nil || got[0].Sentiment.Terms[0] != "scam" {
		t.Fatalf("sentiment lost: %+v", got[0].Sentiment)
	}
	if files, _ := filepath.Glob(filepath.Join(dir, "*.spool")); len(files) != 0 {
		t.Fatalf("spool files left after replay: %v", files)
	}
}
