package analyzer

import (
	"strings"

	"github.com/backlash-monitor/backlash/analyzer/sentiment"
	"github.com/backlash-monitor/backlash/post"
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
func (a *Analyzer) Process(posts []post.Post, allowed []string, keepUnmatched bool) []post.Post {
	kept := posts[:0]
	var r sentiment.Result
	for i := range posts {
		p := posts[i]
		text := scoredText(&p)
		p.Topics = a.matcher.Match(text, allowed)
		if len(p.Topics) == 0 && !keepUnmatched {
			continue
		}
		a.score(&p, text, &r)
		kept = append(kept, p)
	}
	return kept
}

// Score sets a post's sentiment and language, leaving its topics alone;
// re-scoring stored posts uses it.
func (a *Analyzer) Score(p *post.Post) {
	var r sentiment.Result
	a.score(p, scoredText(p), &r)
}

// scoredText is what a post is matched and scored on: its text, led by its
// title when the text does not repeat it.
func scoredText(p *post.Post) string {
	if p.Title != "" && !strings.Contains(p.Text, p.Title) {
		return p.Title + ". " + p.Text
	}
	return p.Text
}

func (a *Analyzer) score(p *post.Post, text string, r *sentiment.Result) {
	a.scorer.ScoreInto(text, r)
	p.Language = r.Language
	p.Sentiment = nil
	if !r.Scored {
		return
	}
	s := &post.Sentiment{Compound: r.Compound, Pos: r.Pos, Neu: r.Neu, Neg: r.Neg,
		Label: string(r.Label), LexiconVersion: a.scorer.Version()}
	if len(r.Terms) > 0 {
		s.Terms = make([]string, len(r.Terms))
		for j, t := range r.Terms {
			s.Terms[j] = t.Text
		}
	}
	p.Sentiment = s
}
