package analyzer

import (
	"strings"

	"github.com/backlash-monitor/backlash/internal/analyzer/sentiment"
	"github.com/backlash-monitor/backlash/internal/post"
)

// Scorer scores one text's sentiment; *sentiment.Scorer is one.
type Scorer interface {
	ScoreInto(text string, r *sentiment.Result)
	Version() string
}

// Analyzer tags posts with topics and scores their sentiment.
type Analyzer struct {
	matcher *Matcher
	scorer  Scorer
}

// New returns an Analyzer that matches with m and scores with s.
func New(m *Matcher, s Scorer) *Analyzer { return &Analyzer{matcher: m, scorer: s} }

// Process tags each post with the topics it matches (restricted to allowed
// when that is not empty) and scores it, in place. It returns the posts worth
// keeping: those that match a topic, or all of them with keepUnmatched. The
// returned slice shares posts' backing array.
//
// A thread's title is context for matching topics (a reply in a thread
// about a feature is about the feature), but a post's sentiment and terms
// come from its own text only; a title the text does not contain is scored
// on its own, in TitleSentiment.
func (a *Analyzer) Process(posts []post.Post, allowed []string, keepUnmatched bool) []post.Post {
	kept := posts[:0]
	var r sentiment.Result
	var titles map[string]*post.Sentiment
	sl := slab{n: len(posts)}
	for i := range posts {
		topics := a.matcher.Match(matchText(&posts[i]), allowed)
		if len(topics) == 0 && !keepUnmatched {
			continue
		}
		// Kept posts move up over the left-out ones, in place.
		if len(kept) < i {
			kept = append(kept, posts[i])
		} else {
			kept = kept[:i+1]
		}
		p := &kept[len(kept)-1]
		p.Topics = topics
		a.score(p, &r, &sl)
		if ownTitle(p) {
			ts, ok := titles[p.Title]
			if !ok {
				ts = a.sentiment(p.Title, &r, &sl)
				if titles == nil {
					titles = map[string]*post.Sentiment{}
				}
				titles[p.Title] = ts
			}
			p.TitleSentiment = ts
		}
	}
	return kept
}

// Score sets a post's sentiment and language from its own text, leaving its
// topics alone; re-scoring stored posts uses it.
func (a *Analyzer) Score(p *post.Post) {
	var r sentiment.Result
	var sl slab
	a.score(p, &r, &sl)
	p.TitleSentiment = nil
	if ownTitle(p) {
		p.TitleSentiment = a.sentiment(p.Title, &r, &sl)
	}
}

// matchText is what a post is matched against topics on: its text, led by
// its title when the text does not repeat it.
func matchText(p *post.Post) string {
	switch {
	case p.Text == "":
		return p.Title
	case ownTitle(p):
		return p.Title + ". " + p.Text
	}
	return p.Text
}

// ownTitle reports whether the post has both a text and a title the text
// does not contain.
func ownTitle(p *post.Post) bool {
	return p.Title != "" && p.Text != "" && !strings.Contains(p.Text, p.Title)
}

// score scores the post's own words: its text, or its title when it has no
// text (an item that is only a headline).
func (a *Analyzer) score(p *post.Post, r *sentiment.Result, sl *slab) {
	text := p.Text
	if text == "" {
		text = p.Title
	}
	a.scorer.ScoreInto(text, r)
	p.Language = r.Language
	p.Sentiment = a.result(r, sl)
}

func (a *Analyzer) sentiment(text string, r *sentiment.Result, sl *slab) *post.Sentiment {
	a.scorer.ScoreInto(text, r)
	return a.result(r, sl)
}

func (a *Analyzer) result(r *sentiment.Result, sl *slab) *post.Sentiment {
	if !r.Scored {
		return nil
	}
	s := sl.sentiment()
	*s = post.Sentiment{Compound: r.Compound, Pos: r.Pos, Neu: r.Neu, Neg: r.Neg,
		Label: string(r.Label), LexiconVersion: a.scorer.Version()}
	if len(r.Terms) > 0 {
		s.Terms = sl.terms(len(r.Terms))
		for j, t := range r.Terms {
			s.Terms[j] = t.Text
		}
	}
	return s
}

// slab hands out the sentiments of one Process call and their terms from
// a few blocks rather than an allocation each: the posts of a call are
// stored and dropped together.
type slab struct {
	n     int // the posts of the call: how many sentiments a block holds
	sents []post.Sentiment
	strs  []string
}

// sentiment returns a new zero sentiment.
func (sl *slab) sentiment() *post.Sentiment {
	if len(sl.sents) == cap(sl.sents) {
		sl.sents = make([]post.Sentiment, 0, max(sl.n, 1))
	}
	sl.sents = sl.sents[:len(sl.sents)+1]
	return &sl.sents[len(sl.sents)-1]
}

// terms returns n strings to fill, capped so that an append to them
// allocates instead of writing over the next sentiment's.
func (sl *slab) terms(n int) []string {
	if cap(sl.strs)-len(sl.strs) < n {
		sl.strs = make([]string, 0, max(4*sl.n, n, 16))
	}
	start := len(sl.strs)
	sl.strs = sl.strs[:start+n]
	return sl.strs[start : start+n : start+n]
}
