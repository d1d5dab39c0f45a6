package store

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
)

// RetentionTables are the tables retention trims: the collected posts and
// everything derived from them or recorded per run. Incidents, the outbox,
// silences and rule conditions are small state the alert engine reads
// back, and are kept.
var RetentionTables = []string{"posts", "topic_rollup_5m", "topic_risk", "crawl_runs", "alerts"}

// DroppedPartition is a month of a table removed by retention.
type DroppedPartition struct {
	// Node is the server's address on a cluster, "" otherwise.
	Node string
	// Table is the table's name; Partition the month, as YYYYMM.
	Table, Partition string
	// Rows is how many rows the partition held.
	Rows uint64
}

// monthRe is a monthly partition's id.
var monthRe = regexp.MustCompile(`^[0-9]{6}$`)

// ApplyRetention drops the monthly partitions of RetentionTables whose
// whole month is older than keep before now. ClickHouse 18.16 has no TTL,
// so whole partitions are dropped, never rows; a month goes once its last
// second is past the cut, so up to a month more than keep is kept. On a
// cluster it drops the local tables' partitions on every node. Dropping
// needs ALTER rights (the migrator's, see docs/security.md).
func (s *Store) ApplyRetention(ctx context.Context, keep time.Duration, now time.Time) ([]DroppedPartition, error) {
	if keep <= 0 {
		return nil, nil
	}
	cut := now.UTC().Add(-keep)
	if s.cluster == nil {
		return s.dropOld(ctx, s.conn, "", "", cut)
	}
	conns, err := s.nodeConns(ctx)
	if err != nil {
		return nil, err
	}
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	var out []DroppedPartition
	for i, c := range conns {
		d, err := s.dropOld(ctx, c, s.addr[i], LocalSuffix, cut)
		out = append(out, d...)
		if err != nil {
			return out, err
		}
	}
	return out, nil
}

// dropOld drops, through conn, the partitions of the retention tables
// (named with suffix) whose month ends at or before cut.
func (s *Store) dropOld(ctx context.Context, conn driver.Conn, node, suffix string, cut time.Time) ([]DroppedPartition, error) {
	rows, err := conn.Query(ctx, "SELECT table, partition, toUInt64(sum(rows)) FROM system.parts "+
		"WHERE database = ? AND active GROUP BY table, partition ORDER BY table, partition", s.db)
	if err != nil {
		return nil, fmt.Errorf("store: retention: list partitions: %w", err)
	}
	var old []DroppedPartition
	for rows.Next() {
		var p DroppedPartition
		if err := rows.Scan(&p.Table, &p.Partition, &p.Rows); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: retention: list partitions: %w", err)
		}
		name, ok := strings.CutSuffix(p.Table, suffix)
		if !ok || !slices.Contains(RetentionTables, name) || !monthRe.MatchString(p.Partition) {
			continue
		}
		ym, _ := strconv.Atoi(p.Partition)
		end := time.Date(ym/100, time.Month(ym%100)+1, 1, 0, 0, 0, 0, time.UTC)
		if end.After(cut) {
			continue
		}
		p.Node = node
		old = append(old, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: retention: list partitions: %w", err)
	}
	var done []DroppedPartition
	for _, p := range old {
		// The partition id is six digits, checked above: no user text
		// reaches the statement.
		sql := "ALTER TABLE " + s.Table(p.Table) + " DROP PARTITION " + p.Partition
		if err := conn.Exec(ctx, sql); err != nil {
			return done, fmt.Errorf("store: retention: drop %s partition %s: %w", p.Table, p.Partition, err)
		}
		s.log.Info("retention dropped a partition", "table", p.Table, "partition", p.Partition, "rows", p.Rows, "node", node)
		done = append(done, p)
	}
	return done, nil
}
