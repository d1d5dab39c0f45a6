// Package serve runs backlash as a daemon: it crawls each source on its own
// cron schedule, never running two crawls of one source at once, and serves
// the dashboard next to /healthz, /readyz and Prometheus /metrics.
//
// It owns scheduling, process health and the single-instance lock. It does
// not know how a crawl works: the caller passes a Job that crawls, analyses
// and alerts for one source, and the dashboard as an http.Handler.
//
// On shutdown (the context given to Run is cancelled, e.g. on SIGTERM) the
// scheduler stops, running jobs see their context cancelled and are awaited
// so they can store what they collected, and open HTTP requests drain.
package serve
