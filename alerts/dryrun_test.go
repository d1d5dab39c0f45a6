package alerts_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/backlash-monitor/backlash/alerts"
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
