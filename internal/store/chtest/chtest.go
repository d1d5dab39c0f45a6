// Package chtest gives tests a real ClickHouse server: one private server per
// test binary, started on free ports with its own data directory, and a fresh
// database per test.
//
// A package that uses it calls chtest.Main from TestMain so the server is
// stopped and its directory removed when the tests end. Without a server
// binary the tests skip with a message saying what to install; under CI
// (CI=true) they fail instead, so CI never silently skips them.
package chtest

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"

	"github.com/backlash-monitor/backlash/internal/store"
	"github.com/backlash-monitor/backlash/internal/store/chserver"
)

// harness is the one server of a test binary.
type harness struct {
	once sync.Once
	dir  string
	srv  *chserver.Server
	err  error
	seq  atomic.Int64
}

var h harness

// Main runs the tests and then stops the server, if one was started.
func Main(m *testing.M) {
	code := m.Run()
	if h.srv != nil {
		h.srv.Stop()
	}
	if h.dir != "" {
		os.RemoveAll(h.dir)
	}
	os.Exit(code)
}

// Server returns the test binary's ClickHouse server, starting it on first
// use.
func Server(t testing.TB) *chserver.Server {
	t.Helper()
	h.once.Do(func() {
		if _, err := chserver.Binary(); err != nil {
			h.err = err
			return
		}
		h.dir, h.err = os.MkdirTemp("", "backlash-chtest-")
		if h.err != nil {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		h.srv, h.err = chserver.Start(ctx, chserver.Options{Dir: h.dir})
	})
	if h.err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("ClickHouse is required under CI: %v", h.err)
		}
		t.Skipf("skipping: needs a ClickHouse server: %v", h.err)
	}
	return h.srv
}

// Database returns a fresh, empty database name on the test server, dropped
// when the test ends.
func Database(t testing.TB) (addr, db string) {
	t.Helper()
	srv := Server(t)
	name := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			return r
		}
		return '_'
	}, t.Name())
	if len(name) > 40 {
		name = name[:40]
	}
	db = fmt.Sprintf("t%d_%s", h.seq.Add(1), name)
	return srv.Addr(), db
}

// Store opens a migrated store on a fresh database; it is closed when the
// test ends.
func Store(t testing.TB) *store.Store {
	t.Helper()
	addr, db := Database(t)
	ctx := context.Background()
	s, err := store.Open(ctx, store.Options{Addr: []string{addr}, Database: db, Username: "default",
		Logger: slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	t.Cleanup(func() {
		_ = s.Conn().Exec(context.Background(), "DROP DATABASE IF EXISTS `"+db+"`")
		s.Close()
	})
	return s
}

// DropOnCleanup drops db from the test server when t ends, for tests
// whose database a command under test creates.
func DropOnCleanup(t testing.TB, db string) {
	t.Helper()
	addr := Server(t).Addr()
	t.Cleanup(func() {
		conn, err := clickhouse.Open(&clickhouse.Options{Addr: []string{addr}, Auth: clickhouse.Auth{Username: "default"}})
		if err == nil {
			_ = conn.Exec(context.Background(), "DROP DATABASE IF EXISTS `"+db+"`")
			conn.Close()
		}
	})
}

// CountRows runs q with db as the default database, as an analyst's
// clickhouse-client --database=db would, and returns how many rows it gave.
func CountRows(t testing.TB, db, q string) (int, error) {
	t.Helper()
	conn, err := clickhouse.Open(&clickhouse.Options{Addr: []string{Server(t).Addr()},
		Auth: clickhouse.Auth{Database: db, Username: "default"}})
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	rows, err := conn.Query(context.Background(), q)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		n++
	}
	return n, rows.Err()
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}
