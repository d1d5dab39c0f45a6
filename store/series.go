package store

import (
	"context"
	"fmt"
	"time"

	"github.com/backlash-monitor/backlash/post"
	"github.com/backlash-monitor/backlash/series"
)

// Bucket and WindowStats are package series' model of a topic's series.
type (
	Bucket      = series.Bucket
	WindowStats = series.WindowStats
)

// BucketSize is the rollups' resolution.
const BucketSize = series.BucketSize

// Series returns a topic's 5-minute buckets in [from, to), oldest first,
// with empty buckets filled in as zeros. An empty source means all sources.
func (s *Store) Series(ctx context.Context, topic, source string, from, to time.Time) ([]Bucket, error) {
	from = from.UTC().Truncate(BucketSize)
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
	got := map[int64]Bucket{}
	for rows.Next() {
		var b Bucket
		if err := rows.Scan(&b.Start, &b.Posts, &b.Scored, &b.Negative, &b.Positive, &b.SentimentSum, &b.Reach, &b.NegativeReach); err != nil {
			return nil, fmt.Errorf("store: series of %s: %w", topic, err)
		}
		got[b.Start.Unix()] = b
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: series of %s: %w", topic, err)
	}
	var out []Bucket
	for t := from; t.Before(to); t = t.Add(BucketSize) {
		b, ok := got[t.Unix()]
		if !ok {
			b = Bucket{}
		}
		b.Start = t
		out = append(out, b)
	}
	return out, nil
}

// Window returns a topic's statistics over [from, to), counting distinct
// authors and sources from the posts themselves.
func (s *Store) Window(ctx context.Context, topic string, from, to time.Time) (WindowStats, error) {
	var w WindowStats
	err := s.conn.QueryRow(ctx, `SELECT count(), countIf(label = 'negative'), uniqExact(author), uniqExact(source),
    uniqExactIf(author, label = 'negative'), uniqExactIf(source, label = 'negative'),
    uniqExactIf(concat(source, '/', if(thread = '', id, thread)), label = 'negative'),
    sum(toUInt64(likes) + replies + shares), sumIf(toUInt64(likes) + replies + shares, label = 'negative'),
    countIf(rating > 0), countIf(rating = 1)
FROM (SELECT source, id, argMax(author, version) AS author, argMax(label, version) AS label,
      argMax(thread, version) AS thread,
      argMax(likes, version) AS likes, argMax(replies, version) AS replies, argMax(shares, version) AS shares,
      argMax(rating, version) AS rating
      FROM `+s.Table("posts")+` WHERE has(topics, ?) AND published >= ? AND published < ? GROUP BY source, id)`,
		topic, from.UTC(), to.UTC()).Scan(&w.Posts, &w.Negative, &w.Authors, &w.Sources, &w.NegativeAuthors,
		&w.NegativeSources, &w.NegativeThreads, &w.Reach, &w.NegativeReach, &w.Rated, &w.OneStar)
	if err != nil {
		return w, fmt.Errorf("store: window of %s: %w", topic, err)
	}
	return w, nil
}

// Ratings counts a topic's rated reviews in [from, to) and those with
// one star: the baseline the one-star share of a window is measured
// against. It reads only rated posts.
func (s *Store) Ratings(ctx context.Context, topic string, from, to time.Time) (rated, oneStar uint64, err error) {
	err = s.conn.QueryRow(ctx, `SELECT count(), countIf(stars = 1)
FROM (SELECT argMax(rating, version) AS stars FROM `+s.Table("posts")+`
      WHERE rating > 0 AND has(topics, ?) AND published >= ? AND published < ? GROUP BY source, id)`,
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
	order := "reach DESC, compound ASC"
	if label == "positive" {
		order = "reach DESC, compound DESC"
	}
	q := `SELECT source, id, argMax(url, version), argMax(author, version), argMax(title, version), argMax(text, version),
    min(published), argMax(likes, version), argMax(replies, version), argMax(shares, version),
    argMax(compound, version) AS compound, argMax(label, version) AS label, argMax(terms, version),
    toUInt64(argMax(likes, version)) + argMax(replies, version) + argMax(shares, version) AS reach
FROM ` + s.Table("posts") + ` WHERE has(topics, ?) AND published >= ? AND published < ?
GROUP BY source, id`
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
		if err := rows.Scan(&p.Source, &p.ID, &p.URL, &p.Author, &p.Title, &p.Text, &p.Published,
			&p.Likes, &p.Replies, &p.Shares, &compound, &lbl, &terms, &reach); err != nil {
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
