package series

import "time"

// Bucket is one 5-minute bucket of a topic's series.
type Bucket struct {
	// Start is the bucket's first second.
	Start time.Time
	// Posts, Scored, Negative and Positive count posts first seen in it.
	Posts, Scored, Negative, Positive uint64
	// SentimentSum adds up the compound scores of its scored posts.
	SentimentSum float64
	// Reach and NegativeReach add up the reach of its posts (all, and
	// negative ones) when first seen: post.Post.Reach, likes, replies and
	// shares plus one per hundred views.
	Reach, NegativeReach uint64
}

// MeanSentiment is the average compound score of the bucket's scored posts.
func (b Bucket) MeanSentiment() float64 {
	if b.Scored == 0 {
		return 0
	}
	return b.SentimentSum / float64(b.Scored)
}

// BucketSize is the rollups' resolution.
const BucketSize = 5 * time.Minute

// WindowStats summarises a topic's posts in [from, to).
type WindowStats struct {
	// Posts and Negative count the window's posts and negative posts.
	Posts, Negative uint64
	// Authors and Sources count distinct authors and sources.
	Authors, Sources uint64
	// NegativeAuthors, NegativeSources and NegativeThreads count distinct
	// authors, sources and threads among negative posts: the spread.
	NegativeAuthors, NegativeSources, NegativeThreads uint64
	// Reach and NegativeReach add up the reach of the window's posts (all,
	// and negative ones), each post's highest: post.Post.Reach.
	Reach, NegativeReach uint64
	// SharedPosts counts the negative posts whose text other authors
	// posted too, and SharedTexts the texts they share: a copy-paste
	// campaign rather than independent voices.
	SharedPosts, SharedTexts uint64
	// Rated counts rated reviews (rating > 0) and OneStar those with one
	// star.
	Rated, OneStar uint64
}
