package sentiment

import "strings"

// Word is one word of a post as the scorer splits it.
type Word struct {
	// Text is the word in lower case (a run of Chinese or Japanese
	// characters is one word).
	Text string
	// Generic is set for words that say how someone feels rather than about
	// what: words with a valence in the lexicons, boosters, negators and
	// function words, except the lexicon entries that name a subject
	// (their About: "boycott", "privacy", "brothel").
	Generic bool
	// Clause counts the clause breaks before the word, so callers can keep
	// phrases from spanning sentences.
	Clause int
}

// Words splits text with the scorer's own tokenizer (URLs, @mentions,
// emoticons and emoji skipped, camel-case hashtags split) and returns its
// words and language code.
func (s *Scorer) Words(text string) ([]Word, string) {
	sc := s.pool.Get().(*scratch)
	defer s.pool.Put(sc)
	s.lx.tokenize(text, sc)
	var lang string
	if s.models == nil {
		lang, _ = s.lx.language(text, &sc.stats)
	} else {
		lang = s.detect(text, sc).lang
	}
	ll := s.langLex[lang]
	words := make([]Word, 0, len(sc.toks))
	for _, t := range sc.toks {
		if t.kind != tkWord {
			continue
		}
		w := string(sc.lower[t.ls:t.le])
		const generic = fValence | fBooster | fNegator | fContrast | fStopEN | fStopOther | fAdjBooster | fLeast | fNo | fHindi | fLike | fIrrealis
		g := t.e.flags&generic != 0 || t.e.valence != 0 || t.e.booster != 0
		if !g && ll != nil {
			if _, ok := ll.words[w]; ok || ll.negs[w] || ll.boosts[w] != 0 {
				g = true
			}
		}
		if g && s.about[w] != "" {
			g = false
		}
		words = append(words, Word{Text: w, Generic: g, Clause: int(t.clause)})
	}
	return words, lang
}

// GenericIn reports whether the text of a Chinese or Japanese word holds a
// term of lang's sentiment lexicon (a valence word or a negator) other
// than one that names what a post is about (an entry's About: 抵制,
// 隐私, 色情).
func (s *Scorer) GenericIn(lang, text string) bool {
	ll := s.langLex[lang]
	if ll == nil {
		return false
	}
	for _, r := range text {
		for _, t := range ll.runes[r] {
			if t.about == "" && strings.Contains(text, t.term) {
				return true
			}
		}
	}
	return false
}

// About says what a term (a word, a phrase of words, or a Chinese or
// Japanese run) is about when lang's lexicons list it as naming a subject
// (an entry's About: "leaving" for "boycott", "sex" for "brothel" and
// "meat market", "privacy" for "隐私"), and "" otherwise. A Chinese or
// Japanese term is about what an entry it holds is about (色情 in 色情交易).
func (s *Scorer) About(lang, term string) string {
	if a := s.about[term]; a != "" {
		return a
	}
	if ll := s.langLex[lang]; ll != nil {
		for _, r := range term {
			for _, t := range ll.aboutRunes[r] {
				if strings.Contains(term, t.term) {
					return t.about
				}
			}
		}
	}
	return ""
}
