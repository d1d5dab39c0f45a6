package sentiment

import (
	"math"
	"math/bits"
	"slices"
	"strings"

	"github.com/abadojack/whatlanggo"
)

// route is where language identification sends a post.
type route struct {
	lang  string  // ISO 639-1 code, or "und"
	model *linear // nil: unscored
	slot  int     // the model's language slot
	rules bool    // scored by the lexicon rules
}

// minLIDProb is the language identifier's probability below which a
// Latin-script post with foreign function words is checked against
// whatlanggo for languages the model does not cover (Dutch, Swedish ...).
// Posts without them are never sent there: on short English posts it
// guesses French or Romanian.
const minLIDProb = 0.9

// minPlainProb is the identifier's probability needed to call plain-ASCII
// text without foreign function words anything but English.
const minPlainProb = 0.95

// minHindiProb is the identifier's probability needed to call a post
// romanized Hindi, whose tweets are often half English.
const minHindiProb = 0.95

// denseScale multiplies the dense lexicon features so their weights learn
// as fast as the many sparse ones.
const denseScale = 4

// detect identifies the post's language from the script counts the
// tokenizer gathered and, for Latin script, the learned identifier.
func (s *Scorer) detect(text string, sc *scratch) route {
	st := &sc.stats
	ms := s.models
	cjk := st.han + st.kana + st.hangul
	latin := st.ascii + st.latin
	switch {
	case cjk > 0 && cjk*2 >= latin:
		switch {
		case st.kana > 0:
			return route{lang: "ja"}
		case st.hangul >= st.han:
			return route{lang: "ko"}
		}
		return route{lang: "zh", model: ms.Zh, slot: 0}
	case st.arabic > latin && st.arabic*2 >= st.other:
		return s.routeTo("ar")
	case st.deva > latin && st.deva*2 >= st.other:
		return s.routeTo("hi")
	case st.other > latin:
		code, _ := detectSlow(text)
		return s.routeTo(code)
	case latin == 0:
		return route{lang: "und", rules: true}
	}
	if st.latin == 0 && st.stopEN > 0 && st.stopOther == 0 && st.hindi == 0 {
		// Plain ASCII with English function words and no foreign ones is
		// what the identifier would call English, without its cost.
		return s.routeTo("en")
	}
	m := ms.LID
	var acc [maxClasses]int32
	featurizeSum(text, sc, m, &acc)
	var z [maxClasses]float64
	m.finish(&acc, -1, &[numDense]float64{}, z[:len(m.Classes)])
	softmax(z[:len(m.Classes)])
	best := 0
	for c := range m.Classes {
		if z[c] > z[best] {
			best = c
		}
	}
	if m.Classes[best] != "en" && st.latin == 0 && st.stopOther == 0 && z[best] < minPlainProb {
		// Plain ASCII with no foreign function words is English unless
		// the identifier is sure ("worst update ever" has no evidence).
		return s.routeTo("en")
	}
	if m.Classes[best] == "hi" && (z[best] < minHindiProb || st.hindi == 0) {
		// Romanized Hindi tweets mix in English: a post is called Hindi
		// only when the identifier is sure and it has a Hindi function word.
		z[best] = 0
		for c := range m.Classes {
			if z[c] > z[best] {
				best = c
			}
		}
	}
	if st.stopOther >= 2 && st.stopOther > st.stopEN && z[best] < minLIDProb {
		if other, _ := code(whatlanggo.DetectLangWithOptions(text, s.lx.latinLangs)); other != "und" && ms.Tweets.langSlot(other) < 0 {
			return route{lang: other}
		}
	}
	return s.routeTo(m.Classes[best])
}

// routeTo sends English to its own model (the rules' result blended with
// what it learned from English tweets; the rules alone with a model file
// that has none), and languages with a slot in the tweet model there.
func (s *Scorer) routeTo(lang string) route {
	switch lang {
	case "und":
		return route{lang: lang, rules: true}
	case "en":
		if s.models.En == nil {
			return route{lang: lang, rules: true}
		}
		return route{lang: lang, model: s.models.En, slot: 0}
	}
	if slot := s.models.Tweets.langSlot(lang); slot >= 0 {
		return route{lang: lang, model: s.models.Tweets, slot: slot}
	}
	return route{lang: lang}
}

// denseFeatures are the lexicon features a learned model blends with its
// hashed features: the rule-based compound, positive and negative
// proportions of the post, and the language lexicon's normalised score.
func denseFeatures(r *Result, lexScore float64) [numDense]float64 {
	const k = denseScale
	return [numDense]float64{k * r.Compound, k * r.Pos, k * r.Neg, k * lexScore}
}

// scoreLearned scores a tokenized post with model m. It runs the rules
// first (their compound is a feature), then the linear model, and explains
// the result by the spans whose features pushed it most; an English post
// whose label the model and the rules agree on keeps the rules' terms.
func (s *Scorer) scoreLearned(text string, sc *scratch, rt route, r *Result) {
	m := rt.model
	x := s.prepare(text, sc, m, rt.slot, rt.lang, r)
	nc := len(m.Classes)
	var z [maxClasses]float64
	m.logits(sc, rt.slot, &x, z[:nc])
	softmax(z[:nc])
	var pNeg, pNeu, pPos float64
	if nc == 2 {
		pNeg, pPos = z[0], z[1]
	} else {
		pNeg, pNeu, pPos = z[0], z[1], z[2]
	}
	rules := s.label(r.Compound)
	if m.Soften && rules != Negative && pNeg > pNeu && pNeg > pPos &&
		(m.NegGuard == 0 || pNeg < float64(m.NegGuard) || isQuestion(text)) {
		// The model may confirm or soften the rules' negatives, never
		// call negative a post they do not: calm approval and questions
		// ("works fine, nothing special", "is Moments opt-in?") are where
		// tweets taught it least. The rules' result stands.
		return
	}
	r.Compound = compound(pNeg, pNeu, pPos, float64(m.Band))
	if m.NegGuard > 0 && !m.Soften && r.Compound <= -0.05 && !negSupport(&x) && (pNeg < m.negGuard(&x) || isQuestion(text)) {
		// Unsupported by any negative term, only a confident model
		// may call a post negative, and never a question.
		r.Compound = -0.049 * math.Min(1, (pNeg-pPos)/math.Max(1e-9, 1-float64(m.Band)))
	}
	r.Pos, r.Neu, r.Neg = pPos, pNeu, pNeg
	r.Label = s.label(r.Compound)
	if m == s.models.En && r.Label == rules && len(r.Terms) > 0 {
		// The model agrees with the rules, whose terms (in their own
		// valence units) already say which words pushed the post.
		return
	}
	r.Terms = r.Terms[:0]
	s.explain(text, sc, m, rt.slot, r)
}

// negGuard returns the probability of the negative class that a post
// with dense features x, in which neither the rules nor the lexicon find
// a negative term, needs to be called negative: higher where they find
// praise (NegGuardPraise), as the model's reading then goes against the
// only evidence it has beside its n-grams.
func (m *linear) negGuard(x *[numDense]float64) float64 {
	if m.NegGuardPraise > 0 && posSupport(x) {
		return float64(m.NegGuardPraise)
	}
	return float64(m.NegGuard)
}

// posSupport reports whether the rules or the language lexicon, as the
// dense features x hold them, found the post positive.
func posSupport(x *[numDense]float64) bool {
	return x[0] >= 0.05*denseScale || x[3] > 0
}

// negSupport reports whether the rules or the language lexicon, as the
// dense features x hold them, found the post negative.
func negSupport(x *[numDense]float64) bool {
	return x[0] <= -0.05*denseScale || x[3] < 0
}

// questionCues mark a Chinese post that asks for information: "may I
// ask", "is there", "can or can't", "how long", "which", "does anyone".
// The particle 吗 counts only with "can", "may", "need" or "support"
// ("能用吗", "需要开通吗"): alone it as often closes a rhetorical complaint
// ("审核是死了吗", "真的不怕吗"), and broader cues (？, 什么, 怎么, 多少) open
// as many complaints as questions in reviews ("什么破东西").
var (
	questionCues = []string{"请问", "請問", "有没有", "有沒有", "能不能", "可不可以", "多久", "哪个", "哪個", "哪些", "是否", "有人"}
	askingCues   = []string{"能", "可以", "需要", "支持"}
)

// isQuestion reports whether the Chinese text asks for information.
func isQuestion(text string) bool {
	for _, q := range questionCues {
		if strings.Contains(text, q) {
			return true
		}
	}
	if !strings.Contains(text, "吗") && !strings.Contains(text, "嗎") {
		return false
	}
	for _, q := range askingCues {
		if strings.Contains(text, q) {
			return true
		}
	}
	return false
}

// compound maps class probabilities to a score in [-1, 1] whose ±0.05
// cut-offs reproduce the model's decision: the most probable class, or for
// a two-class model, neutral when |p(pos)-p(neg)| is within band.
func compound(pNeg, pNeu, pPos, band float64) float64 {
	d := pPos - pNeg
	switch {
	case pNeu > pPos && pNeu > pNeg, math.Abs(d) < band:
		scale := 1.0
		if band > 0 && pNeu == 0 {
			scale = 1 / band
		}
		return math.Max(-0.049, math.Min(0.049, 0.049*d*scale))
	case d > 0:
		return 0.05 + 0.95*(d-band)/(1-band)
	default:
		return -0.05 + 0.95*(d+band)/(1-band)
	}
}

// minTermWeight is the smallest contribution, in logit units, that makes a
// span an explaining term.
const minTermWeight = 0.1

// cand is a span of the post and its contribution to the positive minus
// negative logit.
type cand struct {
	start, end int32
	v          float64
	used, stop bool // used: picked as a term or absorbed by one
}

// explain fills r.Terms with the spans that pushed the score most: hashed
// features grouped by the word or n-gram they came from, and the rule
// lexicon's terms weighted by what the model learned of the rule score.
func (s *Scorer) explain(text string, sc *scratch, m *linear, slot int, r *Result) {
	nc := len(m.Classes)
	pos, neg := nc-1, 0
	// The rule and lexicon terms come first: each absorbs the features
	// inside it as they are grouped below.
	rules := sc.ruleCands[:0]
	if n := len(sc.toks); slot >= 0 && r.Compound != 0 && cap(sc.vals) >= n {
		vals, from := sc.vals[:n], sc.from[:n]
		d := m.Dense[slot*numDense*nc:]
		w := float64(d[pos]-d[neg]) * denseScale // weight of the rule compound
		c := r.Compound
		sum := c * math.Sqrt(alpha/math.Max(1e-9, 1-c*c))
		q := sum*sum + alpha
		lambda := w * alpha / (q * math.Sqrt(q))
		for i, v := range vals {
			if v != 0 {
				rules = append(rules, cand{start: sc.toks[from[i]].start, end: sc.toks[i].end, v: lambda * v})
			}
		}
	}
	if slot >= 0 && len(sc.lexHits) > 0 {
		// The language lexicon's matches, weighted like the rule terms.
		d := m.Dense[slot*numDense*nc:]
		w := float64(d[3*nc+pos]-d[3*nc+neg]) * denseScale
		var sum float64
		for _, h := range sc.lexHits {
			sum += h.v
		}
		q := sum*sum + alpha
		lambda := w * alpha / (q * math.Sqrt(q))
		for _, h := range sc.lexHits {
			rules = append(rules, cand{start: h.start, end: h.end, v: lambda * h.v})
		}
	}
	sc.ruleCands = rules
	// The hashed features are grouped by the span they came from (the
	// features of one word or n-gram are adjacent). A group inside a rule
	// or lexicon term (a word or phrase with its negator or booster) is
	// absorbed by the first such term; the others qualify as terms if
	// they are not function words and strong enough. Qualified spans go
	// to sc.cands in order: feature groups, then rule and lexicon terms.
	//
	// The spans picked are the strongest that do not overlap one picked
	// before: greedily by |v|, earlier spans first among equals. The pass
	// keeps the strongest few in that order; the rest are looked at only
	// if those run out before MaxTerms are picked.
	var p termPicker
	scale := float64(m.Scale)
	// near has a bit set for each block of the text, of 1<<shift bytes
	// (its index modulo 64), that a rule or lexicon term overlaps: a
	// group that starts in a block without one lies in no such term, so
	// most skip the search for one.
	shift := uint(max(0, bits.Len(uint(len(text)))-6))
	var near uint64
	for i := range rules {
		for b := rules[i].start >> shift; b <= (rules[i].end-1)>>shift && b < rules[i].start>>shift+64; b++ {
			near |= 1 << (uint(b) & 63)
		}
	}
	if m.Cfg.oneFeatPerSpan() {
		pickLone(text, sc, rules, scale, shift, near, r)
		return
	}
	cands := slices.Grow(sc.cands[:0], len(sc.feats)+len(rules))
	cands = groupFeats(sc.feats, rules, scale, shift, near, cands)
	offerCands(cands, &p)
	for _, c := range rules {
		if a := math.Abs(c.v); a >= minTermWeight {
			p.offer(int32(len(cands)), a)
			cands = append(cands, c)
		}
	}
	sc.cands = cands
	top, nTop, qualified := &p.top, p.n, len(cands)
	var chosen [MaxTerms]cand
	pick := func(i int) {
		c := sc.cands[i]
		chosen[len(r.Terms)] = c
		r.Terms = append(r.Terms, Term{Text: text[c.start:c.end], Valence: math.Round(c.v*1000) / 1000})
		sc.cands[i].used = true
	}
	for _, i := range top[:nTop] {
		if len(r.Terms) == MaxTerms {
			return
		}
		if !overlapsTerm(chosen[:len(r.Terms)], sc.cands[i]) {
			pick(int(i))
		}
	}
	if qualified == nTop {
		return
	}
	for len(r.Terms) < MaxTerms {
		best := strongestFree(sc.cands, chosen[:len(r.Terms)])
		if best < 0 {
			break
		}
		pick(best)
	}
}

// groupFeats is explain's pass over the hashed features fs, whose weights
// are scale a unit: their groups absorbed by a rule or lexicon term are
// added to it, and the others that qualify are appended to cands (which
// has room for them all). A group that starts in a block of the text, of
// 1<<shift bytes, whose bit (its index modulo 64) is not set in near lies
// in no such term.
func groupFeats(fs []feat, rules []cand, scale float64, shift uint, near uint64, cands []cand) []cand {
	// Written by index: no call in the loop, so its values stay in
	// registers.
	out := cands[len(cands):cap(cands)]
	nq := 0
	shift &= 31
	for i := 0; i < len(fs); i++ {
		f := &fs[i]
		start, end := f.start, f.end
		if start == end {
			continue // a rule indicator: the rule terms explain it
		}
		v, stop := float64(f.d)*scale, f.stop // d set by logits
		// The rest of the group: features of the same span, skipping
		// rule indicators as above.
		for i+1 < len(fs) {
			n := &fs[i+1]
			if n.start != n.end {
				if n.start != start || n.end != end {
					break
				}
				v += float64(n.d) * scale
			}
			i++
		}
		if near>>(uint32(start)>>shift&63)&1 != 0 && absorb(rules, start, end, v) {
			continue
		}
		if !stop && math.Abs(v) >= minTermWeight {
			out[nq] = cand{start: start, end: end, v: v}
			nq++
		}
	}
	return cands[:len(cands)+nq]
}

// pickLone is the rest of explain for features no two of which in a row
// share a span (featCfg.oneFeatPerSpan), so that each is a group of its
// own: the same terms picked the same way, without writing out the
// candidates. The features, whose weights are scale a unit, are offered
// to the picker as they qualify, by their index in sc.feats, and the
// qualifying rule and lexicon terms after them, by len(sc.feats) plus
// their index in rules. The list of all candidates is built only when
// the strongest kept run out before MaxTerms are picked.
func pickLone(text string, sc *scratch, rules []cand, scale float64, shift uint, near uint64, r *Result) {
	fs := sc.feats
	var p termPicker
	var qualified int
	shift &= 31
	if scale != 0 && !math.IsInf(scale, 0) && !math.IsNaN(scale) {
		setTermBytes(&sc.termBytes, len(text), rules)
		qualified = offerLoneD(fs, rules, scale, &sc.termBytes, &p)
	} else {
		low := math.Inf(-1)
		for i := range fs {
			f := &fs[i]
			start, end := f.start, f.end
			if start == end {
				continue // a rule indicator: the rule terms explain it
			}
			v := float64(f.d) * scale // d set by logits
			if near>>(uint32(start)>>shift&63)&1 != 0 && absorb(rules, start, end, v) {
				continue
			}
			if a := math.Abs(v); !f.stop && a >= minTermWeight {
				qualified++
				if a > low {
					p.offer(int32(i), a)
					if p.n == len(p.top) {
						low = p.topV[len(p.top)-1]
					}
				}
			}
		}
	}
	nf := int32(len(fs))
	for k, c := range rules {
		if a := math.Abs(c.v); a >= minTermWeight {
			p.offer(nf+int32(k), a)
			qualified++
		}
	}
	candAt := func(i int32) cand {
		if i < nf {
			f := &fs[i]
			return cand{start: f.start, end: f.end, v: float64(f.d) * scale}
		}
		return rules[i-nf]
	}
	var chosen [MaxTerms]cand
	var picked [MaxTerms]int32 // the candidates chosen, numbered as offered
	pick := func(i int32, c cand) {
		chosen[len(r.Terms)], picked[len(r.Terms)] = c, i
		r.Terms = append(r.Terms, Term{Text: text[c.start:c.end], Valence: math.Round(c.v*1000) / 1000})
	}
	for _, i := range p.top[:p.n] {
		if len(r.Terms) == MaxTerms {
			return
		}
		if c := candAt(i); !overlapsTerm(chosen[:len(r.Terms)], c) {
			pick(i, c)
		}
	}
	if qualified == p.n {
		return
	}
	// All candidates, in the order offered; the ones picked are used.
	isPicked := func(i int32) bool {
		for _, j := range picked[:len(r.Terms)] {
			if j == i {
				return true
			}
		}
		return false
	}
	qualifies := func(f *feat) bool {
		if f.start == f.end || f.stop || math.Abs(float64(f.d)*scale) < minTermWeight {
			return false
		}
		return near>>(uint32(f.start)>>shift&63)&1 == 0 || !heldBy(rules, f.start, f.end)
	}
	if qualified > len(p.top) {
		// offerLoneD stopped counting: the count gives the list's room.
		qualified = 0
		for i := range fs {
			if qualifies(&fs[i]) {
				qualified++
			}
		}
		for _, c := range rules {
			if math.Abs(c.v) >= minTermWeight {
				qualified++
			}
		}
	}
	cands := slices.Grow(sc.cands[:0], qualified)
	for i := range fs {
		f := &fs[i]
		if qualifies(f) {
			cands = append(cands, cand{start: f.start, end: f.end, v: float64(f.d) * scale, used: isPicked(int32(i))})
		}
	}
	for k, c := range rules {
		if math.Abs(c.v) >= minTermWeight {
			c.used = isPicked(nf + int32(k))
			cands = append(cands, c)
		}
	}
	sc.cands = cands
	for len(r.Terms) < MaxTerms {
		best := strongestFree(cands, chosen[:len(r.Terms)])
		if best < 0 {
			break
		}
		cands[best].used = true
		pick(-1, cands[best])
	}
}

// offerCands offers p the candidates in cands in order, out of the
// passes that find them so that those keep their values in registers; a
// candidate no stronger than the weakest p keeps once full is refused
// without a call.
func offerCands(cands []cand, p *termPicker) {
	low := math.Inf(-1)
	for i := range cands {
		if a := math.Abs(cands[i].v); a > low {
			p.offer(int32(i), a)
			if p.n == len(p.top) {
				low = p.topV[len(p.top)-1]
			}
		}
	}
}

// offerLoneD is pickLone's pass over the features fs for a finite,
// non-zero scale. It returns how many qualify, or len(p.top)+1 when more
// than len(p.top) do: then some are not kept, all pickLone needs to know.
// The weight |float64(d) * scale| of a feature is exact (an int16 times a
// float32) and so grows strictly with |d|: whether it qualifies, and
// whether it is stronger than the weakest the picker keeps (features are
// offered before any rule term), are decided on the integer |d|.
//
// near marks the bytes of the text a rule or lexicon term spans (see
// termBytes). Most features need no look but at that bit and |d|: one
// that starts outside every term is absorbed by none, and one whose |d|
// is at most thr neither qualifies (thr below dMin) nor, once more than
// len(p.top) qualify and no more are counted, would be kept (thr is the
// weakest kept). The inner loop passes over those.
func offerLoneD(fs []feat, rules []cand, scale float64, near *termBytes, p *termPicker) int {
	dMin := minTermD(scale)
	lowD := int32(-1) // |d| of the weakest kept, once the picker is full
	thr := dMin - 1   // at least 0: dMin is at least 1
	qualified := 0
	for i := 0; i < len(fs); i++ {
		for ; i < len(fs); i++ {
			f := &fs[i]
			if near.has(f.start) {
				break
			}
			// |d| > thr, for thr >= 0: d outside -thr..thr.
			if uint32(int32(f.d)+thr) > uint32(2*thr) {
				break
			}
		}
		if i == len(fs) {
			break
		}
		f := &fs[i]
		start := f.start
		if start == f.end {
			continue // a rule indicator: the rule terms explain it
		}
		d := int32(f.d) // set by logits
		if near.has(start) && absorb(rules, start, f.end, float64(d)*scale) {
			continue
		}
		ad := max(d, -d)
		if f.stop || ad < dMin {
			continue
		}
		if qualified <= len(p.top) {
			qualified++
		}
		if ad > lowD {
			p.offer(int32(i), math.Abs(float64(d)*scale))
			if p.n == len(p.top) {
				w := int32(fs[p.top[len(p.top)-1]].d)
				lowD = max(w, -w)
			}
		}
		if qualified > len(p.top) {
			thr = lowD // at least dMin: the picker is full
		}
	}
	return qualified
}

// termBytes has a bit set for each byte of a text that a rule or lexicon
// term spans, the bit of offset k in word k/64 modulo its length: in a
// text longer than that, bytes outside every term may share a bit with
// one inside, which only sends them to the search for a term holding
// them.
type termBytes [64]uint64

// setTermBytes sets b for the terms rules of a text of n bytes.
func setTermBytes(b *termBytes, n int, rules []cand) {
	clear(b[:min(n>>6+1, len(b))])
	for _, r := range rules {
		// The bits of each word the span covers, at once.
		for s, e := uint32(r.start), uint32(r.end); s < e; {
			next := min(e, (s>>6+1)<<6)
			b[s>>6&63] |= ^uint64(0) >> (64 - (next - s)) << (s & 63)
			s = next
		}
	}
}

// has reports whether the bit of text offset off is set.
func (b *termBytes) has(off int32) bool {
	k := uint32(off)
	return b[k>>6&63]>>(k&63)&1 != 0
}

// minTermD is the smallest weight difference d, an int16, whose weight
// |float64(d) * scale| is at least minTermWeight, or 1<<16 when none is.
// The product's magnitude does not depend on d's sign and grows with |d|.
func minTermD(scale float64) int32 {
	const none = 1 << 16
	reaches := func(d int32) bool { return math.Abs(float64(d)*scale) >= minTermWeight }
	if !reaches(1 << 15) {
		return none
	}
	d := int32(1 << 15)
	if a := math.Abs(scale); minTermWeight/a < 1<<15 {
		d = int32(math.Ceil(minTermWeight / a))
	}
	for d > 0 && reaches(d-1) {
		d--
	}
	for !reaches(d) {
		d++
	}
	return d
}

// holder returns the index of the first rule or lexicon term that holds
// the span start to end, or -1.
func holder(rules []cand, start, end int32) int {
	for i := range rules {
		if start >= rules[i].start && end <= rules[i].end {
			return i
		}
	}
	return -1
}

// heldBy reports whether a rule or lexicon term holds the span start to
// end: whether absorb would add its weight to one.
func heldBy(rules []cand, start, end int32) bool { return holder(rules, start, end) >= 0 }

// absorb adds the weight v of the group spanning start to end to the
// first rule or lexicon term that holds it, and reports whether there was
// one.
func absorb(rules []cand, start, end int32, v float64) bool {
	i := holder(rules, start, end)
	if i < 0 {
		return false
	}
	rules[i].v += v
	return true
}

// termPicker keeps the indices of the strongest candidate terms offered,
// by |v| and, among equals, in the order offered.
type termPicker struct {
	top  [2 * MaxTerms]int32
	topV [2 * MaxTerms]float64
	n    int
}

// offer considers candidate i, whose |v| is a.
func (p *termPicker) offer(i int32, a float64) {
	j := p.n
	switch {
	case p.n < len(p.top):
		p.n++
	case a <= p.topV[len(p.top)-1]:
		return
	default:
		j = len(p.top) - 1
	}
	for ; j > 0 && p.topV[j-1] < a; j-- {
		p.top[j], p.topV[j] = p.top[j-1], p.topV[j-1]
	}
	p.top[j], p.topV[j] = i, a
}

// strongestFree returns the index of the strongest candidate not yet
// used that overlaps no chosen term (the first of equals), or -1.
func strongestFree(cands []cand, chosen []cand) int {
	best, bestV := -1, 0.0
	for i := range cands {
		c := &cands[i]
		if c.used {
			continue
		}
		a := math.Abs(c.v)
		if (best >= 0 && a <= bestV) || overlapsTerm(chosen, *c) {
			continue
		}
		best, bestV = i, a
	}
	return best
}

// overlapsTerm reports whether c overlaps a span already chosen.
func overlapsTerm(chosen []cand, c cand) bool {
	for _, o := range chosen {
		if o.start < c.end && c.start < o.end {
			return true
		}
	}
	return false
}
