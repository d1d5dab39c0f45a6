package detect_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/backlash-monitor/backlash/analyzer/detect"
	"github.com/backlash-monitor/backlash/analyzer/detect/nab"
)

func TestExp(t *testing.T) {
	root := findNAB(t)
	std := standardProfile(t, root)
	variants := map[string]func(*detect.Config){
		"default":  func(c *detect.Config) {},
		"twosided": func(c *detect.Config) { c.TwoSided = true },
		"minscale": func(c *detect.Config) { c.MinScale = 1e-9 },
		"both":     func(c *detect.Config) { c.TwoSided = true; c.MinScale = 1e-9 },
	}
	for _, name := range strings.Split(expVariants, ",") {
		cfg := detect.DefaultConfig()
		variants[name](&cfg)
		series, labels := runNABLabels(t, root, "labels_all.json", cfg)
		report(t, name, series, labels, std)
	}
}

func report(t *testing.T, name string, series []nabSeries, labels map[string][]nab.Window, std nab.Profile) {
	var line string
	for _, th := range []float64{0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7} {
		_, tot := scoreAt(series, labels, th, std)
		line += fmt.Sprintf(" %.2f:%.1f", th, tot.Normalized())
	}
	var tw []nabSeries
	for _, s := range series {
		if strings.HasPrefix(s.name, "realTweets") {
			tw = append(tw, s)
		}
	}
	_, all := scoreAt(series, labels, 0.5, std)
	_, twr := scoreAt(tw, labels, 0.5, std)
	var loso nab.Result
	for i, s := range series {
		if !strings.HasPrefix(s.name, "realTweets/") {
			continue
		}
		others := append(append([]nabSeries(nil), series[:i]...), series[i+1:]...)
		th, _ := bestThreshold(others, labels, std, 0.5)
		_, r := scoreAt(series[i:i+1], labels, th, std)
		loso = loso.Add(r)
	}
	t.Logf("%-10s all %.1f (TP %d FP %d) tweets %.1f loso %.1f |%s", name, all.Normalized(), all.TP, all.FP, twr.Normalized(), loso.Normalized(), line)
}
