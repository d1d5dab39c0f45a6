package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/backlash-monitor/backlash/internal/health"
)

// RecentRuns returns up to limit of each source's latest crawl runs started
// at or after since, oldest first.
func (s *Store) RecentRuns(ctx context.Context, sources []string, since time.Time, limit int) (map[string][]Run, error) {
	out := map[string][]Run{}
	if len(sources) == 0 {
		return out, nil
	}
	if limit <= 0 {
		limit = 100
	}
	q := fmt.Sprintf(`SELECT %s FROM %s WHERE has(?, source) AND started >= ?
ORDER BY source, started DESC LIMIT %d BY source`, runColumns, s.Table("crawl_runs"), limit)
	rows, err := s.conn.Query(ctx, q, sources, dbTime(since))
	if err != nil {
		return nil, fmt.Errorf("store: read recent runs: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r Run
		var pages, posts, newPosts, errs, items, noText, wTitle, wAuthor, wTime, wURL, denied, challenged, unmatched uint32
		var deniedStatus uint16
		if err := rows.Scan(&r.ID, &r.Source, &r.Started, &r.Finished, &pages, &posts, &newPosts, &errs, &r.LastError,
			&r.HighWater, &items, &noText, &wTitle, &wAuthor, &wTime, &wURL, &denied, &deniedStatus, &challenged,
			&r.ChallengeMarker, &unmatched, &r.UnmatchedSelector); err != nil {
			return nil, fmt.Errorf("store: read recent runs: %w", err)
		}
		r.Pages, r.Posts, r.NewPosts, r.Errs = int(pages), int(posts), int(newPosts), int(errs)
		r.Items, r.NoText, r.WithTitle, r.WithAuthor, r.WithTime, r.WithURL = int(items), int(noText), int(wTitle),
			int(wAuthor), int(wTime), int(wURL)
		r.Denied, r.DeniedStatus, r.Challenged, r.Unmatched = int(denied), int(deniedStatus), int(challenged), int(unmatched)
		r.HighWater = goTime(r.HighWater)
		out[r.Source] = append(out[r.Source], r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: read recent runs: %w", err)
	}
	for src, rs := range out {
		for i, j := 0, len(rs)-1; i < j; i, j = i+1, j-1 {
			rs[i], rs[j] = rs[j], rs[i]
		}
		out[src] = rs
	}
	return out, nil
}

// PostActivity returns, per source, the starts of the 5-minute spans since
// from in which the source has posts with a publication time read from the
// site, oldest first: the history a source's usual gap between posts is
// learnt from.
func (s *Store) PostActivity(ctx context.Context, sources []string, from time.Time) (map[string][]time.Time, error) {
	out := map[string][]time.Time{}
	if len(sources) == 0 {
		return out, nil
	}
	q := `SELECT source, toStartOfFiveMinute(published) AS b FROM ` + s.Table("posts") + `
WHERE has(?, source) AND published >= ? AND time_guessed = 0 GROUP BY source, b ORDER BY source, b`
	rows, err := s.conn.Query(ctx, q, sources, dbTime(from))
	if err != nil {
		return nil, fmt.Errorf("store: read post activity: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var src string
		var b time.Time
		if err := rows.Scan(&src, &b); err != nil {
			return nil, fmt.Errorf("store: read post activity: %w", err)
		}
		out[src] = append(out[src], b.UTC())
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: read post activity: %w", err)
	}
	return out, nil
}

// SaveSourceHealth stores verdicts.
func (s *Store) SaveSourceHealth(ctx context.Context, hs []health.Verdict) error {
	if len(hs) == 0 {
		return nil
	}
	b, err := s.conn.PrepareBatch(ctx, "INSERT INTO "+s.Table("source_health")+
		" (source, at, run_id, healthy, problems, detail, broken_since, last_good, last_good_run)")
	if err != nil {
		return fmt.Errorf("store: save source health: %w", err)
	}
	for _, h := range hs {
		ok := uint8(0)
		if h.Healthy() {
			ok = 1
		}
		if err := b.Append(h.Source, dbTime(h.At), h.RunID, ok, h.Rules(), h.Detail(), dbTime(h.BrokenSince),
			dbTime(h.LastGood), h.LastGoodRun); err != nil {
			_ = b.Abort()
			return fmt.Errorf("store: save health of %s: %w", h.Source, err)
		}
	}
	if err := b.Send(); err != nil {
		return fmt.Errorf("store: save source health: %w", err)
	}
	return nil
}

// LatestSourceHealth returns each source's latest verdict, by source name.
// A problem's Since reads as the verdict's BrokenSince.
func (s *Store) LatestSourceHealth(ctx context.Context) (map[string]health.Verdict, error) {
	q := `SELECT source, max(at), argMax(run_id, at), argMax(problems, at), argMax(detail, at),
    argMax(broken_since, at), argMax(last_good, at), argMax(last_good_run, at)
FROM ` + s.Table("source_health") + ` GROUP BY source ORDER BY source`
	rows, err := s.conn.Query(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("store: read source health: %w", err)
	}
	defer rows.Close()
	out := map[string]health.Verdict{}
	for rows.Next() {
		var v health.Verdict
		var rules []string
		var detail string
		if err := rows.Scan(&v.Source, &v.At, &v.RunID, &rules, &detail, &v.BrokenSince, &v.LastGood, &v.LastGoodRun); err != nil {
			return nil, fmt.Errorf("store: read source health: %w", err)
		}
		v.At, v.BrokenSince, v.LastGood = v.At.UTC(), goTime(v.BrokenSince), goTime(v.LastGood)
		lines := strings.Split(detail, "\n")
		for i, r := range rules {
			p := health.Problem{Rule: r, Since: v.BrokenSince}
			if i < len(lines) {
				p.Detail = lines[i]
			}
			v.Problems = append(v.Problems, p)
		}
		out[v.Source] = v
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: read source health: %w", err)
	}
	return out, nil
}
