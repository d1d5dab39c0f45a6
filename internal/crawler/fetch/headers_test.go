package fetch

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/backlash-monitor/backlash/internal/config"
)

// headerLog records the headers each request to a server carried.
type headerLog struct {
	mu   sync.Mutex
	seen map[string]http.Header // by path and query
}

func (l *headerLog) record(r *http.Request) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.seen[r.URL.RequestURI()] = r.Header.Clone()
}

func (l *headerLog) get(path string) http.Header {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.seen[path]
}

func TestSourceHeaders(t *testing.T) {
	t.Setenv("TEST_API_AUTH", "Bearer s3cret-token")
	t.Setenv("TEST_API_KEY", "k3y")
	other := &headerLog{seen: map[string]http.Header{}}
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		other.record(r)
		w.Write([]byte("{}"))
	}))
	defer elsewhere.Close()
	// Another host name for the same loopback server: secrets are kept
	// per host name, whatever the port.
	eu, _ := url.Parse(elsewhere.URL)
	otherURL := "http://localhost:" + eu.Port()

	own := &headerLog{seen: map[string]http.Header{}}
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		own.record(r)
		switch r.URL.Path {
		case "/away":
			http.Redirect(w, r, otherURL+"/landed", http.StatusFound)
		case "/back":
			http.Redirect(w, r, "/search?via=back", http.StatusFound)
		default:
			w.Write([]byte("{}"))
		}
	}))
	defer api.Close()

	src := &config.Source{
		Name: "api", Kind: "json", URLs: []string{api.URL + "/search"},
		AllowPrivate: true, IgnoreRobots: true, AllowedDomains: []string{"127.0.0.1", "localhost"},
		Headers:   map[string]string{"X-Api-Version": "2", "Accept": "application/vnd.api+json"},
		HeaderEnv: map[string]config.SecretEnv{"Authorization": "TEST_API_AUTH", "x-api-key": "TEST_API_KEY"},
	}
	f, err := New(context.Background(), src, Config{UserAgent: "backlash-test"})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, u := range []string{api.URL + "/search", api.URL + "/away", api.URL + "/back", otherURL + "/linked"} {
		if _, err := f.Get(context.Background(), u, "application/json"); err != nil {
			t.Fatalf("get %s: %v", u, err)
		}
	}
	tests := []struct {
		name   string
		h      http.Header
		secret bool
	}{
		{"the source's host", own.get("/search"), true},
		{"a redirect on the source's host", own.get("/search?via=back"), true},
		{"a redirect to another host", other.get("/landed"), false},
		{"a link to another host", other.get("/linked"), false},
	}
	for _, tc := range tests {
		if tc.h == nil {
			t.Fatalf("%s: no request arrived", tc.name)
		}
		if tc.h.Get("X-Api-Version") != "2" || tc.h.Get("Accept") != "application/vnd.api+json" || tc.h.Get("User-Agent") != "backlash-test" {
			t.Errorf("%s: plain headers %v, want X-Api-Version 2, the configured Accept and the crawler's User-Agent", tc.name, tc.h)
		}
		gotSecret := tc.h.Get("Authorization") == "Bearer s3cret-token" && tc.h.Get("X-Api-Key") == "k3y"
		leaked := tc.h.Get("Authorization") != "" || tc.h.Get("X-Api-Key") != ""
		switch {
		case tc.secret && !gotSecret:
			t.Errorf("%s: credentials missing: %v", tc.name, tc.h)
		case !tc.secret && leaked:
			t.Errorf("%s: credentials leaked: %v", tc.name, tc.h)
		}
	}

	// A credential whose variable is unset stops the crawl before any
	// request, naming the header and the variable.
	t.Setenv("TEST_API_AUTH", "")
	_, err = New(context.Background(), src, Config{})
	if err == nil || !strings.Contains(err.Error(), "header_env.Authorization") || !strings.Contains(err.Error(), "TEST_API_AUTH") {
		t.Fatalf("New with an unset credential: %v, want an error naming header_env.Authorization and TEST_API_AUTH", err)
	}
}
