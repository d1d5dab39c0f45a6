package sentiment

import "math"

// VADER's empirically derived constants (Hutto & Gilbert 2014, vaderSentiment 3.3.2).
const (
	bIncr        = 0.293 // booster word
	cIncr        = 0.733 // ALL-CAPS word among mixed-case words
	nScalar      = -0.74 // negation
	alpha        = 15    // compound normalisation
	butBefore    = 0.5   // weight of sentiment before "but"
	butAfter     = 1.5   // weight of sentiment after "but"
	neverSoScale = 1.25  // "never so good"
	epScale      = 0.292 // per "!" up to maxEP
	maxEP        = 4
	qmScale      = 0.18 // per "?" when 2 or 3
	maxQM        = 0.96
)

// windowScale weights a booster one, two or three words (j = 0, 1, 2)
// before the item.
func windowScale(j int) float64 {
	switch j {
	case 0:
		return 1
	case 1:
		return 0.95
	}
	return 0.9
}

// word returns token i's lower-case form, valid until the next tokenize.
func (sc *scratch) word(i int) []byte {
	t := &sc.toks[i]
	return sc.lower[t.ls:t.le]
}

func (sc *scratch) is(i int, w string) bool {
	return i >= 0 && i < len(sc.toks) && string(sc.word(i)) == w
}

// score applies the rules to a tokenized English post.
func (s *Scorer) score(text string, sc *scratch, r *Result) {
	s.lx.matchPhrases(sc)
	disambiguate(sc)
	toks := sc.toks
	n := len(toks)
	if n == 0 {
		r.Label = Neutral
		r.Neu = 0
		return
	}
	if cap(sc.vals) < n {
		sc.vals = make([]float64, n)
		sc.from = make([]int32, n)
	}
	vals, from := sc.vals[:n], sc.from[:n]
	capDiff := sc.stats.capsWords > 0 && sc.stats.capsWords < sc.stats.words
	contrast := -1
	var irr bool
	for i := range toks {
		t := &toks[i]
		if contrast < 0 && t.e.flags&fContrast != 0 {
			contrast = i
		}
		irr = irr || t.e.flags&fIrrealis != 0
		vals[i], from[i] = valence(sc, i, capDiff), int32(i)
		if vals[i] != 0 {
			from[i] = sc.modStart
		}
	}
	if irr {
		irrealis(sc, vals)
	}
	sarcasm(toks, vals)
	if contrast >= 0 {
		for i := range vals {
			switch {
			case i < contrast:
				vals[i] *= butBefore
			case i > contrast:
				vals[i] *= butAfter
			}
		}
	}
	s.finish(text, sc, vals, from, r)
}

// irrealis drops the sentiment words of each clause that describes a
// case rather than an event: a condition ("if your card is stolen", "in
// case you lose it"), a generic second-person "when" ("when you lose it")
// or an instruction's goal ("how to avoid fees"). Such words say what
// might happen, not how the writer feels, so, as in SO-CAL's irrealis
// blocking (Taboada et al. 2011), they count for nothing, from the
// clause's opening word to the clause break, a
// contrast word ("if it fails then call us") or the writer or a third
// party as the subject of what follows ("if it fails again I'm done", "if
// the landlord moves in they will steal"): the condition ends where its
// consequence begins. "They froze my account when I complained" has no
// such clause.
func irrealis(sc *scratch, vals []float64) {
	toks := sc.toks
	for i := 0; i < len(toks); i++ {
		if toks[i].e.flags&fIrrealis == 0 {
			continue
		}
		k := irrealisAt(sc, i)
		if k < 0 {
			continue
		}
		for first := k; k < len(toks) && toks[k].clause == toks[i].clause && toks[k].e.flags&fContrast == 0; k++ {
			if k > first && consequenceSubject(sc.word(k)) {
				break
			}
			vals[k] = 0
		}
		i = k - 1
	}
}

// consequenceSubject reports whether w is a subject pronoun that, after a
// condition's own subject, opens its consequence. "you" is left out: a
// condition usually addresses the reader ("if this is how you treat
// users").
func consequenceSubject(w []byte) bool {
	switch string(w) {
	case "i", "i'm", "im", "i'll", "i'd", "i've", "we", "we're", "we'll", "we'd", "we've",
		"they", "they're", "they'll", "they'd", "he", "he'll", "she", "she'll":
		return true
	}
	return false
}

// irrealisAt returns the first token of the clause that token i opens as
// a condition or instruction, or -1: "if", "whenever", "in case", "how
// to", and "when you" or "when your" describing a generic case ("when you
// lose it"), not a past event ("when you froze my account", "when your
// card was stolen").
func irrealisAt(sc *scratch, i int) int {
	next := func(k int, words ...string) bool {
		if k >= len(sc.toks) || sc.toks[k].clause != sc.toks[i].clause {
			return false
		}
		for _, x := range words {
			if sc.is(k, x) {
				return true
			}
		}
		return false
	}
	switch string(sc.word(i)) {
	case "if", "whenever":
		return i + 1
	case "when":
		// The verb follows "you", or the noun after "your".
		v := i + 2
		if sc.is(i+1, "your") {
			v++
		}
		if next(i+1, "you", "your") && !(v < len(sc.toks) && pastTense(sc.word(v))) {
			return i + 1
		}
	case "in":
		if next(i+1, "case") {
			return i + 2
		}
	case "how":
		if next(i+1, "to") {
			return i + 2
		}
	}
	return -1
}

// pastTense reports whether w looks like a verb in the past tense: a
// regular "-ed" form (not "need", "feed", "proceed") or a common irregular
// one.
func pastTense(w []byte) bool {
	if n := len(w); n > 3 && w[n-2] == 'e' && w[n-1] == 'd' && w[n-3] != 'e' {
		return true
	}
	switch string(w) {
	case "froze", "lost", "took", "stole", "made", "gave", "sent", "told", "said", "left", "broke",
		"forgot", "kept", "sold", "shut", "cut", "put", "got", "did", "was", "were", "had", "let", "ran", "went", "came":
		return true
	}
	return false
}

// sarcasmMin is the valence a closing word needs to be read as sarcasm:
// praise ("Great.", "Perfect.", "Lovely.") is; acceptance ("fine", "ok")
// after a complaint is not: "failed once then worked on retry, fine".
const sarcasmMin = 1.5

// sarcasm flips a lone positive word that closes an otherwise negative
// post in its own clause: "Third outage this month. Great." The rule needs
// a clause break before the word, so "works great" is never touched.
func sarcasm(toks []token, vals []float64) {
	last := len(toks) - 1
	if last < 2 || vals[last] < sarcasmMin || toks[last-1].clause == toks[last].clause || toks[last].kind != tkWord {
		return
	}
	rest := 0.0
	for _, v := range vals[:last] {
		rest += v
	}
	if rest < 0 {
		vals[last] *= nScalar
	}
}

// valence is VADER's sentimentValence for token i, limited to its clause,
// with elongation emphasis. It records in sc.modStart the first token of the
// span that shaped it (a negator or booster), for explanations.
func valence(sc *scratch, i int, capDiff bool) float64 {
	toks := sc.toks
	t := &toks[i]
	sc.modStart = int32(i)
	if t.e.flags&fValence == 0 {
		return 0
	}
	base := float64(t.e.valence)
	v := base
	// A "but" between a word and the negator or booster before it ends
	// their reach: in "nothing special but useful", useful is not negated.
	lo := -1
	for k := i - 1; k >= 0 && k >= i-3 && toks[k].clause == t.clause; k-- {
		if toks[k].e.flags&fContrast != 0 {
			lo = k
			break
		}
	}
	same := func(k int) bool { return k > lo && k >= 0 && toks[k].clause == t.clause }
	isNo := func(k int) bool { return same(k) && toks[k].e.flags&fNo != 0 }
	if t.e.flags&fNo != 0 && i+1 < len(toks) && toks[i+1].clause == t.clause && toks[i+1].e.flags&fValence != 0 {
		v = 0 // "no" before a sentiment word is a negator, not a sentiment
	}
	switch {
	case t.e.flags&fNo != 0:
		// "no no no" repeats a refusal; it does not negate itself.
	case isNo(i - 1):
		v, sc.modStart = base*nScalar, int32(i-1)
	case isNo(i - 2):
		v, sc.modStart = base*nScalar, int32(i-2)
	case isNo(i-3) && (sc.is(i-1, "or") || sc.is(i-1, "nor")):
		v, sc.modStart = base*nScalar, int32(i-3)
	}
	if t.caps && capDiff {
		v += math.Copysign(cIncr, v)
	}
	if t.elongated && v != 0 {
		v += math.Copysign(bIncr, v)
	}
	for j := 0; j < 3; j++ {
		k := i - (j + 1)
		if !same(k) {
			break
		}
		pe := toks[k].e
		if pe.flags&fValence != 0 {
			continue
		}
		if pe.flags&fBooster != 0 && v != 0 {
			b := float64(pe.booster)
			if v < 0 {
				b = -b
			}
			if toks[k].caps && capDiff {
				b += math.Copysign(cIncr, v)
			}
			v += b * windowScale(j)
			sc.modStart = int32(k)
		}
		v = negation(sc, i, j, v)
	}
	if same(i-1) && toks[i-1].e.flags&fLeast != 0 && toks[i-1].e.flags&fValence == 0 {
		if !(sc.is(i-2, "at") || sc.is(i-2, "very")) {
			v *= nScalar
			sc.modStart = int32(i - 1)
		}
	}
	return v
}

// negation is VADER's negation_check for the word j+1 places before i.
func negation(sc *scratch, i, j int, v float64) float64 {
	k := i - (j + 1)
	switch j {
	case 1, 2:
		if sc.is(k, "never") && (sc.is(k+1, "so") || sc.is(k+1, "this") || sc.is(i-1, "so") || sc.is(i-1, "this")) {
			sc.modStart = int32(k)
			return v * neverSoScale
		}
		if sc.is(k, "without") && (sc.is(k+1, "doubt") || sc.is(i-1, "doubt")) {
			return v
		}
	}
	if sc.toks[k].e.flags&fNegator != 0 {
		sc.modStart = int32(k)
		return v * nScalar
	}
	return v
}

// finish turns token valences into VADER's compound and proportions, and
// picks the strongest terms.
func (s *Scorer) finish(text string, sc *scratch, vals []float64, from []int32, r *Result) {
	var sum, posSum, negSum float64
	neu := 0
	for i, v := range vals {
		sum += v
		switch {
		case v > 0:
			posSum += v + 1
		case v < 0:
			negSum += v - 1
		default:
			neu++
		}
		if v != 0 {
			r.Terms = addTerm(r.Terms, Term{Text: text[sc.toks[from[i]].start:sc.toks[i].end], Valence: v})
		}
	}
	ep := float64(min(sc.stats.excl, maxEP)) * epScale
	qm := 0.0
	if q := sc.stats.quest; q > 1 {
		qm = maxQM
		if q <= 3 {
			qm = float64(q) * qmScale
		}
	}
	amp := ep + qm
	switch {
	case sum > 0:
		sum += amp
	case sum < 0:
		sum -= amp
	}
	r.Compound = math.Max(-1, math.Min(1, sum/math.Sqrt(sum*sum+alpha)))
	switch {
	case posSum > -negSum:
		posSum += amp
	case posSum < -negSum:
		negSum -= amp
	}
	if total := posSum - negSum + float64(neu); total > 0 {
		r.Pos, r.Neg, r.Neu = posSum/total, -negSum/total, float64(neu)/total
	}
	r.Label = s.label(r.Compound)
}

// addTerm keeps terms sorted by |valence|, at most MaxTerms.
func addTerm(ts []Term, t Term) []Term {
	a := math.Abs(t.Valence)
	if len(ts) == MaxTerms && a <= math.Abs(ts[MaxTerms-1].Valence) {
		return ts
	}
	if len(ts) < MaxTerms {
		ts = append(ts, t)
	}
	i := len(ts) - 1
	for ; i > 0 && math.Abs(ts[i-1].Valence) < a; i-- {
		ts[i] = ts[i-1]
	}
	ts[i] = t
	return ts
}
