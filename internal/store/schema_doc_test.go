package store_test

import (
	"context"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/backlash-monitor/backlash/internal/store/chtest"
)

// TestSchemaDoc keeps SCHEMA.md true: every table the migrations create is
// documented with all its columns, and every example query runs.
func TestSchemaDoc(t *testing.T) {
	doc, err := os.ReadFile("SCHEMA.md")
	if err != nil {
		t.Fatal(err)
	}
	s := chtest.Store(t)
	ctx := context.Background()
	rows, err := s.Conn().Query(ctx, "SELECT table, name FROM system.columns WHERE database = ? AND table NOT LIKE '.inner%'", s.Database())
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	text := string(doc)
	missing := map[string]bool{}
	for rows.Next() {
		var table, col string
		if err := rows.Scan(&table, &col); err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(table, "_mv") {
			continue
		}
		if !strings.Contains(text, "## "+table+"\n") {
			if !missing[table] {
				t.Errorf("SCHEMA.md has no section for table %s", table)
			}
			missing[table] = true
			continue
		}
		section := text[strings.Index(text, "## "+table+"\n"):]
		if i := strings.Index(section[3:], "\n## "); i >= 0 {
			section = section[:i+3]
		}
		if !regexp.MustCompile(`(?m)^\| ([a-z_]+, )*` + col + `(, [a-z_]+)* \|`).MatchString(section) {
			t.Errorf("SCHEMA.md does not document %s.%s", table, col)
		}
	}
	queries := regexp.MustCompile("(?s)```sql\n(.*?)```").FindAllStringSubmatch(text, -1)
	if len(queries) < 3 {
		t.Fatalf("SCHEMA.md has %d example queries, want at least 3", len(queries))
	}
	for _, q := range queries {
		sql := strings.TrimSuffix(strings.TrimSpace(strings.ReplaceAll(q[1], "backlash.", "`"+s.Database()+"`.")), ";")
		r, err := s.Conn().Query(ctx, sql)
		if err != nil {
			t.Errorf("example query fails: %v\n%s", err, sql)
			continue
		}
		r.Close()
	}
}
