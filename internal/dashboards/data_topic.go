package dashboards

import (
	"context"
	"fmt"
	"math"
	"net/url"
	"time"
)

// point is one step of a topic's series.
type point struct {
	T        time.Time `json:"t"`
	Posts    uint64    `json:"posts"`
	Negative uint64    `json:"negative"`
	Positive uint64    `json:"positive"`
	Mean     *num      `json:"mean_sentiment"`
	Score    *num      `json:"score"`
	Expected *num      `json:"expected"`
	Lower    *num      `json:"lower"`
	Upper    *num      `json:"upper"`
}

// marker is an alert drawn on a topic's chart.
type marker struct {
	At         time.Time `json:"at"`
	IncidentID string    `json:"incident_id"`
	Rule       string    `json:"rule"`
	Severity   string    `json:"severity"`
	State      string    `json:"state"`
	Summary    string    `json:"summary"`
}

// series is a topic's chart data.
type series struct {
	Topic  string    `json:"topic"`
	Source string    `json:"source,omitempty"`
	From   time.Time `json:"from"`
	To     time.Time `json:"to"`
	Step   int64     `json:"step"`
	Points []point   `json:"points"`
	Alerts []marker  `json:"alerts"`
	// BlindSince is set when every source feeding the topic is broken.
	BlindSince *time.Time `json:"blind_since,omitempty"`
}

// stepFor picks a chart resolution that keeps a range to a few hundred
// points.
func stepFor(r time.Duration) time.Duration {
	r -= 5 * time.Minute // a range's start is rounded down by up to this
	switch {
	case r <= 8*time.Hour:
		return 5 * time.Minute
	case r <= 2*24*time.Hour:
		return 15 * time.Minute
	case r <= 7*24*time.Hour:
		return time.Hour
	case r <= 30*24*time.Hour:
		return 3 * time.Hour
	default:
		return 6 * time.Hour
	}
}

// series returns a topic's volume, negative volume, mean sentiment, risk
// score and expected band in [from, to), and the alerts raised in it.
func (d data) series(ctx context.Context, topic, source string, from, to time.Time) (series, error) {
	step := stepFor(to.Sub(from))
	stepS := int64(step / time.Second)
	// Data starts at the rollups' resolution, so totals match the other
	// panels; the first step may be partly empty.
	from, to = from.UTC().Truncate(5*time.Minute), to.UTC()
	out := series{Topic: topic, Source: source, From: from, To: to, Step: stepS, Points: []point{}, Alerts: []marker{}}

	byT := map[int64]*point{}
	for t := from.Truncate(step); t.Before(to); t = t.Add(step) {
		out.Points = append(out.Points, point{T: t})
	}
	for i := range out.Points {
		byT[out.Points[i].T.Unix()] = &out.Points[i]
	}
	steps, err := d.st.SeriesSteps(ctx, topic, source, from, to, step)
	if err != nil {
		return out, fmt.Errorf("series of %s: %w", topic, err)
	}
	for _, r := range steps {
		if p := byT[r.T.Unix()]; p != nil {
			p.Posts, p.Negative, p.Positive = r.Posts, r.Negative, r.Positive
			if r.Scored > 0 {
				m := num(r.SentimentSum / float64(r.Scored))
				p.Mean = &m
			}
		}
	}

	// The risk model's expectation is per window of window_s seconds; scale
	// it to the chart's step. Cold-start windows have no expectation yet.
	risks, err := d.st.RiskSteps(ctx, topic, from, to, step)
	if err != nil {
		return out, fmt.Errorf("risk of %s: %w", topic, err)
	}
	for _, r := range risks {
		p := byT[r.T.Unix()]
		if p == nil {
			continue
		}
		sc := num(r.Score)
		p.Score = &sc
		if r.Warm > 0 && !math.IsNaN(r.ExpectedPerSecond) {
			e := r.ExpectedPerSecond * float64(stepS)
			lo, hi := poissonBand(e)
			ne, nl, nh := num(e), num(lo), num(hi)
			p.Expected, p.Lower, p.Upper = &ne, &nl, &nh
		}
	}

	markers, err := d.st.AlertMarkers(ctx, topic, from, to, 500)
	if err != nil {
		return out, fmt.Errorf("alerts of %s: %w", topic, err)
	}
	for _, r := range markers {
		out.Alerts = append(out.Alerts, marker{At: r.At, IncidentID: r.IncidentID, Rule: r.Rule, Severity: r.Severity,
			State: r.State, Summary: r.Summary})
	}
	return out, nil
}

// poissonBand is the range within three standard deviations of an expected
// count, computed on the square-root scale where counts have constant
// noise (the same transform the risk model uses).
func poissonBand(e float64) (lo, hi float64) {
	if e < 0 {
		e = 0
	}
	y := 2 * math.Sqrt(e+0.375)
	const k = 1.5 // three standard deviations of 0.5
	back := func(y float64) float64 { return math.Max(0, y*y/4-0.375) }
	if y > k {
		lo = back(y - k)
	}
	return lo, back(y + k)
}

// breakdown is what a topic's posts in a range are made of.
type breakdown struct {
	Labels    map[string]uint64 `json:"labels"`
	Histogram []histBin         `json:"histogram"`
	Terms     []termCount       `json:"terms"`
	Entities  []termCount       `json:"entities"`
	Sources   []sourceCount     `json:"sources"`
	// Drivers are what the latest alert in the range said drives its
	// incident: distinctive terms, then themes.
	Drivers []driverView `json:"drivers"`
}

// driverView is one stored driver of an incident.
type driverView struct {
	IncidentID    string  `json:"incident_id"`
	At            string  `json:"at"`
	Kind          string  `json:"kind"`
	Text          string  `json:"text"`
	Subject       string  `json:"subject,omitempty"`
	Posts         int     `json:"posts"`
	BaselinePosts int     `json:"baseline_posts"`
	Z             float64 `json:"z"`
	Share         float64 `json:"share"`
	Example       string  `json:"example"`
}

// histBin counts posts whose compound score falls in [From, From+0.1),
// split by label.
type histBin struct {
	From     float64 `json:"from"`
	Negative uint64  `json:"negative"`
	Neutral  uint64  `json:"neutral"`
	Positive uint64  `json:"positive"`
}

// termCount is how often a term or entity occurs, and how often in
// negative posts.
type termCount struct {
	Term     string `json:"term"`
	Count    uint64 `json:"count"`
	Negative uint64 `json:"negative"`
}

// sourceCount is one source's share of a topic.
type sourceCount struct {
	Source   string `json:"source"`
	Posts    uint64 `json:"posts"`
	Negative uint64 `json:"negative"`
	Positive uint64 `json:"positive"`
}

// breakdown returns a topic's sentiment distribution, top terms and
// entities, and per-source counts in [from, to).
func (d data) breakdown(ctx context.Context, topic string, from, to time.Time) (breakdown, error) {
	from, to = from.UTC(), to.UTC()
	out := breakdown{Labels: map[string]uint64{}, Histogram: make([]histBin, 20), Terms: []termCount{}, Entities: []termCount{}, Sources: []sourceCount{}}
	for i := range out.Histogram {
		out.Histogram[i].From = math.Round((-1+float64(i)/10)*10) / 10
	}
	bins, err := d.st.SentimentHistogram(ctx, topic, from, to)
	if err != nil {
		return out, fmt.Errorf("sentiment of %s: %w", topic, err)
	}
	for _, r := range bins {
		if r.Bin < 0 || r.Label == "" {
			out.Labels["unscored"] += r.Count
			continue
		}
		out.Labels[r.Label] += r.Count
		b := &out.Histogram[min(int(r.Bin), 19)]
		switch r.Label {
		case "negative":
			b.Negative += r.Count
		case "positive":
			b.Positive += r.Count
		default:
			b.Neutral += r.Count
		}
	}

	for _, c := range []struct {
		entities bool
		dest     *[]termCount
	}{{false, &out.Terms}, {true, &out.Entities}} {
		terms, err := d.st.TopTerms(ctx, topic, from, to, c.entities)
		if err != nil {
			return out, fmt.Errorf("terms of %s: %w", topic, err)
		}
		for _, t := range terms {
			*c.dest = append(*c.dest, termCount{Term: t.Term, Count: t.Count, Negative: t.Negative})
		}
	}

	out.Drivers = []driverView{}
	ds, err := d.st.TopicDrivers(ctx, topic, from, to)
	if err != nil {
		return out, fmt.Errorf("drivers of %s: %w", topic, err)
	}
	for _, x := range ds {
		out.Drivers = append(out.Drivers, driverView{IncidentID: x.IncidentID, At: x.At.Format(time.RFC3339), Kind: x.Kind,
			Text: x.Text, Subject: x.Subject, Posts: x.Posts, BaselinePosts: x.BaselinePosts, Z: math.Round(x.Z*10) / 10,
			Share: math.Round(x.Share*1000) / 1000, Example: truncate(x.Example, 200)})
	}

	srcs, err := d.st.SourceCounts(ctx, topic, from, to)
	if err != nil {
		return out, fmt.Errorf("sources of %s: %w", topic, err)
	}
	for _, r := range srcs {
		out.Sources = append(out.Sources, sourceCount{Source: r.Source, Posts: r.Posts, Negative: r.Negative, Positive: r.Positive})
	}
	return out, nil
}

// postView is a post as the dashboard shows it.
type postView struct {
	Source    string    `json:"source"`
	ID        string    `json:"id"`
	URL       string    `json:"url"`
	Author    string    `json:"author"`
	Title     string    `json:"title"`
	Text      string    `json:"text"`
	Published time.Time `json:"published"`
	Reach     uint64    `json:"reach"`
	Compound  *num      `json:"compound"`
	Label     string    `json:"label"`
	Terms     []string  `json:"terms"`
}

// maxTextRunes bounds the post text sent to the browser.
const maxTextRunes = 600

// posts returns a topic's most reached posts with a label in [from, to).
func (d data) posts(ctx context.Context, topic, label string, from, to time.Time, limit int) ([]postView, error) {
	ps, err := d.st.TopPosts(ctx, topic, label, from, to, limit)
	if err != nil {
		return nil, err
	}
	out := make([]postView, 0, len(ps))
	for _, p := range ps {
		v := postView{Source: p.Source, ID: p.ID, URL: safeURL(p.URL), Author: p.Author, Title: p.Title,
			Text: truncate(p.Text, maxTextRunes), Published: p.Published, Reach: p.Reach(), Terms: []string{}}
		if p.Sentiment != nil {
			c := num(p.Sentiment.Compound)
			v.Compound, v.Label = &c, p.Sentiment.Label
			if p.Sentiment.Terms != nil {
				v.Terms = p.Sentiment.Terms
			}
		}
		out = append(out, v)
	}
	return out, nil
}

// safeURL keeps only http and https links, so a crawled javascript: or
// data: URL never becomes a link.
func safeURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return u.String()
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
