//go:build unix

package detect_test

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time (user and system) the test process has used, so
// a benchmark can report throughput per CPU second, which holds on a
// machine busy with other work where wall time does not.
func cpuTime() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
