package incident

// State is where an incident is in its life.
type State string

// Incident states.
const (
	// StateOpen is an incident some rule still holds, or held within the
	// resolve delay.
	StateOpen State = "open"
	// StateResolved is an incident whose rules have all stayed clear for
	// the resolve delay.
	StateResolved State = "resolved"
)

// Severity is how urgent an incident is: watch, warn or page, in rising
// order.
type Severity string

// Severities, in rising order.
const (
	SeverityWatch Severity = "watch"
	SeverityWarn  Severity = "warn"
	SeverityPage  Severity = "page"
)

// Severities returns the known severities in rising order.
func Severities() []Severity { return []Severity{SeverityWatch, SeverityWarn, SeverityPage} }

// Rank orders severities: watch 1, warn 2, page 3, anything else 0, so
// an unknown severity ranks below every known one.
func (s Severity) Rank() int {
	for i, x := range Severities() {
		if x == s {
			return i + 1
		}
	}
	return 0
}
