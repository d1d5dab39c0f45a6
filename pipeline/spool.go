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

	"github.com/backlash-monitor/backlash/post"
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
// posts are stored. A torn last line (a crash mid-append) is skipped.
func (s *Spool) Replay(ctx context.Context, save func(context.Context, []post.Post) error) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	files, err := s.files()
	if err != nil {
		return 0, err
	}
	total := 0
	for _, name := range files {
		posts, err := readSpool(name)
		if err != nil {
			return total, err
		}
		for start := 0; start < len(posts); start += 5000 {
			end := min(start+5000, len(posts))
			if err := save(ctx, posts[start:end]); err != nil {
				return total, fmt.Errorf("replay %s: %w", name, err)
			}
		}
		if err := os.Remove(name); err != nil {
			return total, fmt.Errorf("spool: %w", err)
		}
		total += len(posts)
	}
	return total, nil
}

func (s *Spool) files() ([]string, error) {
	files, err := filepath.Glob(filepath.Join(s.dir, "*.spool"))
	if err != nil {
		return nil, fmt.Errorf("spool: %w", err)
	}
	sort.Strings(files)
	return files, nil
}

func readSpool(name string) ([]post.Post, error) {
	f, err := os.Open(name)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		return nil, fmt.Errorf("spool: %w", err)
	}
	defer f.Close()
	var posts []post.Post
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for line := 1; sc.Scan(); line++ {
		p, err := decodeSpooled(sc.Bytes())
		if err != nil {
			// Only a torn final line is expected; anything else is reported.
			if !sc.Scan() {
				break
			}
			return nil, fmt.Errorf("spool %s line %d: %w", name, line, err)
		}
		posts = append(posts, p)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("spool %s: %w", name, err)
	}
	return posts, nil
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
