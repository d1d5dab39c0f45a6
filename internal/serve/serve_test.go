package serve

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/backlash-monitor/backlash/internal/store"
)

func quietLogger(t *testing.T) *slog.Logger {
	t.Helper()
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

// start runs Run in the background and returns its base URL and a stop
// function that cancels it and returns its error.
func start(t *testing.T, o Options) (string, func() error) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	o.Listener = ln
	if o.Logger == nil {
		o.Logger = quietLogger(t)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Run(ctx, o) }()
	var once sync.Once
	var runErr error
	stop := func() error {
		once.Do(func() {
			cancel()
			select {
			case runErr = <-done:
			case <-time.After(10 * time.Second):
				t.Fatal("Run did not return after cancel")
			}
		})
		return runErr
	}
	t.Cleanup(func() { stop() })
	return "http://" + ln.Addr().String(), stop
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestLockRefusesSecondHolder(t *testing.T) {
	path := filepath.Join(t.TempDir(), "backlash.lock")
	release, err := Lock(path)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Lock(path)
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("second Lock: got %v, want ErrLocked", err)
	}
	for _, want := range []string{path, "pid " + strconv.Itoa(os.Getpid())} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %q", err, want)
		}
	}
	release()
	release2, err := Lock(path)
	if err != nil {
		t.Fatalf("Lock after release: %v", err)
	}
	release2()
}

func TestRunRefusesWhenLocked(t *testing.T) {
	path := filepath.Join(t.TempDir(), "backlash.lock")
	release, err := Lock(path)
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	err = Run(context.Background(), Options{Listen: "127.0.0.1:0", LockPath: path, Logger: quietLogger(t)})
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("Run with the lock held: got %v, want ErrLocked", err)
	}
}

func TestBadScheduleNamesSource(t *testing.T) {
	err := Run(context.Background(), Options{Listen: "127.0.0.1:0", Logger: quietLogger(t),
		Sources: []Schedule{{Name: "forum", Cron: "every tuesday"}},
		Job:     func(context.Context, string) error { return nil }})
	if err == nil || !strings.Contains(err.Error(), `"forum"`) {
		t.Fatalf("got %v, want an error naming the source", err)
	}
}

func TestScheduleRunsJobWithoutOverlap(t *testing.T) {
	var calls, active, maxActive atomic.Int32
	ran := make(chan string, 10)
	reg := prometheus.NewRegistry()
	_, stop := start(t, Options{
		Registry: reg,
		Sources:  []Schedule{{Name: "forum", Cron: "@every 1s"}},
		Job: func(ctx context.Context, source string) error {
			n := active.Add(1)
			defer active.Add(-1)
			for {
				m := maxActive.Load()
				if n <= m || maxActive.CompareAndSwap(m, n) {
					break
				}
			}
			calls.Add(1)
			ran <- source
			// Outlast the next tick so the scheduler must skip it.
			select {
			case <-time.After(1500 * time.Millisecond):
			case <-ctx.Done():
			}
			return nil
		},
	})
	select {
	case src := <-ran:
		if src != "forum" {
			t.Fatalf("job ran for %q, want forum", src)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("job never ran")
	}
	time.Sleep(2500 * time.Millisecond)
	if err := stop(); err != nil {
		t.Fatalf("Run: %v", err)
	}
	if m := maxActive.Load(); m != 1 {
		t.Errorf("%d runs of one source at once, want 1", m)
	}
	if !metricAtLeast(t, reg, "backlash_job_skipped_total", 1) {
		t.Error("no skipped tick counted although a run outlasted a tick")
	}
}

func metricAtLeast(t *testing.T, reg *prometheus.Registry, name string, min float64) bool {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		var sum float64
		for _, m := range mf.GetMetric() {
			sum += m.GetCounter().GetValue()
		}
		return sum >= min
	}
	return false
}

func TestHealthReadyMetricsAndDashboard(t *testing.T) {
	var notReady atomic.Bool
	reg := prometheus.NewRegistry()
	m := NewMetrics(reg)
	m.CrawlDone("forum", 3, 40, 1, 2*time.Second)
	m.Inserted(40, 30*time.Millisecond)
	m.AlertSent("slack", true, 200*time.Millisecond)
	m.AlertSent("slack", false, time.Second)
	m.TopicAssessed("payments", 72.5, 14)
	m.IncidentsOpen(map[string]int{"page": 1}, []string{"watch", "warn", "page"})
	m.AlertsDelivered("slack", 2, 0)
	base, _ := start(t, Options{
		Registry: reg,
		Metrics:  m,
		Ready: func(ctx context.Context) error {
			if notReady.Load() {
				return errors.New("clickhouse: connection refused")
			}
			return nil
		},
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, "dashboard "+r.URL.Path)
		}),
	})
	if code, body := get(t, base+"/healthz"); code != 200 || !strings.Contains(body, "ok") {
		t.Errorf("/healthz = %d %q", code, body)
	}
	if code, _ := get(t, base+"/readyz"); code != 200 {
		t.Errorf("/readyz = %d while ready", code)
	}
	notReady.Store(true)
	if code, body := get(t, base+"/readyz"); code != http.StatusServiceUnavailable || !strings.Contains(body, "connection refused") {
		t.Errorf("/readyz = %d %q while not ready, want 503 with the cause", code, body)
	}
	code, body := get(t, base+"/metrics")
	if code != 200 {
		t.Fatalf("/metrics = %d", code)
	}
	for _, name := range []string{
		"backlash_crawl_pages_total", "backlash_crawl_posts_total", "backlash_crawl_errors_total",
		"backlash_crawl_duration_seconds", "backlash_store_inserted_rows_total",
		"backlash_store_insert_duration_seconds", "backlash_alerts_total",
		"backlash_alert_delivery_duration_seconds",
	} {
		if !strings.Contains(body, name) {
			t.Errorf("/metrics lacks %s", name)
		}
	}
	for _, want := range []string{`backlash_topic_risk{topic="payments"} 72.5`, `backlash_topic_negative_posts{topic="payments"} 14`,
		`backlash_incidents_open{severity="page"} 1`, `backlash_incidents_open{severity="watch"} 0`,
		`backlash_alerts_total{channel="slack",result="sent"} 3`} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if !strings.Contains(body, `backlash_alerts_total{channel="slack",result="failed"} 1`) {
		t.Errorf("/metrics does not count the failed alert:\n%s", body)
	}
	if code, body := get(t, base+"/topics/payments"); code != 200 || body != "dashboard /topics/payments" {
		t.Errorf("dashboard path = %d %q", code, body)
	}
}

func TestShutdownCancelsAndAwaitsRunningJob(t *testing.T) {
	started := make(chan struct{})
	var finished atomic.Bool
	var jobErr atomic.Value
	_, stop := start(t, Options{
		Sources: []Schedule{{Name: "forum", Cron: "@every 1s"}},
		Job: func(ctx context.Context, source string) error {
			if finished.Load() {
				return nil
			}
			close(started)
			<-ctx.Done()
			jobErr.Store(ctx.Err())
			// Storing what was collected takes a moment after the cancel.
			time.Sleep(300 * time.Millisecond)
			finished.Store(true)
			return ctx.Err()
		},
	})
	select {
	case <-started:
	case <-time.After(5 * time.Second):
		t.Fatal("job never started")
	}
	if err := stop(); err != nil {
		t.Fatalf("Run: %v", err)
	}
	if !finished.Load() {
		t.Fatal("Run returned before the running job finished")
	}
	if err, _ := jobErr.Load().(error); !errors.Is(err, context.Canceled) {
		t.Errorf("job context ended with %v, want context.Canceled", err)
	}
}

type fakeDB struct {
	pingErr error
	pending int
}

func (f fakeDB) Ping(context.Context) error           { return f.pingErr }
func (f fakeDB) Pending(context.Context) (int, error) { return f.pending, nil }

func TestStoreReady(t *testing.T) {
	ctx := context.Background()
	if err := StoreReady(fakeDB{})(ctx); err != nil {
		t.Errorf("ready store: %v", err)
	}
	if err := StoreReady(fakeDB{pingErr: errors.New("refused")})(ctx); err == nil || !strings.Contains(err.Error(), "unreachable") {
		t.Errorf("unreachable store: %v", err)
	}
	if err := StoreReady(fakeDB{pending: 2})(ctx); err == nil || !strings.Contains(err.Error(), "2 schema migrations") {
		t.Errorf("store with pending migrations: %v", err)
	}
}

// The store is what the daemon checks in production.
var _ Database = (*store.Store)(nil)

// TestRunCreatesStateDirAndSaysWhenServing starts with a state directory
// that does not exist yet: Run creates it for its lock and reports the
// address once it serves.
func TestRunCreatesStateDirAndSaysWhenServing(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "not", "yet")
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan net.Addr, 1)
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, Options{Listen: "127.0.0.1:0", LockPath: filepath.Join(dir, "backlash.lock"), Logger: quietLogger(t),
			Serving: func(a net.Addr) { served <- a }})
	}()
	select {
	case a := <-served:
		if a.String() == "" {
			t.Error("Serving got no address")
		}
	case err := <-done:
		t.Fatalf("Run ended before serving: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not start serving")
	}
	if _, err := os.Stat(filepath.Join(dir, "backlash.lock")); err != nil {
		t.Errorf("lock file: %v", err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run: %v", err)
	}
}
