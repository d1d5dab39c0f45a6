package store

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/backlash-monitor/backlash/internal/post"
)

// DefaultRepostWindow is how close in time an author's posts with the same
// text must be to count as one post, unless SetRepostWindow says otherwise.
const DefaultRepostWindow = 24 * time.Hour

// SetRepostWindow sets how close in time the same author's posts with the
// same text must be to count as one post; 0 keeps the default.
func (s *Store) SetRepostWindow(d time.Duration) {
	if d > 0 {
		s.repostWindow = d
	}
}

// keyKind orders the ways a sighting is matched to a stored post, surest
// first.
type keyKind uint8

const (
	keyShared keyKind = iota // the post's id in its namespace
	keyThread                // namespace, canonical thread, author and text
	keyRepost                // author and text, within the repost window
)

// identKey is one hash a post is looked up and indexed by.
type identKey struct {
	hash uint64
	kind keyKind
}

// maxKeys is the most keys identityKeys returns for a post.
const maxKeys = 4

// identityKeys returns the keys of a post: its id in its namespace; for
// every post of a namespace, its thread (the canonical link without the
// fragment, and the thread it was read from) with its author and text, so
// a feed item that links to a thread is recognised as the thread's post;
// and its author and text within its namespace (or its source) for
// reposts. textHash is p.ContentHash().
func identityKeys(p *post.Post, textHash uint64, buf []identKey) []identKey {
	buf = buf[:0]
	author := normAuthor(p.Author)
	var thb [16]byte
	th := string(strconv.AppendUint(thb[:0], textHash, 16))
	if p.Namespace != "" {
		if p.SharedID != "" {
			buf = append(buf, identKey{keyHash("i", p.Namespace, p.SharedID), keyShared})
		}
		if strings.TrimSpace(p.Text) != "" {
			u1, u2 := post.CanonicalURL(p.URL), post.CanonicalURL(p.Thread)
			if u1 != "" {
				buf = append(buf, identKey{keyHash("t", p.Namespace, u1, author, th), keyThread})
			}
			if u2 != "" && u2 != u1 {
				buf = append(buf, identKey{keyHash("t", p.Namespace, u2, author, th), keyThread})
			}
		}
	}
	if author != "" && strings.TrimSpace(p.Text) != "" {
		// The scope is the namespace, else "/" and the source.
		h := keyPart(offset64, "r")
		if p.Namespace != "" {
			h = keyPart(h, p.Namespace)
		} else {
			h = keyPart(keyBytes(h, "/"), p.Source)
		}
		buf = append(buf, identKey{keyPart(keyPart(h, author), th), keyRepost})
	}
	return buf
}

// normAuthor folds the ways sources write one handle: case, spaces and a
// leading @.
func normAuthor(a string) string {
	return strings.TrimPrefix(strings.ToLower(strings.TrimSpace(a)), "@")
}

// keyHash is the 64-bit FNV-1a hash of the parts, each followed by a zero
// byte (as hash/fnv computes it, without allocating).
func keyHash(parts ...string) uint64 {
	h := uint64(offset64)
	for _, s := range parts {
		h = keyPart(h, s)
	}
	return h
}

// FNV-1a's 64-bit offset basis and prime.
const (
	offset64 = 14695981039346656037
	prime64  = 1099511628211
)

// keyPart adds a part and the zero byte after it to a keyHash.
func keyPart(h uint64, s string) uint64 {
	return keyBytes(h, s) * prime64 // the zero byte: h ^= 0 leaves h as it is
}

// keyBytes adds the bytes of s to a keyHash, s being the start of a part.
func keyBytes(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= prime64
	}
	return h
}

// sighting is a stored post a key maps to.
type sighting struct {
	postKey    string
	source, id string
	published  time.Time
}

// identityIndex holds the stored mappings of the keys looked up, and those
// decided during a save.
type identityIndex map[uint64][]sighting

// has reports whether key already maps to postKey.
func (ix identityIndex) has(key uint64, postKey string) bool {
	for _, s := range ix[key] {
		if s.postKey == postKey {
			return true
		}
	}
	return false
}

// resolve finds the stored post a new sighting belongs to: by its id in the
// namespace, else by its thread, author and text, else as a repost by the
// same author within window. exact is false for a repost, which keeps its
// own publication time. Mappings stored by the same sighting (source and
// id) are left by an earlier save of it that failed half way, and are
// passed over.
func (ix identityIndex) resolve(keys []identKey, source, id string, published time.Time, window time.Duration) (postKey string, pub time.Time, exact, found bool) {
	var best *sighting
	for _, kind := range []keyKind{keyShared, keyThread, keyRepost} {
		for _, k := range keys {
			if k.kind != kind {
				continue
			}
			ss := ix[k.hash]
			for i := range ss {
				sg := &ss[i]
				if sg.source == source && sg.id == id {
					continue
				}
				if kind == keyRepost {
					d := sg.published.Sub(published).Abs()
					if d <= window && (best == nil || d < best.published.Sub(published).Abs()) {
						best = sg
					}
				} else if best == nil || sg.postKey < best.postKey {
					best = sg
				}
			}
		}
		if best != nil {
			return best.postKey, best.published, kind != keyRepost, true
		}
	}
	return "", time.Time{}, false, false
}

// lookupIdentity reads the stored mappings of the given keys, in one
// query.
func (s *Store) lookupIdentity(ctx context.Context, keys []uint64) (identityIndex, error) {
	ix := identityIndex{}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	uniq := keys[:0]
	for i, k := range keys {
		if i == 0 || k != keys[i-1] {
			uniq = append(uniq, k)
		}
	}
	if len(uniq) == 0 {
		return ix, nil
	}
	qctx, err := withSet(ctx, "lookup_keys", "UInt64", uniq)
	if err != nil {
		return nil, err
	}
	rows, err := s.conn.Query(qctx, "SELECT key, post_key, source, id, min(published) FROM "+s.Table("post_identity")+
		" WHERE key IN lookup_keys GROUP BY key, post_key, source, id")
	if err != nil {
		return nil, fmt.Errorf("store: look up post identities: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k uint64
		var sg sighting
		if err := rows.Scan(&k, &sg.postKey, &sg.source, &sg.id, &sg.published); err != nil {
			return nil, fmt.Errorf("store: look up post identities: %w", err)
		}
		ix[k] = append(ix[k], sg)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: look up post identities: %w", err)
	}
	return ix, nil
}

// identityRow is one new mapping to store.
type identityRow struct {
	key        uint64
	postKey    string
	source, id string
	published  time.Time
}

func (s *Store) saveIdentities(ctx context.Context, rows []identityRow, version uint64) error {
	if len(rows) == 0 {
		return nil
	}
	n := len(rows)
	keys, postKeys, sources, ids, published, versions := make([]uint64, n), make([]string, n), make([]string, n), make([]string, n), make([]time.Time, n), make([]uint64, n)
	for i, r := range rows {
		keys[i], postKeys[i], sources[i], ids[i], published[i], versions[i] = r.key, r.postKey, r.source, r.id, r.published.UTC(), version
	}
	b, err := s.conn.PrepareBatch(ctx, "INSERT INTO "+s.Table("post_identity")+" (key, post_key, source, id, published, version)")
	if err != nil {
		return fmt.Errorf("store: prepare post identities insert: %w", err)
	}
	if err := s.appendColumns(b, []any{keys, postKeys, sources, ids, published, versions}); err != nil {
		_ = b.Abort()
		return fmt.Errorf("store: post identities %w", err)
	}
	if err := b.Send(); err != nil {
		return fmt.Errorf("store: insert %d post identities: %w", len(rows), err)
	}
	s.spare.keep(b.Columns())
	return nil
}
