package store

import (
	"context"
	"fmt"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"

	"github.com/backlash-monitor/backlash/internal/incident"
	"github.com/backlash-monitor/backlash/internal/series"
)

// The dashboard's read queries. Each returns typed rows; the dashboards
// package shapes them into pages and JSON, and declares the interface it
// reads through. Every value reaches ClickHouse as a bound parameter.

// TopicHour is one topic's posts and negative posts in one hour.
type TopicHour struct {
	Topic           string
	Hour            time.Time
	Posts, Negative uint64
}

// HourlyVolume returns the topics' hourly posts and negative posts in
// [from, to), by topic and hour.
func (s *Store) HourlyVolume(ctx context.Context, topics []string, from, to time.Time) ([]TopicHour, error) {
	rows, err := s.conn.Query(ctx, `SELECT topic, toStartOfHour(bucket) AS h, sum(posts), sum(negative)
FROM `+s.Table("topic_rollup_5m")+`
WHERE topic IN ? AND bucket >= ? AND bucket < ?
GROUP BY topic, h ORDER BY topic, h`, stringSet(topics), from, to)
	if err != nil {
		return nil, fmt.Errorf("store: hourly volume: %w", err)
	}
	defer rows.Close()
	var out []TopicHour
	for rows.Next() {
		var r TopicHour
		if err := rows.Scan(&r.Topic, &r.Hour, &r.Posts, &r.Negative); err != nil {
			return nil, fmt.Errorf("store: hourly volume: %w", err)
		}
		out = append(out, r)
	}
	return out, wrapErr("hourly volume", rows.Err())
}

// RiskScore is a topic's brand-risk score for one 5-minute bucket.
type RiskScore struct {
	Topic  string
	Bucket time.Time
	Score  float64
}

// RiskScores returns the latest score of each of the topics' buckets in
// [from, to), by topic and bucket.
func (s *Store) RiskScores(ctx context.Context, topics []string, from, to time.Time) ([]RiskScore, error) {
	rows, err := s.conn.Query(ctx, `SELECT topic, bucket, argMax(score, version)
FROM `+s.Table("topic_risk")+`
WHERE topic IN ? AND bucket >= ? AND bucket < ?
GROUP BY topic, bucket ORDER BY topic, bucket`, stringSet(topics), from, to)
	if err != nil {
		return nil, fmt.Errorf("store: risk scores: %w", err)
	}
	defer rows.Close()
	var out []RiskScore
	for rows.Next() {
		var r RiskScore
		if err := rows.Scan(&r.Topic, &r.Bucket, &r.Score); err != nil {
			return nil, fmt.Errorf("store: risk scores: %w", err)
		}
		out = append(out, r)
	}
	return out, wrapErr("risk scores", rows.Err())
}

// IncidentQuery selects incidents from the alerts table.
type IncidentQuery struct {
	// Topics are the topics to read (at least one).
	Topics []string
	// OpenOnly keeps incidents whose latest alert is not a resolution.
	OpenOnly bool
	// From and To bound the incidents' activity: last alert at or after
	// From, first before To.
	From, To time.Time
	// Limit caps the incidents, newest first.
	Limit int
}

// IncidentSummary is one incident as the alerts table tells it: the alerts
// sharing an incident_id.
type IncidentSummary struct {
	ID, Topic, Rule, Severity string
	// State is the latest alert's state; incident.AlertResolved closes it.
	State string
	// Opened and Updated are the first and latest alerts' times.
	Opened, Updated time.Time
	// Peak is the highest value; Observed and Expected the latest.
	Peak, Observed, Expected float64
	// Summary is the latest alert's, Evidence the first's.
	Summary, Evidence string
	// Channel and MessageTS are the first delivered message's.
	Channel, MessageTS string
}

// Open reports whether the incident is still open.
func (i IncidentSummary) Open() bool { return i.State != incident.AlertResolved }

// IncidentSummaries returns the incidents q selects, newest first.
func (s *Store) IncidentSummaries(ctx context.Context, q IncidentQuery) ([]IncidentSummary, error) {
	sql := `SELECT incident_id, argMin(topic, at), argMin(rule, at), argMax(severity, at), argMax(state, at) AS st,
    min(at), max(at) AS last, max(value), argMax(observed, at), argMax(expected, at), argMax(summary, at),
    argMin(summary, at), argMinIf(channel, at, message_ts != ''), minIf(message_ts, message_ts != '')
FROM ` + s.Table("alerts") + ` WHERE topic IN ? GROUP BY incident_id HAVING last >= ? AND min(at) < ?`
	args := []any{stringSet(q.Topics), q.From.UTC(), q.To.UTC()}
	if q.OpenOnly {
		sql += " AND st != ?"
		args = append(args, incident.AlertResolved)
	}
	sql += " ORDER BY last DESC LIMIT ?"
	args = append(args, q.Limit)
	rows, err := s.conn.Query(ctx, sql, args...)
	if err != nil {
		return nil, fmt.Errorf("store: incidents: %w", err)
	}
	defer rows.Close()
	var out []IncidentSummary
	for rows.Next() {
		var in IncidentSummary
		if err := rows.Scan(&in.ID, &in.Topic, &in.Rule, &in.Severity, &in.State, &in.Opened, &in.Updated,
			&in.Peak, &in.Observed, &in.Expected, &in.Summary, &in.Evidence, &in.Channel, &in.MessageTS); err != nil {
			return nil, fmt.Errorf("store: incidents: %w", err)
		}
		out = append(out, in)
	}
	return out, wrapErr("incidents", rows.Err())
}

// IncidentTimelines returns the alert rows of the given incidents, oldest
// first, at most 5000.
func (s *Store) IncidentTimelines(ctx context.Context, ids []string) ([]incident.AlertRow, error) {
	rows, err := s.conn.Query(ctx, `SELECT incident_id, at, rule, severity, state, value, threshold, observed, expected,
    summary, channel, message_ts
FROM `+s.Table("alerts")+` WHERE incident_id IN ? ORDER BY at LIMIT 5000`, stringSet(ids))
	if err != nil {
		return nil, fmt.Errorf("store: incident timelines: %w", err)
	}
	defer rows.Close()
	var out []incident.AlertRow
	for rows.Next() {
		var a incident.AlertRow
		if err := rows.Scan(&a.IncidentID, &a.At, &a.Rule, &a.Severity, &a.State, &a.Value, &a.Threshold, &a.Observed,
			&a.Expected, &a.Summary, &a.Channel, &a.MessageTS); err != nil {
			return nil, fmt.Errorf("store: incident timelines: %w", err)
		}
		out = append(out, a)
	}
	return out, wrapErr("incident timelines", rows.Err())
}

// OpenIncidentCounts returns the number of open incidents per topic.
func (s *Store) OpenIncidentCounts(ctx context.Context, topics []string) (map[string]int, error) {
	rows, err := s.conn.Query(ctx, `SELECT t, count() FROM (
    SELECT incident_id, argMin(topic, at) AS t, argMax(state, at) AS st
    FROM `+s.Table("alerts")+` WHERE topic IN ? GROUP BY incident_id)
WHERE st != ? GROUP BY t`, stringSet(topics), incident.AlertResolved)
	if err != nil {
		return nil, fmt.Errorf("store: open incidents: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var t string
		var n uint64
		if err := rows.Scan(&t, &n); err != nil {
			return nil, fmt.Errorf("store: open incidents: %w", err)
		}
		out[t] = int(n)
	}
	return out, wrapErr("open incidents", rows.Err())
}

// SourceRuns is a source's latest crawl run and its totals since a time.
type SourceRuns struct {
	Source string
	// LastRun and Finished are the latest run's start and end.
	LastRun, Finished time.Time
	// Pages, Posts, NewPosts, Errors and LastError are the latest run's.
	Pages, Posts, NewPosts, Errors uint32
	LastError                      string
	// Runs, ErrorsSince and NewSince count runs, errors and new posts
	// since the time asked for.
	Runs, ErrorsSince, NewSince uint64
}

// SourceRunSummaries returns every source's latest run, with totals since
// since.
func (s *Store) SourceRunSummaries(ctx context.Context, since time.Time) ([]SourceRuns, error) {
	rows, err := s.conn.Query(ctx, `SELECT source, max(started), argMax(finished, started), argMax(pages, started),
    argMax(posts, started), argMax(new_posts, started), argMax(errors, started), argMax(last_error, started),
    countIf(started >= ?), sumIf(errors, started >= ?), sumIf(new_posts, started >= ?)
FROM `+s.Table("crawl_runs")+` GROUP BY source`, since, since, since)
	if err != nil {
		return nil, fmt.Errorf("store: crawl runs: %w", err)
	}
	defer rows.Close()
	var out []SourceRuns
	for rows.Next() {
		var r SourceRuns
		if err := rows.Scan(&r.Source, &r.LastRun, &r.Finished, &r.Pages, &r.Posts, &r.NewPosts, &r.Errors, &r.LastError,
			&r.Runs, &r.ErrorsSince, &r.NewSince); err != nil {
			return nil, fmt.Errorf("store: crawl runs: %w", err)
		}
		out = append(out, r)
	}
	return out, wrapErr("crawl runs", rows.Err())
}

// RecentRunPosts returns, per source, the posts of each run started since
// since, oldest first.
func (s *Store) RecentRunPosts(ctx context.Context, since time.Time) (map[string][]uint32, error) {
	rows, err := s.conn.Query(ctx, `SELECT source, groupArray(p) FROM (
    SELECT source, posts AS p FROM `+s.Table("crawl_runs")+` WHERE started >= ? ORDER BY source, started)
GROUP BY source`, since)
	if err != nil {
		return nil, fmt.Errorf("store: recent runs: %w", err)
	}
	defer rows.Close()
	out := map[string][]uint32{}
	for rows.Next() {
		var name string
		var ps []uint32
		if err := rows.Scan(&name, &ps); err != nil {
			return nil, fmt.Errorf("store: recent runs: %w", err)
		}
		out[name] = ps
	}
	return out, wrapErr("recent runs", rows.Err())
}

// HighWaters returns every source's high-water mark; sources that have
// none yet are left out.
func (s *Store) HighWaters(ctx context.Context) (map[string]time.Time, error) {
	rows, err := s.conn.Query(ctx, `SELECT source, argMax(high_water, version) FROM `+s.Table("source_state")+` GROUP BY source`)
	if err != nil {
		return nil, fmt.Errorf("store: source state: %w", err)
	}
	defer rows.Close()
	out := map[string]time.Time{}
	for rows.Next() {
		var name string
		var hw time.Time
		if err := rows.Scan(&name, &hw); err != nil {
			return nil, fmt.Errorf("store: source state: %w", err)
		}
		if hw.Unix() > 0 {
			out[name] = hw
		}
	}
	return out, wrapErr("source state", rows.Err())
}

// SeriesStep is a topic's counts over one chart step.
type SeriesStep struct {
	T                                 time.Time
	Posts, Negative, Positive, Scored uint64
	SentimentSum                      float64
}

// SeriesSteps returns a topic's counts per step in [from, to), steps
// aligned to multiples of step since the epoch. An empty source means all
// sources.
func (s *Store) SeriesSteps(ctx context.Context, topic, source string, from, to time.Time, step time.Duration) ([]SeriesStep, error) {
	stepS := int64(step / time.Second)
	q := `SELECT toDateTime(intDiv(toUInt32(bucket), ?) * ?) AS t, sum(posts), sum(negative), sum(positive), sum(scored), sum(sentiment_sum)
FROM ` + s.Table("topic_rollup_5m") + ` WHERE topic = ? AND bucket >= ? AND bucket < ?`
	args := []any{stepS, stepS, topic, from, to}
	if source != "" {
		q += " AND source = ?"
		args = append(args, source)
	}
	q += " GROUP BY t ORDER BY t"
	rows, err := s.conn.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: series of %s: %w", topic, err)
	}
	defer rows.Close()
	var out []SeriesStep
	for rows.Next() {
		var r SeriesStep
		if err := rows.Scan(&r.T, &r.Posts, &r.Negative, &r.Positive, &r.Scored, &r.SentimentSum); err != nil {
			return nil, fmt.Errorf("store: series of %s: %w", topic, err)
		}
		out = append(out, r)
	}
	return out, wrapErr("series of "+topic, rows.Err())
}

// RiskStep is a topic's risk over one chart step.
type RiskStep struct {
	T time.Time
	// Score is the step's highest score.
	Score float64
	// ExpectedPerSecond is the mean expectation per second of the step's
	// warm windows; Warm counts them (0: no expectation yet).
	ExpectedPerSecond float64
	Warm              uint64
}

// RiskSteps returns a topic's risk per step in [from, to), aligned as
// SeriesSteps.
func (s *Store) RiskSteps(ctx context.Context, topic string, from, to time.Time, step time.Duration) ([]RiskStep, error) {
	stepS := int64(step / time.Second)
	rows, err := s.conn.Query(ctx, `SELECT toDateTime(intDiv(toUInt32(b), ?) * ?) AS t, max(sc),
    avgIf(ex / if(ws = 0, 300, ws), cs = 0 AND isFinite(ex)), countIf(cs = 0 AND isFinite(ex))
FROM (SELECT bucket AS b, argMax(score, version) AS sc, argMax(expected, version) AS ex,
             argMax(window_s, version) AS ws, argMax(cold_start, version) AS cs
      FROM `+s.Table("topic_risk")+` WHERE topic = ? AND bucket >= ? AND bucket < ? GROUP BY bucket)
GROUP BY t ORDER BY t`, stepS, stepS, topic, from, to)
	if err != nil {
		return nil, fmt.Errorf("store: risk of %s: %w", topic, err)
	}
	defer rows.Close()
	var out []RiskStep
	for rows.Next() {
		var r RiskStep
		if err := rows.Scan(&r.T, &r.Score, &r.ExpectedPerSecond, &r.Warm); err != nil {
			return nil, fmt.Errorf("store: risk of %s: %w", topic, err)
		}
		out = append(out, r)
	}
	return out, wrapErr("risk of "+topic, rows.Err())
}

// AlertMarkers returns up to limit of a topic's alert rows in [from, to),
// oldest first, with their time, incident, rule, severity, state and
// summary.
func (s *Store) AlertMarkers(ctx context.Context, topic string, from, to time.Time, limit int) ([]incident.AlertRow, error) {
	rows, err := s.conn.Query(ctx, `SELECT at, incident_id, rule, severity, state, summary
FROM `+s.Table("alerts")+` WHERE topic = ? AND at >= ? AND at < ? ORDER BY at LIMIT ?`, topic, from, to, limit)
	if err != nil {
		return nil, fmt.Errorf("store: alerts of %s: %w", topic, err)
	}
	defer rows.Close()
	var out []incident.AlertRow
	for rows.Next() {
		var m incident.AlertRow
		if err := rows.Scan(&m.At, &m.IncidentID, &m.Rule, &m.Severity, &m.State, &m.Summary); err != nil {
			return nil, fmt.Errorf("store: alerts of %s: %w", topic, err)
		}
		m.Topic = topic
		out = append(out, m)
	}
	return out, wrapErr("alerts of "+topic, rows.Err())
}

// latestTopicPosts is the newest version of each post of a topic in a range,
// once per post however many sources showed it (SCHEMA.md, Identity); it
// binds topic, from and to.
func (s *Store) latestTopicPosts() string {
	return `(SELECT argMax(label, version) AS lbl, argMax(compound, version) AS c,
        argMax(terms, version) AS tms, argMax(entities, version) AS ents
    FROM ` + s.Table("posts") + ` WHERE has(topics, ?) AND published >= ? AND published < ?
    GROUP BY post_key)`
}

// SentimentBin counts a topic's posts with one label in one tenth of the
// compound scale: Bin 0 is [-1, -0.9), 19 is [0.9, 1]; unscored posts
// have Bin -1 or an empty Label.
type SentimentBin struct {
	Label string
	Bin   int32
	Count uint64
}

// SentimentHistogram returns a topic's posts in [from, to) by label and
// compound-score bin.
func (s *Store) SentimentHistogram(ctx context.Context, topic string, from, to time.Time) ([]SentimentBin, error) {
	rows, err := s.conn.Query(ctx, `SELECT lbl, toInt32(floor(round((ifNull(c, -2) + 1) * 10, 6))) AS bin, count()
FROM `+s.latestTopicPosts()+` GROUP BY lbl, bin`, topic, from, to)
	if err != nil {
		return nil, fmt.Errorf("store: sentiment of %s: %w", topic, err)
	}
	defer rows.Close()
	var out []SentimentBin
	for rows.Next() {
		var b SentimentBin
		if err := rows.Scan(&b.Label, &b.Bin, &b.Count); err != nil {
			return nil, fmt.Errorf("store: sentiment of %s: %w", topic, err)
		}
		out = append(out, b)
	}
	return out, wrapErr("sentiment of "+topic, rows.Err())
}

// TermCount is how often a term or entity appears in a topic's posts, and
// in its negative posts.
type TermCount struct {
	Term            string
	Count, Negative uint64
}

// TopTerms returns a topic's 20 commonest sentiment terms in [from, to)
// (entities: its named entities instead), most negative first.
func (s *Store) TopTerms(ctx context.Context, topic string, from, to time.Time, entities bool) ([]TermCount, error) {
	col := "tms"
	if entities {
		col = "ents"
	}
	rows, err := s.conn.Query(ctx, `SELECT term, count() AS n, countIf(lbl = 'negative') AS neg
FROM `+s.latestTopicPosts()+` ARRAY JOIN `+col+` AS term
WHERE term != '' GROUP BY term ORDER BY neg DESC, n DESC, term LIMIT 20`, topic, from, to)
	if err != nil {
		return nil, fmt.Errorf("store: terms of %s: %w", topic, err)
	}
	defer rows.Close()
	var out []TermCount
	for rows.Next() {
		var t TermCount
		if err := rows.Scan(&t.Term, &t.Count, &t.Negative); err != nil {
			return nil, fmt.Errorf("store: terms of %s: %w", topic, err)
		}
		out = append(out, t)
	}
	return out, wrapErr("terms of "+topic, rows.Err())
}

// SourceCount is a topic's posts from one source.
type SourceCount struct {
	Source                    string
	Posts, Negative, Positive uint64
}

// SourceCounts returns a topic's posts per source in [from, to), most
// first; from is rounded down to the rollups' resolution.
func (s *Store) SourceCounts(ctx context.Context, topic string, from, to time.Time) ([]SourceCount, error) {
	rows, err := s.conn.Query(ctx, `SELECT source, sum(posts) AS n, sum(negative), sum(positive)
FROM `+s.Table("topic_rollup_5m")+` WHERE topic = ? AND bucket >= ? AND bucket < ?
GROUP BY source ORDER BY n DESC, source`, topic, from.Truncate(series.BucketSize), to)
	if err != nil {
		return nil, fmt.Errorf("store: sources of %s: %w", topic, err)
	}
	defer rows.Close()
	var out []SourceCount
	for rows.Next() {
		var c SourceCount
		if err := rows.Scan(&c.Source, &c.Posts, &c.Negative, &c.Positive); err != nil {
			return nil, fmt.Errorf("store: sources of %s: %w", topic, err)
		}
		out = append(out, c)
	}
	return out, wrapErr("sources of "+topic, rows.Err())
}

// stringSet binds a list of strings for IN.
func stringSet(ss []string) clickhouse.GroupSet {
	vs := make([]any, len(ss))
	for i, s := range ss {
		vs[i] = s
	}
	return clickhouse.GroupSet{Value: vs}
}

// wrapErr wraps a read's final error, if any.
func wrapErr(what string, err error) error {
	if err != nil {
		return fmt.Errorf("store: %s: %w", what, err)
	}
	return nil
}
