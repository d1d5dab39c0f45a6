package detect_test

import (
	"bytes"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/backlash-monitor/backlash/analyzer/detect"
	"github.com/backlash-monitor/backlash/analyzer/detect/nab"
)

func TestDiag(t *testing.T) {
	root := findNAB(t)
	lf, _ := os.Open(filepath.Join(root, "labels_all.json"))
	labels, _ := nab.ReadLabels(lf)
	var names []string
	for k := range labels {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, name := range names {
		in, _ := os.ReadFile(filepath.Join(root, name))
		var ts []detectRow
		ts = readRows(in)
		d := detect.New(detect.DefaultConfig())
		prob := nab.ProbationaryLength(len(ts))
		var inMax []float64
		outMax := 0.0
		for _, w := range labels[name] {
			_ = w
			inMax = append(inMax, 0)
		}
		for i, r := range ts {
			p := d.Update(r.t, r.v)
			if i < prob {
				continue
			}
			in := false
			for k, w := range labels[name] {
				if !r.t.Before(w.Start) && !r.t.After(w.End) {
					in = true
					if p.Score > inMax[k] {
						inMax[k] = p.Score
					}
				}
			}
			if !in && p.Score > outMax {
				outMax = p.Score
			}
		}
		t.Logf("%-55s out %.2f in %.2v", name, outMax, inMax)
	}
	_ = bytes.NewReader
}
