package dashboards

import (
	"context"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/backlash-monitor/backlash/internal/health"
	inc "github.com/backlash-monitor/backlash/internal/incident"
	"github.com/backlash-monitor/backlash/internal/post"
	"github.com/backlash-monitor/backlash/internal/store"
)

// Reader is what the dashboards read: typed queries over the store's
// tables, as Prometheus' web API reads through storage.Queryable. The
// dashboards write no SQL; *store.Store satisfies it.
type Reader interface {
	HourlyVolume(ctx context.Context, topics []string, from, to time.Time) ([]store.TopicHour, error)
	RiskScores(ctx context.Context, topics []string, from, to time.Time) ([]store.RiskScore, error)
	IncidentSummaries(ctx context.Context, q store.IncidentQuery) ([]store.IncidentSummary, error)
	IncidentTimelines(ctx context.Context, ids []string) ([]inc.AlertRow, error)
	OpenIncidentCounts(ctx context.Context, topics []string) (map[string]int, error)
	SourceRunSummaries(ctx context.Context, since time.Time) ([]store.SourceRuns, error)
	RecentRunPosts(ctx context.Context, since time.Time) (map[string][]uint32, error)
	HighWaters(ctx context.Context) (map[string]time.Time, error)
	SeriesSteps(ctx context.Context, topic, source string, from, to time.Time, step time.Duration) ([]store.SeriesStep, error)
	RiskSteps(ctx context.Context, topic string, from, to time.Time, step time.Duration) ([]store.RiskStep, error)
	AlertMarkers(ctx context.Context, topic string, from, to time.Time, limit int) ([]inc.AlertRow, error)
	SentimentHistogram(ctx context.Context, topic string, from, to time.Time) ([]store.SentimentBin, error)
	TopTerms(ctx context.Context, topic string, from, to time.Time, entities bool) ([]store.TermCount, error)
	SourceCounts(ctx context.Context, topic string, from, to time.Time) ([]store.SourceCount, error)
	TopicDrivers(ctx context.Context, topic string, from, to time.Time) ([]inc.Driver, error)
	TopPosts(ctx context.Context, topic, label string, from, to time.Time, limit int) ([]post.Post, error)
	LatestSourceHealth(ctx context.Context) (map[string]health.Verdict, error)
}

// data shapes what the Reader returns into the dashboard's pages. Every
// value from a request is validated in params.go before it is bound.
type data struct {
	st Reader
}

// num is a float64 that encodes NaN and ±Inf as JSON null.
type num float64

// MarshalJSON writes the number, or null when it is not finite.
func (n num) MarshalJSON() ([]byte, error) {
	f := float64(n)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return []byte("null"), nil
	}
	return []byte(fmt.Sprintf("%g", f)), nil
}

// spark is an evenly spaced series: values[i] covers start + i*step.
type spark struct {
	Start  time.Time `json:"start"`
	Step   int64     `json:"step"`
	Values []num     `json:"values"`
}

// topicOverview is one topic's row on the overview.
type topicOverview struct {
	Topic         string     `json:"topic"`
	Score         *num       `json:"score"`
	ScoreAt       *time.Time `json:"score_at"`
	OpenIncidents int        `json:"open_incidents"`
	Posts24h      uint64     `json:"posts_24h"`
	Negative24h   uint64     `json:"negative_24h"`
	Risk24h       spark      `json:"risk_24h"`
	Volume24h     spark      `json:"volume_24h"`
	NegShare24h   spark      `json:"negative_share_24h"`
	Volume7d      spark      `json:"volume_7d"`
	NegShare7d    spark      `json:"negative_share_7d"`
}

// fill makes an evenly spaced series over [from, to) from values keyed by
// Unix time, using missing where there is none.
func fill(from, to time.Time, step time.Duration, got map[int64]float64, missing float64) spark {
	sp := spark{Start: from, Step: int64(step / time.Second), Values: []num{}}
	for t := from; t.Before(to); t = t.Add(step) {
		v, ok := got[t.Unix()]
		if !ok {
			v = missing
		}
		sp.Values = append(sp.Values, num(v))
	}
	return sp
}

// overview returns every topic's current risk and its recent volume and
// negative share, topics with open incidents first, then by risk.
func (d data) overview(ctx context.Context, topics []string, now time.Time) ([]topicOverview, error) {
	hour := now.UTC().Truncate(time.Hour)
	to := hour.Add(time.Hour)                                       // queries run to the end of this hour
	from24h := to.Add(-24 * time.Hour)                              // risk and the 24-hour totals
	day, week := hour.Add(-24*time.Hour), hour.Add(-7*24*time.Hour) // volume sparklines
	if len(topics) == 0 {
		return []topicOverview{}, nil
	}

	vol := map[string]*hourCounts{}
	for _, t := range topics {
		vol[t] = &hourCounts{posts: map[int64]float64{}, neg: map[int64]float64{}}
	}
	hours, err := d.st.HourlyVolume(ctx, topics, week, to)
	if err != nil {
		return nil, fmt.Errorf("overview volume: %w", err)
	}
	for _, r := range hours {
		if p := vol[r.Topic]; p != nil {
			p.posts[r.Hour.Unix()] = float64(r.Posts)
			p.neg[r.Hour.Unix()] = float64(r.Negative)
		}
	}

	// Risk per 5-minute bucket over the last day; the newest is "current".
	risk := map[string]map[int64]float64{}
	latest := map[string]time.Time{}
	current := map[string]float64{}
	scores, err := d.st.RiskScores(ctx, topics, from24h, to)
	if err != nil {
		return nil, fmt.Errorf("overview risk: %w", err)
	}
	for _, r := range scores {
		h := r.Bucket.Truncate(time.Hour).Unix()
		if risk[r.Topic] == nil {
			risk[r.Topic] = map[int64]float64{}
		}
		if v, ok := risk[r.Topic][h]; !ok || r.Score > v {
			risk[r.Topic][h] = r.Score // the hour's peak
		}
		latest[r.Topic], current[r.Topic] = r.Bucket, r.Score
	}

	open, err := d.openIncidentCounts(ctx, topics)
	if err != nil {
		return nil, err
	}

	out := make([]topicOverview, 0, len(topics))
	for _, t := range topics {
		o := topicOverview{Topic: t, OpenIncidents: open[t]}
		p := vol[t]
		// Volume sparklines end with the last whole hour: the current one
		// would always look like a drop. Risk is a rate, so it runs to now.
		o.Volume7d = fill(week, hour, time.Hour, p.posts, 0)
		o.Volume24h = fill(day, hour, time.Hour, p.posts, 0)
		o.NegShare7d = share(week, hour, p)
		o.NegShare24h = share(day, hour, p)
		for u, v := range p.posts {
			if u >= from24h.Unix() {
				o.Posts24h += uint64(v)
				o.Negative24h += uint64(p.neg[u])
			}
		}
		if r := risk[t]; r != nil {
			cur, at := num(current[t]), latest[t]
			o.Score, o.ScoreAt = &cur, &at
			o.Risk24h = fill(from24h, to, time.Hour, r, math.NaN())
		} else {
			o.Risk24h = fill(from24h, to, time.Hour, nil, math.NaN())
		}
		out = append(out, o)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if (out[i].OpenIncidents > 0) != (out[j].OpenIncidents > 0) {
			return out[i].OpenIncidents > 0
		}
		return scoreOf(out[i]) > scoreOf(out[j])
	})
	return out, nil
}

func scoreOf(o topicOverview) float64 {
	if o.Score == nil || math.IsNaN(float64(*o.Score)) {
		return -1
	}
	return float64(*o.Score)
}

// hourCounts are a topic's posts and negative posts per hour, keyed by
// the hour's Unix time.
type hourCounts struct{ posts, neg map[int64]float64 }

// share is the hourly negative share (negative / posts); hours without
// posts are null.
func share(from, to time.Time, p *hourCounts) spark {
	got := map[int64]float64{}
	for u, n := range p.posts {
		if n > 0 {
			got[u] = p.neg[u] / n
		}
	}
	return fill(from, to, time.Hour, got, math.NaN())
}
