package store

import (
	"context"
	"fmt"
	"time"

	"github.com/backlash-monitor/backlash/internal/analyzer/drivers"
	"github.com/backlash-monitor/backlash/internal/incident"
)

// SaveIncidentDrivers stores what drove incidents' messages in the
// incident_drivers table.
func (s *Store) SaveIncidentDrivers(ctx context.Context, ds []incident.Driver) error {
	if len(ds) == 0 {
		return nil
	}
	b, err := s.conn.PrepareBatch(ctx, "INSERT INTO "+s.Table("incident_drivers")+
		" (incident_id, topic, at, window_start, kind, rank, text, subject, posts, baseline_posts, z, log_odds, share, example)")
	if err != nil {
		return fmt.Errorf("store: save incident drivers: %w", err)
	}
	for _, d := range ds {
		if err := b.Append(d.IncidentID, d.Topic, dbTime(d.At), dbTime(d.WindowStart), d.Kind, uint16(d.Rank), d.Text, d.Subject,
			uint32(d.Posts), uint32(d.BaselinePosts), d.Z, d.LogOdds, d.Share, d.Example); err != nil {
			_ = b.Abort()
			return fmt.Errorf("store: save driver of %s: %w", d.IncidentID, err)
		}
	}
	if err := b.Send(); err != nil {
		return fmt.Errorf("store: save %d incident drivers: %w", len(ds), err)
	}
	return nil
}

// IncidentDrivers returns an incident's drivers as its latest message
// with evidence said them, terms then themes, in rank order.
func (s *Store) IncidentDrivers(ctx context.Context, incidentID string) ([]incident.Driver, error) {
	var at time.Time
	q := `SELECT max(at) FROM ` + s.Table("incident_drivers") + ` WHERE incident_id = ?`
	if err := s.conn.QueryRow(ctx, q, incidentID).Scan(&at); err != nil {
		return nil, fmt.Errorf("store: drivers of %s: %w", incidentID, err)
	}
	return s.driversAt(ctx, "incident_id = ?", incidentID, at)
}

// driversAt reads the drivers matching where (one bound value) at at.
func (s *Store) driversAt(ctx context.Context, where, arg string, at time.Time) ([]incident.Driver, error) {
	q := `SELECT incident_id, topic, at, window_start, kind, rank, text, subject, posts, baseline_posts, z, log_odds, share, example
FROM ` + s.Table("incident_drivers") + ` FINAL
WHERE ` + where + ` AND at = ?
ORDER BY incident_id, kind = 'theme', rank`
	rows, err := s.conn.Query(ctx, q, arg, at.UTC())
	if err != nil {
		return nil, fmt.Errorf("store: drivers of %s: %w", arg, err)
	}
	defer rows.Close()
	var out []incident.Driver
	for rows.Next() {
		var d incident.Driver
		var rank uint16
		var posts, base uint32
		var at, ws time.Time
		if err := rows.Scan(&d.IncidentID, &d.Topic, &at, &ws, &d.Kind, &rank, &d.Text, &d.Subject, &posts, &base, &d.Z, &d.LogOdds,
			&d.Share, &d.Example); err != nil {
			return nil, fmt.Errorf("store: drivers of %s: %w", arg, err)
		}
		d.At, d.WindowStart, d.Rank, d.Posts, d.BaselinePosts = at.UTC(), ws.UTC(), int(rank), int(posts), int(base)
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: drivers of %s: %w", arg, err)
	}
	return out, nil
}

// TopicDrivers returns the drivers of the latest message with evidence
// about topic in (from, to], terms then themes, in rank order.
func (s *Store) TopicDrivers(ctx context.Context, topic string, from, to time.Time) ([]incident.Driver, error) {
	var at time.Time
	q := `SELECT max(at) FROM ` + s.Table("incident_drivers") + ` WHERE topic = ? AND at > ? AND at <= ?`
	if err := s.conn.QueryRow(ctx, q, topic, from.UTC(), to.UTC()).Scan(&at); err != nil {
		return nil, fmt.Errorf("store: drivers of %s: %w", topic, err)
	}
	if !at.After(from) {
		return nil, nil
	}
	return s.driversAt(ctx, "topic = ?", topic, at)
}

// BaselinePosts returns a topic's posts published in [from, to) that have
// a row stored after version since (0: all), one per post with its newest
// title and text: what the alert engine's baseline of distinctive terms
// counts. A refresh reads only the rows stored since it last looked.
func (s *Store) BaselinePosts(ctx context.Context, topic string, from, to time.Time, since uint64) ([]drivers.Post, error) {
	rows, err := s.conn.Query(ctx, `SELECT post_key, min(published), max(version), argMax(title, version), argMax(text, version)
FROM `+s.Table("posts")+` WHERE has(topics, ?) AND published >= ? AND published < ? AND version > ?
GROUP BY post_key`, topic, from.UTC(), to.UTC(), since)
	if err != nil {
		return nil, fmt.Errorf("store: baseline posts of %s: %w", topic, err)
	}
	defer rows.Close()
	var out []drivers.Post
	for rows.Next() {
		var p drivers.Post
		if err := rows.Scan(&p.Key, &p.Published, &p.Version, &p.Title, &p.Text); err != nil {
			return nil, fmt.Errorf("store: baseline posts of %s: %w", topic, err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}
