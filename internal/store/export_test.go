package store

import (
	"context"
	"time"

	"github.com/backlash-monitor/backlash/internal/post"
)

// MigrateThrough applies the pending migrations numbered up to last, so an
// upgrade test can store rows under an older schema before migrating on.
func (s *Store) MigrateThrough(ctx context.Context, last int) ([]string, error) {
	return s.migrateThrough(ctx, last)
}

// SparseColumns are the posts columns an insert leaves out when every post
// leaves them empty.
func SparseColumns() map[string]bool { return sparseColumns }

// InsertPosts writes the posts of rows as a save does once it knows what
// to write: the block, built and sent.
func (s *Store) InsertPosts(ctx context.Context, posts []post.Post, rows []int, published []time.Time, hashes []uint64, postKeys []string, counted, firsts []uint8, version uint64) error {
	return s.insertPosts(ctx, posts, rows, published, hashes, postKeys, counted, firsts, version)
}
