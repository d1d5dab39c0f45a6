package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/backlash-monitor/backlash/internal/store/chserver"
	"github.com/backlash-monitor/backlash/internal/store/chtest"
)

func TestMain(m *testing.M) { chtest.Main(m) }

// importConfig writes a configuration on a fresh database of the test
// server, with one source, old-forum, for the sync topic.
func importConfig(t *testing.T) (file, addr, db string) {
	t.Helper()
	addr, db = chtest.Database(t)
	dir := t.TempDir()
	file = filepath.Join(dir, "backlash.yaml")
	yaml := fmt.Sprintf(`clickhouse: {addr: [%q], database: %s}
state_dir: %s
topics: [{name: sync, keywords: [sync]}]
sources:
  - name: old-forum
    kind: html
    urls: [https://forum.acme.example/latest]
    html: {item: article.post, text: .body}
`, addr, db, filepath.Join(dir, "state"))
	if err := os.WriteFile(file, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	chtest.DropOnCleanup(t, db)
	return file, addr, db
}

func TestImportCommand(t *testing.T) {
	cfg, _, db := importConfig(t)
	in := `{"id":"a1","text":"sync lost my notes","published":"2026-11-02T10:00:00Z"}
{"id":"a2","text":"sync is fine","published":"2026-11-02T10:05:00Z"}
{"id":"a3","text":"sync","published":"soon"}
`
	code, out, errs := run(t, in, "import", "--config", cfg, "--source", "old-forum", "--log-level", "warn", "-")
	if code != exitOK {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, out, errs)
	}
	if !strings.Contains(out, "stdin: 3 read, 2 stored (2 counted), 0 already present, 0 unmatched, 1 bad") {
		t.Errorf("summary: %s", out)
	}
	if !strings.Contains(errs, `stdin:3: published "soon" is not an RFC 3339 time`) {
		t.Errorf("bad line not reported: %s", errs)
	}
	if strings.Contains(errs, "\r") {
		t.Errorf("progress written to a stream that is not a terminal: %q", errs)
	}
	code, out, errs = run(t, in, "import", "--config", cfg, "--source", "old-forum", "--log-level", "warn", "-")
	if code != exitOK || !strings.Contains(out, "3 read, 0 stored (0 counted), 2 already present, 0 unmatched, 1 bad") {
		t.Errorf("second import: exit %d\nstdout: %s\nstderr: %s", code, out, errs)
	}
	if n, err := chtest.CountRows(t, db, "SELECT * FROM posts"); err != nil || n != 2 {
		t.Errorf("posts rows = %d (%v), want 2", n, err)
	}

	code, out, errs = run(t, in, "import", "--config", cfg, "--source", "old-forum", "--strict", "-")
	if code != exitFailure || !strings.Contains(errs, "stdin:3:") {
		t.Errorf("--strict: exit %d\nstdout: %s\nstderr: %s", code, out, errs)
	}
}

func TestImportCommandUsage(t *testing.T) {
	cfg, _, _ := importConfig(t)
	for _, tt := range []struct {
		args  []string
		inErr string
	}{
		{[]string{"--source", "nowhere", "-"}, `no source named "nowhere" in ` + cfg},
		{[]string{"-"}, "--source is required"},
		{[]string{"--source", "old-forum"}, "want one FILE"},
		{[]string{"--source", "old-forum", "--format", "xml", "-"}, `--format "xml"`},
		{[]string{"--source", "old-forum", "/nonexistent/posts.jsonl"}, "no such file"},
	} {
		code, out, errs := run(t, "", append([]string{"import", "--config", cfg}, tt.args...)...)
		if code != exitUsage || !strings.Contains(errs, tt.inErr) {
			t.Errorf("import %v: exit %d, want %d and %q\nstdout: %s\nstderr: %s", tt.args, code, exitUsage, tt.inErr, out, errs)
		}
	}
}

// TestBenchIngest runs `bench ingest` on a few posts: both rates and their
// ratio are printed, and the embedded server it started is stopped.
func TestBenchIngest(t *testing.T) {
	dir := t.TempDir()
	code, out, errs := run(t, "", "bench", "ingest", "--posts", "1500", "--state-dir", dir, "--log-level", "warn")
	if code != exitOK {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, out, errs)
	}
	for _, want := range []string{"ingest  1500 generated posts", "backlash import", "posts/s", "clickhouse-client", "the same 1500 rows", "ratio"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if _, running := chserver.Running(filepath.Join(dir, "clickhouse")); running {
		t.Error("the embedded server bench ingest started is still running")
		chserver.StopDir(filepath.Join(dir, "clickhouse"))
	}
}

// TestBenchLeavesARunningServer runs `bench ingest` with the embedded server
// already running: it is left running, and the output says how to stop it.
func TestBenchLeavesARunningServer(t *testing.T) {
	dir := t.TempDir()
	srv, err := chserver.Start(context.Background(), chserver.Options{Dir: filepath.Join(dir, "clickhouse"), Detach: true})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Stop()
	code, out, errs := run(t, "", "bench", "ingest", "--posts", "200", "--state-dir", dir, "--log-level", "warn")
	if code != exitOK {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, out, errs)
	}
	if !strings.Contains(out, "already running and is left running") || !strings.Contains(out, "backlash clickhouse stop --state-dir "+dir) {
		t.Errorf("output does not say the server is left running and how to stop it:\n%s", out)
	}
	if _, running := chserver.Running(filepath.Join(dir, "clickhouse")); !running {
		t.Error("bench ingest stopped a server it did not start")
	}
}
