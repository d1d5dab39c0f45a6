package store

import (
	"context"
	"fmt"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/ext"
	"github.com/ClickHouse/clickhouse-go/v2/lib/column"
)

// withSet returns ctx carrying vals as an external table called name, one
// column v of type typ, which a query reads as `x IN name`. The values go
// to the server as one column block beside the query, so a lookup of any
// number of ids is one query: no chunking to stay under max_query_size,
// and nothing for the server to parse. vals is a []string or []uint64.
func withSet(ctx context.Context, name, typ string, vals any) (context.Context, error) {
	t, err := ext.NewTable(name, ext.Column("v", column.Type(typ)))
	if err != nil {
		return nil, fmt.Errorf("store: lookup table %s: %w", name, err)
	}
	if _, err := t.Block().Columns[0].Append(vals); err != nil {
		return nil, fmt.Errorf("store: lookup table %s: %w", name, err)
	}
	return clickhouse.Context(ctx, clickhouse.WithExternalTable(t)), nil
}
