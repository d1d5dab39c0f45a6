package store

import (
	"context"
	"fmt"
	"time"

	"github.com/backlash-monitor/backlash/internal/post"
)

// Rescore re-scores every post published since `since` whose lexicon
// version differs from version: score is called on each post (it sets
// Sentiment and Language) and the post is stored as a new version. Then the
// rollups of the months touched are rebuilt from the posts, so the series
// follow the new scores. It returns how many posts were re-scored.
func (s *Store) Rescore(ctx context.Context, since time.Time, version string, score func(*post.Post)) (int, error) {
	posts, err := s.latestPosts(ctx, "published >= ?", "argMax(lexicon_version, version) != ?", 0, since.UTC(), version)
	if err != nil {
		return 0, fmt.Errorf("store: rescore: %w", err)
	}
	for i := range posts {
		score(&posts[i])
	}
	if err := s.saveAll(ctx, posts); err != nil {
		return 0, err
	}
	if len(posts) == 0 {
		return 0, nil
	}
	return len(posts), s.RebuildRollups(ctx, since)
}

// Enrich names the entities of a topic's negative posts published since
// `since` that have none yet, at most limit of them, most engaged first:
// extract returns a post's entities, and the post is stored as a new
// version (the rollups are unaffected). It returns how many posts it
// enriched.
func (s *Store) Enrich(ctx context.Context, topic string, since time.Time, limit int, extract func(*post.Post) []string) (int, error) {
	posts, err := s.latestPosts(ctx, "has(topics, ?) AND published >= ?",
		"argMax(label, version) = 'negative' AND empty(argMax(entities, version))", limit, topic, since.UTC())
	if err != nil {
		return 0, fmt.Errorf("store: enrich %s: %w", topic, err)
	}
	n := 0
	for i := range posts {
		posts[i].Entities = extract(&posts[i])
		if len(posts[i].Entities) > 0 {
			posts[n] = posts[i]
			n++
		}
	}
	return n, s.saveAll(ctx, posts[:n])
}

// latestPosts returns the newest version of each post matching where (on
// rows) and having (on the grouped post), most engaged first, up to limit
// (0 for all).
func (s *Store) latestPosts(ctx context.Context, where, having string, limit int, args ...any) ([]post.Post, error) {
	q := `SELECT source, id, argMax(parent_id, version), argMax(thread, version), argMax(url, version),
    argMax(author, version), argMax(title, version), argMax(text, version), min(published), argMax(time_guessed, version),
    argMax(fetched, version), argMax(likes, version), argMax(replies, version), argMax(shares, version),
    argMax(followers, version), argMax(topics, version), argMax(language, version), argMax(compound, version),
    argMax(pos, version), argMax(neu, version), argMax(neg, version), argMax(label, version), argMax(terms, version),
    argMax(lexicon_version, version), argMax(entities, version),
    argMax(rating, version), argMax(app_version, version), argMax(views, version)
FROM ` + s.Table("posts") + ` WHERE ` + where + ` GROUP BY source, id HAVING ` + having +
		` ORDER BY argMax(likes, version) + argMax(replies, version) + argMax(shares, version) DESC`
	if limit > 0 {
		q += fmt.Sprintf(" LIMIT %d", limit)
	}
	rows, err := s.conn.Query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var posts []post.Post
	for rows.Next() {
		var p post.Post
		var guessed uint8
		var compound, pos, neu, neg *float64
		var label, lexv string
		var terms []string
		if err := rows.Scan(&p.Source, &p.ID, &p.ParentID, &p.Thread, &p.URL, &p.Author, &p.Title, &p.Text,
			&p.Published, &guessed, &p.Fetched, &p.Likes, &p.Replies, &p.Shares, &p.Followers, &p.Topics,
			&p.Language, &compound, &pos, &neu, &neg, &label, &terms, &lexv, &p.Entities,
			&p.Rating, &p.AppVersion, &p.Views); err != nil {
			return nil, err
		}
		p.TimeGuessed = guessed == 1
		if compound != nil {
			p.Sentiment = &post.Sentiment{Compound: *compound, Label: label, Terms: terms, LexiconVersion: lexv}
			if pos != nil && neu != nil && neg != nil {
				p.Sentiment.Pos, p.Sentiment.Neu, p.Sentiment.Neg = *pos, *neu, *neg
			}
		}
		posts = append(posts, p)
	}
	return posts, rows.Err()
}

func (s *Store) saveAll(ctx context.Context, posts []post.Post) error {
	for start := 0; start < len(posts); start += 5000 {
		if _, err := s.SavePosts(ctx, posts[start:min(start+5000, len(posts))]); err != nil {
			return err
		}
	}
	return nil
}

// RebuildRollups recomputes topic_rollup_5m for every month from since's
// on, from the newest version of each post. Run it with crawls paused: rows
// inserted meanwhile into those months are counted from the posts anyway.
func (s *Store) RebuildRollups(ctx context.Context, since time.Time) error {
	rows, err := s.conn.Query(ctx, "SELECT DISTINCT toYYYYMM(published) FROM "+s.Table("posts")+" WHERE published >= ?", since.UTC())
	if err != nil {
		return fmt.Errorf("store: rebuild rollups: %w", err)
	}
	var months []uint32
	for rows.Next() {
		var m uint32
		if err := rows.Scan(&m); err != nil {
			rows.Close()
			return fmt.Errorf("store: rebuild rollups: %w", err)
		}
		months = append(months, m)
	}
	rows.Close()
	for _, m := range months {
		if err := s.conn.Exec(ctx, fmt.Sprintf("ALTER TABLE %s DROP PARTITION %d", s.Table("topic_rollup_5m"), m)); err != nil {
			return fmt.Errorf("store: rebuild rollups %d: %w", m, err)
		}
		if err := s.conn.Exec(ctx, "INSERT INTO "+s.Table("topic_rollup_5m")+` (topic, bucket, source, posts, scored, negative,
 positive, sentiment_sum, reach, negative_reach)
SELECT arrayJoin(topics) AS topic, toStartOfFiveMinute(pub) AS bucket, source, count(), countIf(isNotNull(compound)),
    countIf(label = 'negative'), countIf(label = 'positive'), sum(ifNull(compound, 0)),
    sum(toUInt64(likes) + replies + shares + intDiv(views, 100)),
    sumIf(toUInt64(likes) + replies + shares + intDiv(views, 100), label = 'negative')
FROM (SELECT post_key, argMin(source, version) AS source, min(published) AS pub, argMax(topics, version) AS topics,
      argMax(compound, version) AS compound, argMax(label, version) AS label, argMax(likes, version) AS likes,
      argMax(replies, version) AS replies, argMax(shares, version) AS shares, argMax(views, version) AS views
      FROM `+s.Table("posts")+` WHERE toYYYYMM(published) = ? GROUP BY post_key)
GROUP BY topic, bucket, source`, m); err != nil {
			return fmt.Errorf("store: rebuild rollups %d: %w", m, err)
		}
	}
	return nil
}
