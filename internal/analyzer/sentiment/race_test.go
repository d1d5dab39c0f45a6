//go:build race

package sentiment

// raceEnabled skips timing bars, which the race detector distorts.
const raceEnabled = true
