package pipeline

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/gob"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/backlash-monitor/backlash/internal/post"
)

// Spool keeps posts that could not be stored (ClickHouse down or killed
// mid-run) in fsynced append-only files, one per run, a post per line, until Replay stores
// them. Replaying is idempotent: the store counts a post it already has as
// an update, never twice.
type Spool struct {
	dir string
	mu  sync.Mutex
}

// NewSpool returns a spool in dir, created on first use.
func NewSpool(dir string) *Spool { return &Spool{dir: dir} }

// Append writes posts to the run's spool file and syncs it to disk.
func (s *Spool) Append(runID string, posts []post.Post) error {
	if len(posts) == 0 {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := os.MkdirAll(s.dir, 0o750); err != nil {
		return fmt.Errorf("spool: %w", err)
	}
	name := filepath.Join(s.dir, safeName(runID)+".spool")
	f, err := os.OpenFile(name, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o640)
	if err != nil {
		return fmt.Errorf("spool: %w", err)
	}
	w := bufio.NewWriter(f)
	for i := range posts {
		line, err := encodeSpooled(&posts[i])
		if err != nil {
			f.Close()
			return fmt.Errorf("spool %s: %w", name, err)
		}
		w.Write(line)
		w.WriteByte('\n')
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("spool %s: %w", name, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("spool %s: %w", name, err)
	}
	return f.Close()
}

// Pending counts the posts waiting in the spool.
func (s *Spool) Pending() (int, error) {
	files, err := s.files()
	if err != nil {
		return 0, err
	}
	n := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return n, fmt.Errorf("spool: %w", err)
		}
		n += strings.Count(string(b), "\n")
	}
	return n, nil
}

// Replay stores every spooled post with save and removes each file once its
// posts are stored. A line that cannot be read back (a torn last line from
// a crash mid-append, a damaged disk) is moved to a file of the same name
// under QuarantineDir, so nothing is dropped without a trace and one bad
// line does not hold the rest; quarantined counts them.
func (s *Spool) Replay(ctx context.Context, save func(context.Context, []post.Post) error) (stored, quarantined int, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	files, err := s.files()
	if err != nil {
		return 0, 0, err
	}
	for _, name := range files {
		posts, bad, err := readSpool(name)
		if err != nil {
			return stored, quarantined, err
		}
		for start := 0; start < len(posts); start += 5000 {
			end := min(start+5000, len(posts))
			if err := save(ctx, posts[start:end]); err != nil {
				return stored, quarantined, fmt.Errorf("replay %s: %w", name, err)
			}
		}
		if len(bad) > 0 {
			if err := s.quarantine(name, bad); err != nil {
				return stored, quarantined, err
			}
			quarantined += len(bad)
		}
		if err := os.Remove(name); err != nil {
			return stored, quarantined, fmt.Errorf("spool: %w", err)
		}
		stored += len(posts)
	}
	return stored, quarantined, nil
}

// QuarantineDir is where lines that could not be read back are kept.
func (s *Spool) QuarantineDir() string { return filepath.Join(s.dir, "quarantine") }

// quarantine appends the bad lines of spool file name, each prefixed with
// its line number, to the quarantine file of the same name.
func (s *Spool) quarantine(name string, bad []badLine) error {
	if err := os.MkdirAll(s.QuarantineDir(), 0o750); err != nil {
		return fmt.Errorf("spool: quarantine: %w", err)
	}
	q := filepath.Join(s.QuarantineDir(), filepath.Base(name))
	f, err := os.OpenFile(q, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o640)
	if err != nil {
		return fmt.Errorf("spool: quarantine: %w", err)
	}
	w := bufio.NewWriter(f)
	for _, b := range bad {
		fmt.Fprintf(w, "%d\t%s\n", b.line, b.text)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("spool: quarantine: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("spool: quarantine: %w", err)
	}
	return f.Close()
}

// badLine is a spool line that could not be decoded.
type badLine struct {
	line int
	text []byte
}

func (s *Spool) files() ([]string, error) {
	files, err := filepath.Glob(filepath.Join(s.dir, "*.spool"))
	if err != nil {
		return nil, fmt.Errorf("spool: %w", err)
	}
	sort.Strings(files)
	return files, nil
}

func readSpool(name string) ([]post.Post, []badLine, error) {
	f, err := os.Open(name)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil, nil
		}
		return nil, nil, fmt.Errorf("spool: %w", err)
	}
	defer f.Close()
	var posts []post.Post
	var bad []badLine
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for line := 1; sc.Scan(); line++ {
		p, err := decodeSpooled(sc.Bytes())
		if err != nil {
			bad = append(bad, badLine{line: line, text: bytes.Clone(sc.Bytes())})
			continue
		}
		posts = append(posts, p)
	}
	if err := sc.Err(); err != nil {
		return nil, nil, fmt.Errorf("spool %s: %w", name, err)
	}
	return posts, bad, nil
}

func safeName(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r == 0 || r == '.' {
			return '_'
		}
		return r
	}, s)
}

// encodeSpooled writes one post as a line: gob keeps every string's bytes
// exactly (JSON would turn invalid UTF-8 into U+FFFD), and base64 keeps the
// line free of newlines so a torn last line is recognisable.
func encodeSpooled(p *post.Post) ([]byte, error) {
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(p); err != nil {
		return nil, err
	}
	out := make([]byte, base64.StdEncoding.EncodedLen(buf.Len()))
	base64.StdEncoding.Encode(out, buf.Bytes())
	return out, nil
}

func decodeSpooled(line []byte) (post.Post, error) {
	var p post.Post
	raw := make([]byte, base64.StdEncoding.DecodedLen(len(line)))
	n, err := base64.StdEncoding.Decode(raw, line)
	if err != nil {
		return p, err
	}
	err = gob.NewDecoder(bytes.NewReader(raw[:n])).Decode(&p)
	return p, err
}
