package fetch

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/backlash-monitor/backlash/internal/config"
)

// TestDo checks the requests a rendered page makes: the page's own
// headers pass, the crawler's replace them, credentials go only to the
// source's hosts, a converted body is labelled UTF-8, and methods that
// change a site are refused.
func TestDo(t *testing.T) {
	t.Setenv("TEST_DO_AUTH", "Bearer s3cret")
	type seen struct {
		method string
		h      http.Header
		body   string
	}
	got := map[string]seen{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got[r.Host+r.URL.Path] = seen{r.Method, r.Header.Clone(), string(b)}
		switch r.URL.Path {
		case "/gbk.js":
			w.Header().Set("Content-Type", "application/javascript; charset=gbk")
			w.Write([]byte("var s = '\xd6\xd0\xce\xc4';"))
		default:
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"ok":true}`))
		}
	}))
	defer srv.Close()
	u, _ := url.Parse(srv.URL)
	other := "http://localhost:" + u.Port()
	src := &config.Source{
		Name: "spa", Kind: "html", URLs: []string{srv.URL + "/"},
		AllowPrivate: true, IgnoreRobots: true, AllowedDomains: []string{"127.0.0.1", "localhost"},
		HeaderEnv: map[string]config.SecretEnv{"Authorization": "TEST_DO_AUTH"},
	}
	f, err := New(context.Background(), src, Config{UserAgent: "backlash-test"})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ctx := context.Background()
	page := http.Header{"User-Agent": {"Mozilla/5.0 HeadlessChrome"}, "X-Requested-With": {"fetch"}, "Content-Type": {"application/json"}, "Host": {"evil.example"}}
	if _, err := f.Do(ctx, Request{Method: http.MethodPost, URL: srv.URL + "/api", Header: page, Body: []byte(`{"q":1}`)}); err != nil {
		t.Fatal(err)
	}
	api := got[u.Host+"/api"]
	if api.method != "POST" || api.body != `{"q":1}` || api.h.Get("X-Requested-With") != "fetch" {
		t.Errorf("POST arrived as %+v", api)
	}
	if api.h.Get("User-Agent") != "backlash-test" || api.h.Get("Authorization") != "Bearer s3cret" {
		t.Errorf("crawler's headers missing on the source's host: %v", api.h)
	}
	if _, err := f.Do(ctx, Request{URL: other + "/cdn.js", Header: page}); err != nil {
		t.Fatal(err)
	}
	if h := got["localhost:"+u.Port()+"/cdn.js"].h; h == nil || h.Get("Authorization") != "" {
		t.Errorf("credentials sent to another host: %v", h)
	}
	p, err := f.Do(ctx, Request{URL: srv.URL + "/gbk.js"})
	if err != nil {
		t.Fatal(err)
	}
	if string(p.Body) != "var s = '中文';" || p.Header.Get("Content-Type") != "application/javascript; charset=utf-8" {
		t.Errorf("converted script: %q, %q", p.Body, p.Header.Get("Content-Type"))
	}
	for _, m := range []string{"PUT", "DELETE", "PATCH"} {
		if _, err := f.Do(ctx, Request{Method: m, URL: srv.URL + "/api"}); !errors.Is(err, ErrMethod) {
			t.Errorf("%s: err %v, want ErrMethod", m, err)
		}
	}
	if _, err := f.Do(ctx, Request{URL: "http://example.invalid/x"}); err == nil {
		t.Error("a host off allowed_domains was fetched")
	}
}
