//go:build !linux

package sentiment

import "time"

// threadCPU falls back to wall time where per-thread CPU time is unavailable.
func threadCPU(f func()) time.Duration {
	start := time.Now()
	f()
	return time.Since(start)
}
