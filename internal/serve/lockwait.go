package serve

import (
	"context"
	"errors"
	"time"
)

// LockWait takes the lock at path like Lock, waiting up to wait for a
// process that holds it to let go; waiting is called once, with the
// holder's error, when it has to wait. It fails like Lock once wait has
// passed or ctx is done.
func LockWait(ctx context.Context, path string, wait time.Duration, waiting func(error)) (release func(), err error) {
	deadline := time.Now().Add(wait)
	told := false
	for {
		release, err = Lock(path)
		if err == nil || !errors.Is(err, ErrLocked) || !time.Now().Before(deadline) {
			return release, err
		}
		if !told && waiting != nil {
			waiting(err)
			told = true
		}
		t := time.NewTimer(min(200*time.Millisecond, time.Until(deadline)))
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		case <-t.C:
		}
	}
}
