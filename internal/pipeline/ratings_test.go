package pipeline

import (
	"testing"

	"github.com/backlash-monitor/backlash/internal/analyzer"
	"github.com/backlash-monitor/backlash/internal/analyzer/risk"
	"github.com/backlash-monitor/backlash/internal/series"
)

// TestSignalsCarryRatings: the one-star part reaches the alert engine and
// topic_risk only for a window with rated reviews.
func TestSignalsCarryRatings(t *testing.T) {
	rated := analyzer.Assessment{Topic: "sync", Risk: risk.Score{Total: 40, Anomaly: 20, OneStar: 13},
		Stats: series.WindowStats{Posts: 60, Rated: 40, OneStar: 30}}
	plain := analyzer.Assessment{Topic: "pricing", Risk: risk.Score{Total: 20, Anomaly: 20}}
	sigs := Signals([]analyzer.Assessment{rated, plain})
	if v, ok := sigs[0].Components["one_star"]; !ok || v != 13 || sigs[0].Rated != 40 || sigs[0].OneStar != 30 {
		t.Errorf("rated window: %+v", sigs[0])
	}
	if _, ok := sigs[1].Components["one_star"]; ok || len(sigs[1].Components) != 5 {
		t.Errorf("window without reviews: components %v", sigs[1].Components)
	}
	if rows := RiskRows([]analyzer.Assessment{rated}); rows[0].OneStar != 13 {
		t.Errorf("risk row one_star = %v", rows[0].OneStar)
	}
}
