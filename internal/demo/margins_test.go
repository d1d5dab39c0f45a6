package demo

import (
	"testing"
	"time"
)

func TestRiskMargins(t *testing.T) {
	onset := time.Date(2026, 3, 6, 11, 0, 0, 0, time.UTC)
	risks := []AssessedRisk{
		{At: onset.Add(-time.Hour), Topic: "moments", Risk: 41, Velocity: 12},
		{At: onset.Add(-15 * time.Minute), Topic: "moments", Risk: 30},
		{At: onset.Add(15 * time.Minute), Topic: "moments", Risk: 38},
		{At: onset.Add(15 * time.Minute), Topic: "card", Risk: 12},
		{At: onset.Add(30 * time.Minute), Topic: "moments", Risk: 66},
		{At: onset.Add(20 * time.Hour), Topic: "card", Risk: 43, Velocity: 3},
		{At: onset.Add(2 * time.Hour), Topic: "moments", Risk: 90},
	}
	m := RiskMargins(risks, onset, "moments")
	if m.At15 != 38 || m.At30 != 66 || m.Calm.Risk != 43 || m.Calm.Topic != "card" || m.Calm.Velocity != 3 {
		t.Fatalf("margins = %+v, want 38 at +15m, 66 at +30m and the calm topic's 43 as the calm peak", m)
	}
}
