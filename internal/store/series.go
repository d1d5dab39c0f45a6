package store

import (
	"context"
	"fmt"
	"time"

	"github.com/backlash-monitor/backlash/internal/post"
	"github.com/backlash-monitor/backlash/internal/series"
)

// Series returns a topic's 5-minute buckets in [from, to), oldest first,
// with empty buckets filled in as zeros. An empty source means all sources.
func (s *Store) Series(ctx context.Context, topic, source string, from, to time.Time) ([]series.Bucket, error) {
	from = from.UTC().Truncate(series.BucketSize)
	to = to.UTC()
	q := "SELECT bucket, sum(posts), sum(scored), sum(negative), sum(positive), sum(sentiment_sum), sum(reach), sum(negative_reach) FROM " +
		s.Table("topic_rollup_5m") + " WHERE topic = ? AND bucket >= ? AND bucket < ?"
	args := []any{topic, from, to}
	if source != "" {
		q += " AND source = ?"
		args = append(args, source)
	}
	q += " GROUP BY bucket ORDER BY bucket"
	rows, err := s.conn.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: series of %s: %w", topic, err)
	}
	defer rows.Close()
	got := map[int64]series.Bucket{}
	for rows.Next() {
		var b series.Bucket
		if err := rows.Scan(&b.Start, &b.Posts, &b.Scored, &b.Negative, &b.Positive, &b.SentimentSum, &b.Reach, &b.NegativeReach); err != nil {
			return nil, fmt.Errorf("store: series of %s: %w", topic, err)
		}
		got[b.Start.Unix()] = b
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: series of %s: %w", topic, err)
	}
	var out []series.Bucket
	for t := from; t.Before(to); t = t.Add(series.BucketSize) {
		b, ok := got[t.Unix()]
		if !ok {
			b = series.Bucket{}
		}
		b.Start = t
		out = append(out, b)
	}
	return out, nil
}

// reachSQL is a post's reach over its sightings, post.Post.Reach of the
// highest counts any sighting showed: likes, replies and shares, plus one
// per post.ViewsPerInteraction views. The rollups (migration 0024) count
// the same sum when a post is first seen.
const reachSQL = `toUInt64(max(likes)) + max(replies) + max(shares) + intDiv(max(views), 100)`

// Window returns a topic's statistics over [from, to), counting distinct
// authors and sources from the posts themselves. Each post counts once
// however many sources it was seen through (its post_key); its sources are
// all those it was seen through.
func (s *Store) Window(ctx context.Context, topic string, from, to time.Time) (series.WindowStats, error) {
	var w series.WindowStats
	err := s.conn.QueryRow(ctx, `SELECT count(), countIf(label = 'negative'), uniqExact(author), uniqExactArray(srcs),
    uniqExactIf(author, label = 'negative'), uniqExactArray(if(label = 'negative', srcs, emptyArrayString())),
    uniqExactIf(thread, label = 'negative'),
    sum(reach), sumIf(reach, label = 'negative'),
    countIf(rating > 0), countIf(rating = 1)
FROM (`+s.uniquePosts()+`)`,
		topic, from.UTC(), to.UTC()).Scan(&w.Posts, &w.Negative, &w.Authors, &w.Sources, &w.NegativeAuthors,
		&w.NegativeSources, &w.NegativeThreads, &w.Reach, &w.NegativeReach, &w.Rated, &w.OneStar)
	if err != nil {
		return w, fmt.Errorf("store: window of %s: %w", topic, err)
	}
	if err := s.sharedTexts(ctx, topic, from, to, &w); err != nil {
		return w, err
	}
	return w, nil
}

// uniquePosts is a subquery of one row per post (post_key) about topic
// published in [from, to) (its three arguments): the newest label, the
// sources it was seen through, its thread, author, text hash and the
// highest reach any sighting showed (reachSQL). Choices between sightings
// do not depend on the order they were stored in.
func (s *Store) uniquePosts() string {
	return `SELECT post_key, argMax(label, version) AS label, max(author) AS author, groupUniqArray(source) AS srcs,
      min(concat(source, '/', if(thread = '', id, thread))) AS thread, argMax(content_hash, version) AS text_hash,
      argMax(text, version) AS text,
      ` + reachSQL + ` AS reach, argMax(rating, version) AS rating
      FROM ` + s.Table("posts") + ` WHERE has(topics, ?) AND published >= ? AND published < ? GROUP BY post_key`
}

// sharedTexts counts the negative posts whose text other authors posted
// too in the window (copy-paste campaigns), and how many texts they share.
// Texts of fewer than minSharedWords words ("+1", "this") are not counted.
func (s *Store) sharedTexts(ctx context.Context, topic string, from, to time.Time, w *series.WindowStats) error {
	err := s.conn.QueryRow(ctx, `SELECT count(), sum(n) FROM (
    SELECT text_hash, count() AS n, uniqExact(author) AS a FROM (`+s.uniquePosts()+`)
    WHERE label = 'negative' AND length(splitByChar(' ', text)) >= ?
    GROUP BY text_hash HAVING n >= 2 AND a >= 2)`,
		topic, from.UTC(), to.UTC(), minSharedWords).Scan(&w.SharedTexts, &w.SharedPosts)
	if err != nil {
		return fmt.Errorf("store: shared texts of %s: %w", topic, err)
	}
	return nil
}

// minSharedWords is the shortest text a campaign is recognised by.
const minSharedWords = 4

// Ratings counts a topic's rated reviews in [from, to) and those with
// one star: the baseline the one-star share of a window is measured
// against. It reads only rated posts.
func (s *Store) Ratings(ctx context.Context, topic string, from, to time.Time) (rated, oneStar uint64, err error) {
	err = s.conn.QueryRow(ctx, `SELECT count(), countIf(stars = 1)
FROM (SELECT argMax(rating, version) AS stars FROM `+s.Table("posts")+`
      WHERE rating > 0 AND has(topics, ?) AND published >= ? AND published < ? GROUP BY post_key)`,
		topic, from.UTC(), to.UTC()).Scan(&rated, &oneStar)
	if err != nil {
		return 0, 0, fmt.Errorf("store: ratings of %s: %w", topic, err)
	}
	return rated, oneStar, nil
}

// TopPosts returns a topic's posts in [from, to) with the given label
// ("negative", "positive" or "" for any), most reached and most extreme
// first.
func (s *Store) TopPosts(ctx context.Context, topic, label string, from, to time.Time, limit int) ([]post.Post, error) {
	order := "reach DESC, compound ASC, post_key"
	if label == "positive" {
		order = "reach DESC, compound DESC, post_key"
	}
	// One row per post: sightings of it through other sources and reposts
	// share its post_key.
	q := `SELECT argMax(source, version), argMax(id, version), argMax(url, version), argMax(author, version),
    argMax(title, version), argMax(text, version),
    min(published), max(likes), max(replies), max(shares), max(views),
    argMax(compound, version) AS compound, argMax(label, version) AS label, argMax(terms, version),
    ` + reachSQL + ` AS reach, post_key
FROM ` + s.Table("posts") + ` WHERE has(topics, ?) AND published >= ? AND published < ?
GROUP BY post_key`
	args := []any{topic, from.UTC(), to.UTC()}
	if label != "" {
		q += " HAVING label = ?"
		args = append(args, label)
	}
	q += " ORDER BY " + order + " LIMIT ?"
	args = append(args, limit)
	rows, err := s.conn.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: top posts of %s: %w", topic, err)
	}
	defer rows.Close()
	var out []post.Post
	for rows.Next() {
		var p post.Post
		var compound *float64
		var lbl string
		var terms []string
		var reach uint64
		var key string
		if err := rows.Scan(&p.Source, &p.ID, &p.URL, &p.Author, &p.Title, &p.Text, &p.Published,
			&p.Likes, &p.Replies, &p.Shares, &p.Views, &compound, &lbl, &terms, &reach, &key); err != nil {
			return nil, fmt.Errorf("store: top posts of %s: %w", topic, err)
		}
		if compound != nil {
			p.Sentiment = &post.Sentiment{Compound: *compound, Label: lbl, Terms: terms}
		}
		p.Topics = []string{topic}
		out = append(out, p)
	}
	return out, rows.Err()
}
