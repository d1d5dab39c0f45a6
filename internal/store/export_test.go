package store

import "context"

// MigrateThrough applies the pending migrations numbered up to last, so an
// upgrade test can store rows under an older schema before migrating on.
func (s *Store) MigrateThrough(ctx context.Context, last int) ([]string, error) {
	return s.migrateThrough(ctx, last)
}
