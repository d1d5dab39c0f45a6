package store_test

import (
	"context"
	"strings"
	"testing"

	"github.com/backlash-monitor/backlash/internal/store"
	"github.com/backlash-monitor/backlash/internal/store/chtest"
)

// TestSparseColumnsMayBeLeftOut checks what leaving a posts column out of
// an insert relies on: the server fills it with the empty value the posts
// would have sent (no default expression), and no materialized view reads
// it.
func TestSparseColumnsMayBeLeftOut(t *testing.T) {
	s := chtest.Store(t)
	ctx := context.Background()
	db, table, _ := strings.Cut(strings.ReplaceAll(s.Table("posts"), "`", ""), ".")
	rows, err := s.Conn().Query(ctx, "SELECT name, default_kind FROM system.columns WHERE database = ? AND table = ?", db, table)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]string{}
	for rows.Next() {
		var name, kind string
		if err := rows.Scan(&name, &kind); err != nil {
			t.Fatal(err)
		}
		kinds[name] = kind
	}
	rows.Close()
	var views []string
	vr, err := s.Conn().Query(ctx, "SELECT create_table_query FROM system.tables WHERE database = ? AND engine = 'MaterializedView'", db)
	if err != nil {
		t.Fatal(err)
	}
	for vr.Next() {
		var q string
		if err := vr.Scan(&q); err != nil {
			t.Fatal(err)
		}
		views = append(views, q)
	}
	vr.Close()
	if len(views) == 0 {
		t.Fatal("no materialized views found: the check would pass whatever they read")
	}
	for c := range store.SparseColumns() {
		kind, ok := kinds[c]
		if !ok {
			t.Errorf("posts has no column %s", c)
		} else if kind != "" {
			t.Errorf("posts.%s has a %s expression: leaving it out would not store it empty", c, kind)
		}
		for _, v := range views {
			if strings.Contains(v, c) {
				t.Errorf("a materialized view reads posts.%s: %s", c, v)
			}
		}
	}
}
