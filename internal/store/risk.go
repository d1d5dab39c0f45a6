package store

import (
	"context"
	"fmt"
	"time"

	"github.com/backlash-monitor/backlash/internal/series"
)

// RiskRow is one topic's brand-risk score for one window and the components
// it is made of.
type RiskRow struct {
	Topic string
	// At is the window's end; the row is keyed by its 5-minute bucket.
	At     time.Time
	Window time.Duration
	// Score is the brand-risk score, 0-100; the next six fields are the
	// components it adds up (OneStar is 0 without rated reviews).
	Score, Anomaly, Share, Reach, Spread, Velocity, OneStar float64
	// Observed and Expected are negative posts in the window and the
	// baseline's prediction; Deviation is in robust standard units.
	Observed, Expected, Deviation     float64
	Posts, Negative, Authors, Sources uint64
	ColdStart                         bool
	// SharedPosts of the negative posts share SharedTexts texts with other
	// authors' posts.
	SharedPosts, SharedTexts uint64
}

// SaveRisk stores risk rows in topic_risk; a recomputed window replaces the
// older row.
func (s *Store) SaveRisk(ctx context.Context, rows []RiskRow) error {
	if len(rows) == 0 {
		return nil
	}
	b, err := s.conn.PrepareBatch(ctx, "INSERT INTO "+s.Table("topic_risk")+` (topic, bucket, window_s, score, anomaly,
 share, reach, spread, velocity, observed, expected, deviation, posts, negative, authors, sources, cold_start, computed, version,
 one_star, shared_posts, shared_texts)`)
	if err != nil {
		return fmt.Errorf("store: save risk: %w", err)
	}
	now := time.Now()
	for _, r := range rows {
		cold := uint8(0)
		if r.ColdStart {
			cold = 1
		}
		if err := b.Append(r.Topic, r.At.UTC().Truncate(series.BucketSize), uint32(r.Window/time.Second), r.Score,
			r.Anomaly, r.Share, r.Reach, r.Spread, r.Velocity, r.Observed, r.Expected, r.Deviation,
			r.Posts, r.Negative, r.Authors, r.Sources, cold, now.UTC(), uint64(now.UnixNano()), r.OneStar,
			r.SharedPosts, r.SharedTexts); err != nil {
			_ = b.Abort()
			return fmt.Errorf("store: save risk of %s: %w", r.Topic, err)
		}
	}
	if err := b.Send(); err != nil {
		return fmt.Errorf("store: save risk: %w", err)
	}
	return nil
}
