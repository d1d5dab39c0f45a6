package dashboards_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

const chromiumPath = "/usr/bin/chromium"

// chromium runs headless Chromium with the given arguments and returns its
// standard output.
func chromium(t *testing.T, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-default-apps", "--hide-scrollbars", "--user-data-dir=" + t.TempDir(),
		"--virtual-time-budget=5000"}
	cmd := exec.CommandContext(ctx, chromiumPath, append(base, args...)...)
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir())
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return string(out)
}

var pointsRe = regexp.MustCompile(`data-points="([0-9]+)"`)

// drawn counts the chart elements in dom that drew at least one point.
func drawn(dom string) int {
	n := 0
	for _, m := range pointsRe.FindAllStringSubmatch(dom, -1) {
		if v, _ := strconv.Atoi(m[1]); v > 0 {
			n++
		}
	}
	return n
}

// TestPagesInBrowser loads every page in headless Chromium against the
// known scenario and checks that the charts have data and the incident is
// listed. With BACKLASH_SCREENSHOTS=1 it saves screenshots into
// screenshots/ for the README.
func TestPagesInBrowser(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("headless Chromium is required under CI: %v", err)
		}
		t.Skipf("skipping: needs %s (apt-get install -y chromium)", chromiumPath)
	}
	srv, _ := newServer(t)

	pages := []struct {
		name, path string
		check      func(t *testing.T, dom string)
	}{
		{"overview", "/", func(t *testing.T, dom string) {
			if n := drawn(dom); n < 2*5 {
				t.Errorf("%d sparklines with data, want 5 per topic", n)
			}
			if !strings.Contains(dom, `data-incident="`+openIncident+`"`) {
				t.Error("the open incident is not listed")
			}
			if i, j := strings.Index(dom, `data-topic="`+spikeTopic+`"`), strings.Index(dom, `data-topic="`+calmTopic+`"`); i < 0 || j < 0 || i > j {
				t.Error("the topic with an open incident is not first")
			}
		}},
		{"topic", "/topics/" + spikeTopic + "?from=24h", func(t *testing.T, dom string) {
			for _, series := range []string{"All posts", "Negative", "Risk"} {
				m := regexp.MustCompile(`data-series="` + series + `" data-points="([0-9]+)"`).FindStringSubmatch(dom)
				if m == nil || m[1] == "0" {
					t.Errorf("line %q drew no points", series)
				}
			}
			if !regexp.MustCompile(`class="band" data-points="[1-9]`).MatchString(dom) {
				t.Error("no expected band drawn")
			}
			if n := strings.Count(dom, `data-marker="alert"`); n != 2 {
				t.Errorf("%d alert markers, want 2", n)
			}
			if !regexp.MustCompile(`class="hist" data-points="[1-9]`).MatchString(dom) {
				t.Error("sentiment histogram is empty")
			}
			if strings.Count(dom, `class="post negative"`) != 5 || strings.Count(dom, `class="post positive"`) == 0 {
				t.Error("top posts not listed")
			}
			// The hostile post is shown as text, never as markup.
			if !strings.Contains(dom, "&lt;script&gt;alert") || strings.Contains(dom, "<script>alert") || strings.Contains(dom, `onerror=`+"\"") {
				t.Error("post text was not escaped")
			}
			if strings.Contains(dom, `href="javascript:`) {
				t.Error("a javascript: link reached the page")
			}
			if !strings.Contains(dom, ">fee<") || !strings.Contains(dom, ">Acme Pay<") {
				t.Error("top terms or entities missing")
			}
		}},
		{"incidents", "/incidents", func(t *testing.T, dom string) {
			for _, id := range []string{openIncident, pastIncident} {
				if !strings.Contains(dom, `data-incident="`+id+`"`) {
					t.Errorf("incident %s not listed", id)
				}
			}
			if !strings.Contains(dom, `href="https://slack.com/archives/`+slackChannel+`/p1763900000123456"`) {
				t.Error("no Slack thread link")
			}
		}},
		{"sources", "/sources", func(t *testing.T, dom string) {
			for _, src := range []string{"broken-forum", "reviews"} {
				if !regexp.MustCompile(`<tr class="attention" data-source="` + src + `"`).MatchString(dom) {
					t.Errorf("source %s is not highlighted", src)
				}
			}
			if !strings.Contains(dom, `<tr data-source="forum"`) {
				t.Error("healthy source forum is missing or highlighted")
			}
			if drawn(dom) < 3 {
				t.Error("runs sparklines have no data")
			}
		}},
	}
	for _, p := range pages {
		t.Run(p.name, func(t *testing.T) {
			dom := chromium(t, "--window-size=1280,900", "--dump-dom", srv.URL+p.path)
			if strings.Contains(dom, "Could not load") {
				t.Errorf("page shows a load error")
			}
			p.check(t, dom)
		})
	}

	if os.Getenv("BACKLASH_SCREENSHOTS") != "1" {
		return
	}
	dir := "screenshots"
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, s := range []struct{ file, path, size string }{
		{"overview.png", "/", "1280,900"},
		{"topic.png", "/topics/" + spikeTopic + "?from=24h", "1280,900"},
		{"topic-full.png", "/topics/" + spikeTopic + "?from=24h", "1280,2000"},
		{"incidents.png", "/incidents", "1280,900"},
		{"sources.png", "/sources", "1280,900"},
		{"topic-narrow.png", "/topics/" + spikeTopic + "?from=7d", "430,1600"},
	} {
		abs, _ := filepath.Abs(filepath.Join(dir, s.file))
		chromium(t, "--window-size="+s.size, "--screenshot="+abs, srv.URL+s.path)
		if fi, err := os.Stat(abs); err != nil || fi.Size() < 10_000 {
			t.Errorf("screenshot %s not written: %v", s.file, err)
		}
	}
}
