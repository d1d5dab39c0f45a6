package store

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/backlash-monitor/backlash/internal/post"
)

// SaveCounts counts the posts SavePosts stored.
type SaveCounts struct {
	// New is the number of posts stored for the first time from their
	// source: the source's own health.
	New int
	// Updated is the number of posts already stored that got a new version
	// (fresh counts or scores); rollups do not count them again.
	Updated int
	// Counted is the number of new posts counted by the rollups: New less
	// the posts already stored through another source of their namespace
	// and the reposts of a post already stored.
	Counted int
	// Present is the number of posts SaveNewPosts left alone because the
	// store already held them.
	Present int
}

// SaveResult counts what SavePosts stored, in all and per source.
type SaveResult struct {
	SaveCounts
	// BySource splits the counts by the posts' source.
	BySource map[string]SaveCounts
}

func (r *SaveResult) count(source string, isNew, counted, present bool) {
	if r.BySource == nil {
		r.BySource = map[string]SaveCounts{}
	}
	c := r.BySource[source]
	if present {
		r.Present++
		c.Present++
	} else if isNew {
		r.New++
		c.New++
	} else {
		r.Updated++
		c.Updated++
	}
	if counted {
		r.Counted++
		c.Counted++
	}
	r.BySource[source] = c
}

// postColumns is the insert column list for posts; keep in step with
// postBlock.
var postColumns = []string{"source", "id", "parent_id", "thread", "url", "author", "title", "text", "published", "time_guessed",
	"fetched", "likes", "replies", "shares", "followers", "topics", "language", "compound", "pos", "neu", "neg", "label", "terms",
	"lexicon_version", "entities", "content_hash", "first_seen", "version", "rating", "app_version", "views",
	"post_key", "counted", "title_compound", "title_label"}

// sparseColumns are the posts columns many posts leave empty, have no
// default expression (so the server fills them with the same empty value)
// and no rollup reads: an insert leaves out those that every one of its
// posts leaves empty, so neither end spends time on them.
var sparseColumns = map[string]bool{"parent_id": true, "thread": true, "title": true, "terms": true,
	"entities": true, "app_version": true, "title_label": true}

// stored is what the store already holds of a post.
type stored struct {
	published time.Time
	postKey   string
	// counted is true when the sighting is its post's counted one: its
	// later versions say so too, so the flag outlives the merges that keep
	// only the newest version.
	counted bool
}

// SavePosts stores posts. A post already stored (same source and id) gets a
// new version row that keeps its original publication time and is not
// counted again by the rollups, so re-crawling never double-counts.
//
// A post seen for the first time through one source may already be stored
// through another source of its namespace, or be its author's repost of a
// text within the repost window: it is stored as a sighting of that post
// (the same post_key) and not counted again. Which sighting is counted
// depends on which arrives first, but every count is the same in any
// order. Saves in one process are serialised so that two sources storing
// the same post at once count it once.
func (s *Store) SavePosts(ctx context.Context, posts []post.Post) (SaveResult, error) {
	return s.save(ctx, posts, false)
}

// SaveNewPosts stores the posts the store does not hold yet, as SavePosts
// does, and leaves alone those it already holds (same source and id),
// counting them as Present: importing the same posts twice stores nothing
// the second time. The lookup that tells them apart is the one SavePosts
// makes anyway.
func (s *Store) SaveNewPosts(ctx context.Context, posts []post.Post) (SaveResult, error) {
	return s.save(ctx, posts, true)
}

func (s *Store) save(ctx context.Context, posts []post.Post, onlyNew bool) (SaveResult, error) {
	var res SaveResult
	if len(posts) == 0 {
		return res, nil
	}
	uniq := lastCopies(posts)
	hashes, keys := hashPosts(uniq)
	n := 0
	for i := range keys {
		n += len(keys[i])
	}
	all := make([]uint64, 0, n)
	for i := range keys {
		for _, k := range keys[i] {
			all = append(all, k.hash)
		}
	}

	s.saveMu.Lock()
	defer s.saveMu.Unlock()
	var known map[[2]string]stored
	var ix identityIndex
	var knownErr, ixErr error
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		ix, ixErr = s.lookupIdentity(ctx, all)
	}()
	known, knownErr = s.existing(ctx, uniq)
	wg.Wait()
	if err := errors.Join(knownErr, ixErr); err != nil {
		return res, err
	}

	version := uint64(time.Now().UnixNano())
	ownKeys := newKeyArena(uniq)
	newIdx := make([]identityRow, 0, len(all))
	// What is written: the posts of uniq not left alone (by index), and per
	// post its publication time, text hash, key, and whether it is counted
	// and seen for the first time. The caller's posts are left as they are.
	out := make([]int, 0, len(uniq))
	outPub := make([]time.Time, 0, len(uniq))
	outHashes := hashes[:0]
	counted := make([]uint8, 0, len(uniq))
	postKeys := make([]string, 0, len(uniq))
	firsts := make([]uint8, 0, len(uniq))
	for i := range uniq {
		p := &uniq[i]
		pub := p.Published
		var postKey string
		var isCounted, first uint8
		if st, ok := known[[2]string{p.Source, p.ID}]; ok {
			if onlyNew {
				res.count(p.Source, false, false, true)
				continue
			}
			pub = st.published
			postKey = st.postKey
			if st.counted {
				isCounted = 1 // first_seen 0: the rollups counted it already
			}
			res.count(p.Source, false, false, false)
		} else {
			first = 1
			key, kpub, exact, found := ix.resolve(keys[i], p.Source, p.ID, p.Published, s.repostWindow)
			if found {
				postKey = key
				if exact {
					pub = kpub
				}
			} else {
				postKey, isCounted = ownKeys.key(p), 1
			}
			res.count(p.Source, true, !found, false)
		}
		// Index every key of the post that does not yet lead to it, so the
		// next sighting finds it whichever key it shares.
		for _, k := range keys[i] {
			if !ix.has(k.hash, postKey) {
				ix[k.hash] = append(ix[k.hash], sighting{postKey: postKey, source: p.Source, id: p.ID, published: pub})
				newIdx = append(newIdx, identityRow{key: k.hash, postKey: postKey, source: p.Source, id: p.ID, published: pub})
			}
		}
		outHashes = append(outHashes, hashes[i])
		out = append(out, i)
		outPub = append(outPub, pub)
		postKeys = append(postKeys, postKey)
		counted = append(counted, isCounted)
		firsts = append(firsts, first)
	}
	if len(out) == 0 {
		return res, nil
	}

	// The index and the posts are written at once; a save that fails half
	// way is retried as a whole (from the spool), and the mappings the
	// failed save left under the post's own source and id do not stop it
	// being counted then.
	var idxErr error
	wg.Add(1)
	go func() {
		defer wg.Done()
		idxErr = s.saveIdentities(ctx, newIdx, version)
	}()
	postErr := s.insertPosts(ctx, uniq, out, outPub, outHashes, postKeys, counted, firsts, version)
	wg.Wait()
	if err := errors.Join(postErr, idxErr); err != nil {
		return SaveResult{}, err
	}
	return res, nil
}

// keyArena hands out posts' own keys (post.Post.Key) cut from one block
// sized for the posts of a save, rather than an allocation each. The
// bytes of a key are never written again: were the block to run out, the
// next keys would go to a new one.
type keyArena struct{ buf []byte }

func newKeyArena(posts []post.Post) keyArena {
	n := 0
	for i := range posts {
		p := &posts[i]
		if p.Namespace != "" && p.SharedID != "" {
			n += len(p.Namespace) + 1 + len(p.SharedID)
		} else {
			n += len(p.Source) + 1 + len(p.ID)
		}
	}
	return keyArena{make([]byte, 0, n)}
}

// key returns p.Key().
func (a *keyArena) key(p *post.Post) string {
	start := len(a.buf)
	if p.Namespace != "" && p.SharedID != "" {
		a.buf = append(append(append(a.buf, p.Namespace...), ':'), p.SharedID...)
	} else {
		a.buf = append(append(append(a.buf, p.Source...), '/'), p.ID...)
	}
	return unsafe.String(&a.buf[start], len(a.buf)-start)
}

// hashChunk is how many posts one goroutine of hashPosts hashes at a time.
const hashChunk = 1024

// hashPosts returns each post's text hash and identity keys, on every core
// for many posts.
func hashPosts(posts []post.Post) ([]uint64, [][]identKey) {
	hashes := make([]uint64, len(posts))
	keys := make([][]identKey, len(posts))
	// Every post's keys in one allocation: a post has at most maxKeys.
	buf := make([]identKey, maxKeys*len(posts))
	n := (len(posts) + hashChunk - 1) / hashChunk
	var next atomic.Int64
	work := func() {
		for {
			c := int(next.Add(1)) - 1
			if c >= n {
				return
			}
			for i := c * hashChunk; i < min((c+1)*hashChunk, len(posts)); i++ {
				hashes[i] = posts[i].ContentHash()
				keys[i] = identityKeys(&posts[i], hashes[i], buf[maxKeys*i:maxKeys*i:maxKeys*(i+1)])
			}
		}
	}
	var wg sync.WaitGroup
	for w := 1; w < min(runtime.GOMAXPROCS(0), n); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			work()
		}()
	}
	work()
	wg.Wait()
	return hashes, keys
}

// lastCopies returns posts with only the last copy of a post (same source
// and id) that appears more than once, in the order of first appearance:
// posts itself when each appears once, else a new slice.
func lastCopies(posts []post.Post) []post.Post {
	idx := make(map[[2]string]int, len(posts))
	var uniq []post.Post
	for i := range posts {
		p := &posts[i]
		k := [2]string{p.Source, p.ID}
		j, ok := idx[k]
		if !ok {
			idx[k] = i
			if uniq != nil {
				idx[k] = len(uniq)
				uniq = append(uniq, *p)
			}
			continue
		}
		if uniq == nil {
			// The first repeat: copy what came before it, once.
			uniq = append(make([]post.Post, 0, len(posts)), posts[:i]...)
		}
		uniq[j] = *p
	}
	if uniq == nil {
		return posts
	}
	return uniq
}

// insertPosts writes the posts of rows (indexes in posts), published at
// the times given.
func (s *Store) insertPosts(ctx context.Context, posts []post.Post, rows []int, published []time.Time, hashes []uint64, postKeys []string, counted, firsts []uint8, version uint64) error {
	// The block is built before the insert is opened, so the server does
	// not hold the insert open while the rows are assembled.
	block := postBlock(posts, rows, published, hashes, postKeys, counted, firsts, version, time.Now())
	names := make([]string, 0, len(postColumns))
	cols := make([]any, 0, len(postColumns))
	for i, c := range block {
		if sparseColumns[postColumns[i]] && allEmpty(c) {
			continue
		}
		names, cols = append(names, postColumns[i]), append(cols, c)
	}
	b, err := s.conn.PrepareBatch(ctx, "INSERT INTO "+s.Table("posts")+" ("+strings.Join(names, ", ")+")")
	if err != nil {
		return fmt.Errorf("store: prepare posts insert: %w", err)
	}
	if err := s.appendColumns(b, cols); err != nil {
		_ = b.Abort()
		return fmt.Errorf("store: posts %w", err)
	}
	if err := b.Send(); err != nil {
		return fmt.Errorf("store: insert %d posts: %w", len(rows), err)
	}
	s.spare.keep(b.Columns())
	return nil
}

// allEmpty reports whether a column of strings or of arrays holds only
// empty values.
func allEmpty(col any) bool {
	switch c := col.(type) {
	case []string:
		for _, v := range c {
			if v != "" {
				return false
			}
		}
		return true
	case [][]string:
		for _, v := range c {
			if len(v) > 0 {
				return false
			}
		}
		return true
	}
	return false
}

// appendColumns appends a block's columns to a batch: each a slice of
// values, or a slice of slices for an array column. String columns are
// sized for their values first (see reserveRoom).
func (s *Store) appendColumns(b driver.Batch, cols []any) error {
	live := b.Columns()
	for i, c := range cols {
		if i < len(live) {
			reserveRoom(live[i], c, &s.spare)
		}
		var err error
		switch c := c.(type) {
		case [][]string:
			// Straight into the driver's columns where it can be, else row
			// by row: a whole column of arrays is appended by reflection,
			// boxing every value.
			if i < len(live) && appendStringArrays(live[i], c) {
				break
			}
			bc := b.Column(i)
			for _, row := range c {
				if err = bc.AppendRow(row); err != nil {
					break
				}
			}
		default:
			err = b.Column(i).Append(c)
		}
		if err != nil {
			return fmt.Errorf("column %d: %w", i, err)
		}
	}
	return nil
}

// postBlock returns the posts of rows (indexes in posts), published at the
// times given, as columns, one slice per column of postColumns and in its
// order, for a column-oriented insert.
func postBlock(posts []post.Post, rows []int, pubs []time.Time, hashes []uint64, postKeys []string, counted, firsts []uint8, version uint64, now time.Time) []any {
	n := len(rows)
	var (
		source, id, parentID, thread, url, author, title, text = make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		published, fetched                                     = make([]time.Time, n), make([]time.Time, n)
		guessed, rating                                        = make([]uint8, n), make([]uint8, n)
		likes, replies, shares, followers, views               = make([]uint32, n), make([]uint32, n), make([]uint32, n), make([]uint32, n), make([]uint32, n)
		topics, terms, entities                                = make([][]string, n), make([][]string, n), make([][]string, n)
		language, label, lexv, appVersion, titleLabel          = make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		compound, pos, neu, neg, titleCompound                 = make([]*float64, n), make([]*float64, n), make([]*float64, n), make([]*float64, n), make([]*float64, n)
		versions                                               = make([]uint64, n)
		// The scores of every post, in one allocation the pointers share.
		scores = make([]float64, 5*n)
	)
	empty := []string{}
	for i, r := range rows {
		p := &posts[r]
		source[i], id[i], parentID[i], thread[i], url[i], author[i], title[i], text[i] = p.Source, p.ID, p.ParentID, p.Thread, p.URL, p.Author, p.Title, p.Text
		settled := post.Post{Published: pubs[i], Fetched: p.Fetched}
		settled.SettleTimes(now)
		published[i], fetched[i] = settled.Published.UTC(), settled.Fetched.UTC()
		if settled.TimeGuessed || p.TimeGuessed {
			guessed[i] = 1
		}
		likes[i], replies[i], shares[i], followers[i], views[i] = p.Likes, p.Replies, p.Shares, p.Followers, p.Views
		topics[i], terms[i], entities[i] = p.Topics, empty, p.Entities
		if topics[i] == nil {
			topics[i] = empty
		}
		if entities[i] == nil {
			entities[i] = empty
		}
		language[i], rating[i], appVersion[i] = p.Language, p.Rating, p.AppVersion
		sc := scores[5*i : 5*i+5]
		if st := p.Sentiment; st != nil {
			sc[0], sc[1], sc[2], sc[3] = st.Compound, st.Pos, st.Neu, st.Neg
			compound[i], pos[i], neu[i], neg[i] = &sc[0], &sc[1], &sc[2], &sc[3]
			label[i], lexv[i] = st.Label, st.LexiconVersion
			if st.Terms != nil {
				terms[i] = st.Terms
			}
		}
		if t := p.TitleSentiment; t != nil {
			sc[4] = t.Compound
			titleCompound[i], titleLabel[i] = &sc[4], t.Label
		}
		versions[i] = version
	}
	return []any{source, id, parentID, thread, url, author, title, text, published, guessed,
		fetched, likes, replies, shares, followers, topics, language, compound, pos, neu, neg, label, terms,
		lexv, entities, hashes, firsts, versions, rating, appVersion, views,
		postKeys, counted, titleCompound, titleLabel}
}

// existing returns the stored publication time and post key of each given
// post already in the store: one query per source in the posts, however
// many there are.
func (s *Store) existing(ctx context.Context, posts []post.Post) (map[[2]string]stored, error) {
	bySource := map[string][]string{}
	for _, p := range posts {
		bySource[p.Source] = append(bySource[p.Source], p.ID)
	}
	known := make(map[[2]string]stored)
	for src, ids := range bySource {
		if err := s.existing1(ctx, src, ids, known); err != nil {
			return nil, fmt.Errorf("store: look up stored posts of %s: %w", src, err)
		}
	}
	return known, nil
}

func (s *Store) existing1(ctx context.Context, src string, ids []string, known map[[2]string]stored) error {
	qctx, err := withSet(ctx, "lookup_ids", "String", ids)
	if err != nil {
		return err
	}
	rows, err := s.conn.Query(qctx, "SELECT id, min(published), argMin(post_key, version), max(counted) FROM "+s.Table("posts")+
		" WHERE source = ? AND id IN lookup_ids GROUP BY id", src)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var st stored
		var counted uint8
		if err := rows.Scan(&id, &st.published, &st.postKey, &counted); err != nil {
			return err
		}
		st.counted = counted == 1
		known[[2]string{src, id}] = st
	}
	return rows.Err()
}
