package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestConfigCheckChromium: config check names the browser that renders
// sources with render: true, and says when none is installed.
func TestConfigCheckChromium(t *testing.T) {
	write := func(chromium string) string {
		f := filepath.Join(t.TempDir(), "backlash.yaml")
		os.WriteFile(f, []byte(`crawler:
  chromium: `+chromium+`
topics:
  - name: sync
    keywords: [sync]
sources:
  - name: acme-spa
    kind: html
    urls: [https://community.acme.example/latest]
    html: {item: article.post, text: .body, render: true, render_wait: "#feed", render_scroll: 3}
  - name: acme-forum
    kind: html
    urls: [https://forum.acme.example/latest]
    html: {item: article.post, text: .body}
`), 0o600)
		return f
	}
	code, out, errs := run(t, "", "config", "check", "--config", write("/nonexistent/chromium"))
	if code != exitOK || !strings.Contains(out, "chromium: NOT INSTALLED, so acme-spa (render: true) cannot be crawled") {
		t.Errorf("missing browser: exit %d\nstdout: %s\nstderr: %s", code, out, errs)
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		code, out, errs = run(t, "", "config", "check", "--config", write("/usr/bin/chromium"))
		if code != exitOK || !strings.Contains(out, "chromium: /usr/bin/chromium renders acme-spa, 2 tabs at once") {
			t.Errorf("installed browser: exit %d\nstdout: %s\nstderr: %s", code, out, errs)
		}
	}
	// render_wait and render_scroll act only with render: true.
	f := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(f, []byte(`topics: [{name: sync, keywords: [sync]}]
sources:
  - name: acme-forum
    kind: html
    urls: [https://forum.acme.example/latest]
    html: {item: article.post, text: .body, render_scroll: 2}
`), 0o600)
	code, _, errs = run(t, "", "config", "check", "--config", f)
	if code != exitUsage || !strings.Contains(errs, "render_scroll needs render: true") {
		t.Errorf("render_scroll without render: exit %d, stderr %s", code, errs)
	}
}
