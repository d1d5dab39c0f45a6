package analyzer

import (
	"slices"
	"testing"

	"github.com/backlash-monitor/backlash/internal/analyzer/sentiment"
	"github.com/backlash-monitor/backlash/internal/config"
	"github.com/backlash-monitor/backlash/internal/post"
)

// newMomentsAnalyzer is an analyzer with one topic, moments, and the
// shipped scorer.
func newMomentsAnalyzer(t *testing.T) *Analyzer {
	t.Helper()
	m, err := NewMatcher([]config.Topic{{Name: "moments", Keywords: []string{"Moments"}}})
	if err != nil {
		t.Fatal(err)
	}
	sc, err := sentiment.New(sentiment.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return New(m, sc)
}

func TestProcessScoresAPostsOwnWords(t *testing.T) {
	a := newMomentsAnalyzer(t)
	title := "Moments is a disgrace"
	reply := "Thanks, the update arrived this morning and everything works"
	posts := []post.Post{
		{ID: "reply", Title: title, Text: reply},
		{ID: "alone", Text: reply},
		{ID: "headline", Title: title},
		{ID: "unrelated", Title: "Travel card fees", Text: reply},
	}
	if got := a.Process(slices.Clone(posts), nil, false); len(got) != 2 || got[0].ID != "reply" || got[1].ID != "headline" {
		t.Fatalf("kept %d posts, want the reply (its thread's title makes it about moments) and the headline", len(got))
	}
	got := a.Process(posts, nil, true)
	r, alone, headline := got[0], got[1], got[2]
	if !slices.Equal(r.Topics, []string{"moments"}) || len(alone.Topics) != 0 || len(got[3].Topics) != 0 {
		t.Fatalf("topics: reply %v, alone %v, unrelated %v", r.Topics, alone.Topics, got[3].Topics)
	}
	if r.Sentiment == nil || r.Sentiment.Compound != alone.Sentiment.Compound {
		t.Fatalf("reply scored %+v in its thread and %+v alone; want the same", r.Sentiment, alone.Sentiment)
	}
	for _, term := range r.Sentiment.Terms {
		if term == "disgrace" {
			t.Fatalf("the title's %q is a term of the reply: %v", term, r.Sentiment.Terms)
		}
	}
	if r.TitleSentiment == nil || r.TitleSentiment.Label != "negative" {
		t.Fatalf("title scored on its own: %+v, want negative", r.TitleSentiment)
	}
	if headline.Sentiment == nil || headline.Sentiment.Label != "negative" || headline.TitleSentiment != nil {
		t.Fatalf("an item that is only a title is scored by it: %+v, title %+v", headline.Sentiment, headline.TitleSentiment)
	}
}

// TestProcessAllocatesByTheBlock checks that scoring many posts does not
// allocate for each one's sentiment and terms, and that a post's terms
// can be appended to without changing another's.
func TestProcessAllocatesByTheBlock(t *testing.T) {
	a := newMomentsAnalyzer(t)
	texts := []string{"Moments is a disgrace, I hate it", "I love Moments, brilliant and fun", "moments is fine I guess",
		"nothing to see here"}
	posts := make([]post.Post, 400)
	fresh := func() {
		for i := range posts {
			posts[i] = post.Post{ID: "p", Text: texts[i%len(texts)]}
		}
	}
	fresh()
	kept := a.Process(posts, nil, false)
	if len(kept) != 300 || kept[0].Sentiment == nil || len(kept[0].Sentiment.Terms) == 0 || len(kept[1].Sentiment.Terms) == 0 {
		t.Fatalf("kept %d posts, the first two scored %+v and %+v", len(kept), kept[0].Sentiment, kept[1].Sentiment)
	}
	second := slices.Clone(kept[1].Sentiment.Terms)
	_ = append(kept[0].Sentiment.Terms, "extra")
	if !slices.Equal(kept[1].Sentiment.Terms, second) {
		t.Errorf("appending to one post's terms changed the next's: %q, was %q", kept[1].Sentiment.Terms, second)
	}
	if allocs := testing.AllocsPerRun(5, func() { fresh(); a.Process(posts, nil, false) }); allocs > 20 {
		t.Errorf("%v allocations processing %d posts", allocs, len(posts))
	}
}
