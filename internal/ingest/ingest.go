// Package ingest loads posts collected elsewhere (an export from another
// tool, a data set, history from before a source was watched) into the
// store by the same path as crawled posts: topic matching, scoring, the
// source's cross-source identity, storing and the rollups.
//
// Input is JSON Lines or CSV with a header; each record is one post:
//
//	{"id","text","author","published","url","title","parent_id","likes","replies","shares","followers"}
//
// Only id and text are required; published is RFC 3339. An import is
// idempotent: a post its source already holds is counted as already
// present and not stored again, so importing a file twice changes nothing.
package ingest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"math"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/backlash-monitor/backlash/internal/config"
	"github.com/backlash-monitor/backlash/internal/post"
	"github.com/backlash-monitor/backlash/internal/store"
)

// Store is where imported posts go; *store.Store is one. SaveNewPosts
// stores the posts it does not hold yet and counts the others as present.
type Store interface {
	SaveNewPosts(ctx context.Context, posts []post.Post) (store.SaveResult, error)
}

// Processor tags and scores posts; *analyzer.Analyzer is one. An import
// calls Process from several goroutines at once, on disjoint posts.
type Processor interface {
	Process(posts []post.Post, allowed []string, keepUnmatched bool) []post.Post
}

// Formats an import reads.
const (
	JSONL = "jsonl"
	CSV   = "csv"
)

// Fields are the names a record may carry, in the order a CSV export
// writes them.
var Fields = []string{"id", "text", "author", "published", "url", "title", "parent_id", "likes", "replies", "shares", "followers"}

// DefaultBatchSize is how many posts an import stores at once unless told
// otherwise. Each batch costs the store one lookup of the posts and one of
// their identities, and one insert per table, whatever its size, so large
// batches keep the server's per-query and per-part work small beside the
// rows themselves.
const DefaultBatchSize = 50000

// Options configures an import.
type Options struct {
	// Source is the configured source the posts are stored under.
	Source *config.Source
	// Format is JSONL or CSV (default JSONL).
	Format string
	// Strict stops at the first bad record instead of reporting it and
	// going on.
	Strict bool
	// BatchSize is how many posts are stored at once (default
	// DefaultBatchSize).
	BatchSize int
	// Now stamps the posts' fetch time (default time.Now).
	Now func() time.Time
	// Progress, when set, is called after each batch with the summary so
	// far.
	Progress func(Summary)
	// Bad, when set, is called with each bad record as it is found.
	Bad func(*LineError)
}

// Summary counts what an import did.
type Summary struct {
	// Read is how many records were read, good or bad.
	Read int
	// Stored is how many posts were stored; Present how many the source
	// already held (not stored again); Unmatched how many matched none of
	// the source's topics and were left out, as a crawl leaves them out;
	// Bad how many records could not be read.
	Stored, Present, Unmatched, Bad int
	// Counted is how many stored posts the rollups counted: Stored less
	// the sightings of posts already stored through another source of the
	// namespace, and reposts.
	Counted int
}

// LineError is a record that could not be read.
type LineError struct {
	File string
	Line int
	Err  error
}

func (e *LineError) Error() string { return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err) }
func (e *LineError) Unwrap() error { return e.Err }

// record is one post as a file gives it.
type record struct {
	ID        string  `json:"id"`
	Text      string  `json:"text"`
	Author    string  `json:"author"`
	Published string  `json:"published"`
	URL       string  `json:"url"`
	Title     string  `json:"title"`
	ParentID  string  `json:"parent_id"`
	Likes     *number `json:"likes"`
	Replies   *number `json:"replies"`
	Shares    *number `json:"shares"`
	Followers *number `json:"followers"`
}

// number is a count given as a JSON number or a numeric string.
type number struct{ v uint32 }

func (n *number) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	if s == "null" || s == "" {
		return nil
	}
	v, err := parseCount(s)
	n.v = v
	return err
}

func parseCount(s string) (uint32, error) {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || f < 0 || f != math.Trunc(f) || f > math.MaxUint32 {
		return 0, fmt.Errorf("not a count: %q", s)
	}
	return uint32(f), nil
}

func (n *number) get() uint32 {
	if n == nil {
		return 0
	}
	return n.v
}

// Importer imports files into one store.
type Importer struct {
	store Store
	proc  Processor
}

// New returns an importer that scores with p and stores into s.
func New(s Store, p Processor) *Importer { return &Importer{store: s, proc: p} }

// Import reads posts from r (named name in error messages) and stores them
// under o.Source. Bad records are counted, reported to o.Bad and skipped,
// unless o.Strict, when the first one ends the import with its error after
// storing what came before it. The error is also set when the store fails
// or ctx ends; the summary then says what was done.
func (im *Importer) Import(ctx context.Context, r io.Reader, name string, o Options) (Summary, error) {
	if o.Source == nil {
		return Summary{}, errors.New("ingest: no source")
	}
	if o.BatchSize <= 0 {
		o.BatchSize = DefaultBatchSize
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	ident, err := identity(o.Source)
	if err != nil {
		return Summary{}, err
	}
	var next func() (record, int, error)
	switch o.Format {
	case "", JSONL:
		next = jsonlReader(r)
	case CSV:
		if next, err = csvReader(r); err != nil {
			return Summary{}, fmt.Errorf("%s: %w", name, err)
		}
	default:
		return Summary{}, fmt.Errorf("ingest: unknown format %q (want jsonl or csv)", o.Format)
	}
	// Three stages, each a batch at a time, handing it on when the next
	// is free: this goroutine reads and checks records; the next matches
	// and scores a batch on every core, in order; the last stores it.
	// Batches come back from the store to be filled again.
	var (
		mu       sync.Mutex // guards sum and storeErr
		sum      Summary
		storeErr error
	)
	failed := func() bool {
		mu.Lock()
		defer mu.Unlock()
		return storeErr != nil
	}
	free := make(chan []post.Post, 3)
	toScore := make(chan []post.Post)
	toStore := make(chan []post.Post)
	recycle := func(b []post.Post) {
		clear(b[:cap(b)]) // what the posts point to is garbage now
		select {
		case free <- b[:0]:
		default:
		}
	}
	go func() {
		defer close(toStore)
		for b := range toScore {
			kept := im.process(b, o.Source)
			mu.Lock()
			sum.Unmatched += len(b) - len(kept)
			mu.Unlock()
			if len(kept) == 0 {
				recycle(b)
				continue
			}
			toStore <- kept
		}
	}()
	done := make(chan struct{})
	go func() {
		defer close(done)
		for b := range toStore {
			if failed() {
				continue
			}
			res, err := im.store.SaveNewPosts(ctx, b)
			if err != nil {
				err = fmt.Errorf("store %d posts: %w", len(b), err)
			}
			mu.Lock()
			if err == nil {
				sum.Stored += len(b) - res.Present
				sum.Present += res.Present
				sum.Counted += res.Counted
			}
			if err != nil {
				storeErr = err
			}
			now := sum
			mu.Unlock()
			recycle(b)
			if o.Progress != nil {
				o.Progress(now)
			}
		}
	}()
	newBatch := func() []post.Post {
		select {
		case b := <-free:
			return b
		default:
			return make([]post.Post, 0, o.BatchSize)
		}
	}
	batch := newBatch()
	// finish sends what is left unless the store failed, waits for the
	// other stages and returns the summary and every error.
	finish := func(err error) (Summary, error) {
		if len(batch) > 0 && !failed() {
			toScore <- batch
		}
		close(toScore)
		<-done
		mu.Lock()
		defer mu.Unlock()
		return sum, errors.Join(storeErr, err)
	}
	// The first batches are smaller, so the store starts early instead of
	// waiting for a whole batch to be read and scored.
	limit := min(firstBatch, o.BatchSize)
	var seen idSet // ids of this import, so a repeated line is present, not stored twice
	fetched := o.Now()
	for {
		if err := ctx.Err(); err != nil {
			return finish(err)
		}
		rec, line, err := next()
		if err == io.EOF {
			break
		}
		if err != nil && !errors.As(err, new(badRecord)) {
			return finish(fmt.Errorf("%s:%d: %w", name, line, err))
		}
		var p post.Post
		if err == nil {
			p, err = toPost(rec, o.Source.Name, fetched)
		}
		repeated := err == nil && !seen.add(p.ID)
		mu.Lock()
		sum.Read++
		if err != nil {
			sum.Bad++
		} else if repeated {
			sum.Present++
		}
		mu.Unlock()
		if err != nil {
			le := &LineError{File: name, Line: line, Err: err}
			if o.Bad != nil {
				o.Bad(le)
			}
			if o.Strict {
				return finish(le)
			}
			continue
		}
		if repeated {
			continue
		}
		batch = append(batch, p)
		ident(&batch[len(batch)-1])
		if len(batch) == limit {
			if failed() {
				return finish(nil)
			}
			toScore <- batch
			batch = newBatch()
			limit = min(2*limit, o.BatchSize)
		}
	}
	return finish(nil)
}

// firstBatch is the size of an import's first batch; each next one is
// twice as large, up to the batch size.
const firstBatch = 5000

// chunk is how many posts one worker matches and scores at a time.
const chunk = 1000

// process matches and scores a batch with a worker per core, each taking
// the next chunk of posts, and returns the posts worth keeping in their
// order, in b's backing array: what one Process call over the batch
// returns.
func (im *Importer) process(b []post.Post, src *config.Source) []post.Post {
	workers := min(runtime.GOMAXPROCS(0), (len(b)+chunk-1)/chunk)
	if workers <= 1 {
		return im.proc.Process(b, src.Topics, src.KeepUnmatched)
	}
	n := (len(b) + chunk - 1) / chunk
	kept := make([]int, n) // how many of each chunk are kept, at its start
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				c := int(next.Add(1)) - 1
				if c >= n {
					return
				}
				part := b[c*chunk : min((c+1)*chunk, len(b))]
				kept[c] = len(im.proc.Process(part, src.Topics, src.KeepUnmatched))
			}
		}()
	}
	wg.Wait()
	out := 0
	for c, k := range kept {
		if out == c*chunk { // every post before kept: in place already
			out += k
			continue
		}
		out += copy(b[out:], b[c*chunk:c*chunk+k])
	}
	return b[:out]
}

// idSet is a set of ids: their bytes back to back, and a table of where
// each begins by its hash, open-addressed so that the garbage collector
// need not scan it however many ids it holds, and a lookup costs one
// probe or two in a table at most half full.
type idSet struct {
	seed maphash.Seed
	// slots holds, for each id, its position in ends plus one in the low
	// 32 bits and the high 32 bits of its hash above them, at the first
	// free slot from its hash on; 0 is a free slot.
	slots []uint64
	ends  []int  // where each id ends in bytes
	bytes []byte // the ids
}

// add adds id and reports whether it was new.
func (s *idSet) add(id string) bool {
	if s.slots == nil {
		s.seed, s.slots = maphash.MakeSeed(), make([]uint64, 1<<12)
	}
	h := maphash.String(s.seed, id)
	mask := len(s.slots) - 1
	for i := int(h) & mask; ; i = (i + 1) & mask {
		v := s.slots[i]
		if v == 0 {
			break
		}
		if v>>32 == h>>32 && string(s.id(int(uint32(v))-1)) == id {
			return false
		}
	}
	s.bytes = append(s.bytes, id...)
	s.ends = append(s.ends, len(s.bytes))
	if 2*len(s.ends) > len(s.slots) {
		s.slots = make([]uint64, 2*len(s.slots))
		for pos := range s.ends {
			s.place(maphash.Bytes(s.seed, s.id(pos)), pos)
		}
	} else {
		s.place(h, len(s.ends)-1)
	}
	return true
}

// id returns the bytes of the id at position pos.
func (s *idSet) id(pos int) []byte {
	start := 0
	if pos > 0 {
		start = s.ends[pos-1]
	}
	return s.bytes[start:s.ends[pos]]
}

// place puts the id at position pos, of hash h, in the first free slot
// from h on.
func (s *idSet) place(h uint64, pos int) {
	mask := len(s.slots) - 1
	i := int(h) & mask
	for s.slots[i] != 0 {
		i = (i + 1) & mask
	}
	s.slots[i] = h>>32<<32 | uint64(pos+1)
}

// badRecord is a record that cannot be read; the import goes on.
type badRecord struct{ err error }

func (b badRecord) Error() string { return b.err.Error() }

func bad(format string, args ...any) error { return badRecord{fmt.Errorf(format, args...)} }

// toPost checks a record and makes it a post of source.
func toPost(r record, source string, fetched time.Time) (post.Post, error) {
	r.ID, r.Text = strings.TrimSpace(r.ID), strings.TrimSpace(r.Text)
	switch {
	case r.ID == "":
		return post.Post{}, bad("id is missing")
	case r.Text == "":
		return post.Post{}, bad("text is missing")
	}
	p := post.Post{Source: source, ID: r.ID, Text: r.Text, Author: strings.TrimSpace(r.Author), URL: strings.TrimSpace(r.URL),
		Title: strings.TrimSpace(r.Title), ParentID: strings.TrimSpace(r.ParentID), Fetched: fetched,
		Likes: r.Likes.get(), Replies: r.Replies.get(), Shares: r.Shares.get(), Followers: r.Followers.get()}
	if s := strings.TrimSpace(r.Published); s != "" {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return post.Post{}, bad("published %q is not an RFC 3339 time", s)
		}
		p.Published = t.UTC()
	} else {
		p.Published, p.TimeGuessed = fetched, true
	}
	return p, nil
}

// maxLine bounds one JSON line.
const maxLine = 16 << 20

// jsonlReader reads one record per line; blank lines are skipped. A
// record's counts are valid until the next call.
func jsonlReader(r io.Reader) func() (record, int, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 256<<10), maxLine)
	var d lineDecoder
	line := 0
	return func() (record, int, error) {
		for sc.Scan() {
			line++
			b := sc.Bytes()
			if len(bytes.TrimSpace(b)) == 0 {
				continue
			}
			if rec, ok := d.record(b); ok {
				return rec, line, nil
			}
			var rec record
			if err := json.Unmarshal(b, &rec); err != nil {
				return record{}, line, bad("%v", jsonError(err))
			}
			return rec, line, nil
		}
		if err := sc.Err(); err != nil {
			return record{}, line + 1, err
		}
		return record{}, line, io.EOF
	}
}

// jsonError names the field of a type mismatch.
func jsonError(err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field != "" {
		return fmt.Errorf("field %s: want %s, got JSON %s", te.Field, te.Type, te.Value)
	}
	return err
}

// csvReader reads a header naming the fields, then one record per row.
func csvReader(r io.Reader) (func() (record, int, error), error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err == io.EOF {
		return func() (record, int, error) { return record{}, 1, io.EOF }, nil
	}
	if err != nil {
		return nil, fmt.Errorf("header: %w", err)
	}
	col := map[string]int{}
	for i, h := range head {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		known := false
		for _, f := range Fields {
			known = known || f == h
		}
		if !known {
			return nil, fmt.Errorf("header: unknown column %q (known: %s)", h, strings.Join(Fields, ", "))
		}
		col[h] = i
	}
	for _, f := range []string{"id", "text"} {
		if _, ok := col[f]; !ok {
			return nil, fmt.Errorf("header: no %q column", f)
		}
	}
	return func() (record, int, error) {
		row, err := cr.Read()
		line, _ := cr.FieldPos(0)
		if err == io.EOF {
			return record{}, line, io.EOF
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return record{}, pe.StartLine, bad("%v", pe.Err)
			}
			return record{}, line, err
		}
		if len(row) != len(head) {
			return record{}, line, bad("%d fields, the header has %d", len(row), len(head))
		}
		get := func(f string) string {
			if i, ok := col[f]; ok {
				return row[i]
			}
			return ""
		}
		rec := record{ID: get("id"), Text: get("text"), Author: get("author"), Published: get("published"),
			URL: get("url"), Title: get("title"), ParentID: get("parent_id")}
		for _, c := range []struct {
			f string
			n **number
		}{{"likes", &rec.Likes}, {"replies", &rec.Replies}, {"shares", &rec.Shares}, {"followers", &rec.Followers}} {
			s := strings.TrimSpace(get(c.f))
			if s == "" {
				continue
			}
			v, err := parseCount(s)
			if err != nil {
				return record{}, line, bad("%s: %v", c.f, err)
			}
			*c.n = &number{v}
		}
		return rec, line, nil
	}, nil
}
