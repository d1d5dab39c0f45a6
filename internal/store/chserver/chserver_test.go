package chserver

import (
	"context"
	"os"
	"testing"
	"time"
)

// TestDetachedKeepsItsPort starts a detached server, finds it with
// Running, stops it and starts it again: it listens on the same port, so a
// clickhouse-client line written down keeps working.
func TestDetachedKeepsItsPort(t *testing.T) {
	if _, err := Binary(); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("ClickHouse is required under CI: %v", err)
		}
		t.Skipf("needs clickhouse-server: %v", err)
	}
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	first, err := Start(ctx, Options{Dir: dir, Detach: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { first.Stop() })
	found, ok := Running(dir)
	if !ok || found.Port() != first.Port() || found.PID() != first.PID() {
		t.Fatalf("Running: %v %+v, want the server on port %d", ok, found, first.Port())
	}
	first.Stop()
	if _, ok := Running(dir); ok {
		t.Fatal("Running finds a stopped server")
	}
	second, err := Start(ctx, Options{Dir: dir, Detach: true})
	if err != nil {
		t.Fatal(err)
	}
	defer second.Stop()
	if second.Port() != first.Port() {
		t.Errorf("restarted on port %d, was %d", second.Port(), first.Port())
	}
}
