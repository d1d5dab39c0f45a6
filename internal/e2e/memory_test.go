package e2e

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/backlash-monitor/backlash/internal/store/chtest"
)

// endless is a site whose pages are chunked HTML that never ends: posts
// after posts, as fast as the client reads them.
func endless(t testing.TB) *httptest.Server {
	t.Helper()
	chunk := []byte(strings.Repeat(`<article class="post"><span class="author">a</span><div class="body">the checkout <b>is</b> <i>down</i> again</div></article>`, 512))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		for r.Context().Err() == nil {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}))
	t.Cleanup(func() {
		srv.CloseClientConnections()
		srv.Close()
	})
	return srv
}

// TestEndlessSourcesMemory crawls four endless chunked sources in one
// `backlash crawl`, each cut at the 10 MiB body cap, and holds the
// process's peak RSS under 300 MB.
func TestEndlessSourcesMemory(t *testing.T) {
	addr, db := chtest.Database(t)
	dropDatabase(t, addr, db)
	bin := binary(t)
	dir := t.TempDir()
	var b strings.Builder
	fmt.Fprintf(&b, "state_dir: %q\nclickhouse:\n  addr: [%q]\n  database: %s\n", dir, addr, db)
	b.WriteString("crawler:\n  user_agent: backlash-e2e/1\n  retries: 0\n  max_body_bytes: 10485760\n")
	b.WriteString("topics:\n  - name: checkout\n    keywords: [checkout]\nsources:\n")
	for i := range 4 {
		srv := endless(t)
		fmt.Fprintf(&b, "  - name: endless%d\n    kind: html\n    urls: [%q]\n    allow_private: true\n    max_pages: 2\n    html: {item: article.post, text: .body, author: .author}\n", i, srv.URL+"/")
	}
	cfgPath := filepath.Join(dir, "backlash.yaml")
	if err := os.WriteFile(cfgPath, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	cmd := exec.Command(bin, "crawl", "--config", cfgPath)
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		t.Skip("no rusage on this platform")
	}
	peak := ru.Maxrss * 1024 // kilobytes on Linux
	t.Logf("four endless sources cut at 10 MiB: peak RSS %.1f MB (exit %v)\n%s", float64(peak)/1e6, err, lastLines(out.String(), 8))
	if peak >= 300e6 {
		t.Errorf("peak RSS %.1f MB with four endless sources, want < 300 MB", float64(peak)/1e6)
	}
}

// lastLines returns the last n lines of s.
func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
