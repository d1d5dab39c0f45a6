//go:build linux

package sentiment

import (
	"runtime"
	"syscall"
	"time"
)

// threadCPU runs f on a locked OS thread and returns the CPU time that
// thread used, so benchmarks and timing tests are not skewed by other
// processes' load. Work the runtime does on other threads, such as the
// garbage collector's marking, is not counted. It falls back to wall time
// if the thread's usage cannot be read.
func threadCPU(f func()) time.Duration {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var a, b syscall.Rusage
	const rusageThread = 1
	if syscall.Getrusage(rusageThread, &a) != nil {
		start := time.Now()
		f()
		return time.Since(start)
	}
	f()
	if syscall.Getrusage(rusageThread, &b) != nil {
		return 0
	}
	return time.Duration(b.Utime.Nano() + b.Stime.Nano() - a.Utime.Nano() - a.Stime.Nano())
}
