package dashboards

import (
	"context"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/backlash-monitor/backlash/internal/health"
)

// apiHandler answers one JSON endpoint: the value to encode, or an error
// that fail turns into a status and a message.
type apiHandler func(ctx context.Context, r *http.Request) (any, error)

// api adapts an apiHandler: it bounds the queries' time, and writes the
// value as JSON or the error through fail.
func (d *dashboard) api(h apiHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := queryCtx(r)
		defer cancel()
		v, err := h(ctx, r)
		if err != nil {
			d.fail(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, v)
	}
}

// apiOverview serves GET /api/overview: every topic's current risk, 24-hour
// and 7-day sparklines of volume and negative share, and the open
// incidents.
func (d *dashboard) apiOverview(ctx context.Context, r *http.Request) (any, error) {
	if _, err := query(r.URL); err != nil {
		return nil, err
	}
	now := d.o.Now().UTC()
	topics, err := d.data.overview(ctx, d.o.Topics, now)
	if err != nil {
		return nil, err
	}
	open, err := d.data.incidents(ctx, incidentFilter{Topics: d.o.Topics, OpenOnly: true,
		From: now.Add(-maxRange), To: now.Add(maxFuture), Limit: defIncidents}, d.o.SlackURL)
	if err != nil {
		return nil, err
	}
	_, blind, err := d.sourceHealth(ctx)
	if err != nil {
		return nil, err
	}
	return map[string]any{"now": now, "topics": topics, "open_incidents": open, "blind": blind}, nil
}

// sourceHealth reads each source's latest health verdict and, per topic,
// since when every source feeding it has been broken.
func (d *dashboard) sourceHealth(ctx context.Context) (map[string]health.Verdict, map[string]time.Time, error) {
	latest, err := d.data.st.LatestSourceHealth(ctx)
	if err != nil {
		return nil, nil, err
	}
	blind := health.Blind(d.o.Feeds, func(src string) (bool, time.Time, bool) {
		h, ok := latest[src]
		return !h.Healthy(), h.BrokenSince, ok
	})
	return latest, blind, nil
}

// topicParam reads and checks the {topic} path segment.
func (d *dashboard) topicParam(r *http.Request) (string, error) {
	t := r.PathValue("topic")
	return t, oneOf("topic", t, d.o.Topics)
}

// topicRange reads what every topic endpoint takes: the {topic} segment,
// the query (only the allowed keys) and its from/to range.
func (d *dashboard) topicRange(r *http.Request, allowed ...string) (topic string, v url.Values, from, to time.Time, err error) {
	if topic, err = d.topicParam(r); err != nil {
		return
	}
	if v, err = query(r.URL, allowed...); err != nil {
		return
	}
	from, to, err = timeRange(v, d.o.Now().UTC(), defaultRange)
	return
}

// apiSeries serves GET /api/topics/{topic}/series?from&to&source.
func (d *dashboard) apiSeries(ctx context.Context, r *http.Request) (any, error) {
	topic, v, from, to, err := d.topicRange(r, "from", "to", "source")
	if err != nil {
		return nil, err
	}
	source := v.Get("source")
	if source != "" {
		if err := oneOf("source", source, d.o.Sources); err != nil {
			return nil, err
		}
	}
	out, err := d.data.series(ctx, topic, source, from, to)
	if err != nil {
		return nil, err
	}
	_, blind, err := d.sourceHealth(ctx)
	if err != nil {
		return nil, err
	}
	if since, ok := blind[topic]; ok {
		out.BlindSince = &since
	}
	return out, nil
}

// apiBreakdown serves GET /api/topics/{topic}/breakdown?from&to: sentiment
// distribution, top terms and entities, and posts per source.
func (d *dashboard) apiBreakdown(ctx context.Context, r *http.Request) (any, error) {
	topic, _, from, to, err := d.topicRange(r, "from", "to")
	if err != nil {
		return nil, err
	}
	return d.data.breakdown(ctx, topic, from, to)
}

// apiPosts serves GET /api/topics/{topic}/posts?label&from&to&limit: the
// most reached posts with the label.
func (d *dashboard) apiPosts(ctx context.Context, r *http.Request) (any, error) {
	topic, v, from, to, err := d.topicRange(r, "label", "from", "to", "limit")
	if err != nil {
		return nil, err
	}
	lbl, err := label(v)
	if err != nil {
		return nil, err
	}
	n, err := limit(v, defPostLimit, maxPostLimit)
	if err != nil {
		return nil, err
	}
	ps, err := d.data.posts(ctx, topic, lbl, from, to, n)
	if err != nil {
		return nil, err
	}
	return map[string]any{"topic": topic, "label": lbl, "from": from, "to": to, "posts": ps}, nil
}

// apiIncidents serves GET /api/incidents?topic&state&from&to&limit.
func (d *dashboard) apiIncidents(ctx context.Context, r *http.Request) (any, error) {
	v, err := query(r.URL, "topic", "state", "from", "to", "limit")
	if err != nil {
		return nil, err
	}
	f := incidentFilter{Topics: d.o.Topics}
	if f.From, f.To, err = timeRange(v, d.o.Now().UTC(), incidentWindow); err != nil {
		return nil, err
	}
	if f.Limit, err = limit(v, defIncidents, maxIncidents); err != nil {
		return nil, err
	}
	if t := v.Get("topic"); t != "" {
		if err := oneOf("topic", t, d.o.Topics); err != nil {
			return nil, err
		}
		f.Topic = t
	}
	switch v.Get("state") {
	case "", "all":
	case "open":
		f.OpenOnly = true
	default:
		return nil, badf("state must be open or all, got %s", quoteInput(v.Get("state")))
	}
	in, err := d.data.incidents(ctx, f, d.o.SlackURL)
	if err != nil {
		return nil, err
	}
	return map[string]any{"from": f.From, "to": f.To, "incidents": in}, nil
}

// apiSources serves GET /api/sources: each source's last run and lag.
func (d *dashboard) apiSources(ctx context.Context, r *http.Request) (any, error) {
	if _, err := query(r.URL); err != nil {
		return nil, err
	}
	now := d.o.Now().UTC()
	s, err := d.data.sources(ctx, d.o.Sources, now)
	if err != nil {
		return nil, err
	}
	latest, _, err := d.sourceHealth(ctx)
	if err != nil {
		return nil, err
	}
	for i := range s {
		h, ok := latest[s[i].Source]
		if !ok {
			continue
		}
		if !h.Healthy() {
			s[i].Problems, s[i].Detail = h.Rules(), strings.Split(h.Detail(), "\n")
		}
		if !h.LastGood.IsZero() {
			s[i].LastGood = &h.LastGood
		}
		if !h.Healthy() {
			s[i].Status, s[i].BrokenSince = "broken", &h.BrokenSince
		}
	}
	sort.SliceStable(s, func(i, j int) bool { return (s[i].Status == "broken") && (s[j].Status != "broken") })
	return map[string]any{"now": now.Truncate(time.Second), "sources": s}, nil
}
