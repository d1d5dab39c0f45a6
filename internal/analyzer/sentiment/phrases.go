package sentiment

// matchPhrases replaces each multi-word lexicon item found within one
// clause by a single token spanning it, so "delete the app" or "kind of"
// score once, and negators and boosters before them still apply.
func (lx *lexicon) matchPhrases(sc *scratch) {
	toks := sc.toks
	out := 0
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if t.e.flags&fPhrase != 0 {
			if p, ok := lx.phraseAt(sc, i); ok {
				last := toks[i+len(p.words)-1]
				t.end = last.end
				t.caps = false
				t.elongated = false
				t.e = entry{}
				switch {
				case p.role == roleBooster:
					t.e = entry{booster: p.valence, flags: fBooster}
				case p.role == roleNegator:
					t.e = entry{flags: fNegator}
				case p.valence != 0:
					t.e = entry{valence: p.valence, flags: fValence}
				}
				i += len(p.words) - 1
			}
		}
		toks[out] = t
		out++
	}
	sc.toks = toks[:out]
}

func (lx *lexicon) phraseAt(sc *scratch, i int) (*phrase, bool) {
	pi := sc.toks[i].e.phrases
	if pi == 0 {
		return nil, false
	}
	list := lx.phraseLists[pi-1]
	for pi := range list {
		p := &list[pi]
		if i+len(p.words) > len(sc.toks) {
			continue
		}
		ok := true
		for k := 1; k < len(p.words); k++ {
			t := &sc.toks[i+k]
			if t.clause != sc.toks[i].clause || t.kind != tkWord || string(sc.lower[t.ls:t.le]) != p.words[k] {
				ok = false
				break
			}
		}
		if ok {
			return p, true
		}
	}
	return nil, false
}

// disambiguate resolves words whose role depends on their neighbours:
//   - "like" is the verb of liking only after a subject or auxiliary
//     ("I like", "don't like"); otherwise it is the preposition or filler
//     ("looks like a scam", "it's like broken") and carries no sentiment.
//   - "pretty", "super", "real" before a sentiment word are boosters
//     ("pretty bad"), not the adjectives "pretty" and "super".
func disambiguate(sc *scratch) {
	toks := sc.toks
	for i := range toks {
		t := &toks[i]
		switch {
		case t.e.flags&fLike != 0:
			if i == 0 || toks[i-1].clause != t.clause || toks[i-1].e.flags&fLikeSubject == 0 {
				t.e.flags &^= fValence
				t.e.valence = 0
			}
		case t.e.flags&fAdjBooster != 0:
			if i+1 < len(toks) && toks[i+1].clause == t.clause && toks[i+1].e.flags&fValence != 0 {
				t.e.flags = t.e.flags&^fValence | fBooster
				t.e.valence = 0
				t.e.booster = bIncr
			}
		}
	}
}
