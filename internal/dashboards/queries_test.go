package dashboards_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/backlash-monitor/backlash/internal/store/chtest"
)

// scenarioDB fills a fresh database with the scenario and returns its
// name, for queries run as an analyst's clickhouse-client
// --database=backlash would run them.
func scenarioDB(t *testing.T) string {
	t.Helper()
	s := chtest.Store(t)
	fillScenario(t, s, time.Now().UTC().Truncate(time.Second))
	return s.Database()
}

// countRows runs q and returns how many rows it gave.
func countRows(t *testing.T, db, name, q string) int {
	t.Helper()
	n, err := chtest.CountRows(t, db, q)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return n
}

// TestSavedQueries runs every saved query against the scenario: each must
// run unchanged and find something.
func TestSavedQueries(t *testing.T) {
	files, err := filepath.Glob("queries/*.sql")
	if err != nil || len(files) < 5 {
		t.Fatalf("saved queries: %v %v", files, err)
	}
	readme, err := os.ReadFile("queries/README.md")
	if err != nil {
		t.Fatal(err)
	}
	db := scenarioDB(t)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		q := string(b)
		if !strings.HasPrefix(q, "-- ") {
			t.Errorf("%s: no header comment", f)
		}
		if !strings.Contains(string(readme), filepath.Base(f)) {
			t.Errorf("%s is not described in queries/README.md", f)
		}
		if n := countRows(t, db, f, q); n == 0 {
			t.Errorf("%s found nothing in the scenario", f)
		}
	}
}
