package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
)

// SourceState is what the crawler resumes from.
type SourceState struct {
	// HighWater is the newest publication time stored for the source.
	HighWater time.Time
	// Cursor is an API cursor to resume from, when the source uses one.
	Cursor string
}

// State returns a source's crawl state; the zero state when it has none.
func (s *Store) State(ctx context.Context, source string) (SourceState, error) {
	var st SourceState
	err := s.conn.QueryRow(ctx, "SELECT argMax(high_water, version), argMax(cursor, version) FROM "+
		s.Table("source_state")+" WHERE source = ? GROUP BY source", source).Scan(&st.HighWater, &st.Cursor)
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return SourceState{}, nil
		}
		return st, fmt.Errorf("store: state of %s: %w", source, err)
	}
	if st.HighWater.Unix() <= 0 {
		st.HighWater = time.Time{}
	}
	return st, nil
}

// SetState records a source's crawl state. Call it only after the posts it
// covers are stored, so a crash never leaves a gap.
func (s *Store) SetState(ctx context.Context, source string, st SourceState) error {
	return s.SetStates(ctx, map[string]SourceState{source: st})
}

// SetStates records the crawl states of several sources in one insert.
// Call it only after the posts they cover are stored, so a crash never
// leaves a gap.
func (s *Store) SetStates(ctx context.Context, states map[string]SourceState) error {
	if len(states) == 0 {
		return nil
	}
	names := make([]string, 0, len(states))
	for name := range states {
		names = append(names, name)
	}
	sort.Strings(names)
	what := "set state of " + strings.Join(names, ", ")
	b, err := s.conn.PrepareBatch(ctx, "INSERT INTO "+s.Table("source_state")+" (source, high_water, cursor, updated, version)")
	if err != nil {
		return fmt.Errorf("store: %s: %w", what, err)
	}
	now := time.Now()
	for _, name := range names {
		st := states[name]
		hw := st.HighWater
		if hw.IsZero() {
			hw = time.Unix(0, 0)
		}
		if err := b.Append(name, hw.UTC(), st.Cursor, now.UTC(), uint64(now.UnixNano())); err != nil {
			_ = b.Abort()
			return fmt.Errorf("store: %s: %w", what, err)
		}
	}
	if err := b.Send(); err != nil {
		return fmt.Errorf("store: %s: %w", what, err)
	}
	return nil
}

// Run is one source's crawl run.
type Run struct {
	ID                           string
	Source                       string
	Started, Finished            time.Time
	Pages, Posts, NewPosts, Errs int
	LastError                    string
	HighWater                    time.Time
	// Items counts the posts the pages held, older ones too; NoText the
	// items dropped for an empty text; WithTitle, WithAuthor, WithTime and
	// WithURL the posts that had each field.
	Items, NoText                            int
	WithTitle, WithAuthor, WithTime, WithURL int
	// Denied counts pages refused with 401/403 (DeniedStatus the last one),
	// Challenged pages that were a captcha or login page (ChallengeMarker
	// what gave it away), Unmatched pages on which UnmatchedSelector
	// matched nothing.
	Denied, DeniedStatus, Challenged, Unmatched int
	ChallengeMarker, UnmatchedSelector          string
}

const runColumns = `run_id, source, started, finished, pages, posts, new_posts, errors, last_error, high_water,
 items, no_text, with_title, with_author, with_time, with_url, denied, denied_status, challenged,
 challenge_marker, unmatched, unmatched_selector`

// RecordRun stores a crawl run.
func (s *Store) RecordRun(ctx context.Context, r Run) error {
	return s.RecordRuns(ctx, []Run{r})
}

// RecordRuns stores several crawl runs in one insert.
func (s *Store) RecordRuns(ctx context.Context, runs []Run) error {
	if len(runs) == 0 {
		return nil
	}
	what := "record run of " + runs[0].Source
	if len(runs) > 1 {
		what = fmt.Sprintf("record %d runs", len(runs))
	}
	b, err := s.conn.PrepareBatch(ctx, "INSERT INTO "+s.Table("crawl_runs")+" ("+runColumns+")")
	if err != nil {
		return fmt.Errorf("store: %s: %w", what, err)
	}
	for _, r := range runs {
		hw := r.HighWater
		if hw.IsZero() {
			hw = time.Unix(0, 0)
		}
		if err := b.Append(r.ID, r.Source, r.Started.UTC(), r.Finished.UTC(), uint32(r.Pages), uint32(r.Posts),
			uint32(r.NewPosts), uint32(r.Errs), r.LastError, hw.UTC(), uint32(r.Items), uint32(r.NoText),
			uint32(r.WithTitle), uint32(r.WithAuthor), uint32(r.WithTime), uint32(r.WithURL), uint32(r.Denied),
			uint16(r.DeniedStatus), uint32(r.Challenged), r.ChallengeMarker, uint32(r.Unmatched),
			r.UnmatchedSelector); err != nil {
			_ = b.Abort()
			return fmt.Errorf("store: record run of %s: %w", r.Source, err)
		}
	}
	if err := b.Send(); err != nil {
		return fmt.Errorf("store: %s: %w", what, err)
	}
	return nil
}
