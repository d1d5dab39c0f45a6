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
	titles := map[string]*post.Sentiment{}
	for i := range posts {
		p := posts[i]
		p.Topics = a.matcher.Match(matchText(&p), allowed)
		if len(p.Topics) == 0 && !keepUnmatched {
			continue
		}
		a.score(&p, &r)
		if ownTitle(&p) {
			ts, ok := titles[p.Title]
			if !ok {
				ts = a.sentiment(p.Title, &r)
				titles[p.Title] = ts
			}
			p.TitleSentiment = ts
		}
		kept = append(kept, p)
	}
	return kept
}

// Score sets a post's sentiment and language from its own text, leaving its
// topics alone; re-scoring stored posts uses it.
func (a *Analyzer) Score(p *post.Post) {
	var r sentiment.Result
	a.score(p, &r)
	p.TitleSentiment = nil
	if ownTitle(p) {
		p.TitleSentiment = a.sentiment(p.Title, &r)
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
func (a *Analyzer) score(p *post.Post, r *sentiment.Result) {
	text := p.Text
	if text == "" {
		text = p.Title
	}
	a.scorer.ScoreInto(text, r)
	p.Language = r.Language
	p.Sentiment = a.result(r)
}

func (a *Analyzer) sentiment(text string, r *sentiment.Result) *post.Sentiment {
	a.scorer.ScoreInto(text, r)
	return a.result(r)
}

func (a *Analyzer) result(r *sentiment.Result) *post.Sentiment {
	if !r.Scored {
		return nil
	}
	s := &post.Sentiment{Compound: r.Compound, Pos: r.Pos, Neu: r.Neu, Neg: r.Neg,
		Label: string(r.Label), LexiconVersion: a.scorer.Version()}
	if len(r.Terms) > 0 {
		s.Terms = make([]string, len(r.Terms))
		for j, t := range r.Terms {
			s.Terms[j] = t.Text
		}
	}
	return s
}
