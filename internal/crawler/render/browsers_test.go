package render

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestIsShell(t *testing.T) {
	for _, c := range []struct {
		path string
		want bool
	}{
		{ShellPath, true},
		{"/usr/bin/chromium-headless-shell", true},
		{"/opt/chrome-headless-shell-linux64/chrome-headless-shell", true},
		{"/opt/headless_shell/headless_shell", true},
		{DefaultPath, false},
		{"/usr/bin/google-chrome", false},
		{"/usr/bin/chromium-browser", false},
	} {
		if got := IsShell(c.path); got != c.want {
			t.Errorf("IsShell(%q) = %v, want %v", c.path, got, c.want)
		}
	}
}

// TestRenderInEitherBrowser renders the same script-built page in the
// headless shell and in the full browser (started with flags of its
// own), where each is installed: a machine with only one of them must
// render as well as one with both.
func TestRenderInEitherBrowser(t *testing.T) {
	needBrowser(t)
	s := newTestSite(t, map[string]string{"/feedback": jsPage, "/app.js": fmt.Sprintf(appJS, 30)})
	f := fetcherFor(t, s, nil)
	ran := 0
	for _, path := range []string{ShellPath, DefaultPath} {
		if _, err := os.Stat(path); err != nil {
			continue
		}
		ran++
		t.Run(path, func(t *testing.T) {
			b := New(Options{Path: path, Tabs: 1, MaxMemory: 1 << 40})
			defer b.Close()
			for i := range 2 { // the second page reuses the first's tab
				res, err := b.Render(context.Background(), Request{URL: s.URL + "/feedback", Fetcher: f, Items: "article.post", Timeout: 5 * time.Second})
				if err != nil {
					t.Fatal(err)
				}
				if n := countItems(t, res.HTML, "article.post"); n != 30 {
					t.Errorf("page %d: rendered %d posts, want 30", i+1, n)
				}
			}
		})
	}
	if ran == 0 {
		t.Skip("neither browser is at its Debian path")
	}
}

// TestBrowserThatCrashesOnStartIsRetried starts, through a wrapper, a
// browser that dies on its first start and runs on its second: the page
// still renders. A browser that never starts is tried startAttempts
// times and its error returned.
func TestBrowserThatCrashesOnStartIsRetried(t *testing.T) {
	needBrowser(t)
	real, err := LookPath("")
	if err != nil {
		t.Fatal(err)
	}
	s := newTestSite(t, map[string]string{"/feedback": jsPage, "/app.js": fmt.Sprintf(appJS, 30)})
	f := fetcherFor(t, s, nil)
	for _, c := range []struct {
		name    string
		crashes int // starts that crash before one runs the browser
		wantErr bool
	}{
		{"crashes once", 1, false},
		{"crashes twice", 2, false},
		{"never starts", startAttempts, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			count := filepath.Join(dir, "starts")
			wrapper := filepath.Join(dir, "chrome-headless-shell")
			script := fmt.Sprintf("#!/bin/sh\necho x >> %q\nif [ $(wc -l < %q) -le %d ]; then kill -SEGV $$; fi\nexec %q \"$@\"\n", count, count, c.crashes, real)
			if err := os.WriteFile(wrapper, []byte(script), 0o755); err != nil {
				t.Fatal(err)
			}
			b := New(Options{Path: wrapper, Tabs: 1, MaxMemory: 1 << 40})
			defer b.Close()
			res, err := b.Render(context.Background(), Request{URL: s.URL + "/feedback", Fetcher: f, Items: "article.post", Timeout: 5 * time.Second})
			starts, _ := os.ReadFile(count)
			if n := strings.Count(string(starts), "\n"); n != min(c.crashes+1, startAttempts) {
				t.Errorf("browser started %d times, want %d", n, min(c.crashes+1, startAttempts))
			}
			if c.wantErr {
				if err == nil {
					t.Fatal("a browser that never starts rendered a page")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if n := countItems(t, res.HTML, "article.post"); n != 30 {
				t.Errorf("rendered %d posts, want 30", n)
			}
		})
	}
}
