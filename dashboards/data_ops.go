package dashboards

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
)

// incident is one incident: the alerts sharing an incident_id. Summary is
// the newest notification's, Evidence the first's (why it was opened).
type incident struct {
	ID        string     `json:"id"`
	Topic     string     `json:"topic"`
	Rule      string     `json:"rule"`
	Severity  string     `json:"severity"`
	State     string     `json:"state"`
	Open      bool       `json:"open"`
	Opened    time.Time  `json:"opened"`
	Updated   time.Time  `json:"updated"`
	Peak      num        `json:"peak"`
	Observed  num        `json:"observed"`
	Expected  num        `json:"expected"`
	Summary   string     `json:"summary"`
	Evidence  string     `json:"evidence"`
	Channel   string     `json:"channel"`
	MessageTS string     `json:"message_ts"`
	SlackURL  string     `json:"slack_url,omitempty"`
	Timeline  []alertRow `json:"timeline"`
}

// alertRow is one notification of an incident.
type alertRow struct {
	At        time.Time `json:"at"`
	Rule      string    `json:"rule"`
	Severity  string    `json:"severity"`
	State     string    `json:"state"`
	Value     num       `json:"value"`
	Threshold num       `json:"threshold"`
	Observed  num       `json:"observed"`
	Expected  num       `json:"expected"`
	Summary   string    `json:"summary"`
	Channel   string    `json:"channel"`
	MessageTS string    `json:"message_ts"`
}

// incidentFilter selects incidents.
type incidentFilter struct {
	Topic    string // "" for all configured topics
	Topics   []string
	OpenOnly bool
	From, To time.Time
	Limit    int
}

// incidents returns incidents active in [From, To), open ones first, then
// newest first, each with its timeline.
func (d data) incidents(ctx context.Context, f incidentFilter, slackBase string) ([]incident, error) {
	if f.Topic == "" && len(f.Topics) == 0 {
		return []incident{}, nil
	}
	q := `SELECT incident_id, argMin(topic, at), argMin(rule, at), argMax(severity, at), argMax(state, at) AS st,
    min(at), max(at) AS last, max(value), argMax(observed, at), argMax(expected, at), argMax(summary, at),
    argMin(summary, at), argMinIf(channel, at, message_ts != ''), minIf(message_ts, message_ts != '')
FROM ` + d.st.Table("alerts") + ` WHERE `
	var args []any
	if f.Topic != "" {
		q += "topic = ?"
		args = append(args, f.Topic)
	} else {
		q += "topic IN ?"
		args = append(args, topicSet(f.Topics))
	}
	q += " GROUP BY incident_id HAVING last >= ? AND min(at) < ?"
	args = append(args, f.From.UTC(), f.To.UTC())
	if f.OpenOnly {
		q += " AND st NOT IN ?"
		args = append(args, clickhouse.GroupSet{Value: closedStates})
	}
	q += " ORDER BY last DESC LIMIT ?"
	args = append(args, f.Limit)
	rows, err := d.st.Conn().Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("incidents: %w", err)
	}
	var out []incident
	byID := map[string]int{}
	for rows.Next() {
		var in incident
		var peak, obs, exp float64
		if err := rows.Scan(&in.ID, &in.Topic, &in.Rule, &in.Severity, &in.State, &in.Opened, &in.Updated,
			&peak, &obs, &exp, &in.Summary, &in.Evidence, &in.Channel, &in.MessageTS); err != nil {
			rows.Close()
			return nil, fmt.Errorf("incidents: %w", err)
		}
		in.Peak, in.Observed, in.Expected = num(peak), num(obs), num(exp)
		in.Open = !isClosed(in.State)
		in.SlackURL = slackLink(slackBase, in.Channel, in.MessageTS)
		in.Timeline = []alertRow{}
		byID[in.ID] = len(out)
		out = append(out, in)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("incidents: %w", err)
	}
	if len(out) == 0 {
		return []incident{}, nil
	}
	ids := make([]any, 0, len(out))
	for _, in := range out {
		ids = append(ids, in.ID)
	}
	rows, err = d.st.Conn().Query(ctx, `SELECT incident_id, at, rule, severity, state, value, threshold, observed, expected,
    summary, channel, message_ts
FROM `+d.st.Table("alerts")+` WHERE incident_id IN ? ORDER BY at LIMIT 5000`, clickhouse.GroupSet{Value: ids})
	if err != nil {
		return nil, fmt.Errorf("incident timelines: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var a alertRow
		var v, th, obs, exp float64
		if err := rows.Scan(&id, &a.At, &a.Rule, &a.Severity, &a.State, &v, &th, &obs, &exp, &a.Summary, &a.Channel, &a.MessageTS); err != nil {
			return nil, fmt.Errorf("incident timelines: %w", err)
		}
		a.Value, a.Threshold, a.Observed, a.Expected = num(v), num(th), num(obs), num(exp)
		if i, ok := byID[id]; ok {
			out[i].Timeline = append(out[i].Timeline, a)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("incident timelines: %w", err)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Open && !out[j].Open })
	return out, nil
}

func isClosed(state string) bool {
	for _, s := range closedStates {
		if state == s {
			return true
		}
	}
	return false
}

// openIncidentCounts returns the number of open incidents per topic.
func (d data) openIncidentCounts(ctx context.Context, topics []string) (map[string]int, error) {
	if len(topics) == 0 {
		return map[string]int{}, nil
	}
	rows, err := d.st.Conn().Query(ctx, `SELECT t, count() FROM (
    SELECT incident_id, argMin(topic, at) AS t, argMax(state, at) AS st
    FROM `+d.st.Table("alerts")+` WHERE topic IN ? GROUP BY incident_id)
WHERE st NOT IN ? GROUP BY t`, topicSet(topics), clickhouse.GroupSet{Value: closedStates})
	if err != nil {
		return nil, fmt.Errorf("open incidents: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var t string
		var n uint64
		if err := rows.Scan(&t, &n); err != nil {
			return nil, fmt.Errorf("open incidents: %w", err)
		}
		out[t] = int(n)
	}
	return out, rows.Err()
}

var (
	slackChannelRe = regexp.MustCompile(`^[CGD][A-Z0-9]{6,}$`)
	slackTSRe      = regexp.MustCompile(`^[0-9]{9,11}\.[0-9]{6}$`)
)

// slackLink is the permalink of a Slack message, or "" when the channel is
// not a Slack channel id or the timestamp is not a Slack timestamp.
func slackLink(base, channel, ts string) string {
	if !slackChannelRe.MatchString(channel) || !slackTSRe.MatchString(ts) {
		return ""
	}
	p := ts[:len(ts)-7] + ts[len(ts)-6:]
	return base + "/archives/" + channel + "/p" + p
}

// sourceHealth is one source's recent crawling.
type sourceHealth struct {
	Source     string     `json:"source"`
	Configured bool       `json:"configured"`
	Status     string     `json:"status"`
	LastRun    *time.Time `json:"last_run"`
	Finished   *time.Time `json:"finished"`
	Pages      uint32     `json:"pages"`
	Posts      uint32     `json:"posts"`
	NewPosts   uint32     `json:"new_posts"`
	Errors     uint32     `json:"errors"`
	LastError  string     `json:"last_error"`
	Runs7d     uint64     `json:"runs_7d"`
	Errors7d   uint64     `json:"errors_7d"`
	New7d      uint64     `json:"new_posts_7d"`
	HighWater  *time.Time `json:"high_water"`
	LagSeconds *int64     `json:"lag_seconds"`
	RecentRuns []uint32   `json:"recent_posts"`
	// Problems are the source-health rules that fired after its last run
	// and Detail what each saw; BrokenSince is set while it is broken, and
	// LastGood is when its last healthy run finished.
	Problems    []string   `json:"problems"`
	Detail      []string   `json:"problem_detail"`
	BrokenSince *time.Time `json:"broken_since"`
	LastGood    *time.Time `json:"last_good"`
}

// sources returns each configured source's last run and lag, plus any
// source seen in the data but no longer configured.
func (d data) sources(ctx context.Context, configured []string, now time.Time) ([]sourceHealth, error) {
	since := now.Add(-7 * 24 * time.Hour).UTC()
	all := map[string]*sourceHealth{}
	var order []string
	get := func(name string) *sourceHealth {
		if s, ok := all[name]; ok {
			return s
		}
		s := &sourceHealth{Source: name, RecentRuns: []uint32{}}
		all[name] = s
		order = append(order, name)
		return s
	}
	for _, name := range configured {
		get(name).Configured = true
	}
	rows, err := d.st.Conn().Query(ctx, `SELECT source, max(started), argMax(finished, started), argMax(pages, started),
    argMax(posts, started), argMax(new_posts, started), argMax(errors, started), argMax(last_error, started),
    countIf(started >= ?), sumIf(errors, started >= ?), sumIf(new_posts, started >= ?)
FROM `+d.st.Table("crawl_runs")+` GROUP BY source`, since, since, since)
	if err != nil {
		return nil, fmt.Errorf("crawl runs: %w", err)
	}
	for rows.Next() {
		var name string
		var last, fin time.Time
		var r sourceHealth
		if err := rows.Scan(&name, &last, &fin, &r.Pages, &r.Posts, &r.NewPosts, &r.Errors, &r.LastError,
			&r.Runs7d, &r.Errors7d, &r.New7d); err != nil {
			rows.Close()
			return nil, fmt.Errorf("crawl runs: %w", err)
		}
		s := get(name)
		r.Source, r.Configured, r.RecentRuns = s.Source, s.Configured, s.RecentRuns
		r.LastRun, r.Finished = &last, &fin
		*s = r
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("crawl runs: %w", err)
	}

	rows, err = d.st.Conn().Query(ctx, `SELECT source, groupArray(p) FROM (
    SELECT source, posts AS p FROM `+d.st.Table("crawl_runs")+` WHERE started >= ? ORDER BY source, started)
GROUP BY source`, since)
	if err != nil {
		return nil, fmt.Errorf("recent runs: %w", err)
	}
	for rows.Next() {
		var name string
		var ps []uint32
		if err := rows.Scan(&name, &ps); err != nil {
			rows.Close()
			return nil, fmt.Errorf("recent runs: %w", err)
		}
		if len(ps) > 48 {
			ps = ps[len(ps)-48:]
		}
		get(name).RecentRuns = ps
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("recent runs: %w", err)
	}

	rows, err = d.st.Conn().Query(ctx, `SELECT source, argMax(high_water, version) FROM `+d.st.Table("source_state")+` GROUP BY source`)
	if err != nil {
		return nil, fmt.Errorf("source state: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		var hw time.Time
		if err := rows.Scan(&name, &hw); err != nil {
			return nil, fmt.Errorf("source state: %w", err)
		}
		if hw.Unix() <= 0 {
			continue
		}
		s := get(name)
		s.HighWater = &hw
		lag := int64(now.Sub(hw) / time.Second)
		s.LagSeconds = &lag
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("source state: %w", err)
	}
	out := make([]sourceHealth, 0, len(order))
	for _, name := range order {
		s := all[name]
		switch {
		case s.LastRun == nil:
			s.Status = "never run"
		case s.Errors > 0:
			s.Status = "errors"
		case s.Posts == 0:
			s.Status = "no posts"
		default:
			s.Status = "ok"
		}
		out = append(out, *s)
	}
	sort.SliceStable(out, func(i, j int) bool { return rank(out[i]) < rank(out[j]) })
	return out, nil
}

// rank sorts sources needing attention first.
func rank(s sourceHealth) int {
	switch {
	case s.Status == "ok" && s.Configured:
		return 2
	case !s.Configured:
		return 3
	default:
		return 1
	}
}
