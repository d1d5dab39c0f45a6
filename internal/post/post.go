// Package post defines the unit of data that flows through backlash: one public
// post or comment, as collected by the crawler and enriched by the analyzer.
//
// It holds data only. Collecting posts is the crawler's job, scoring them the
// analyzer's, and storing them the store's.
package post

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Post is one post or comment from a public source.
type Post struct {
	// Source is the configured name of the source the post came from.
	Source string
	// ID identifies the post within its source: the site's own id when it has
	// one, otherwise a stable id derived by DeriveID.
	ID string
	// ParentID is the id of the post this one replies to, if any.
	ParentID string
	// Thread identifies the thread or page the post belongs to, if known.
	Thread string
	// URL links to the post (or its thread) on the site.
	URL string
	// Author is the author's display name or handle as the site shows it.
	Author string
	// Title is the thread or item title, when the source has one.
	Title string
	// Text is the cleaned plain text of the post.
	Text string
	// Published is when the post was published.
	Published time.Time
	// TimeGuessed is true when the site gave no parseable time and Published
	// is the fetch time instead.
	TimeGuessed bool
	// Fetched is when the crawler collected the post.
	Fetched time.Time
	// Likes, Replies and Shares are the engagement counts the site shows.
	Likes, Replies, Shares uint32
	// Followers is the author's follower count, when the source gives it.
	Followers uint32
	// Views is how many times the post was seen, when the source counts
	// views (a Telegram channel post); it counts toward Reach, one per
	// ViewsPerInteraction views.
	Views uint32
	// Rating is the star rating a review gives, 1 to 5; 0 when the post is
	// not a rated review.
	Rating uint8
	// AppVersion is the version of the app a store review was written
	// about, when the store gives it.
	AppVersion string

	// Topics are the configured topics the post matches; set by the analyzer.
	Topics []string
	// Sentiment is the post's sentiment; nil until scored or when the post's
	// language is not scored.
	Sentiment *Sentiment
	// Language is the detected language (ISO 639-1, or "" when unknown).
	Language string
	// Entities are named entities found in the text, when extracted.
	Entities []string

	// Namespace names the id space shared by the sources that show the
	// same posts (a forum's pages, its feed and its API); empty when the
	// source declares none. Set by the crawler from the source's identity.
	Namespace string
	// SharedID is the post's id in Namespace, the same through every source
	// of the namespace; empty when the source's identity maps none.
	SharedID string
	// TitleSentiment scores the title on its own, when the post has a title
	// the text does not contain; the title never enters Sentiment.
	TitleSentiment *Sentiment
}

// Key is the post's own identity: "namespace:shared-id" when it has an id
// in a namespace, else "source/id". Sightings of one post through several
// sources of a namespace share it.
func (p *Post) Key() string {
	if p.Namespace != "" && p.SharedID != "" {
		return p.Namespace + ":" + p.SharedID
	}
	return p.Source + "/" + p.ID
}

// Sentiment is the analyzer's verdict on a post.
type Sentiment struct {
	// Compound is the overall score in [-1, 1].
	Compound float64
	// Pos, Neu and Neg are the proportions of positive, neutral and negative
	// weight in the text; they sum to about 1.
	Pos, Neu, Neg float64
	// Label is "positive", "neutral" or "negative".
	Label string
	// Terms are the words and phrases that contributed most, strongest first.
	Terms []string
	// LexiconVersion identifies the lexicons the score was computed with.
	LexiconVersion string
}

// ViewsPerInteraction is how many views weigh as much as one like, reply
// or share in Reach. A view is weaker evidence than an interaction: it is
// counted when a post scrolls past, while a like or reply is an act, and
// few viewers act (the two reacted posts of the recorded Telegram sample
// have one reaction per 23 and per 500 views; 100 is a round figure
// between them). Counting a hundred views as one interaction puts a post
// whose source shows only views (a channel with reactions off) on the
// scale of the sources that show engagement, without letting a view
// count, orders of magnitude above any like count, outweigh them.
const ViewsPerInteraction = 100

// Reach is the post's engagement: likes, replies and shares added up, plus
// one per ViewsPerInteraction views (rounded down). The store's rollups
// and queries compute the same sum (see internal/store/SCHEMA.md).
// Followers do not count: they are the author's audience, not the post's.
func (p *Post) Reach() uint64 {
	return uint64(p.Likes) + uint64(p.Replies) + uint64(p.Shares) + uint64(p.Views)/ViewsPerInteraction
}

// ContentHash returns a 64-bit hash of the post's normalised text (case and
// whitespace folded), equal for identical text cross-posted under different
// ids or sources.
func (p *Post) ContentHash() uint64 {
	var buf [1024]byte
	h := sha256.Sum256(fold(buf[:0], p.Text))
	return binary.BigEndian.Uint64(h[:8])
}

// fold appends s with its words lower-cased and joined by single spaces,
// as strings.ToLower(strings.Join(strings.Fields(s), " ")) returns it, in
// one pass and without allocating for the words: a word is a run of runes
// that are not white space by unicode.IsSpace, each lower-cased by
// unicode.ToLower, and a byte that is not UTF-8 is U+FFFD, as
// strings.ToLower makes it.
func fold(b []byte, s string) []byte {
	word := false
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			if asciiSpace[c] {
				word = false
				continue
			}
			if !word && len(b) > 0 {
				b = append(b, ' ')
			}
			word = true
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			b = append(b, c)
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if unicode.IsSpace(r) {
			word = false
			continue
		}
		if !word && len(b) > 0 {
			b = append(b, ' ')
		}
		word = true
		b = utf8.AppendRune(b, unicode.ToLower(r))
	}
	return b
}

// asciiSpace marks the ASCII bytes unicode.IsSpace says are white space.
var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

// DeriveID returns a stable id for a post whose site gives none, from the
// fields that identify it: its URL, author, time and text.
func DeriveID(url, author, when, text string) string {
	h := sha256.New()
	for _, s := range []string{url, author, when, strings.Join(strings.Fields(text), " ")} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return "h" + hex.EncodeToString(h.Sum(nil)[:12])
}

// MaxSkew is how far past its fetch time a post's publish time may lie
// before it is treated as unknown: a time in the future is a misread zone
// or a broken clock, and trusting it would push the high-water mark past
// real posts.
const MaxSkew = 15 * time.Minute

// SettleTimes applies the publish-time rule, the one place it is written:
// a post without a fetch time was fetched now; a post without a publish
// time, or with one more than MaxSkew past its fetch time, was published
// when it was fetched, and TimeGuessed says so.
func (p *Post) SettleTimes(now time.Time) {
	if p.Fetched.IsZero() {
		p.Fetched = now
	}
	if p.Published.IsZero() || p.Published.After(p.Fetched.Add(MaxSkew)) {
		p.Published, p.TimeGuessed = p.Fetched, true
	}
}
