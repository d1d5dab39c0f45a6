package serve

import (
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the counters and histograms the pipeline reports through
// /metrics. Build one with NewMetrics and pass it to the crawler, store
// writer and notifiers; every method is safe for concurrent use and a nil
// *Metrics records nothing, so code under test can pass nil.
type Metrics struct {
	pages, posts, crawlErrors *prometheus.CounterVec
	crawlDuration             *prometheus.HistogramVec
	lastCrawl                 *prometheus.GaugeVec
	jobRuns, jobSkipped       *prometheus.CounterVec
	jobDuration               *prometheus.HistogramVec
	insertedRows              prometheus.Counter
	insertDuration            prometheus.Histogram
	alerts                    *prometheus.CounterVec
	alertDuration             *prometheus.HistogramVec
	topicRisk, topicNegative  *prometheus.GaugeVec
	incidentsOpen             *prometheus.GaugeVec
	sourceUp, sourceFailures  *prometheus.GaugeVec
	failStreak                map[string]int
	mu                        sync.Mutex
}

// NewMetrics creates the metrics and registers them with reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		pages: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "backlash_crawl_pages_total", Help: "Pages fetched, per source.",
		}, []string{"source"}),
		posts: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "backlash_crawl_posts_total", Help: "Posts collected, per source.",
		}, []string{"source"}),
		crawlErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "backlash_crawl_errors_total", Help: "Errors met while crawling (pages failed, items not parsed), per source.",
		}, []string{"source"}),
		crawlDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "backlash_crawl_duration_seconds", Help: "Time one crawl of a source took.",
			Buckets: []float64{1, 5, 15, 30, 60, 120, 300, 600, 1800},
		}, []string{"source"}),
		lastCrawl: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "backlash_crawl_last_success_timestamp_seconds", Help: "When a crawl of the source last finished without errors (Unix time).",
		}, []string{"source"}),
		jobRuns: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "backlash_job_runs_total", Help: "Scheduled jobs finished, per source and result (ok, error, cancelled).",
		}, []string{"source", "result"}),
		jobSkipped: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "backlash_job_skipped_total", Help: "Scheduled jobs not started because the previous run of the source was still going.",
		}, []string{"source"}),
		jobDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "backlash_job_duration_seconds", Help: "Time one scheduled job (crawl, analyse, alert) took.",
			Buckets: []float64{1, 5, 15, 30, 60, 120, 300, 600, 1800},
		}, []string{"source"}),
		insertedRows: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "backlash_store_inserted_rows_total", Help: "Rows inserted into ClickHouse.",
		}),
		insertDuration: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "backlash_store_insert_duration_seconds", Help: "Time one insert batch took.",
			Buckets: prometheus.DefBuckets,
		}),
		alerts: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "backlash_alerts_total", Help: "Alert notifications attempted, per channel and result (sent, failed).",
		}, []string{"channel", "result"}),
		alertDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "backlash_alert_delivery_duration_seconds", Help: "Time one notification took to deliver (e.g. the Slack API call).",
			Buckets: []float64{.05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"channel"}),
		topicRisk: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "backlash_topic_risk", Help: "Brand-risk score (0-100) of the topic's latest assessment.",
		}, []string{"topic"}),
		topicNegative: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "backlash_topic_negative_posts", Help: "Negative posts about the topic in its latest assessment's window.",
		}, []string{"topic"}),
		incidentsOpen: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "backlash_incidents_open", Help: "Open incidents, per severity (watch, warn, page).",
		}, []string{"severity"}),
		sourceUp: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "backlash_source_up", Help: "1 when the source-health rules found nothing wrong after the source's last run, 0 while it is broken.",
		}, []string{"source"}),
		sourceFailures: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "backlash_source_consecutive_failures", Help: "Runs in a row in which the source's crawl met errors and collected nothing.",
		}, []string{"source"}),
		failStreak: map[string]int{},
	}
	reg.MustRegister(m.pages, m.posts, m.crawlErrors, m.crawlDuration, m.lastCrawl,
		m.jobRuns, m.jobSkipped, m.jobDuration, m.insertedRows, m.insertDuration,
		m.alerts, m.alertDuration, m.topicRisk, m.topicNegative, m.incidentsOpen, m.sourceUp, m.sourceFailures)
	return m
}

// CrawlDone records one finished crawl of a source: pages fetched, posts
// collected, errors met and how long it took.
func (m *Metrics) CrawlDone(source string, pages, posts, errors int, dur time.Duration) {
	if m == nil {
		return
	}
	m.pages.WithLabelValues(source).Add(float64(pages))
	m.posts.WithLabelValues(source).Add(float64(posts))
	m.crawlErrors.WithLabelValues(source).Add(float64(errors))
	m.crawlDuration.WithLabelValues(source).Observe(dur.Seconds())
	if errors == 0 {
		m.lastCrawl.WithLabelValues(source).SetToCurrentTime()
	}
	m.mu.Lock()
	if errors > 0 && posts == 0 {
		m.failStreak[source]++
	} else {
		m.failStreak[source] = 0
	}
	n := m.failStreak[source]
	m.mu.Unlock()
	m.sourceFailures.WithLabelValues(source).Set(float64(n))
}

// SourceHealth records a source's health verdict after a run.
func (m *Metrics) SourceHealth(source string, up bool) {
	if m == nil {
		return
	}
	v := 0.0
	if up {
		v = 1
	}
	m.sourceUp.WithLabelValues(source).Set(v)
}

// Inserted records one insert batch of rows into ClickHouse and its
// latency.
func (m *Metrics) Inserted(rows int, dur time.Duration) {
	if m == nil {
		return
	}
	m.insertedRows.Add(float64(rows))
	m.insertDuration.Observe(dur.Seconds())
}

// AlertSent records one notification attempt on a channel (e.g. "slack"),
// whether it was delivered and how long delivery took.
func (m *Metrics) AlertSent(channel string, ok bool, dur time.Duration) {
	if m == nil {
		return
	}
	result := "sent"
	if !ok {
		result = "failed"
	}
	m.alerts.WithLabelValues(channel, result).Inc()
	m.alertDuration.WithLabelValues(channel).Observe(dur.Seconds())
}

// TopicAssessed records a topic's latest assessment: its brand-risk score
// and the negative posts in its window.
func (m *Metrics) TopicAssessed(topic string, risk, negative float64) {
	if m == nil {
		return
	}
	m.topicRisk.WithLabelValues(topic).Set(risk)
	m.topicNegative.WithLabelValues(topic).Set(negative)
}

// IncidentsOpen sets the open incidents per severity; the severities
// listed in all and absent from open are set to 0.
func (m *Metrics) IncidentsOpen(open map[string]int, all []string) {
	if m == nil {
		return
	}
	for _, sev := range all {
		m.incidentsOpen.WithLabelValues(sev).Set(float64(open[sev]))
	}
	for sev, n := range open {
		m.incidentsOpen.WithLabelValues(sev).Set(float64(n))
	}
}

// AlertsDelivered counts notifications a run delivered through channel, and
// those the receiver refused.
func (m *Metrics) AlertsDelivered(channel string, sent, failed int) {
	if m == nil {
		return
	}
	m.alerts.WithLabelValues(channel, "sent").Add(float64(sent))
	m.alerts.WithLabelValues(channel, "failed").Add(float64(failed))
}

// jobDone records one scheduled job's result: "ok", "error" or "cancelled".
func (m *Metrics) jobDone(source, result string, dur time.Duration) {
	if m == nil {
		return
	}
	m.jobRuns.WithLabelValues(source, result).Inc()
	m.jobDuration.WithLabelValues(source).Observe(dur.Seconds())
}

// jobSkip records a scheduled job not started because the last one runs.
func (m *Metrics) jobSkip(source string) {
	if m == nil {
		return
	}
	m.jobSkipped.WithLabelValues(source).Inc()
}
