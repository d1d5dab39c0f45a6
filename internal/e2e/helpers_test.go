package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/backlash-monitor/backlash/internal/alerts/slackserver"
	"github.com/backlash-monitor/backlash/internal/config"
	"github.com/backlash-monitor/backlash/internal/pipeline"
	"github.com/backlash-monitor/backlash/internal/store"
	"github.com/backlash-monitor/backlash/internal/store/chtest"
)

func TestMain(m *testing.M) { chtest.Main(m) }

// base is the simulated start of every test's world: a fixed past date so
// partitions and buckets are reproducible.
var base = time.Date(2026, 10, 5, 0, 0, 0, 0, time.UTC)

const (
	topic       = "checkout"
	slackTokEnv = "BACKLASH_E2E_SLACK_TOKEN"
)

// clock is a settable clock shared by the system, the site and the Slack
// stand-in.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock(t time.Time) *clock { return &clock{t: t} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// forumPost is one post the test forum publishes.
type forumPost struct {
	ID, Author, Text string
	At               time.Time
	Likes            int
}

// forum is a small paginated forum: /forum/latest lists the posts
// published up to its clock, newest first, PerPage a page. It records every
// post id it served and can run a hook before serving each page.
type forum struct {
	t       testing.TB
	tmpl    *template.Template
	now     func() time.Time
	PerPage int
	// Delay is slept before each page is served.
	Delay time.Duration
	// BeforePage runs before page number n (1-based, counted over the
	// forum's lifetime) is served.
	BeforePage func(n int)
	// Authorization, when set, is the header value every page requires.
	Authorization string
	mu            sync.Mutex
	posts         []forumPost
	served        map[string]bool
	pages         int
	srv           *httptest.Server
}

func newForum(t testing.TB, now func() time.Time) *forum {
	t.Helper()
	tmpl := template.Must(template.ParseFiles(filepath.Join("testdata", "forum.html.tmpl")))
	f := &forum{t: t, tmpl: tmpl, now: now, PerPage: 20, served: map[string]bool{}}
	mux := http.NewServeMux()
	mux.HandleFunc("/forum/latest", f.latest)
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

// URL is the listing's address.
func (f *forum) URL() string { return f.srv.URL + "/forum/latest" }

// Add publishes posts (each appears once the clock reaches its time).
func (f *forum) Add(ps ...forumPost) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.posts = append(f.posts, ps...)
}

// SetDelay sets how long each page takes to serve.
func (f *forum) SetDelay(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.Delay = d
}

// Served returns the ids served so far.
func (f *forum) Served() map[string]bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make(map[string]bool, len(f.served))
	for k := range f.served {
		out[k] = true
	}
	return out
}

// Pages returns how many listing pages were served.
func (f *forum) Pages() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.pages
}

func (f *forum) latest(w http.ResponseWriter, r *http.Request) {
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	if page < 1 {
		page = 1
	}
	f.mu.Lock()
	if f.Authorization != "" && r.Header.Get("Authorization") != f.Authorization {
		f.mu.Unlock()
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	f.pages++
	n := f.pages
	hook, delay := f.BeforePage, f.Delay
	now := f.now()
	var vis []forumPost
	for _, p := range f.posts {
		if !p.At.After(now) {
			vis = append(vis, p)
		}
	}
	f.mu.Unlock()
	if hook != nil {
		hook(n)
	}
	if delay > 0 {
		select {
		case <-time.After(delay):
		case <-r.Context().Done():
			return
		}
	}
	sort.SliceStable(vis, func(i, j int) bool { return vis[i].At.After(vis[j].At) })
	lo := min((page-1)*f.PerPage, len(vis))
	hi := min(lo+f.PerPage, len(vis))
	type item struct {
		ID, Author, Time string
		Text             string
		Likes            int
	}
	data := struct {
		Posts []item
		Next  string
	}{}
	for _, p := range vis[lo:hi] {
		data.Posts = append(data.Posts, item{ID: p.ID, Author: p.Author, Time: p.At.UTC().Format(time.RFC3339), Text: p.Text, Likes: p.Likes})
	}
	if hi < len(vis) {
		data.Next = "/forum/latest?page=" + strconv.Itoa(page+1)
	}
	var b bytes.Buffer
	if err := f.tmpl.Execute(&b, data); err != nil {
		http.Error(w, err.Error(), 500)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if _, err := w.Write(b.Bytes()); err != nil {
		return
	}
	f.mu.Lock()
	for _, p := range vis[lo:hi] {
		f.served[p.ID] = true
	}
	f.mu.Unlock()
}

// calmHistory returns n neutral-to-happy posts about the topic spread evenly
// over [from, to), by a handful of regulars.
func calmHistory(prefix string, from, to time.Time, n int) []forumPost {
	texts := []string{
		"The checkout worked fine for me today, thanks.",
		"Paid through the checkout in a minute, nice and quick.",
		"Checkout page looks good, the receipt arrived straight away.",
		"Does the checkout accept gift cards? Just asking, all good otherwise.",
		"Love how simple the new checkout is.",
	}
	step := to.Sub(from) / time.Duration(n)
	out := make([]forumPost, n)
	for i := range out {
		// A regular says the same thing again only after more than a day
		// (60 posts later), so no post is a repost that counts once.
		out[i] = forumPost{ID: fmt.Sprintf("%s-%04d", prefix, i), Author: fmt.Sprintf("regular%d", i%12),
			Text: texts[(i/12)%len(texts)], At: from.Add(time.Duration(i) * step), Likes: i % 7}
	}
	return out
}

// burst returns n negative posts about the topic by n distinct authors over
// the span before end.
func burst(prefix string, end time.Time, span time.Duration, n int) []forumPost {
	texts := []string{
		"The checkout is broken again, charged twice and no order. Terrible, I want a refund.",
		"Worst update ever: checkout keeps failing at the payment step. Awful.",
		"Checkout crashed and lost my cart. This is a disaster, so angry.",
		"Horrible checkout bug, my card was declined three times. Hate this.",
	}
	out := make([]forumPost, n)
	for i := range out {
		out[i] = forumPost{ID: fmt.Sprintf("%s-%04d", prefix, i), Author: fmt.Sprintf("angry_%02d", i),
			Text: texts[i%len(texts)], At: end.Add(-span + time.Duration(i+1)*span/time.Duration(n+1)), Likes: 10 + i}
	}
	return out
}

// cfgOpts are the parts of a configuration a test chooses.
type cfgOpts struct {
	StateDir, Addr, DB, ForumURL string
	// SlackURL adds a Slack receiver and the alert rule; empty means no
	// alerts section.
	SlackURL    string
	PasswordEnv string
	// AuthEnv, when set, names the variable holding the forum's
	// Authorization header.
	AuthEnv  string
	MaxPages int
	// Evidence is how many negative posts an alert quotes (default 5).
	Evidence int
}

func configYAML(o cfgOpts) string {
	if o.MaxPages == 0 {
		o.MaxPages = 500
	}
	if o.Evidence == 0 {
		o.Evidence = 5
	}
	var b strings.Builder
	fmt.Fprintf(&b, "state_dir: %q\nclickhouse:\n  addr: [%q]\n  database: %s\n", o.StateDir, o.Addr, o.DB)
	if o.PasswordEnv != "" {
		fmt.Fprintf(&b, "  password_env: %s\n", o.PasswordEnv)
	}
	fmt.Fprintf(&b, `crawler:
  user_agent: backlash-e2e/1
  timeout: 10s
  retries: 1
topics:
  - name: %s
    keywords: [checkout]
sources:
  - name: forum
    kind: html
    urls: [%q]
    allow_private: true
    delay: 1ms
    max_pages: %d
    lookback: 1h
    html: {item: article.post, id: "@data-id", text: .body, author: .author, time: "time@datetime", likes: .likes, next: "a[rel=next]@href"}
`, topic, o.ForumURL, o.MaxPages)
	if o.AuthEnv != "" {
		fmt.Fprintf(&b, "    header_env: {Authorization: %s}\n", o.AuthEnv)
	}
	if o.SlackURL != "" {
		b.WriteString(alertsYAML(o.Evidence, o.SlackURL))
	}
	return b.String()
}

func parseConfig(t testing.TB, yaml string) *config.Config {
	t.Helper()
	cfg, err := config.Parse("e2e.yaml", []byte(yaml))
	if err != nil {
		t.Fatalf("config: %v\n%s", err, yaml)
	}
	return cfg
}

// testLogger writes the system's warnings and errors to the test log.
func testLogger(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(logWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

type logWriter struct{ t testing.TB }

func (w logWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// openSystem builds the system in-process with the test's clock.
func openSystem(t testing.TB, cfg *config.Config, now func() time.Time, spool string, noAlerts bool) *pipeline.System {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	sys, err := pipeline.Open(ctx, cfg, pipeline.SystemOptions{Logger: testLogger(t), Now: now, SpoolDir: spool,
		NoAlerts: noAlerts, Entities: func([]string) []string { return nil }})
	if err != nil {
		t.Fatalf("open system: %v", err)
	}
	return sys
}

// run runs the job once at the clock's time.
func run(t testing.TB, sys *pipeline.System, id string, now time.Time) (pipeline.RunResult, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	return sys.Job.Run(ctx, id, sys.Config.Sources, now)
}

// mustRun runs the job and fails the test on any error.
func mustRun(t testing.TB, sys *pipeline.System, id string, now time.Time) pipeline.RunResult {
	t.Helper()
	res, err := run(t, sys, id, now)
	if err != nil {
		t.Fatalf("run %s: %v", id, err)
	}
	return res
}

// openStore connects to a database directly, to read back what arrived.
func openStore(t testing.TB, addr, db string) *store.Store {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	st, err := store.Open(ctx, store.Options{Addr: []string{addr}, Database: db, Username: "default", Logger: testLogger(t)})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// dropDatabase removes a test database when the test ends.
func dropDatabase(t testing.TB, addr, db string) {
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		st, err := store.Open(ctx, store.Options{Addr: []string{addr}, Database: db, Username: "default", Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
		if err == nil {
			_ = st.DropDatabase(ctx)
			st.Close()
		}
	})
}

// tally is what the store holds.
type tally struct {
	Final    uint64 // rows of posts FINAL
	Distinct uint64 // distinct (source, id)
	Rollup   uint64 // sum of topic_rollup_5m posts
	Negative uint64 // sum of topic_rollup_5m negative
}

func count(t testing.TB, st *store.Store) tally {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var c tally
	for _, q := range []struct {
		sql string
		dst *uint64
	}{
		{"SELECT count() FROM " + st.Table("posts") + " FINAL", &c.Final},
		{"SELECT uniqExact(source, id) FROM " + st.Table("posts"), &c.Distinct},
		{"SELECT toUInt64(sum(posts)) FROM " + st.Table("topic_rollup_5m"), &c.Rollup},
		{"SELECT toUInt64(sum(negative)) FROM " + st.Table("topic_rollup_5m"), &c.Negative},
	} {
		if err := st.Conn().QueryRow(ctx, q.sql).Scan(q.dst); err != nil {
			t.Fatalf("%s: %v", q.sql, err)
		}
	}
	return c
}

// storedIDs returns the ids in posts FINAL with how many rows each has
// there (FINAL must leave one).
func storedIDs(t testing.TB, st *store.Store) map[string]int {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	rows, err := st.Conn().Query(ctx, "SELECT id FROM "+st.Table("posts")+" FINAL")
	if err != nil {
		t.Fatalf("stored ids: %v", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			t.Fatalf("stored ids: %v", err)
		}
		out[id]++
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("stored ids: %v", err)
	}
	return out
}

// assertExactlyOnce checks that every served id is stored once, nothing else
// is stored, and the rollup counts each post once.
func assertExactlyOnce(t testing.TB, st *store.Store, served map[string]bool) tally {
	t.Helper()
	ids := storedIDs(t, st)
	var missing, dup []string
	for id := range served {
		switch ids[id] {
		case 0:
			missing = append(missing, id)
		case 1:
		default:
			dup = append(dup, id)
		}
	}
	for id, n := range ids {
		if !served[id] {
			t.Errorf("stored post %s (x%d) was never served", id, n)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("%d served posts missing from the store, e.g. %v", len(missing), missing[:min(5, len(missing))])
	}
	if len(dup) > 0 {
		t.Errorf("%d posts stored more than once in posts FINAL, e.g. %v", len(dup), dup[:min(5, len(dup))])
	}
	c := count(t, st)
	if c.Final != uint64(len(served)) || c.Distinct != uint64(len(served)) || c.Rollup != uint64(len(served)) {
		t.Errorf("served %d posts; store has FINAL %d, distinct %d, rollup sum %d (want all equal)",
			len(served), c.Final, c.Distinct, c.Rollup)
	}
	return c
}

// topLevel returns the messages that are not thread replies.
func topLevel(msgs []slackserver.Message) []slackserver.Message {
	var out []slackserver.Message
	for _, m := range msgs {
		if m.ThreadTS == "" || m.ThreadTS == m.TS {
			out = append(out, m)
		}
	}
	return out
}

// binary builds cmd/backlash into the test's TempDir; the build cache makes
// every build after the first a link.
func binary(t testing.TB) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "backlash")
	cmd := exec.Command("go", "build", "-o", out, "github.com/backlash-monitor/backlash/cmd/backlash")
	cmd.Env = os.Environ()
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build backlash: %v\n%s", err, b)
	}
	return out
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t testing.TB, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", d, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// blockStrings decodes Block Kit JSON and returns every string value in it,
// so assertions see the text Slack would render rather than JSON escapes.
func blockStrings(t testing.TB, blocks string) []string {
	t.Helper()
	if blocks == "" {
		return nil
	}
	var v any
	if err := json.Unmarshal([]byte(blocks), &v); err != nil {
		t.Fatalf("blocks are not JSON: %v", err)
	}
	var out []string
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case string:
			out = append(out, x)
		case []any:
			for _, e := range x {
				walk(e)
			}
		case map[string]any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(v)
	return out
}

// alertsYAML is the alerts block of the test configs: one negative-surge
// rule on the test topic, fast retries, and Slack at slackURL.
func alertsYAML(evidence int, slackURL string) string {
	return fmt.Sprintf(`alerts:
  console: false
  evidence: %d
  rules:
    - name: negative-surge
      topic: %s
      metric: negative_ratio
      threshold: 3
      severity: warn
      min_posts: 8
      min_authors: 4
  retry: {attempts: 2, initial_backoff: 10ms, max_backoff: 50ms, max_wait: 1s}
  slack:
    token_env: %s
    api_url: %q
    channel: "#comms"
`, evidence, topic, slackTokEnv, slackURL)
}
