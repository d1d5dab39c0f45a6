package store

import (
	"context"
	"fmt"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"

	"github.com/backlash-monitor/backlash/post"
)

// SaveCounts counts the posts SavePosts stored.
type SaveCounts struct {
	// New is the number of posts stored for the first time.
	New int
	// Updated is the number of posts already stored that got a new version
	// (fresh counts or scores); rollups do not count them again.
	Updated int
}

// SaveResult counts what SavePosts stored, in all and per source.
type SaveResult struct {
	SaveCounts
	// BySource splits the counts by the posts' source.
	BySource map[string]SaveCounts
}

func (r *SaveResult) count(source string, isNew bool) {
	if r.BySource == nil {
		r.BySource = map[string]SaveCounts{}
	}
	c := r.BySource[source]
	if isNew {
		r.New++
		c.New++
	} else {
		r.Updated++
		c.Updated++
	}
	r.BySource[source] = c
}

// postColumns is the insert column list for posts; keep in step with
// appendPost.
const postColumns = `source, id, parent_id, thread, url, author, title, text, published, time_guessed,
 fetched, likes, replies, shares, followers, topics, language, compound, pos, neu, neg, label, terms,
 lexicon_version, entities, content_hash, first_seen, version, rating, app_version, views`

// existingChunk bounds the ids looked up in one query.
const existingChunk = 2000

// SavePosts stores posts. A post already stored (same source and id) gets a
// new version row that keeps its original publication time and is not
// counted again by the rollups, so re-crawling never double-counts.
func (s *Store) SavePosts(ctx context.Context, posts []post.Post) (SaveResult, error) {
	var res SaveResult
	if len(posts) == 0 {
		return res, nil
	}
	// Keep the last copy of a post that appears twice in one call.
	idx := make(map[[2]string]int, len(posts))
	uniq := make([]post.Post, 0, len(posts))
	for _, p := range posts {
		k := [2]string{p.Source, p.ID}
		if i, ok := idx[k]; ok {
			uniq[i] = p
			continue
		}
		idx[k] = len(uniq)
		uniq = append(uniq, p)
	}
	known, err := s.existing(ctx, uniq)
	if err != nil {
		return res, err
	}
	b, err := s.conn.PrepareBatch(ctx, "INSERT INTO "+s.Table("posts")+" ("+postColumns+")")
	if err != nil {
		return res, fmt.Errorf("store: prepare posts insert: %w", err)
	}
	version := uint64(time.Now().UnixNano())
	for i := range uniq {
		p := &uniq[i]
		first := uint8(1)
		pub, stored := known[[2]string{p.Source, p.ID}]
		if stored {
			first = 0
			p.Published = pub
		}
		res.count(p.Source, !stored)
		if err := appendPost(b, p, first, version); err != nil {
			_ = b.Abort()
			return SaveResult{}, fmt.Errorf("store: post %s/%s: %w", p.Source, p.ID, err)
		}
	}
	if err := b.Send(); err != nil {
		return SaveResult{}, fmt.Errorf("store: insert %d posts: %w", len(uniq), err)
	}
	return res, nil
}

func appendPost(b interface{ Append(...any) error }, p *post.Post, first uint8, version uint64) error {
	var compound, pos, neu, neg *float64
	var label, lexv string
	terms := []string{}
	if p.Sentiment != nil {
		c, po, nu, ne := p.Sentiment.Compound, p.Sentiment.Pos, p.Sentiment.Neu, p.Sentiment.Neg
		compound, pos, neu, neg = &c, &po, &nu, &ne
		label, lexv = p.Sentiment.Label, p.Sentiment.LexiconVersion
		if p.Sentiment.Terms != nil {
			terms = p.Sentiment.Terms
		}
	}
	topics := p.Topics
	if topics == nil {
		topics = []string{}
	}
	ents := p.Entities
	if ents == nil {
		ents = []string{}
	}
	guessed := uint8(0)
	if p.TimeGuessed {
		guessed = 1
	}
	fetched := p.Fetched
	if fetched.IsZero() {
		fetched = time.Now()
	}
	published := p.Published
	if published.IsZero() {
		published, guessed = fetched, 1
	}
	return b.Append(p.Source, p.ID, p.ParentID, p.Thread, p.URL, p.Author, p.Title, p.Text,
		published.UTC(), guessed, fetched.UTC(), p.Likes, p.Replies, p.Shares, p.Followers,
		topics, p.Language, compound, pos, neu, neg, label, terms, lexv, ents,
		p.ContentHash(), first, version, p.Rating, p.AppVersion, p.Views)
}

// existing returns the stored publication time of each given post already
// in the store.
func (s *Store) existing(ctx context.Context, posts []post.Post) (map[[2]string]time.Time, error) {
	bySource := map[string][]any{}
	for _, p := range posts {
		bySource[p.Source] = append(bySource[p.Source], p.ID)
	}
	known := map[[2]string]time.Time{}
	for src, ids := range bySource {
		for start := 0; start < len(ids); start += existingChunk {
			end := min(start+existingChunk, len(ids))
			rows, err := s.conn.Query(ctx, "SELECT id, min(published) FROM "+s.Table("posts")+
				" WHERE source = ? AND id IN ? GROUP BY id", src, clickhouse.GroupSet{Value: ids[start:end]})
			if err != nil {
				return nil, fmt.Errorf("store: look up stored posts of %s: %w", src, err)
			}
			for rows.Next() {
				var id string
				var pub time.Time
				if err := rows.Scan(&id, &pub); err != nil {
					rows.Close()
					return nil, fmt.Errorf("store: look up stored posts of %s: %w", src, err)
				}
				known[[2]string{src, id}] = pub
			}
			err = rows.Err()
			rows.Close()
			if err != nil {
				return nil, fmt.Errorf("store: look up stored posts of %s: %w", src, err)
			}
		}
	}
	return known, nil
}
