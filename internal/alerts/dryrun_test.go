package alerts_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/backlash-monitor/backlash/internal/alerts"
	"github.com/backlash-monitor/backlash/internal/config"
)

var update = flag.Bool("update", false, "rewrite golden files")

func TestDryRunGolden(t *testing.T) {
	cfg := loadAlerts(t, alertsYAML("http://127.0.0.1:1/api/"))
	cfg.Rules[0].For = 0
	clock := newClock(t0)
	sent := 0
	n := alerts.Notifier(notifyCounter(&sent))
	e := alerts.NewEngine(cfg, nil, fakeEvidence{posts: samplePosts(t0)}, n, alerts.Options{
		Logger: quietLogger(t), DashboardURL: "https://backlash.example.com", Now: clock.Now,
		Entities: func([]string) []string { return []string{"Acme Pay", "Tech Daily"} }})
	low := signal(t0, 10)
	low.Topic = "pricing"
	var buf bytes.Buffer
	if err := e.DryRun(context.Background(), []alerts.Signal{signal(t0, 85), low}, &buf); err != nil {
		t.Fatal(err)
	}
	if sent != 0 {
		t.Fatalf("dry run sent %d messages", sent)
	}
	var out []map[string]any
	if err := json.Unmarshal(buf.Bytes(), &out); err != nil || len(out) != 1 || out[0]["kind"] != "open" || out[0]["channel"] != "#leadership" {
		t.Fatalf("dry run output %v (%v):\n%s", out, err, buf.String())
	}
	golden := filepath.Join("testdata", "dryrun.golden.json")
	if *update {
		if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("dry run output differs from %s (run with -update to accept):\n%s", golden, buf.String())
	}
}

// TestDryRunSaysWhenPending: a rule with for: whose threshold holds on a
// first evaluation sends nothing yet, and the dry run says it is pending
// and when it would fire.
func TestDryRunSaysWhenPending(t *testing.T) {
	cfg := loadAlerts(t, alertsYAML("http://127.0.0.1:1/api/"))
	if cfg.Rules[0].For.D() <= 0 {
		cfg.Rules[0].For = config.Duration(15 * time.Minute)
	}
	sent := 0
	e := alerts.NewEngine(cfg, nil, fakeEvidence{posts: samplePosts(t0)}, alerts.Notifier(notifyCounter(&sent)), alerts.Options{
		Logger: quietLogger(t), Now: newClock(t0).Now, Entities: func([]string) []string { return nil }})
	var out, notes bytes.Buffer
	if err := e.DryRunNotes(context.Background(), []alerts.Signal{signal(t0, 85)}, &out, &notes); err != nil {
		t.Fatal(err)
	}
	if out.String() != "[]\n" {
		t.Errorf("a pending rule would send:\n%s", out.String())
	}
	if !bytes.Contains(notes.Bytes(), []byte("pending: "+signal(t0, 85).Topic+" rule "+cfg.Rules[0].Name)) ||
		!bytes.Contains(notes.Bytes(), []byte("fires if it still holds at")) {
		t.Errorf("notes do not say the rule is pending:\n%s", notes.String())
	}
}
