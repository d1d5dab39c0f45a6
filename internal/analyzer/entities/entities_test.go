package entities

import (
	"fmt"
	"strings"
	"sync"
	"testing"
)

func TestExtract(t *testing.T) {
	x := NewExtractor()
	posts := []string{
		"Uber is charging me twice again, thanks Uber",
		"Tim Cook should answer for this",
		"Boycott Uber in London until they fix it",
		"Uber drivers in London are protesting today",
		"Nothing to see here",
	}
	got := x.Extract(posts, 3)
	t.Log(got)
	if len(got) == 0 || len(got) > 3 {
		t.Fatalf("got %v", got)
	}
	for i := 1; i < len(got); i++ {
		if got[i].Count > got[i-1].Count {
			t.Errorf("not sorted by count: %v", got)
		}
	}
	for _, e := range got {
		if !kept(e.Label) {
			t.Errorf("unexpected label %q", e.Label)
		}
	}
}

func TestExtractConcurrent(t *testing.T) {
	x := NewExtractor()
	posts := []string{"Tim Cook visited London with Sundar Pichai", "Google and Apple were fined in Paris"}
	if got := fmt.Sprint(x.Extract(posts, 0)); !strings.Contains(got, "Paris GPE") {
		t.Errorf("entity at the end of a post lost: %s", got)
	}
	want := fmt.Sprint(x.Extract(posts, 0))
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if got := fmt.Sprint(x.Extract(posts, 0)); got != want {
				t.Errorf("concurrent result %s, want %s", got, want)
			}
		}()
	}
	wg.Wait()
}
