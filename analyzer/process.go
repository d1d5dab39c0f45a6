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
	version := a.scorer.Version()
	for i := range posts {
		p := posts[i]
		text := p.Text
		if p.Title != "" && !strings.Contains(p.Text, p.Title) {
			text = p.Title + ". " + p.Text
		}
		p.Topics = a.matcher.Match(text, allowed)
		if len(p.Topics) == 0 && !keepUnmatched {
			continue
		}
		a.scorer.ScoreInto(text, &r)
		p.Language = r.Language
		p.Sentiment = nil
		if r.Scored {
			s := &post.Sentiment{Compound: r.Compound, Pos: r.Pos, Neu: r.Neu, Neg: r.Neg,
				Label: string(r.Label), LexiconVersion: version}
			if len(r.Terms) > 0 {
				s.Terms = make([]string, len(r.Terms))
				for j, t := range r.Terms {
					s.Terms[j] = t.Text
				}
			}
			p.Sentiment = s
		}
		kept = append(kept, p)
	}
	return kept
}
