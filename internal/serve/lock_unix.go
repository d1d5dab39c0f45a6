//go:build unix

package serve

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// ErrLocked is returned (wrapped) by Lock when another process holds the lock.
var ErrLocked = errors.New("another backlash process holds the lock")

// Lock takes an exclusive, non-blocking flock on path, creating the file if
// needed, and writes the process id into it. It fails with an error wrapping
// ErrLocked, naming the holder's pid and the path, when another process
// holds it. The lock is released by calling release or when the process
// exits, however it exits.
func Lock(path string) (release func(), err error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("serve: open lock file: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		defer f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			holder := "unknown pid"
			if b, rerr := os.ReadFile(path); rerr == nil {
				if pid, perr := strconv.Atoi(strings.TrimSpace(string(b))); perr == nil {
					holder = "pid " + strconv.Itoa(pid)
				}
			}
			return nil, fmt.Errorf("serve: %w (%s, lock file %s); stop it first or give this one another state directory", ErrLocked, holder, path)
		}
		return nil, fmt.Errorf("serve: lock %s: %w", path, err)
	}
	if err := f.Truncate(0); err == nil {
		_, _ = f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	released := false
	return func() {
		if released {
			return
		}
		released = true
		// The file stays: removing it would let a process that opened the
		// old file and one that creates a new one both hold "the" lock.
		_ = f.Truncate(0)
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		_ = f.Close()
	}, nil
}
