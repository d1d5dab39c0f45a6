package serve

import (
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// gauge reads a gauge's value for a source from the registry.
func gauge(t *testing.T, reg *prometheus.Registry, name, source string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "source" && l.GetValue() == source {
					return m.GetGauge().GetValue()
				}
			}
		}
	}
	t.Fatalf("no %s for %s", name, source)
	return 0
}

func TestSourceHealthMetrics(t *testing.T) {
	reg := prometheus.NewRegistry()
	m := NewMetrics(reg)
	m.CrawlDone("forum", 1, 0, 1, time.Second)
	m.CrawlDone("forum", 1, 0, 1, time.Second)
	m.CrawlDone("api", 2, 40, 1, time.Second) // errors but posts: not a failed run
	m.SourceHealth("forum", false)
	m.SourceHealth("api", true)
	for _, c := range []struct {
		name string
		got  float64
		want float64
	}{
		{"forum failures", gauge(t, reg, "backlash_source_consecutive_failures", "forum"), 2},
		{"api failures", gauge(t, reg, "backlash_source_consecutive_failures", "api"), 0},
		{"forum up", gauge(t, reg, "backlash_source_up", "forum"), 0},
		{"api up", gauge(t, reg, "backlash_source_up", "api"), 1},
	} {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	m.CrawlDone("forum", 1, 5, 0, time.Second)
	if got := gauge(t, reg, "backlash_source_consecutive_failures", "forum"); got != 0 {
		t.Errorf("forum failures after a good run = %v, want 0", got)
	}
}
