//go:build !unix

package serve

import (
	"errors"
	"fmt"
	"os"
)

// ErrLocked is returned (wrapped) by Lock when another process holds the lock.
var ErrLocked = errors.New("another backlash process holds the lock")

// Lock creates path exclusively; where flock is missing, a stale file left
// by a crash must be removed by hand.
func Lock(path string) (release func(), err error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		if errors.Is(err, os.ErrExist) {
			return nil, fmt.Errorf("serve: %w (lock file %s)", ErrLocked, path)
		}
		return nil, fmt.Errorf("serve: lock %s: %w", path, err)
	}
	fmt.Fprintf(f, "%d\n", os.Getpid())
	return func() { f.Close(); os.Remove(path) }, nil
}
