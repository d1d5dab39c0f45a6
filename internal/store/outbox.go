package store

import (
	"context"
	"fmt"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"

	"github.com/backlash-monitor/backlash/internal/outbox"
)

const outboxColumns = `dedup_key, incident_id, kind, seq, topic, rule, severity, alert_state, mode, channel,
 parent_key, text, blocks, value, threshold, observed, expected, window_start, window_end, summary, status,
 attempts, last_error, created, updated, sent_channel, sent_ts, version`

const outboxSelect = `dedup_key, incident_id, kind, seq, topic, rule, severity, alert_state, mode, channel,
 parent_key, text, blocks, value, threshold, observed, expected, window_start, window_end, summary, status,
 attempts, last_error, created, updated, sent_channel, sent_ts`

// PutOutbox stores a new version of each item. Items keep their Created
// time across versions so they stay in one partition.
func (s *Store) PutOutbox(ctx context.Context, items []outbox.Item) error {
	if len(items) == 0 {
		return nil
	}
	b, err := s.conn.PrepareBatch(ctx, "INSERT INTO "+s.Table("alert_outbox")+" ("+outboxColumns+")")
	if err != nil {
		return fmt.Errorf("store: write outbox: %w", err)
	}
	version := uint64(time.Now().UnixNano())
	for i, it := range items {
		if err := b.Append(it.Key, it.IncidentID, it.Kind, it.Seq, it.Topic, it.Rule, it.Severity, it.AlertState,
			it.Mode, it.Channel, it.ParentKey, it.Text, it.Blocks, it.Value, it.Threshold, it.Observed, it.Expected,
			dbTime(it.WindowStart), dbTime(it.WindowEnd), it.Summary, it.Status, it.Attempts, it.LastError,
			dbTime(it.Created), dbTime(it.Updated), it.SentChannel, it.SentTS, version+uint64(i)); err != nil {
			_ = b.Abort()
			return fmt.Errorf("store: write outbox item %s: %w", it.Key, err)
		}
	}
	if err := b.Send(); err != nil {
		return fmt.Errorf("store: write %d outbox items: %w", len(items), err)
	}
	return nil
}

// OutboxItems returns the latest version of the items with the given keys.
func (s *Store) OutboxItems(ctx context.Context, keys []string) (map[string]outbox.Item, error) {
	out := map[string]outbox.Item{}
	if len(keys) == 0 {
		return out, nil
	}
	ks := make([]any, len(keys))
	for i, k := range keys {
		ks[i] = k
	}
	items, err := s.outbox(ctx, "dedup_key IN ?", clickhouse.GroupSet{Value: ks})
	if err != nil {
		return nil, err
	}
	for _, it := range items {
		out[it.Key] = it
	}
	return out, nil
}

// PendingOutbox returns the items not yet delivered, oldest first.
func (s *Store) PendingOutbox(ctx context.Context) ([]outbox.Item, error) {
	items, err := s.outbox(ctx, "dedup_key IN (SELECT dedup_key FROM "+s.Table("alert_outbox")+" WHERE status = ?)", outbox.Pending)
	if err != nil {
		return nil, err
	}
	var out []outbox.Item
	for _, it := range items {
		if it.Status == outbox.Pending {
			out = append(out, it)
		}
	}
	return out, nil
}

// outbox reads the latest version of the items matching where.
func (s *Store) outbox(ctx context.Context, where string, args ...any) ([]outbox.Item, error) {
	t := s.Table("alert_outbox")
	q := "SELECT " + outboxSelect + " FROM " + t + " WHERE (dedup_key, version) IN (SELECT dedup_key, max(version) FROM " +
		t + " WHERE " + where + " GROUP BY dedup_key) ORDER BY created, incident_id, seq, dedup_key"
	rows, err := s.conn.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: read outbox: %w", err)
	}
	defer rows.Close()
	var out []outbox.Item
	for rows.Next() {
		var it outbox.Item
		if err := rows.Scan(&it.Key, &it.IncidentID, &it.Kind, &it.Seq, &it.Topic, &it.Rule, &it.Severity,
			&it.AlertState, &it.Mode, &it.Channel, &it.ParentKey, &it.Text, &it.Blocks, &it.Value, &it.Threshold,
			&it.Observed, &it.Expected, &it.WindowStart, &it.WindowEnd, &it.Summary, &it.Status, &it.Attempts,
			&it.LastError, &it.Created, &it.Updated, &it.SentChannel, &it.SentTS); err != nil {
			return nil, fmt.Errorf("store: read outbox: %w", err)
		}
		it.WindowStart, it.WindowEnd = goTime(it.WindowStart), goTime(it.WindowEnd)
		it.Created, it.Updated = goTime(it.Created), goTime(it.Updated)
		out = append(out, it)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: read outbox: %w", err)
	}
	return out, nil
}
