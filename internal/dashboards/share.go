package dashboards

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Limits of the shared-response stage.
const (
	// shareTTL is how long a computed page or API answer is served again
	// to everyone asking for the same URL: the data changes at crawl pace
	// (minutes), a dashboard is reloaded by many people at once.
	shareTTL = 5 * time.Second
	// shareSlots bounds the requests computing at once, and so the
	// ClickHouse queries in flight (the store's pool holds 8 connections).
	shareSlots = 4
	// shareWait is how long a request waits for a slot before it is shed
	// with 503 and Retry-After.
	shareWait = 3 * time.Second
	// shareEntries bounds the cache; past it, answers are not kept.
	shareEntries = 512
)

// sharer serves identical GET requests once: a request for a URL that is
// being computed waits for that computation, one computed less than
// shareTTL ago is answered from memory, and at most shareSlots requests
// compute at once; one that cannot start within shareWait is answered 503
// with Retry-After. It sits behind authentication, so every request that
// reaches it may see every answer.
type sharer struct {
	next  http.Handler
	now   func() time.Time
	slots chan struct{}
	ttl   time.Duration
	wait  time.Duration

	mu       sync.Mutex
	cache    map[string]*answer
	inflight map[string]*computation
}

// answer is a recorded response.
type answer struct {
	status int
	header http.Header
	body   []byte
	at     time.Time
}

// computation is a response being computed; done closes when res is set.
type computation struct {
	done chan struct{}
	res  *answer
}

func newSharer(next http.Handler, now func() time.Time) *sharer {
	return &sharer{next: next, now: now, slots: make(chan struct{}, shareSlots), ttl: shareTTL, wait: shareWait,
		cache: map[string]*answer{}, inflight: map[string]*computation{}}
}

func (s *sharer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet || strings.HasPrefix(r.URL.Path, "/static/") {
		s.next.ServeHTTP(w, r)
		return
	}
	key := r.URL.RequestURI()
	s.mu.Lock()
	if a, ok := s.cache[key]; ok && s.now().Sub(a.at) < s.ttl {
		s.mu.Unlock()
		a.write(w)
		return
	}
	if c, ok := s.inflight[key]; ok {
		s.mu.Unlock()
		select {
		case <-c.done:
			c.res.write(w)
		case <-r.Context().Done():
		}
		return
	}
	c := &computation{done: make(chan struct{})}
	s.inflight[key] = c
	s.mu.Unlock()

	c.res = s.compute(r)
	s.mu.Lock()
	delete(s.inflight, key)
	if c.res.status == http.StatusOK {
		s.keep(key, c.res)
	}
	s.mu.Unlock()
	close(c.done)
	c.res.write(w)
}

// compute runs the request through next once a slot is free, or sheds it.
// It runs on a context the client cannot cancel: others may be waiting for
// the answer (each query is still bounded by queryCtx).
func (s *sharer) compute(r *http.Request) *answer {
	t := time.NewTimer(s.wait)
	defer t.Stop()
	select {
	case s.slots <- struct{}{}:
	case <-t.C:
		return shed()
	}
	defer func() { <-s.slots }()
	rec := &recorder{header: http.Header{}}
	s.next.ServeHTTP(rec, r.WithContext(context.WithoutCancel(r.Context())))
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	return &answer{status: rec.status, header: rec.header, body: rec.body.Bytes(), at: s.now()}
}

// keep caches a, dropping stale answers when the cache is full. Call it
// with s.mu held.
func (s *sharer) keep(key string, a *answer) {
	if len(s.cache) >= shareEntries {
		now := s.now()
		for k, old := range s.cache {
			if now.Sub(old.at) >= s.ttl {
				delete(s.cache, k)
			}
		}
		if len(s.cache) >= shareEntries {
			return
		}
	}
	s.cache[key] = a
}

// shed is the answer to a request the dashboard has no capacity for.
func shed() *answer {
	h := http.Header{}
	h.Set("Retry-After", "1")
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	return &answer{status: http.StatusServiceUnavailable, header: h,
		body: []byte(`{"error":"the dashboard is busy; retry in a second"}` + "\n")}
}

func (a *answer) write(w http.ResponseWriter) {
	h := w.Header()
	for k, v := range a.header {
		h[k] = v
	}
	w.WriteHeader(a.status)
	_, _ = w.Write(a.body)
}

// recorder is an http.ResponseWriter that keeps the response.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
}

func (r *recorder) Write(p []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.body.Write(p)
}
