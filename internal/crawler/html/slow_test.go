package html

import (
	"bytes"
	"net/url"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
)

// TestDeepNesting guards against extraction cost growing faster than the
// page, on a reply chain nested 480 deep and a page of 8,000 posts: per
// post, each must cost about what a page an eighth of its size costs.
// Cost is measured in two ways that do not depend on the machine's speed
// or load: allocations per post, counted and in bytes, and CPU time per post
// against the smaller page timed in the same test. CPU time is what the
// process ran, not the wall clock, so time spent waiting for a busy
// machine's cores does not count (the wall clock gave the large page up to
// 8 times the small one's time per post at a load average of 35 on 2
// cores); the least of interleaved runs counts, with the garbage
// collector off. Linear extraction keeps
// both ratios near 1; one that revisits the page for each post
// (quadratic) makes them 8.
func TestDeepNesting(t *testing.T) {
	spec, err := Compile(&Settings{Item: ".post", Text: ".body", Author: ".author", Time: "time", Likes: ".likes"})
	if err != nil {
		t.Fatal(err)
	}
	base, _ := url.Parse("https://deep.example/t/1")
	const (
		grow      = 8   // the large page has grow times the small one's posts
		runs      = 5   // timed runs of each page; the least counts
		maxAllocs = 2.0 // bound on allocations and bytes per post, large page over small
		maxTime   = 3.0 // bound on time per post, large page over small
	)
	for _, c := range []struct {
		name string
		page func(n int) string
		n    int // posts on the small page
	}{
		{"reply chain", func(n int) string {
			return strings.Repeat(`<div class="post"><div class="body">`+strings.Repeat("a reply ", 16)+`</div>`, n)
		}, 60}, // 480 deep: the parser refuses pages nested over 512 deep
		{"many posts", func(n int) string {
			return strings.Repeat(`<div class="post"><span class="author">a</span><div class="body">x</div></div>`, n)
		}, 1000},
	} {
		small, large := parse(t, c.page(c.n)), parse(t, c.page(grow*c.n))
		extract := func(doc *goquery.Document) Result { return Extract(doc, Page{URL: base, Fetched: fetched}, spec) }
		for _, d := range []struct {
			doc *goquery.Document
			n   int
		}{{small, c.n}, {large, grow * c.n}} {
			res := extract(d.doc)
			if len(res.Posts) != d.n {
				t.Fatalf("%s of %d: %d posts", c.name, d.n, len(res.Posts))
			}
			if c.name == "reply chain" {
				// Every reply has the same text; the parent keeps their
				// derived ids apart.
				for i := 1; i < len(res.Posts); i++ {
					if res.Posts[i].ParentID != res.Posts[i-1].ID {
						t.Fatalf("reply %d: parent %q, want %q", i, res.Posts[i].ParentID, res.Posts[i-1].ID)
					}
				}
			}
		}

		// Allocations per post, counted and in bytes: building each
		// reply's text from its nested replies would show in the bytes
		// (five times as many at 480 deep as at 60). Slices and maps
		// grown by doubling make the bytes per post vary by a quarter
		// with the page's size.
		allocs := func(doc *goquery.Document, n int) (count, bytes float64) {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			extract(doc)
			runtime.ReadMemStats(&after)
			return float64(after.Mallocs-before.Mallocs) / float64(n), float64(after.TotalAlloc-before.TotalAlloc) / float64(n)
		}
		as, bs := allocs(small, c.n)
		al, bl := allocs(large, grow*c.n)
		if al > maxAllocs*as || bl > maxAllocs*bs {
			t.Errorf("%s: %.1f allocations (%.0f bytes) per post on a page of %d posts, %.1f (%.0f bytes) on one of %d: extraction allocates faster than the page grows",
				c.name, al, bl, grow*c.n, as, bs, c.n)
		}

		// The collector runs while a large page is extracted and not while
		// a small one is (its heap stays under the collector's floor): it
		// is off while timing, so the times compare the extraction alone.
		defer debug.SetGCPercent(debug.SetGCPercent(-1))
		ts, tl := time.Duration(1<<62), time.Duration(1<<62)
		for range runs {
			for _, d := range []struct {
				doc  *goquery.Document
				best *time.Duration
			}{{small, &ts}, {large, &tl}} {
				runtime.GC()
				start := cpuTime()
				extract(d.doc)
				*d.best = min(*d.best, cpuTime()-start)
			}
		}
		perSmall, perLarge := float64(ts)/float64(c.n), float64(tl)/float64(grow*c.n)
		t.Logf("%s: %.1f → %.1f allocations, %.0f → %.0f bytes and %.2f → %.2f µs of CPU per post from %d to %d posts",
			c.name, as, al, bs, bl, perSmall/1e3, perLarge/1e3, c.n, grow*c.n)
		if perLarge > maxTime*perSmall {
			t.Errorf("%s: %.2f µs of CPU per post on a page of %d posts, %.2f µs on one of %d: extraction time grows faster than the page",
				c.name, perLarge/1e3, grow*c.n, perSmall/1e3, c.n)
		}
	}
}

func parse(t *testing.T, page string) *goquery.Document {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader([]byte(page)))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}
