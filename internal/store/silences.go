package store

import (
	"context"
	"fmt"
	"time"

	"github.com/backlash-monitor/backlash/internal/silence"
)

// SaveSilence stores a new version of a silence.
func (s *Store) SaveSilence(ctx context.Context, sl silence.Silence) error {
	b, err := s.conn.PrepareBatch(ctx, "INSERT INTO "+s.Table("alert_silences")+
		" (silence_id, topic, reason, created_by, starts, ends, expired, created, version)")
	if err != nil {
		return fmt.Errorf("store: save silence %s: %w", sl.ID, err)
	}
	exp := uint8(0)
	if sl.Expired {
		exp = 1
	}
	if err := b.Append(sl.ID, sl.Topic, sl.Reason, sl.CreatedBy, dbTime(sl.Starts), dbTime(sl.Ends), exp,
		dbTime(sl.Created), uint64(time.Now().UnixNano())); err != nil {
		_ = b.Abort()
		return fmt.Errorf("store: save silence %s: %w", sl.ID, err)
	}
	if err := b.Send(); err != nil {
		return fmt.Errorf("store: save silence %s: %w", sl.ID, err)
	}
	return nil
}

// Silences returns the latest version of every silence, newest first.
func (s *Store) Silences(ctx context.Context) ([]silence.Silence, error) {
	rows, err := s.conn.Query(ctx, `SELECT silence_id, argMax(topic, version), argMax(reason, version),
    argMax(created_by, version), argMax(starts, version), argMax(ends, version), argMax(expired, version), min(created)
FROM `+s.Table("alert_silences")+` GROUP BY silence_id ORDER BY min(created) DESC, silence_id`)
	if err != nil {
		return nil, fmt.Errorf("store: read silences: %w", err)
	}
	defer rows.Close()
	var out []silence.Silence
	for rows.Next() {
		var sl silence.Silence
		var exp uint8
		if err := rows.Scan(&sl.ID, &sl.Topic, &sl.Reason, &sl.CreatedBy, &sl.Starts, &sl.Ends, &exp, &sl.Created); err != nil {
			return nil, fmt.Errorf("store: read silences: %w", err)
		}
		sl.Expired = exp != 0
		out = append(out, sl)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: read silences: %w", err)
	}
	return out, nil
}
