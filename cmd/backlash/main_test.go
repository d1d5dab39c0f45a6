package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func run(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = runMain(context.Background(), &env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb}, args)
	return code, out.String(), errb.String()
}

func TestExitCodes(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(bad, []byte("topics:\n  - name: pay\n    keyword: [pay]\n"), 0o600)
	tests := []struct {
		args  []string
		code  int
		inOut string // must appear in stdout
		inErr string // must appear in stderr
	}{
		{nil, exitUsage, "usage: backlash", ""},
		{[]string{"help"}, exitOK, "commands:", ""},
		{[]string{"frobnicate"}, exitUsage, "", `unknown command "frobnicate"`},
		{[]string{"version"}, exitOK, "backlash ", ""},
		{[]string{"config", "check", "--config", "../../internal/config/example.yaml"}, exitOK, "config/example.yaml: ok", ""},
		{[]string{"config", "check", "--config", bad}, exitUsage, "", "bad.yaml:3: topics[0].keyword: unknown key"},
		{[]string{"config", "check", "--config", "/nonexistent/backlash.yaml"}, exitUsage, "", "no such file"},
		{[]string{"run", "--help"}, exitOK, "", "usage: backlash run"},
		{[]string{"run", "--no-such-flag"}, exitUsage, "", "flag provided but not defined"},
		{[]string{"detect"}, exitUsage, "", "--input is required"},
		{[]string{"bench", "detection", "--seeds", "0"}, exitUsage, "", "--seeds must be at least 1"},
		{[]string{"bench", "detection", "--parallel", "0"}, exitUsage, "", "--parallel must be at least 1"},
		{[]string{"bench", "nothing"}, exitUsage, "", `unknown benchmark "nothing"`},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, out, errs := run(t, "", tt.args...)
			if code != tt.code || !strings.Contains(out, tt.inOut) || !strings.Contains(errs, tt.inErr) {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tt.code, out, errs)
			}
		})
	}
}

func TestScoreCommand(t *testing.T) {
	t.Setenv("BACKLASH_CONFIG", filepath.Join(t.TempDir(), "none.yaml"))
	code, out, errs := run(t, `{"id":"a","text":"Boycott this app, it is a scam"}`+"\n"+`{"id":"b","text":"这个功能太恶心了"}`+"\n"+`{"id":"c","text":"このアプリは最高です"}`+"\n", "score")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 {
		t.Fatalf("want 3 JSONL lines, got %q", out)
	}
	var a, b, c map[string]any
	json.Unmarshal([]byte(lines[0]), &a)
	json.Unmarshal([]byte(lines[1]), &b)
	json.Unmarshal([]byte(lines[2]), &c)
	if a["id"] != "a" || a["label"] != "negative" || a["compound"].(float64) >= -0.05 {
		t.Errorf("line a = %v", a)
	}
	if b["id"] != "b" || b["label"] != "negative" || b["language"] != "zh" {
		t.Errorf("Chinese outrage must score negative, got %v", b)
	}
	if c["id"] != "c" || c["compound"] != nil || c["language"] != "ja" {
		t.Errorf("a language without a model must have null sentiment, got %v", c)
	}
}

func TestDetectCommand(t *testing.T) {
	code, out, errs := run(t, "2026-03-02T00:00:00Z,10\n2026-03-02T00:05:00Z,12\n2026-03-02T00:10:00Z,11\n", "detect", "--input", "-")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.HasPrefix(out, "timestamp,value,anomaly_score\n") || strings.Count(out, "\n") != 4 {
		t.Fatalf("detect output:\n%s", out)
	}
}

func TestDetectCommandTwoSided(t *testing.T) {
	// A flat series that falls away: only --two-sided scores the fall.
	var in strings.Builder
	t0 := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	for i := 0; i < 600; i++ {
		v := 100 + (i*7)%5
		if i >= 580 {
			v = 2
		}
		fmt.Fprintf(&in, "%s,%d\n", t0.Add(time.Duration(i)*5*time.Minute).Format(time.RFC3339), v)
	}
	maxScore := func(args ...string) float64 {
		t.Helper()
		code, out, errs := run(t, in.String(), append([]string{"detect", "--input", "-"}, args...)...)
		if code != exitOK {
			t.Fatalf("detect %v: exit %d: %s", args, code, errs)
		}
		best := 0.0
		for _, line := range strings.Split(strings.TrimSpace(out), "\n")[1:] {
			f := strings.Split(line, ",")
			v, err := strconv.ParseFloat(f[2], 64)
			if err != nil {
				t.Fatalf("detect output line %q: %v", line, err)
			}
			best = math.Max(best, v)
		}
		return best
	}
	if one, two := maxScore(), maxScore("--two-sided"); one >= 0.5 || two < 0.5 {
		t.Errorf("fall from 100 to 2: top score %.2f rises only, %.2f two-sided; want < 0.5 and >= 0.5", one, two)
	}
	if code, _, errs := run(t, in.String(), "detect", "--input", "-", "--threshold", "1.5"); code != exitUsage || !strings.Contains(errs, "--threshold") {
		t.Errorf("--threshold 1.5: exit %d, %q; want usage error naming --threshold", code, errs)
	}
}

func TestSpanOf(t *testing.T) {
	if got := spanOf([]float64{55, 18.2, 40}); got != "18.2-55.0" {
		t.Fatalf("spanOf = %q", got)
	}
}
