package store

import (
	"context"
	"fmt"
	"time"

	"github.com/backlash-monitor/backlash/incident"
)

// SaveIncidentDrivers stores what drove incidents' messages in the
// incident_drivers table.
func (s *Store) SaveIncidentDrivers(ctx context.Context, ds []incident.Driver) error {
	if len(ds) == 0 {
		return nil
	}
	b, err := s.conn.PrepareBatch(ctx, "INSERT INTO "+s.Table("incident_drivers")+
		" (incident_id, topic, at, window_start, kind, rank, text, posts, baseline_posts, z, log_odds, share, example)")
	if err != nil {
		return fmt.Errorf("store: save incident drivers: %w", err)
	}
	for _, d := range ds {
		if err := b.Append(d.IncidentID, d.Topic, dbTime(d.At), dbTime(d.WindowStart), d.Kind, uint16(d.Rank), d.Text,
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
	q := `SELECT incident_id, topic, at, window_start, kind, rank, text, posts, baseline_posts, z, log_odds, share, example
FROM ` + s.Table("incident_drivers") + ` FINAL
WHERE incident_id = ? AND at = (SELECT max(at) FROM ` + s.Table("incident_drivers") + ` WHERE incident_id = ?)
ORDER BY kind = 'theme', rank`
	rows, err := s.conn.Query(ctx, q, incidentID, incidentID)
	if err != nil {
		return nil, fmt.Errorf("store: drivers of %s: %w", incidentID, err)
	}
	defer rows.Close()
	var out []incident.Driver
	for rows.Next() {
		var d incident.Driver
		var rank uint16
		var posts, base uint32
		var at, ws time.Time
		if err := rows.Scan(&d.IncidentID, &d.Topic, &at, &ws, &d.Kind, &rank, &d.Text, &posts, &base, &d.Z, &d.LogOdds,
			&d.Share, &d.Example); err != nil {
			return nil, fmt.Errorf("store: drivers of %s: %w", incidentID, err)
		}
		d.At, d.WindowStart, d.Rank, d.Posts, d.BaselinePosts = at.UTC(), ws.UTC(), int(rank), int(posts), int(base)
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: drivers of %s: %w", incidentID, err)
	}
	return out, nil
}
