package sentiment

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"
)

// Label is the three-way classification of a scored post.
type Label string

// Labels produced by the scorer.
const (
	Positive Label = "positive"
	Neutral  Label = "neutral"
	Negative Label = "negative"
)

// Term is a word or phrase that contributed to a post's score, with its
// signed valence after negation, boosters, capitals and contrast were applied.
type Term struct {
	Text    string
	Valence float64
}

// Result is the sentiment of one post.
type Result struct {
	// Compound is the normalised overall score in [-1, 1].
	Compound float64
	// Pos, Neu and Neg are the proportions of the post that are positive,
	// neutral and negative; they sum to 1 for scored posts with words.
	Pos, Neu, Neg float64
	// Label is set from Compound and the configured cut-offs.
	Label Label
	// Terms holds up to MaxTerms contributors, strongest first. Texts are
	// substrings of the scored text.
	Terms []Term
	// Language is an ISO 639-1 code, or "und" when the post has no letters.
	Language string
	// Scored is false for posts in a language without a model (Japanese,
	// Korean, Russian ...); their scores are zero and Label is empty,
	// never neutral.
	Scored bool
}

// MaxTerms is the number of contributing terms kept per post.
const MaxTerms = 5

// Scorer scores posts. It is built once by New and is safe for concurrent
// use by multiple goroutines.
type Scorer struct {
	lx      *lexicon
	models  *modelSet               // nil: English by the rules alone
	langLex map[string]*langLexicon // brand-risk vocabulary by language
	// about maps the lexicons' words and phrases that name what a post is
	// about (normalised) to their entry's About: never generic in Words.
	about    map[string]string
	pos, neg float64
	version  string
	pool     sync.Pool
}

// New builds the lexicons and lookup tables. It fails if a file in
// opts.Lexicons cannot be read or has an invalid entry; the error names the
// file, line and entry.
func New(opts Options) (*Scorer, error) {
	var ms *modelSet
	if !opts.RulesOnly {
		data := modelFile
		if opts.Model != "" {
			var err error
			if data, err = os.ReadFile(opts.Model); err != nil {
				return nil, fmt.Errorf("sentiment model: %w", err)
			}
		}
		var err error
		if ms, err = loadModels(data); err != nil {
			return nil, fmt.Errorf("%s: %w", modelName(opts.Model), err)
		}
	}
	return newScorer(opts, ms)
}

func modelName(path string) string {
	if path == "" {
		return "embedded model"
	}
	return path
}

// newScorer is New with the learned models given (nil for rules only).
func newScorer(opts Options, ms *modelSet) (*Scorer, error) {
	lx := newBaseLexicon()
	brand, err := parseLexicon("brand.yaml", brandYAML)
	if err != nil {
		return nil, err
	}
	about := map[string]string{}
	brand.apply(lx, about)
	parts := []string{vaderVersion, "brand-" + brand.Version}
	for _, p := range opts.Lexicons {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("lexicon %s: %w", p, err)
		}
		y, err := parseLexicon(p, data)
		if err != nil {
			return nil, err
		}
		y.apply(lx, about)
		parts = append(parts, versionTag(p, y, data))
	}
	lx.freeze()
	langLex, err := loadLangLexicons()
	if err != nil {
		return nil, err
	}
	if ms != nil {
		langs := make([]string, 0, len(langLex))
		for l, ll := range langLex {
			langs = append(langs, l+"-"+ll.version)
		}
		sort.Strings(langs)
		parts = append(parts, langs...)
		parts = append(parts, "model-"+ms.Version)
	}
	for _, ll := range langLex {
		for w, a := range ll.about {
			about[w] = a
		}
	}
	s := &Scorer{lx: lx, models: ms, langLex: langLex, about: about, version: strings.Join(parts, "+")}
	s.pos, s.neg = opts.cutoffs()
	s.pool.New = func() any {
		return &scratch{lower: make([]byte, 0, 512), toks: make([]token, 0, 64),
			vals: make([]float64, 0, 64), from: make([]int32, 0, 64),
			feats: make([]feat, 0, 1024), cands: make([]cand, 0, 512), lexHits: make([]cand, 0, 32)}
	}
	return s, nil
}

// Version identifies the lexicons in use, e.g. "vader-3.3.2+brand-1"; it
// changes whenever any lexicon changes, so stored scores can be traced.
func (s *Scorer) Version() string { return s.version }

// Score scores one post.
func (s *Scorer) Score(text string) Result {
	var r Result
	s.ScoreInto(text, &r)
	return r
}

// ScoreInto scores one post into r, reusing r.Terms' capacity. Once r.Terms
// has room for MaxTerms it does not allocate.
func (s *Scorer) ScoreInto(text string, r *Result) {
	*r = Result{Terms: r.Terms[:0]}
	sc := s.pool.Get().(*scratch)
	s.lx.tokenize(text, sc)
	if s.models == nil {
		r.Language, r.Scored = s.lx.language(text, &sc.stats)
		if r.Scored {
			s.score(text, sc, r)
		}
	} else {
		rt := s.detect(text, sc)
		r.Language = rt.lang
		switch {
		case rt.rules:
			r.Scored = true
			s.score(text, sc, r)
		case rt.model != nil:
			r.Scored = true
			s.scoreLearned(text, sc, rt, r)
		}
	}
	s.pool.Put(sc)
}

// label maps a compound score to a Label.
func (s *Scorer) label(c float64) Label {
	switch {
	case c >= s.pos:
		return Positive
	case c <= s.neg:
		return Negative
	}
	return Neutral
}
