package dashboards

import (
	"net/http"
	"time"
)

// apiOverview serves GET /api/overview: every topic's current risk, 24-hour
// and 7-day sparklines of volume and negative share, and the open
// incidents.
func (d *dashboard) apiOverview(w http.ResponseWriter, r *http.Request) {
	if _, err := query(r.URL); err != nil {
		d.fail(w, r, err)
		return
	}
	ctx, cancel := queryCtx(r)
	defer cancel()
	now := d.o.Now().UTC()
	topics, err := d.data.overview(ctx, d.o.Topics, now)
	if err != nil {
		d.fail(w, r, err)
		return
	}
	open, err := d.data.incidents(ctx, incidentFilter{Topics: d.o.Topics, OpenOnly: true,
		From: now.Add(-maxRange), To: now.Add(maxFuture), Limit: defIncidents}, d.o.SlackURL)
	if err != nil {
		d.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"now": now, "topics": topics, "open_incidents": open})
}

// topicParam reads and checks the {topic} path segment.
func (d *dashboard) topicParam(r *http.Request) (string, error) {
	t := r.PathValue("topic")
	return t, oneOf("topic", t, d.o.Topics)
}

// apiSeries serves GET /api/topics/{topic}/series?from&to&source.
func (d *dashboard) apiSeries(w http.ResponseWriter, r *http.Request) {
	topic, err := d.topicParam(r)
	if err != nil {
		d.fail(w, r, err)
		return
	}
	v, err := query(r.URL, "from", "to", "source")
	if err != nil {
		d.fail(w, r, err)
		return
	}
	from, to, err := timeRange(v, d.o.Now().UTC(), defaultRange)
	if err != nil {
		d.fail(w, r, err)
		return
	}
	source := v.Get("source")
	if source != "" {
		if err := oneOf("source", source, d.o.Sources); err != nil {
			d.fail(w, r, err)
			return
		}
	}
	ctx, cancel := queryCtx(r)
	defer cancel()
	s, err := d.data.series(ctx, topic, source, from, to)
	if err != nil {
		d.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, s)
}

// apiBreakdown serves GET /api/topics/{topic}/breakdown?from&to: sentiment
// distribution, top terms and entities, and posts per source.
func (d *dashboard) apiBreakdown(w http.ResponseWriter, r *http.Request) {
	topic, err := d.topicParam(r)
	if err != nil {
		d.fail(w, r, err)
		return
	}
	v, err := query(r.URL, "from", "to")
	if err != nil {
		d.fail(w, r, err)
		return
	}
	from, to, err := timeRange(v, d.o.Now().UTC(), defaultRange)
	if err != nil {
		d.fail(w, r, err)
		return
	}
	ctx, cancel := queryCtx(r)
	defer cancel()
	b, err := d.data.breakdown(ctx, topic, from, to)
	if err != nil {
		d.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, b)
}

// apiPosts serves GET /api/topics/{topic}/posts?label&from&to&limit: the
// most reached posts with the label.
func (d *dashboard) apiPosts(w http.ResponseWriter, r *http.Request) {
	topic, err := d.topicParam(r)
	if err != nil {
		d.fail(w, r, err)
		return
	}
	v, err := query(r.URL, "label", "from", "to", "limit")
	if err != nil {
		d.fail(w, r, err)
		return
	}
	from, to, err := timeRange(v, d.o.Now().UTC(), defaultRange)
	if err != nil {
		d.fail(w, r, err)
		return
	}
	lbl, err := label(v)
	if err != nil {
		d.fail(w, r, err)
		return
	}
	n, err := limit(v, defPostLimit, maxPostLimit)
	if err != nil {
		d.fail(w, r, err)
		return
	}
	ctx, cancel := queryCtx(r)
	defer cancel()
	ps, err := d.data.posts(ctx, topic, lbl, from, to, n)
	if err != nil {
		d.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"topic": topic, "label": lbl, "from": from, "to": to, "posts": ps})
}

// apiIncidents serves GET /api/incidents?topic&state&from&to&limit.
func (d *dashboard) apiIncidents(w http.ResponseWriter, r *http.Request) {
	v, err := query(r.URL, "topic", "state", "from", "to", "limit")
	if err != nil {
		d.fail(w, r, err)
		return
	}
	now := d.o.Now().UTC()
	f := incidentFilter{Topics: d.o.Topics}
	if f.From, f.To, err = timeRange(v, now, incidentWindow); err != nil {
		d.fail(w, r, err)
		return
	}
	if f.Limit, err = limit(v, defIncidents, maxIncidents); err != nil {
		d.fail(w, r, err)
		return
	}
	if t := v.Get("topic"); t != "" {
		if err := oneOf("topic", t, d.o.Topics); err != nil {
			d.fail(w, r, err)
			return
		}
		f.Topic = t
	}
	switch v.Get("state") {
	case "", "all":
	case "open":
		f.OpenOnly = true
	default:
		d.fail(w, r, badf("state must be open or all, got %s", quoteInput(v.Get("state"))))
		return
	}
	ctx, cancel := queryCtx(r)
	defer cancel()
	in, err := d.data.incidents(ctx, f, d.o.SlackURL)
	if err != nil {
		d.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"from": f.From, "to": f.To, "incidents": in})
}

// apiSources serves GET /api/sources: each source's last run and lag.
func (d *dashboard) apiSources(w http.ResponseWriter, r *http.Request) {
	if _, err := query(r.URL); err != nil {
		d.fail(w, r, err)
		return
	}
	ctx, cancel := queryCtx(r)
	defer cancel()
	now := d.o.Now().UTC()
	s, err := d.data.sources(ctx, d.o.Sources, now)
	if err != nil {
		d.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"now": now.Truncate(time.Second), "sources": s})
}
