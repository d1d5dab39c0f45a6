package notify

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// Backoff is an exponential backoff: Initial, doubled per attempt, capped at
// Max.
type Backoff struct {
	// Initial is the first wait.
	Initial time.Duration
	// Max caps every wait.
	Max time.Duration
}

// Delay returns the wait after the given failed attempt (1-based).
func (b Backoff) Delay(attempt int) time.Duration {
	d := b.Initial
	for i := 1; i < attempt && d < b.Max; i++ {
		d *= 2
	}
	if b.Max > 0 && d > b.Max {
		d = b.Max
	}
	return d
}

// Sleep waits for d or until ctx is done.
func Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Retry is a stage that retries a notifier's retryable failures with
// exponential backoff, honouring a receiver's Retry-After. Its total waiting
// is bounded by MaxWait across every message it handles, so one run never
// stalls for long; what it gives up on is left for the caller's outbox.
type Retry struct {
	// Next is the wrapped notifier.
	Next Notifier
	// Attempts is how many times one message is tried (at least 1).
	Attempts int
	// Backoff spaces the attempts.
	Backoff Backoff
	// MaxWait bounds the total time spent waiting; 0 means no bound.
	MaxWait time.Duration
	// Sleep waits; nil means the real Sleep. Tests inject a fake clock.
	Sleep func(ctx context.Context, d time.Duration) error

	mu     sync.Mutex
	waited time.Duration
}

// Notify delivers m, retrying retryable failures.
func (r *Retry) Notify(ctx context.Context, m *Message) (bool, error) {
	sleep := r.Sleep
	if sleep == nil {
		sleep = Sleep
	}
	attempts := max(r.Attempts, 1)
	for attempt := 1; ; attempt++ {
		retry, err := r.Next.Notify(ctx, m)
		if err == nil || !retry {
			return retry, err
		}
		if attempt >= attempts {
			return true, fmt.Errorf("after %d attempts: %w", attempt, err)
		}
		d := r.Backoff.Delay(attempt)
		if ra := RetryAfter(err); ra > d {
			d = ra
		}
		if !r.take(d) {
			return true, fmt.Errorf("%w: %w", ErrBudgetExhausted, err)
		}
		if serr := sleep(ctx, d); serr != nil {
			return true, fmt.Errorf("waiting to retry: %w (last failure: %w)", serr, err)
		}
	}
}

// take books d against the budget and reports whether it fits.
func (r *Retry) take(d time.Duration) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.MaxWait > 0 && r.waited+d > r.MaxWait {
		return false
	}
	r.waited += d
	return true
}

// Tee is a stage that delivers to Primary and, once Primary succeeded, to
// Mirror (e.g. the console next to Slack). The mirror's failures are logged
// by the caller through OnMirrorError and never retried, so a retry of the
// primary never prints twice.
type Tee struct {
	// Primary decides success and retry.
	Primary Notifier
	// Mirror sees each message the primary delivered.
	Mirror Notifier
	// OnMirrorError, when set, receives the mirror's failures.
	OnMirrorError func(m *Message, err error)
}

// Notify delivers to the primary, then to the mirror.
func (t *Tee) Notify(ctx context.Context, m *Message) (bool, error) {
	retry, err := t.Primary.Notify(ctx, m)
	if err != nil {
		return retry, err
	}
	cp := *m
	if _, merr := t.Mirror.Notify(ctx, &cp); merr != nil && t.OnMirrorError != nil {
		t.OnMirrorError(m, merr)
	}
	return false, nil
}
