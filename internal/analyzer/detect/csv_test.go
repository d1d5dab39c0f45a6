package detect_test

import (
	"bytes"
	"encoding/csv"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/backlash-monitor/backlash/internal/analyzer/detect"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/")

// TestRunCSVGolden runs RunCSV over a synthetic series with a step and
// compares the output with testdata/step.golden.csv. Run with -update
// after an intended change of the detector.
func TestRunCSVGolden(t *testing.T) {
	in, err := os.ReadFile(filepath.Join("testdata", "step.csv"))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := detect.RunCSV(bytes.NewReader(in), &out, detect.DefaultConfig()); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "step.golden.csv")
	if *update {
		if err := os.WriteFile(golden, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out.Bytes(), want) {
		t.Errorf("output differs from %s (run go test -run TestRunCSVGolden -update after an intended change)", golden)
	}
	// The step, at row 4 days + 12h, must be detected within half an hour.
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	stepRow := 4*288 + 144 + 1 // +1 for the header
	fired := false
	for _, l := range lines[stepRow : stepRow+6] {
		var s float64
		fmt.Sscanf(l[strings.LastIndexByte(l, ',')+1:], "%g", &s)
		fired = fired || s >= 0.5
	}
	if !fired {
		t.Errorf("step not detected within 30 minutes: %q", lines[stepRow:stepRow+6])
	}
}

// TestWriteStepCSV regenerates testdata/step.csv (six days, a threefold step
// at noon on day five). Kept so the input can be rebuilt with -update.
func TestWriteStepCSV(t *testing.T) {
	if !*update {
		t.Skip("only with -update")
	}
	s := synth(42, 6, 20, func(tm time.Time) float64 {
		if !tm.Before(at(4, 12, 0)) {
			return 3
		}
		return 1
	})
	var b strings.Builder
	b.WriteString("timestamp,value\n")
	for i, tm := range s.times {
		fmt.Fprintf(&b, "%s,%g\n", tm.Format("2006-01-02 15:04:05"), s.values[i])
	}
	if err := os.WriteFile(filepath.Join("testdata", "step.csv"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestRunCSVFormats(t *testing.T) {
	cases := []struct {
		name, in string
		rows     int
	}{
		{"header, NAB style", "timestamp,value\n2015-02-26 21:42:53,104\n2015-02-26 21:47:53,100\n", 2},
		{"no header", "2015-02-26 21:42:53,104\n2015-02-26 21:47:53,100\n", 2},
		{"RFC 3339", "timestamp,value\n2015-02-26T21:42:53Z,1\n2015-02-26T21:47:53+00:00,2\n", 2},
		{"unix seconds", "1424986973,1\n1424987273,2\n1424987573,3\n", 3},
		{"fractional seconds and spaces", "t,v\n2015-02-26 21:42:53.000000, 4\n2015-02-26 21:47:53.000000, 5\n", 2},
		{"empty value is missing", "t,v\n2015-02-26 21:42:53,4\n2015-02-26 21:47:53,\n2015-02-26 21:52:53,5\n", 3},
		{"blank lines", "t,v\n\n1424986973,1\n\n1424987273,2\n", 2},
		{"header only", "timestamp,value\n", 0},
		{"empty", "", 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			if err := detect.RunCSV(strings.NewReader(tc.in), &out, detect.Config{}); err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(strings.TrimSpace(out.String()), "\n")
			if lines[0] != "timestamp,value,anomaly_score" {
				t.Errorf("header %q", lines[0])
			}
			if got := len(lines) - 1; got != tc.rows {
				t.Errorf("%d rows out, want %d:\n%s", got, tc.rows, out.String())
			}
		})
	}
}

func TestRunCSVErrorsNameTheLine(t *testing.T) {
	cases := []struct {
		name, in, want string
	}{
		{"bad timestamp", "timestamp,value\n2015-02-26 21:42:53,1\nyesterday,2\n", "line 3"},
		{"bad value", "timestamp,value\n2015-02-26 21:42:53,1\n2015-02-26 21:47:53,1\n2015-02-26 21:52:53,lots\n", "line 4"},
		{"one field", "timestamp,value\n2015-02-26 21:42:53,1\n2015-02-26 21:47:53\n", "line 3"},
		{"bad quote", "timestamp,value\n2015-02-26 21:42:53,\"1\n", "line 2"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := detect.RunCSV(strings.NewReader(tc.in), &bytes.Buffer{}, detect.Config{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want it to name %s", err, tc.want)
			}
		})
	}
}

func TestParseTime(t *testing.T) {
	want := time.Date(2015, 2, 26, 21, 42, 53, 0, time.UTC)
	for _, s := range []string{"2015-02-26 21:42:53", "2015-02-26T21:42:53Z", "2015-02-26T22:42:53+01:00", "1424986973", "1424986973.0", "2015-02-26 21:42:53.000000"} {
		got, err := detect.ParseTime(s)
		if err != nil || !got.Equal(want) {
			t.Errorf("ParseTime(%q) = %v, %v; want %v", s, got, err, want)
		}
	}
}

func FuzzRunCSV(f *testing.F) {
	f.Add([]byte("timestamp,value\n2015-02-26 21:42:53,104\n2015-02-26 21:47:53,100\n"))
	f.Add([]byte("1,1\n2,NaN\n3,Inf\n4,-5\n"))
	f.Add([]byte("2015-02-26T21:42:53Z,1e308\n2015-02-26T21:42:53Z,1\n2015-02-26T21:40:53Z,1\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		var out bytes.Buffer
		if err := detect.RunCSV(bytes.NewReader(in), &out, detect.Config{}); err != nil {
			return
		}
		recs, err := csv.NewReader(&out).ReadAll()
		if err != nil {
			t.Fatalf("output is not CSV: %v", err)
		}
		for _, r := range recs[1:] {
			s, err := strconv.ParseFloat(r[2], 64)
			if err != nil || math.IsNaN(s) || s < 0 || s > 1 {
				t.Fatalf("bad score in %q", r)
			}
		}
	})
}

func BenchmarkRunCSV(b *testing.B) {
	in, err := os.ReadFile(filepath.Join("testdata", "step.csv"))
	if err != nil {
		b.Fatal(err)
	}
	rows := bytes.Count(in, []byte("\n")) - 1
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		if err := detect.RunCSV(bytes.NewReader(in), &bytes.Buffer{}, detect.Config{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "points/s")
}
