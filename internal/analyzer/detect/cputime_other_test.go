//go:build !unix

package detect_test

import "time"

// cpuTime is not measured here: benchmarks report wall-time rates only.
func cpuTime() (time.Duration, bool) { return 0, false }
