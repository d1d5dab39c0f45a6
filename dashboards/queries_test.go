package dashboards_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/backlash-monitor/backlash/store/chtest"
)

// scenarioConn fills a fresh database with the scenario and returns a
// connection whose default database is it, as an analyst's
// clickhouse-client --database=backlash would be.
func scenarioConn(t *testing.T) driver.Conn {
	t.Helper()
	s := chtest.Store(t)
	fillScenario(t, s, time.Now().UTC().Truncate(time.Second))
	conn, err := clickhouse.Open(&clickhouse.Options{Addr: []string{chtest.Server(t).Addr()},
		Auth: clickhouse.Auth{Database: s.Database(), Username: "default"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

// countRows runs q and returns how many rows it gave.
func countRows(t *testing.T, conn driver.Conn, name, q string) int {
	t.Helper()
	rows, err := conn.Query(context.Background(), q)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		n++
	}
	if err := rows.Err(); err != nil {
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
	conn := scenarioConn(t)
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
		if n := countRows(t, conn, f, q); n == 0 {
			t.Errorf("%s found nothing in the scenario", f)
		}
	}
}
