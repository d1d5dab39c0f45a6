package detect_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/backlash-monitor/backlash/internal/analyzer/detect"
	"github.com/backlash-monitor/backlash/internal/analyzer/detect/nab"
)

// nabFloor is the overall standard-profile score TestNAB must reach. It is
// set just under what the detector achieves with its default configuration
// and threshold (see README.md).
const nabFloor = 78

// findNAB walks up from the working directory looking for shared/data/nab.
func findNAB(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatalf("getwd: %v", err)
	}
	for {
		p := filepath.Join(dir, "shared", "data", "nab")
		if st, err := os.Stat(filepath.Join(p, "labels.json")); err == nil && !st.IsDir() {
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("NAB data not found: no shared/data/nab (with labels.json) in any parent directory; skipping the benchmark")
		}
		dir = parent
	}
}

type nabSeries struct {
	name   string
	times  []time.Time
	scores []float64
}

// runNAB runs RunCSV over every labelled file and returns the scores.
func runNAB(t testing.TB, root string, cfg detect.Config) ([]nabSeries, map[string][]nab.Window) {
	return runNABLabels(t, root, "labels.json", cfg)
}

// runNABLabels is runNAB over the series named in the given labels file.
func runNABLabels(t testing.TB, root, labelsFile string, cfg detect.Config) ([]nabSeries, map[string][]nab.Window) {
	t.Helper()
	lf, err := os.Open(filepath.Join(root, labelsFile))
	if err != nil {
		t.Fatalf("open labels: %v", err)
	}
	defer lf.Close()
	labels, err := nab.ReadLabels(lf)
	if err != nil {
		t.Fatal(err)
	}
	names := make([]string, 0, len(labels))
	for k := range labels {
		names = append(names, k)
	}
	slices.Sort(names)
	var out []nabSeries
	for _, name := range names {
		in, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(name)))
		if err != nil {
			t.Fatalf("read %s: %v", name, err)
		}
		var buf bytes.Buffer
		if err := detect.RunCSV(bytes.NewReader(in), &buf, cfg); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		recs, err := csv.NewReader(&buf).ReadAll()
		if err != nil {
			t.Fatalf("%s: parse output: %v", name, err)
		}
		s := nabSeries{name: name}
		for _, r := range recs[1:] {
			ts, err := detect.ParseTime(r[0])
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			sc, err := strconv.ParseFloat(r[2], 64)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			s.times = append(s.times, ts)
			s.scores = append(s.scores, sc)
		}
		out = append(out, s)
	}
	return out, labels
}

func scoreAt(series []nabSeries, labels map[string][]nab.Window, thr float64, p nab.Profile) (map[string]nab.Result, nab.Result) {
	per := map[string]nab.Result{}
	var total nab.Result
	for _, s := range series {
		det := make([]bool, len(s.scores))
		for i, v := range s.scores {
			det[i] = v >= thr
		}
		r := nab.Score(s.times, det, labels[s.name], p)
		per[s.name] = r
		total = total.Add(r)
	}
	return per, total
}

// TestNAB scores the default detector on NAB's labelled tweet-volume series
// with one threshold, the detector's own onset threshold, for all files.
func TestNAB(t *testing.T) {
	root := findNAB(t)
	cfg := detect.DefaultConfig()
	series, labels := runNAB(t, root, cfg)
	pf, err := os.Open(filepath.Join(root, "profiles.json"))
	if err != nil {
		t.Fatalf("open profiles: %v", err)
	}
	defer pf.Close()
	profiles, err := nab.ReadProfiles(pf)
	if err != nil {
		t.Fatal(err)
	}
	std, ok := profiles["standard"]
	if !ok {
		t.Fatal("profiles.json has no standard profile")
	}
	thr := cfg.Threshold
	per, total := scoreAt(series, labels, thr, std)
	for _, s := range series {
		r := per[s.name]
		t.Logf("%-40s %6.1f  (TP %d, FN %d, FP %d)", s.name, r.Normalized(), r.TP, r.FN, r.FP)
	}
	t.Logf("%-40s %6.1f  (TP %d, FN %d, FP %d) at threshold %.2f", "overall (standard profile)", total.Normalized(), total.TP, total.FN, total.FP, thr)
	for _, name := range []string{"reward_low_FP_rate", "reward_low_FN_rate"} {
		if p, ok := profiles[name]; ok {
			_, tot := scoreAt(series, labels, thr, p)
			t.Logf("%-40s %6.1f", "overall ("+name+")", tot.Normalized())
		}
	}
	if testing.Verbose() {
		// For information only: how sensitive the figure is to the threshold.
		var line string
		for _, th := range []float64{0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.8, 0.9} {
			_, tot := scoreAt(series, labels, th, std)
			line += fmt.Sprintf(" %.2f:%.1f", th, tot.Normalized())
		}
		t.Logf("threshold sensitivity:%s", line)
	}
	if got := total.Normalized(); got < nabFloor {
		t.Errorf("NAB standard score %.1f below floor %.1f", got, float64(nabFloor))
	}
}
