package store

import (
	"context"
	"fmt"

	"github.com/ClickHouse/clickhouse-go/v2"
)

// Stored returns which of ids the store already holds from source, so an
// import can skip them and store nothing twice.
func (s *Store) Stored(ctx context.Context, source string, ids []string) (map[string]bool, error) {
	out := make(map[string]bool)
	for start := 0; start < len(ids); start += existingChunk {
		end := min(start+existingChunk, len(ids))
		set := make([]any, end-start)
		for i, id := range ids[start:end] {
			set[i] = id
		}
		rows, err := s.conn.Query(ctx, "SELECT DISTINCT id FROM "+s.Table("posts")+" WHERE source = ? AND id IN ?",
			source, clickhouse.GroupSet{Value: set})
		if err != nil {
			return nil, fmt.Errorf("store: look up stored posts of %s: %w", source, err)
		}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, fmt.Errorf("store: look up stored posts of %s: %w", source, err)
			}
			out[id] = true
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, fmt.Errorf("store: look up stored posts of %s: %w", source, err)
		}
	}
	return out, nil
}
