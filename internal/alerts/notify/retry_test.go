package notify_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/backlash-monitor/backlash/internal/alerts/notify"
)

func TestRetryBacksOffHonoursRetryAfterAndKeepsToBudget(t *testing.T) {
	var waits []time.Duration
	sleep := func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil }
	calls := 0
	flaky := notify.NotifierFunc(func(context.Context, *notify.Message) (bool, error) {
		calls++
		switch calls {
		case 1:
			return true, errors.New("503")
		case 2:
			return true, &notify.RetryAfterError{After: 20 * time.Second, Err: errors.New("429")}
		}
		return false, nil
	})
	r := &notify.Retry{Next: flaky, Attempts: 5, Backoff: notify.Backoff{Initial: time.Second, Max: 8 * time.Second},
		MaxWait: 25 * time.Second, Sleep: sleep}
	if _, err := r.Notify(context.Background(), &notify.Message{}); err != nil {
		t.Fatal(err)
	}
	if len(waits) != 2 || waits[0] != time.Second || waits[1] != 20*time.Second {
		t.Fatalf("waits %v, want [1s 20s]", waits)
	}
	// 21s of the 25s budget is spent: waits of 1s and 2s fit, 4s does not.
	calls = 0
	down := notify.NotifierFunc(func(context.Context, *notify.Message) (bool, error) { calls++; return true, errors.New("503") })
	r.Next = down
	retry, err := r.Notify(context.Background(), &notify.Message{})
	if !retry || !errors.Is(err, notify.ErrBudgetExhausted) || calls != 3 {
		t.Fatalf("retry=%v err=%v calls=%d", retry, err, calls)
	}
	final := notify.NotifierFunc(func(context.Context, *notify.Message) (bool, error) { return false, errors.New("invalid_auth") })
	r = &notify.Retry{Next: final, Attempts: 5, Sleep: sleep}
	if retry, err := r.Notify(context.Background(), &notify.Message{}); retry || err == nil {
		t.Fatalf("final failure retried: %v %v", retry, err)
	}
}

func TestBackoffDoublesUpToMax(t *testing.T) {
	b := notify.Backoff{Initial: time.Second, Max: 5 * time.Second}
	for i, want := range []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 5 * time.Second, 5 * time.Second} {
		if got := b.Delay(i + 1); got != want {
			t.Errorf("attempt %d: %s, want %s", i+1, got, want)
		}
	}
}
