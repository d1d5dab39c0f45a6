package crawler

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/backlash-monitor/backlash/internal/config"
)

func TestDryRun(t *testing.T) {
	s := newSite(t, forumRoutes())
	var out bytes.Buffer
	if err := DryRun(context.Background(), testCrawler(Options{}), forumSource(s.URL), 4, &out); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) < 6 || !strings.HasPrefix(lines[0], "PUBLISHED") {
		t.Fatalf("output:\n%s", out.String())
	}
	// Columns line up: TEXT starts at the same offset on every row.
	col := strings.Index(lines[0], "TEXT")
	for _, l := range lines[1:5] {
		if len(l) < col {
			t.Errorf("short row %q", l)
		}
	}
	for _, want := range []string{"2026-03-09 08:15:00", "maria_k", "9002", "Since the 4.2 update", "4 posts shown"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), "8500") {
		t.Error("dry run went past n posts")
	}
}

func TestShard(t *testing.T) {
	var sources []config.Source
	for i := 0; i < 40; i++ {
		sources = append(sources, config.Source{Name: fmt.Sprintf("source-%d", i)})
	}
	seen := map[string]int{}
	for i := 0; i < 3; i++ {
		part := Shard(sources, i, 3)
		if len(part) == 0 {
			t.Errorf("shard %d/3 is empty", i)
		}
		for _, s := range part {
			seen[s.Name]++
		}
		again := Shard(sources, i, 3)
		if fmt.Sprint(again) != fmt.Sprint(part) {
			t.Errorf("shard %d/3 not deterministic", i)
		}
	}
	if len(seen) != 40 {
		t.Errorf("%d sources assigned, want 40", len(seen))
	}
	for name, n := range seen {
		if n != 1 {
			t.Errorf("%s assigned %d times", name, n)
		}
	}
	if len(Shard(sources, 0, 1)) != 40 {
		t.Error("1 shard should hold every source")
	}
	// Sources of one namespace share a worker.
	for i := range sources {
		sources[i].Identity = &config.Identity{Namespace: "forum"}
	}
	for i := 0; i < 3; i++ {
		if n := len(Shard(sources, i, 3)); n != 0 && n != 40 {
			t.Errorf("shard %d/3 holds %d of 40 sources of one namespace", i, n)
		}
	}
}

func TestParseShard(t *testing.T) {
	cases := []struct {
		in   string
		i, n int
		err  bool
	}{
		{"0/4", 0, 4, false}, {" 3/4 ", 3, 4, false}, {"0/1", 0, 1, false},
		{"4/4", 0, 0, true}, {"-1/4", 0, 0, true}, {"1/0", 0, 0, true}, {"1", 0, 0, true}, {"a/b", 0, 0, true}, {"", 0, 0, true},
	}
	for _, c := range cases {
		i, n, err := ParseShard(c.in)
		if (err != nil) != c.err || i != c.i || n != c.n {
			t.Errorf("ParseShard(%q) = %d, %d, %v", c.in, i, n, err)
		}
	}
}

func TestProgressLine(t *testing.T) {
	s := newSite(t, forumRoutes())
	var out bytes.Buffer
	clock := testNow
	c := testCrawler(Options{Progress: &out, Now: func() time.Time { clock = clock.Add(100 * time.Millisecond); return clock }})
	if _, _, err := collect(t, c, forumSource(s.URL), State{}); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	last := got[strings.LastIndex(got, "\r"):]
	if !strings.HasPrefix(last, "\r\x1b[Kacme-forum: 6 pages, 7 posts, 0 errors, ") || !strings.HasSuffix(last, " posts/s\n") {
		t.Errorf("final progress line %q", last)
	}
	if strings.Count(got, "\n") != 1 {
		t.Errorf("progress should redraw one line: %q", got)
	}
}

func TestNewDefaults(t *testing.T) {
	c := New(Options{Retries: 2})
	if c.opts.UserAgent != config.DefaultUserAgent || c.opts.Timeout != config.DefaultTimeout || c.opts.Retries != 2 || c.opts.MaxBodyBytes != config.DefaultMaxBodyBytes {
		t.Errorf("opts = %+v", c.opts)
	}
}

// TestDryRunFailsWhenNothingIsRead: a dry run is how an operator checks
// a source, so one that read nothing and met page errors (every page
// failed, or every thread an index links to) ends in an error (a non-zero
// exit), while one that read posts, or read pages with none, does not.
func TestDryRunFailsWhenNothingIsRead(t *testing.T) {
	cases := []struct {
		name    string
		routes  map[string]route
		paths   []string
		wantErr string
	}{
		{"server error", map[string]route{"/a": {body: "down", status: 503}}, []string{"/a"}, "no posts read, 1 of 1 pages failed (last: "},
		{"not found", map[string]route{}, []string{"/a", "/b"}, "no posts read, 2 of 2 pages failed (last: "},
		{"an index read, its thread failing", map[string]route{"/a": {body: `<a class="topic" href="/t/1">thread</a>`}}, []string{"/a"}, "no posts read, 1 of 2 pages failed (last: "},
		{"one of two pages read", map[string]route{"/a": {file: "testdata/sites/api/comments-2.json", ctype: "application/json"}}, []string{"/a", "/b"}, ""},
		{"nothing to read but no failure", map[string]route{"/a": {body: `{"results": []}`, ctype: "application/json"}}, []string{"/a"}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := newSite(t, c.routes)
			var urls []string
			for _, p := range c.paths {
				urls = append(urls, s.URL+p)
			}
			yaml := `
    kind: json
    urls: ["` + strings.Join(urls, `", "`) + `"]
    json: {items: results, id: pk, text: comment, author: user_name, time: submit_date}`
			if strings.HasPrefix(c.name, "an index") {
				yaml = `
    kind: html
    urls: ["` + urls[0] + `"]
    html: {item: .post, text: .body, follow: a.topic}`
			}
			src := siteSource(t, siteCase{name: "api", yaml: yaml}, s.URL)
			var out bytes.Buffer
			err := DryRun(context.Background(), testCrawler(Options{Retries: 0}), src, 10, &out)
			if c.wantErr == "" {
				if err != nil {
					t.Fatalf("err %v, want none\n%s", err, out.String())
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Fatalf("err %v, want one saying %q\n%s", err, c.wantErr, out.String())
			}
			if !strings.Contains(out.String(), "0 posts shown") {
				t.Errorf("the table and its summary are not printed before the error:\n%s", out.String())
			}
		})
	}
}
