package serve

import (
	"context"
	"fmt"
)

// Database is what StoreReady checks; *store.Store satisfies it.
type Database interface {
	Ping(ctx context.Context) error
	Pending(ctx context.Context) (int, error)
}

// StoreReady returns an Options.Ready that fails while the database does
// not answer or has migrations not yet applied.
func StoreReady(db Database) func(ctx context.Context) error {
	return func(ctx context.Context) error {
		if err := db.Ping(ctx); err != nil {
			return fmt.Errorf("clickhouse unreachable: %w", err)
		}
		n, err := db.Pending(ctx)
		if err != nil {
			return fmt.Errorf("checking migrations: %w", err)
		}
		if n > 0 {
			return fmt.Errorf("%d schema migrations not applied yet", n)
		}
		return nil
	}
}
