package demo

import "time"

// AssessedRisk is one topic's risk score at one run of a replay.
type AssessedRisk struct {
	At    time.Time
	Topic string
	Risk  float64
	// Velocity is the velocity component's points.
	Velocity float64
}

// Margins are how far apart the backlash and the calm stretches scored.
type Margins struct {
	// At15 and At30 are the backlash topic's risk 15 and 30 minutes after
	// the onset.
	At15, At30 float64
	// Calm is the highest risk before the onset or on another topic.
	Calm AssessedRisk
}

// RiskMargins finds, in a replay's risk scores, the backlash topic's risk
// 15 and 30 minutes after onset and the highest calm score.
func RiskMargins(risks []AssessedRisk, onset time.Time, backlash string) Margins {
	var m Margins
	for _, a := range risks {
		switch {
		case a.At.Before(onset) || a.Topic != backlash:
			if a.Risk > m.Calm.Risk {
				m.Calm = a
			}
		case a.At.Equal(onset.Add(15 * time.Minute)):
			m.At15 = a.Risk
		case a.At.Equal(onset.Add(30 * time.Minute)):
			m.At30 = a.Risk
		}
	}
	return m
}
