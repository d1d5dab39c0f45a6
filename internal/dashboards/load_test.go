package dashboards_test

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// loadPaths is what a dashboard's visitors load: every page and the API
// calls the pages make.
var loadPaths = []string{
	"/", "/api/overview",
	"/topics/" + spikeTopic, "/api/topics/" + spikeTopic + "/series?range=24h",
	"/api/topics/" + spikeTopic + "/breakdown", "/api/topics/" + spikeTopic + "/posts",
	"/topics/" + calmTopic, "/api/topics/" + calmTopic + "/series?range=7d",
	"/incidents", "/api/incidents", "/sources", "/api/sources",
}

// loadResult is what a bounded load run saw.
type loadResult struct {
	requests, shed, shedNoRetryAfter int64
	other5xx                         map[int]int
	failed                           int64 // transport errors
	latencies                        []time.Duration
}

func (r *loadResult) p(q float64) time.Duration {
	if len(r.latencies) == 0 {
		return 0
	}
	sort.Slice(r.latencies, func(i, j int) bool { return r.latencies[i] < r.latencies[j] })
	return r.latencies[min(len(r.latencies)-1, int(q*float64(len(r.latencies))))]
}

// load runs clients that each request loadPaths in turn, back to back,
// until d has passed, against the loopback server at base.
func load(t *testing.T, base string, clients int, d time.Duration) *loadResult {
	t.Helper()
	tr := &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients,
		DialContext: (&net.Dialer{Timeout: 5 * time.Second}).DialContext}
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	res := &loadResult{other5xx: map[int]int{}}
	var mu sync.Mutex
	var wg sync.WaitGroup
	stop := time.Now().Add(d)
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var lat []time.Duration
			for i := c; time.Now().Before(stop); i++ {
				t0 := time.Now()
				resp, err := hc.Get(base + loadPaths[i%len(loadPaths)])
				atomic.AddInt64(&res.requests, 1)
				if err != nil {
					atomic.AddInt64(&res.failed, 1)
					continue
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				lat = append(lat, time.Since(t0))
				switch {
				case resp.StatusCode == http.StatusServiceUnavailable:
					atomic.AddInt64(&res.shed, 1)
					if resp.Header.Get("Retry-After") == "" {
						atomic.AddInt64(&res.shedNoRetryAfter, 1)
					}
				case resp.StatusCode >= 500:
					mu.Lock()
					res.other5xx[resp.StatusCode]++
					mu.Unlock()
				}
			}
			mu.Lock()
			res.latencies = append(res.latencies, lat...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	return res
}

// TestDashboardUnderLoad runs 1,000 concurrent clients against the
// dashboard over the scenario for a bounded few seconds: no 5xx but 503,
// every 503 with Retry-After. Then 50 clients: p99 under 2 s. Loopback
// only; figures taken on a shared machine are under its load.
func TestDashboardUnderLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("load test")
	}
	srv, _ := newServer(t)
	for _, tc := range []struct {
		clients int
		d       time.Duration
		p99     time.Duration
	}{
		{1000, 6 * time.Second, 0},
		{50, 4 * time.Second, 2 * time.Second},
	} {
		t.Run(fmt.Sprintf("%d clients", tc.clients), func(t *testing.T) {
			r := load(t, srv.URL, tc.clients, tc.d)
			t.Logf("%d clients for %s: %d requests, %d shed (503), %d transport errors, other 5xx %v; p50 %s p99 %s",
				tc.clients, tc.d, r.requests, r.shed, r.failed, r.other5xx, r.p(0.5).Round(time.Millisecond), r.p(0.99).Round(time.Millisecond))
			if len(r.other5xx) > 0 {
				t.Errorf("5xx other than 503: %v", r.other5xx)
			}
			if r.shedNoRetryAfter > 0 {
				t.Errorf("%d responses 503 without Retry-After", r.shedNoRetryAfter)
			}
			if r.failed > 0 {
				t.Errorf("%d requests failed without an answer", r.failed)
			}
			if tc.p99 > 0 && r.p(0.99) >= tc.p99 {
				t.Errorf("p99 %s at %d clients, want under %s", r.p(0.99), tc.clients, tc.p99)
			}
		})
	}
}
