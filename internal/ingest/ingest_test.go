package ingest_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/backlash-monitor/backlash/internal/analyzer"
	"github.com/backlash-monitor/backlash/internal/analyzer/sentiment"
	"github.com/backlash-monitor/backlash/internal/config"
	"github.com/backlash-monitor/backlash/internal/ingest"
	"github.com/backlash-monitor/backlash/internal/store"
	"github.com/backlash-monitor/backlash/internal/store/chtest"
)

func TestMain(m *testing.M) { chtest.Main(m) }

var now = time.Date(2026, 11, 10, 0, 0, 0, 0, time.UTC)

func setup(t *testing.T) (*store.Store, *ingest.Importer, *config.Source) {
	t.Helper()
	st := chtest.Store(t)
	sc, err := sentiment.New(sentiment.Options{})
	if err != nil {
		t.Fatal(err)
	}
	m, err := analyzer.NewMatcher([]config.Topic{{Name: "sync", Keywords: []string{"sync"}}})
	if err != nil {
		t.Fatal(err)
	}
	return st, ingest.New(st, analyzer.New(m, sc)), &config.Source{Name: "old-forum"}
}

// rollup returns the topic's rolled-up posts and reach.
func rollup(t *testing.T, st *store.Store) (posts, reach uint64) {
	t.Helper()
	row := st.Conn().QueryRow(context.Background(), "SELECT sum(posts), sum(reach) FROM "+st.Table("topic_rollup_5m")+" WHERE topic = 'sync'")
	if err := row.Scan(&posts, &reach); err != nil {
		t.Fatal(err)
	}
	return posts, reach
}

func rows(t *testing.T, st *store.Store) uint64 {
	t.Helper()
	var n uint64
	if err := st.Conn().QueryRow(context.Background(), "SELECT count() FROM "+st.Table("posts")).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func importFile(t *testing.T, im *ingest.Importer, path string, o ingest.Options) (ingest.Summary, []string, error) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var bad []string
	o.Bad = func(le *ingest.LineError) { bad = append(bad, le.Error()) }
	o.Now = func() time.Time { return now }
	sum, err := im.Import(context.Background(), f, path, o)
	return sum, bad, err
}

func TestImportJSONLIdempotent(t *testing.T) {
	st, im, src := setup(t)
	sum, bad, err := importFile(t, im, "testdata/posts.jsonl", ingest.Options{Source: src, BatchSize: 2})
	if err != nil {
		t.Fatal(err)
	}
	want := ingest.Summary{Read: 9, Stored: 3, Counted: 3, Present: 1, Unmatched: 1, Bad: 4}
	if sum != want {
		t.Errorf("first import = %+v, want %+v", sum, want)
	}
	wantBad := []string{
		`testdata/posts.jsonl:3: published "yesterday" is not an RFC 3339 time`,
		"testdata/posts.jsonl:4: id is missing",
		"testdata/posts.jsonl:6: invalid character 'h' in literal true (expecting 'r')",
		`testdata/posts.jsonl:9: not a count: "-1"`,
	}
	if strings.Join(bad, "\n") != strings.Join(wantBad, "\n") {
		t.Errorf("bad lines:\n%s\nwant:\n%s", strings.Join(bad, "\n"), strings.Join(wantBad, "\n"))
	}
	posts, reach := rollup(t, st)
	if posts != 3 || reach != 6 {
		t.Errorf("rollup after the first import: %d posts, reach %d; want 3, 6", posts, reach)
	}
	n := rows(t, st)

	sum, _, err = importFile(t, im, "testdata/posts.jsonl", ingest.Options{Source: src})
	if err != nil {
		t.Fatal(err)
	}
	want = ingest.Summary{Read: 9, Present: 4, Unmatched: 1, Bad: 4}
	if sum != want {
		t.Errorf("second import = %+v, want %+v", sum, want)
	}
	if p2, r2 := rollup(t, st); p2 != posts || r2 != reach {
		t.Errorf("rollup changed on the second import: %d posts, reach %d; was %d, %d", p2, r2, posts, reach)
	}
	if n2 := rows(t, st); n2 != n {
		t.Errorf("second import wrote rows: %d, was %d", n2, n)
	}
	var pub time.Time
	var parent string
	if err := st.Conn().QueryRow(context.Background(), "SELECT published, parent_id FROM "+st.Table("posts")+" WHERE id = 'h4'").Scan(&pub, &parent); err != nil {
		t.Fatal(err)
	}
	if !pub.Equal(time.Date(2026, 11, 2, 11, 0, 0, 0, time.UTC)) || parent != "h1" {
		t.Errorf("h4 stored as published %s, parent %q", pub, parent)
	}
}

func TestImportStrict(t *testing.T) {
	st, im, src := setup(t)
	sum, bad, err := importFile(t, im, "testdata/posts.jsonl", ingest.Options{Source: src, Strict: true})
	var le *ingest.LineError
	if !errors.As(err, &le) || le.Line != 3 {
		t.Fatalf("strict import error = %v, want line 3's", err)
	}
	if sum.Stored != 2 || sum.Bad != 1 || len(bad) != 1 {
		t.Errorf("strict import = %+v (bad %q), want the 2 posts before line 3 stored", sum, bad)
	}
	if posts, _ := rollup(t, st); posts != 2 {
		t.Errorf("rollup has %d posts, want 2", posts)
	}
}

func TestImportCSV(t *testing.T) {
	st, im, src := setup(t)
	sum, bad, err := importFile(t, im, "testdata/posts.csv", ingest.Options{Source: src, Format: ingest.CSV})
	if err != nil {
		t.Fatal(err)
	}
	if want := (ingest.Summary{Read: 4, Stored: 2, Counted: 2, Bad: 2}); sum != want {
		t.Errorf("csv import = %+v, want %+v", sum, want)
	}
	wantBad := "testdata/posts.csv:4: likes: not a count: \"many\"\ntestdata/posts.csv:5: 2 fields, the header has 6"
	if got := strings.Join(bad, "\n"); got != wantBad {
		t.Errorf("bad lines:\n%s\nwant:\n%s", got, wantBad)
	}
	var text string
	var likes uint32
	if err := st.Conn().QueryRow(context.Background(), "SELECT text, likes FROM "+st.Table("posts")+" WHERE id = 'c2'").Scan(&text, &likes); err != nil {
		t.Fatal(err)
	}
	if text != `sync "deleted" my folder` || likes != 10 {
		t.Errorf("c2 stored as %q with %d likes", text, likes)
	}
}

func TestImportCSVHeader(t *testing.T) {
	_, im, src := setup(t)
	for _, in := range []string{"id,body\n1,x\n", "text,author\nx,y\n"} {
		_, err := im.Import(context.Background(), strings.NewReader(in), "in.csv", ingest.Options{Source: src, Format: ingest.CSV})
		if err == nil || !strings.Contains(err.Error(), "in.csv: header") {
			t.Errorf("header %q: error %v, want one naming the header", strings.SplitN(in, "\n", 2)[0], err)
		}
	}
}
