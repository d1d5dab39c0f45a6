package dashboards

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestSharerComputesOnceAndSheds: concurrent identical requests run the
// handler once and all get its answer; an answer is reused within the TTL;
// more distinct requests than slots, past the wait, get 503 with
// Retry-After; errors are not kept.
func TestSharerComputesOnceAndSheds(t *testing.T) {
	var calls atomic.Int32
	release := make(chan struct{})
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		<-release
		if r.URL.Path == "/fail" {
			http.Error(w, "boom", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprint(w, "answer "+r.URL.RequestURI())
	})
	s := newSharer(h, time.Now)
	s.wait = 200 * time.Millisecond
	get := func(path string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		return rec
	}

	var wg sync.WaitGroup
	recs := make([]*httptest.ResponseRecorder, 20)
	for i := range recs {
		wg.Add(1)
		go func() { defer wg.Done(); recs[i] = get("/api/overview") }()
	}
	time.Sleep(50 * time.Millisecond)
	close(release)
	wg.Wait()
	if n := calls.Load(); n != 1 {
		t.Errorf("20 identical requests ran the handler %d times, want 1", n)
	}
	for i, rec := range recs {
		if rec.Code != 200 || rec.Body.String() != "answer /api/overview" || rec.Header().Get("Content-Type") != "text/plain" {
			t.Fatalf("request %d: %d %q %v", i, rec.Code, rec.Body, rec.Header())
		}
	}
	if rec := get("/api/overview"); rec.Code != 200 || calls.Load() != 1 {
		t.Errorf("within the TTL: status %d, handler calls %d, want the kept answer", rec.Code, calls.Load())
	}
	// Two failing requests in a row: each reaches the handler.
	if first, second := get("/fail").Code, get("/fail").Code; first != 500 || second != 500 || calls.Load() != 3 {
		t.Errorf("an error was kept: handler calls %d, want 3", calls.Load())
	}

	// Fill every slot with slow requests; the next distinct one is shed.
	block := make(chan struct{})
	slow := newSharer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-block }), time.Now)
	slow.wait = 100 * time.Millisecond
	for i := range shareSlots {
		wg.Add(1)
		go func() {
			defer wg.Done()
			slow.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, fmt.Sprintf("/p%d", i), nil))
		}()
	}
	time.Sleep(50 * time.Millisecond)
	rec := httptest.NewRecorder()
	slow.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/other", nil))
	close(block)
	wg.Wait()
	if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") != "1" {
		t.Errorf("with every slot busy: status %d, Retry-After %q; want 503 and 1", rec.Code, rec.Header().Get("Retry-After"))
	}
}
