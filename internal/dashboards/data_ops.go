package dashboards

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"time"

	"github.com/backlash-monitor/backlash/internal/store"
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
	topics := f.Topics
	if f.Topic != "" {
		topics = []string{f.Topic}
	}
	sums, err := d.st.IncidentSummaries(ctx, store.IncidentQuery{Topics: topics, OpenOnly: f.OpenOnly,
		From: f.From, To: f.To, Limit: f.Limit})
	if err != nil {
		return nil, fmt.Errorf("incidents: %w", err)
	}
	if len(sums) == 0 {
		return []incident{}, nil
	}
	out := make([]incident, 0, len(sums))
	byID := map[string]int{}
	ids := make([]string, 0, len(sums))
	for _, s := range sums {
		in := incident{ID: s.ID, Topic: s.Topic, Rule: s.Rule, Severity: s.Severity, State: s.State,
			Open: s.Open(), Opened: s.Opened, Updated: s.Updated, Peak: num(s.Peak), Observed: num(s.Observed),
			Expected: num(s.Expected), Summary: s.Summary, Evidence: s.Evidence, Channel: s.Channel,
			MessageTS: s.MessageTS, SlackURL: slackLink(slackBase, s.Channel, s.MessageTS), Timeline: []alertRow{}}
		byID[in.ID] = len(out)
		ids = append(ids, in.ID)
		out = append(out, in)
	}
	rows, err := d.st.IncidentTimelines(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("incident timelines: %w", err)
	}
	for _, r := range rows {
		a := alertRow{At: r.At, Rule: r.Rule, Severity: r.Severity, State: r.State, Value: num(r.Value),
			Threshold: num(r.Threshold), Observed: num(r.Observed), Expected: num(r.Expected), Summary: r.Summary,
			Channel: r.Channel, MessageTS: r.MessageTS}
		if i, ok := byID[r.IncidentID]; ok {
			out[i].Timeline = append(out[i].Timeline, a)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Open && !out[j].Open })
	return out, nil
}

// openIncidentCounts returns the number of open incidents per topic.
func (d data) openIncidentCounts(ctx context.Context, topics []string) (map[string]int, error) {
	if len(topics) == 0 {
		return map[string]int{}, nil
	}
	out, err := d.st.OpenIncidentCounts(ctx, topics)
	if err != nil {
		return nil, fmt.Errorf("open incidents: %w", err)
	}
	return out, nil
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
	runs, err := d.st.SourceRunSummaries(ctx, since)
	if err != nil {
		return nil, fmt.Errorf("crawl runs: %w", err)
	}
	for _, r := range runs {
		s := get(r.Source)
		last, fin := r.LastRun, r.Finished
		*s = sourceHealth{Source: s.Source, Configured: s.Configured, RecentRuns: s.RecentRuns,
			LastRun: &last, Finished: &fin, Pages: r.Pages, Posts: r.Posts, NewPosts: r.NewPosts, Errors: r.Errors,
			LastError: r.LastError, Runs7d: r.Runs, Errors7d: r.ErrorsSince, New7d: r.NewSince}
	}

	recent, err := d.st.RecentRunPosts(ctx, since)
	if err != nil {
		return nil, fmt.Errorf("recent runs: %w", err)
	}
	for _, name := range sortedKeys(recent) {
		ps := recent[name]
		if len(ps) > 48 {
			ps = ps[len(ps)-48:]
		}
		get(name).RecentRuns = ps
	}

	hws, err := d.st.HighWaters(ctx)
	if err != nil {
		return nil, fmt.Errorf("source state: %w", err)
	}
	for _, name := range sortedKeys(hws) {
		hw := hws[name]
		s := get(name)
		s.HighWater = &hw
		lag := int64(now.Sub(hw) / time.Second)
		s.LagSeconds = &lag
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

// sortedKeys returns m's keys in order, so sources first seen in the data
// are listed the same way every time.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
