package store

import (
	"context"
	"fmt"
	"time"

	"github.com/backlash-monitor/backlash/internal/incident"
)

const incidentColumns = `incident_id, topic, rule, severity, state, opened, updated, resolved, last_notified,
 clear_since, value, threshold, peak_value, risk, seq, version`

// SaveIncidents stores a new version of each incident.
func (s *Store) SaveIncidents(ctx context.Context, incs []incident.Incident) error {
	if len(incs) == 0 {
		return nil
	}
	b, err := s.conn.PrepareBatch(ctx, "INSERT INTO "+s.Table("incidents")+" ("+incidentColumns+")")
	if err != nil {
		return fmt.Errorf("store: save incidents: %w", err)
	}
	version := uint64(time.Now().UnixNano())
	for _, in := range incs {
		if err := b.Append(in.ID, in.Topic, in.Rule, string(in.Severity), string(in.State), dbTime(in.Opened), dbTime(in.Updated),
			dbTime(in.Resolved), dbTime(in.LastNotified), dbTime(in.ClearSince), in.Value, in.Threshold,
			in.PeakValue, in.Risk, in.Seq, version); err != nil {
			_ = b.Abort()
			return fmt.Errorf("store: save incident %s: %w", in.ID, err)
		}
	}
	if err := b.Send(); err != nil {
		return fmt.Errorf("store: save %d incidents: %w", len(incs), err)
	}
	return nil
}

// LatestIncidents returns, per topic, the most recently opened incident in
// its latest version, open or resolved.
func (s *Store) LatestIncidents(ctx context.Context) ([]incident.Incident, error) {
	q := `SELECT incident_id, topic, rule, severity, state, opened, updated, resolved, last_notified,
    clear_since, value, threshold, peak_value, risk, seq
FROM ` + s.Table("incidents") + `
WHERE (incident_id, version) IN (SELECT incident_id, max(version) FROM ` + s.Table("incidents") + ` GROUP BY incident_id)
ORDER BY topic, opened`
	rows, err := s.conn.Query(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("store: read incidents: %w", err)
	}
	defer rows.Close()
	latest := map[string]int{}
	var out []incident.Incident
	for rows.Next() {
		var in incident.Incident
		var sev, state string // plain strings: the driver's String column
		if err := rows.Scan(&in.ID, &in.Topic, &in.Rule, &sev, &state, &in.Opened, &in.Updated,
			&in.Resolved, &in.LastNotified, &in.ClearSince, &in.Value, &in.Threshold, &in.PeakValue, &in.Risk, &in.Seq); err != nil {
			return nil, fmt.Errorf("store: read incidents: %w", err)
		}
		in.Severity, in.State = incident.Severity(sev), incident.State(state)
		in.Resolved, in.LastNotified, in.ClearSince = goTime(in.Resolved), goTime(in.LastNotified), goTime(in.ClearSince)
		if i, ok := latest[in.Topic]; ok {
			out[i] = in
			continue
		}
		latest[in.Topic] = len(out)
		out = append(out, in)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: read incidents: %w", err)
	}
	return out, nil
}

// SaveConditions stores a new version of each condition.
func (s *Store) SaveConditions(ctx context.Context, cs []incident.Condition) error {
	if len(cs) == 0 {
		return nil
	}
	b, err := s.conn.PrepareBatch(ctx, "INSERT INTO "+s.Table("alert_conditions")+" (topic, rule, severity, since, seen, version)")
	if err != nil {
		return fmt.Errorf("store: save alert conditions: %w", err)
	}
	version := uint64(time.Now().UnixNano())
	for _, c := range cs {
		if err := b.Append(c.Topic, c.Rule, string(c.Severity), dbTime(c.Since), dbTime(c.Seen), version); err != nil {
			_ = b.Abort()
			return fmt.Errorf("store: save alert condition %s/%s: %w", c.Topic, c.Rule, err)
		}
	}
	if err := b.Send(); err != nil {
		return fmt.Errorf("store: save %d alert conditions: %w", len(cs), err)
	}
	return nil
}

// Conditions returns the latest version of every condition.
func (s *Store) Conditions(ctx context.Context) ([]incident.Condition, error) {
	rows, err := s.conn.Query(ctx, "SELECT topic, rule, severity, argMax(since, version), argMax(seen, version) FROM "+
		s.Table("alert_conditions")+" GROUP BY topic, rule, severity")
	if err != nil {
		return nil, fmt.Errorf("store: read alert conditions: %w", err)
	}
	defer rows.Close()
	var out []incident.Condition
	for rows.Next() {
		var c incident.Condition
		var sev string
		if err := rows.Scan(&c.Topic, &c.Rule, &sev, &c.Since, &c.Seen); err != nil {
			return nil, fmt.Errorf("store: read alert conditions: %w", err)
		}
		c.Severity = incident.Severity(sev)
		c.Since, c.Seen = goTime(c.Since), goTime(c.Seen)
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: read alert conditions: %w", err)
	}
	return out, nil
}

// RecordAlerts appends rows to the alerts table.
func (s *Store) RecordAlerts(ctx context.Context, rows []incident.AlertRow) error {
	if len(rows) == 0 {
		return nil
	}
	b, err := s.conn.PrepareBatch(ctx, "INSERT INTO "+s.Table("alerts")+
		" (alert_id, incident_id, rule, topic, severity, state, at, window_start, window_end, value, threshold, observed, expected, summary, channel, message_ts)")
	if err != nil {
		return fmt.Errorf("store: record alerts: %w", err)
	}
	for _, r := range rows {
		if err := b.Append(r.AlertID, r.IncidentID, r.Rule, r.Topic, r.Severity, r.State, dbTime(r.At),
			dbTime(r.WindowStart), dbTime(r.WindowEnd), r.Value, r.Threshold, r.Observed, r.Expected,
			r.Summary, r.Channel, r.MessageTS); err != nil {
			_ = b.Abort()
			return fmt.Errorf("store: record alert %s: %w", r.AlertID, err)
		}
	}
	if err := b.Send(); err != nil {
		return fmt.Errorf("store: record %d alerts: %w", len(rows), err)
	}
	return nil
}

// Alerts returns a topic's alert rows in [from, to), oldest first; empty
// topic means every topic.
func (s *Store) Alerts(ctx context.Context, topic string, from, to time.Time) ([]incident.AlertRow, error) {
	q := `SELECT alert_id, incident_id, rule, topic, severity, state, at, window_start, window_end, value, threshold,
    observed, expected, summary, channel, message_ts FROM ` + s.Table("alerts") + ` WHERE at >= ? AND at < ?`
	args := []any{from.UTC(), to.UTC()}
	if topic != "" {
		q += " AND topic = ?"
		args = append(args, topic)
	}
	q += " ORDER BY at, alert_id"
	rows, err := s.conn.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: read alerts: %w", err)
	}
	defer rows.Close()
	var out []incident.AlertRow
	for rows.Next() {
		var r incident.AlertRow
		if err := rows.Scan(&r.AlertID, &r.IncidentID, &r.Rule, &r.Topic, &r.Severity, &r.State, &r.At,
			&r.WindowStart, &r.WindowEnd, &r.Value, &r.Threshold, &r.Observed, &r.Expected, &r.Summary,
			&r.Channel, &r.MessageTS); err != nil {
			return nil, fmt.Errorf("store: read alerts: %w", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: read alerts: %w", err)
	}
	return out, nil
}

// dbTime maps the zero time to the epoch, which DateTime can hold.
func dbTime(t time.Time) time.Time {
	if t.IsZero() {
		return time.Unix(0, 0).UTC()
	}
	return t.UTC()
}

// goTime maps the epoch back to the zero time.
func goTime(t time.Time) time.Time {
	if t.Unix() <= 0 {
		return time.Time{}
	}
	return t.UTC()
}
