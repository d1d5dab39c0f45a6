package dashboards

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"
)

//go:embed web/templates/*.html web/static/*
var webFiles embed.FS

// Options configures the dashboard.
type Options struct {
	// Topics are the configured topic names; only these can be asked for.
	Topics []string
	// Sources are the configured source names.
	Sources []string
	// Feeds maps each topic to the sources feeding it, so a topic whose
	// sources are all broken is shown as blind.
	Feeds map[string][]string
	// Token, when set, is a bearer token every request must carry
	// ("Authorization: Bearer <token>"); a browser can give it as the
	// password of the login prompt, with any user name.
	Token string
	// BasicAuth maps user names to passwords accepted with HTTP basic
	// authentication.
	BasicAuth map[string]string
	// Loopback says the dashboard listens on a loopback address only. Unless
	// it is true, New refuses to build a dashboard without Token or
	// BasicAuth.
	Loopback bool
	// SlackURL is the Slack workspace address incident links point at
	// (default "https://slack.com", which redirects a signed-in user).
	SlackURL string
	// Now returns the current time (default time.Now); tests pin it.
	Now func() time.Time
	// Logger receives errors and refused requests (default slog.Default()).
	Logger *slog.Logger
}

// ErrExposed is returned by New when the dashboard would be reachable
// beyond loopback without authentication.
var ErrExposed = errors.New("dashboards: refusing to serve beyond loopback without a token or basic auth")

// New returns the dashboard's handler: the pages, their assets and the
// JSON API, read-only, behind the configured authentication.
func New(st Reader, o Options) (http.Handler, error) {
	if st == nil {
		return nil, errors.New("dashboards: no store")
	}
	if !o.Loopback && o.Token == "" && len(o.BasicAuth) == 0 {
		return nil, ErrExposed
	}
	for user, pass := range o.BasicAuth {
		if user == "" || pass == "" || strings.Contains(user, ":") {
			return nil, fmt.Errorf("dashboards: basic auth user %q needs a name without ':' and a password", user)
		}
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.SlackURL == "" {
		o.SlackURL = "https://slack.com"
	}
	o.SlackURL = strings.TrimRight(o.SlackURL, "/")
	o.Topics = slices.Clone(o.Topics)
	slices.Sort(o.Topics)
	o.Sources = slices.Clone(o.Sources)
	tmpl, err := template.ParseFS(webFiles, "web/templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("dashboards: templates: %w", err)
	}
	static, err := fs.Sub(webFiles, "web/static")
	if err != nil {
		return nil, err
	}
	d := &dashboard{o: o, data: data{st: st}, tmpl: tmpl, log: o.Logger}

	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", d.overviewPage)
	mux.HandleFunc("GET /topics/{topic}", d.topicPage)
	mux.HandleFunc("GET /incidents", d.incidentsPage)
	mux.HandleFunc("GET /sources", d.sourcesPage)
	files := http.StripPrefix("/static/", http.FileServerFS(static))
	mux.HandleFunc("GET /static/{file}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-cache")
		files.ServeHTTP(w, r)
	})
	mux.HandleFunc("GET /api/overview", d.api(d.apiOverview))
	mux.HandleFunc("GET /api/topics/{topic}/series", d.api(d.apiSeries))
	mux.HandleFunc("GET /api/topics/{topic}/breakdown", d.api(d.apiBreakdown))
	mux.HandleFunc("GET /api/topics/{topic}/posts", d.api(d.apiPosts))
	mux.HandleFunc("GET /api/incidents", d.api(d.apiIncidents))
	mux.HandleFunc("GET /api/sources", d.api(d.apiSources))
	mux.HandleFunc("GET /api/", func(w http.ResponseWriter, r *http.Request) {
		writeJSONError(w, http.StatusNotFound, "no such endpoint")
	})
	mux.HandleFunc("GET /", func(w http.ResponseWriter, r *http.Request) {
		d.errorPage(w, http.StatusNotFound, "There is no page here.")
	})

	// Identical requests are computed once and shared, ClickHouse work is
	// bounded, and what cannot be served in time is shed with 503.
	var h http.Handler = newSharer(mux, time.Now)
	h = d.authenticate(h)
	h = readOnly(h)
	h = secure(h)
	return h, nil
}

// dashboard holds what the handlers share.
type dashboard struct {
	o    Options
	data data
	tmpl *template.Template
	log  *slog.Logger
}

// csp allows only the dashboard's own scripts, styles and images.
const csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// secure sets the security headers on every response.
func secure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		next.ServeHTTP(w, r)
	})
}

// readOnly refuses every method but GET and HEAD.
func readOnly(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			writeJSONError(w, http.StatusMethodNotAllowed, "the dashboard is read-only: only GET and HEAD are allowed")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// authenticate lets a request through when no authentication is configured
// or when it carries the token or a known user's password.
func (d *dashboard) authenticate(next http.Handler) http.Handler {
	if d.o.Token == "" && len(d.o.BasicAuth) == 0 {
		return next
	}
	token := sha256.Sum256([]byte(d.o.Token))
	users := map[string][32]byte{}
	for u, p := range d.o.BasicAuth {
		users[u] = sha256.Sum256([]byte(p))
	}
	same := func(a [32]byte, b string) bool {
		h := sha256.Sum256([]byte(b))
		return subtle.ConstantTimeCompare(a[:], h[:]) == 1
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ok := false
		if bearer, found := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); found && d.o.Token != "" {
			ok = same(token, strings.TrimSpace(bearer))
		} else if user, pass, found := r.BasicAuth(); found {
			if want, known := users[user]; known {
				ok = same(want, pass)
			}
			if !ok && d.o.Token != "" {
				ok = same(token, pass)
			}
		}
		if !ok {
			d.log.Warn("dashboard request refused: not authenticated", "path", r.URL.Path, "remote", r.RemoteAddr)
			w.Header().Set("WWW-Authenticate", `Basic realm="backlash", charset="UTF-8"`)
			writeJSONError(w, http.StatusUnauthorized, "authentication required")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// writeJSON sends v as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	_ = enc.Encode(v)
}

// writeJSONError sends {"error": msg}.
func writeJSONError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

// fail answers a failed API call: 400 with the message for a bad request,
// 500 without details (they are logged) for anything else.
func (d *dashboard) fail(w http.ResponseWriter, r *http.Request, err error) {
	var bad badRequest
	if errors.As(err, &bad) {
		writeJSONError(w, http.StatusBadRequest, bad.msg)
		return
	}
	if errors.Is(err, context.Canceled) {
		return
	}
	d.log.Error("dashboard query failed", "path", r.URL.Path, "err", err)
	writeJSONError(w, http.StatusInternalServerError, "query failed; see the server log")
}

// queryCtx bounds one request's queries.
func queryCtx(r *http.Request) (context.Context, context.CancelFunc) {
	return context.WithTimeout(r.Context(), 20*time.Second)
}
