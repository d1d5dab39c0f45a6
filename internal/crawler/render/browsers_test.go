package render

import (
	"context"
	"fmt"
	"os"
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
