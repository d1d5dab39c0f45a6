package store

import "context"

// MigrateThrough applies the pending migrations numbered up to last, so an
// upgrade test can store rows under an older schema before migrating on.
func (s *Store) MigrateThrough(ctx context.Context, last int) ([]string, error) {
	return s.migrateThrough(ctx, last)
}

// SparseColumns are the posts columns an insert leaves out when every post
// leaves them empty.
func SparseColumns() map[string]bool { return sparseColumns }
