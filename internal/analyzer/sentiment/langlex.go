package sentiment

import (
	"embed"
	"fmt"
	"math"
	"math/bits"
	"path"
	"sort"
	"strings"
	"unicode/utf8"
)

// brandLangFS holds the brand-risk lexicons of languages other than
// English, one file per language: lexicon/brand.<lang>.yaml.
//
//go:embed lexicon/brand.*.yaml
var brandLangFS embed.FS

// generalLangFS holds the general-purpose sentiment vocabularies of
// languages other than English and Chinese, one file per language:
// lexicon/general.<lang>.yaml. A language's general words and its
// brand-risk words make one lexicon; where both list a word, the
// brand-risk entry stands.
//
//go:embed lexicon/general.*.yaml
var generalLangFS embed.FS

// langLexicon is one language's brand-risk vocabulary. Its score is a
// dense feature of the learned model, so what the model learned from
// training data decides how much the vocabulary counts.
type langLexicon struct {
	version string
	words   map[string]float64 // single words, lower case (space-delimited scripts)
	negs    map[string]bool    // negators flipping the next word
	// boosts holds intensifiers (positive) and diminishers (negative):
	// added to the size of the sentiment word one or two words after
	// them ("très", "sehr", "poco"), as VADER's boosters.
	boosts map[string]float64
	// table holds words (flag fValence), negs (fNegator) and boosts
	// (fBooster) for look-ups by the hash the tokenizer computed.
	table *table
	// runes maps the first rune of each term to the terms starting with
	// it, longest first, for scripts written without spaces (zh, ja).
	runes map[rune][]runeTerm
	// aboutRunes is runes' counterpart for the terms with an About,
	// subject-only entries (role subject) included, for Scorer.About.
	aboutRunes map[rune][]runeTerm
	// firsts has bit r set for every key r < 0x10000 of runes, so most
	// runes of a post are passed over without a map look-up.
	firsts *[0x10000 / 64]uint64
	// firstTerms are runes' lists of the keys r < 0x10000, in order of
	// r: the list of r is at firstRank[r>>6] plus the number of bits of
	// firsts[r>>6] below r's (see termsOf).
	firstTerms [][]runeTerm
	firstRank  *[0x10000 / 64]uint16
	// skel maps the spelling skeletons (romanSkeleton, three letters or
	// more) of a romanized language's words to their valence, for words
	// spelt otherwise than the entry; nil for other languages.
	skel map[string]float64
	// spell maps the vowel-keeping spelling forms (romanSpelling) of the
	// same words to their valence.
	spell map[string]float64
	// negAfter: a negator right after a term, or one word further, also
	// flips it (Hindi: "accha nahi hai").
	negAfter bool
	// about maps the words and phrases of entries with an About (space-
	// delimited scripts) to it.
	about map[string]string
}

// minSkeleton is the shortest spelling skeleton a lexicon matches by:
// shorter ones join unrelated words (dekh "see" and dukh "sorrow", body
// and badiya).
const minSkeleton = 4

// mayStart reports whether a term of runes may start with r.
func (ll *langLexicon) mayStart(r rune) bool {
	return r >= 0x10000 || ll.firsts[r>>6]&(1<<(r&63)) != 0
}

// nextStart returns the first rune of text at or after offset i that
// may start a term (see mayStart), its offset and its size, or size 0
// when there is none. Runes are read as package utf8 reads them.
func (ll *langLexicon) nextStart(text string, i int) (int, rune, int) {
	firsts := ll.firsts
	for i < len(text) {
		if b := text[i:]; len(b) >= 3 && b[0]-0xe4 <= 0xe9-0xe4 && b[1]&0xc0 == 0x80 && b[2]&0xc0 == 0x80 {
			// U+4000 to U+9FFF, Han: most of a Chinese post, decoded here.
			if firsts[uint(b[0]&0x0f)<<6|uint(b[1]&0x3f)]&(1<<(b[2]&0x3f)) != 0 {
				return i, rune(b[0]&0x0f)<<12 | rune(b[1]&0x3f)<<6 | rune(b[2]&0x3f), 3
			}
			i += 3
			continue
		}
		r, size := decodeRune(text[i:])
		if ll.mayStart(r) {
			return i, r, size
		}
		i += size
	}
	return i, 0, 0
}

// termsOf returns runes[r] for an r that mayStart: for r below 0x10000,
// by its rank among the bits of firsts rather than by a map look-up.
func (ll *langLexicon) termsOf(r rune) []runeTerm {
	if r >= 0x10000 {
		return ll.runes[r]
	}
	w := ll.firsts[r>>6]
	return ll.firstTerms[int(ll.firstRank[r>>6])+bits.OnesCount64(w&(1<<(r&63)-1))]
}

type runeTerm struct {
	term    string
	valence float64
	neg     bool
	about   string // what the entry names a post to be about (its About)
	// next holds the three bytes after the term's first rune, 1<<24
	// above them, or is 0 when fewer follow: a text whose three bytes
	// there differ cannot hold the term, so most terms sharing a first
	// rune (不太, 不够, 不错 ...) are passed over without comparing.
	next uint32
}

// nextBytes returns the three bytes of s at i with 1<<24 above them, or
// 0 when fewer than three remain (see runeTerm.next).
func nextBytes(s string, i int) uint32 {
	if i+3 > len(s) {
		return 0
	}
	return 1<<24 | uint32(s[i])<<16 | uint32(s[i+1])<<8 | uint32(s[i+2])
}

// generalVersion is the version tag of lang's general vocabulary, "" when
// it has none, and its entries.
func generalLexicon(lang string) (string, []yamlEntry, error) {
	name := "general." + lang + ".yaml"
	data, err := generalLangFS.ReadFile(path.Join("lexicon", name))
	if err != nil {
		return "", nil, nil // no general vocabulary for lang
	}
	y, err := parseLexicon(name, data)
	if err != nil {
		return "", nil, err
	}
	return ".g" + y.Version, y.Entries, nil
}

// loadLangLexicons parses every embedded lexicon/brand.<lang>.yaml, each
// with the language's lexicon/general.<lang>.yaml when there is one.
func loadLangLexicons() (map[string]*langLexicon, error) {
	files, err := brandLangFS.ReadDir("lexicon")
	if err != nil {
		return nil, fmt.Errorf("lexicon: %w", err)
	}
	out := make(map[string]*langLexicon, len(files))
	for _, f := range files {
		name := f.Name()
		lang := strings.TrimSuffix(strings.TrimPrefix(name, "brand."), ".yaml")
		data, err := brandLangFS.ReadFile(path.Join("lexicon", name))
		if err != nil {
			return nil, fmt.Errorf("lexicon %s: %w", name, err)
		}
		y, err := parseLexicon(name, data)
		if err != nil {
			return nil, err
		}
		gver, general, err := generalLexicon(lang)
		if err != nil {
			return nil, err
		}
		ll := &langLexicon{version: y.Version + gver, words: map[string]float64{}, negs: map[string]bool{},
			boosts: map[string]float64{}, runes: map[rune][]runeTerm{}, aboutRunes: map[rune][]runeTerm{}, about: map[string]string{}}
		spaceless := lang == "zh" || lang == "ja"
		fuzzy := map[string]float64{} // words also matched by other spellings
		// General entries first, so that the brand-risk entry of a word
		// both list replaces the general one.
		for _, e := range append(general[:len(general):len(general)], y.Entries...) {
			t := normalizeTerm(e.Term)
			neg := e.role() == roleNegator
			if spaceless {
				r, _ := utf8.DecodeRuneInString(t)
				if e.About != "" {
					ll.aboutRunes[r] = append(ll.aboutRunes[r], runeTerm{term: t, about: e.About})
				}
				if !e.subjectOnly() {
					ll.runes[r] = append(ll.runes[r], runeTerm{term: t, valence: *e.Valence, neg: neg, about: e.About,
						next: nextBytes(t, utf8.RuneLen(r))})
				}
				continue
			}
			if e.subjectOnly() {
				ll.about[t] = e.About
				continue
			}
			if neg {
				ll.negs[t] = true
				delete(ll.words, t)
				delete(ll.boosts, t)
				continue
			}
			if e.role() == roleBooster {
				ll.boosts[t] = *e.Valence
				delete(ll.words, t)
				delete(fuzzy, t)
				continue
			}
			delete(ll.negs, t)
			delete(ll.boosts, t)
			ll.words[t] = *e.Valence
			if !e.Exact {
				fuzzy[t] = *e.Valence
			}
			if e.About != "" {
				ll.about[t] = e.About
			}
		}
		if lang == "hi" {
			ll.negAfter = true
			ll.skel = skeletons(fuzzy, romanSkeleton, minSkeleton)
			ll.spell = skeletons(fuzzy, romanSpelling, 1)
		}
		both := make(map[string]entry, len(ll.words)+len(ll.negs)+len(ll.boosts))
		for w, v := range ll.words {
			both[w] = entry{valence: v, flags: fValence}
		}
		for w, b := range ll.boosts {
			both[w] = entry{booster: b, flags: fBooster}
		}
		for w := range ll.negs {
			e := both[w]
			e.flags |= fNegator
			both[w] = e
		}
		ll.table = newTable(both)
		for _, m := range []map[rune][]runeTerm{ll.runes, ll.aboutRunes} {
			for _, list := range m {
				sort.SliceStable(list, func(i, j int) bool { return len(list[i].term) > len(list[j].term) })
			}
		}
		if len(ll.runes) > 0 {
			ll.firsts = new([0x10000 / 64]uint64)
			ll.firstRank = new([0x10000 / 64]uint16)
			for r := range ll.runes {
				if r < 0x10000 {
					ll.firsts[r>>6] |= 1 << (r & 63)
				}
			}
			for w := range ll.firsts {
				ll.firstRank[w] = uint16(len(ll.firstTerms))
				for b := range 64 {
					if ll.firsts[w]&(1<<b) != 0 {
						ll.firstTerms = append(ll.firstTerms, ll.runes[rune(w<<6|b)])
					}
				}
			}
		}
		out[lang] = ll
	}
	return out, nil
}

// skeletons maps the spelling forms of words to their valence, leaving
// out those shorter than minLen and those two words of opposite sign
// share.
func skeletons(words map[string]float64, form func(*[maxSkeleton]byte, []byte) int, minLen int) map[string]float64 {
	out := map[string]float64{}
	bad := map[string]bool{}
	var buf [maxSkeleton]byte
	for w, v := range words {
		n := form(&buf, []byte(w))
		if n < minLen {
			continue
		}
		k := string(buf[:n])
		if old, ok := out[k]; ok && (old > 0) != (v > 0) {
			bad[k] = true
		}
		out[k] = v
	}
	for k := range bad {
		delete(out, k)
	}
	return out
}

// lookup returns the valence of token i of the tokenized post in sc: its
// entry, or for a romanized language a word the English lexicon does not
// know whose spelling skeleton an entry shares.
func (ll *langLexicon) lookup(sc *scratch, i int) (float64, bool) {
	t := &sc.toks[i]
	w := sc.lower[t.ls:t.le]
	if e, ok := ll.table.get(w, t.h); ok {
		return e.valence, e.flags&fValence != 0
	}
	if ll.skel == nil || t.e.flags != 0 {
		return 0, false
	}
	var buf [maxSkeleton]byte
	if n := romanSpelling(&buf, w); n > 0 {
		if v, ok := ll.spell[string(buf[:n])]; ok {
			return v, true
		}
	}
	n := romanSkeleton(&buf, w)
	if n < minSkeleton {
		return 0, false
	}
	v, ok := ll.skel[string(buf[:n])]
	return v, ok
}

// langLexicon returns the language vocabulary's score of the post,
// normalised to (-1, 1) as VADER normalises its sum. A negator up to two
// words before a term (right before it in Chinese) flips it (×-0.74, as in
// VADER): "no es útil", 不好. A booster up to two words before it adds to
// its size (subtracts, for a diminisher): "muy útil", "un peu lent".
func (s *Scorer) langLexicon(text string, sc *scratch, lang string) float64 {
	sc.lexHits = sc.lexHits[:0]
	ll := s.langLex[lang]
	if ll == nil {
		return 0
	}
	sum := 0.0
	if len(ll.runes) > 0 {
		negStart, negEnd := -1, -1 // the last negator
		for i := 0; i < len(text); {
			var r rune
			var size int
			if i, r, size = ll.nextStart(text, i); size == 0 {
				break
			}
			matched := 0
			next := nextBytes(text, i+size)
			for _, t := range ll.termsOf(r) {
				if t.next != 0 && t.next != next {
					continue
				}
				if strings.HasPrefix(text[i:], t.term) {
					if t.neg {
						negStart, negEnd = i, i+len(t.term)
					} else {
						v := t.valence
						start := i
						if i == negEnd {
							v *= nScalar
							start = negStart
						}
						sum += v
						sc.lexHits = append(sc.lexHits, cand{start: int32(start), end: int32(i + len(t.term)), v: v})
					}
					matched = len(t.term)
					break
				}
			}
			if matched == 0 {
				matched = size
			}
			i += matched
		}
	} else {
		for i := range sc.toks {
			t := &sc.toks[i]
			if t.kind != tkWord {
				continue
			}
			if v, ok := ll.lookup(sc, i); ok {
				start, end := t.start, t.end
				negated := false
				for k := i - 1; k >= 0 && k >= i-2 && sc.toks[k].clause == t.clause; k-- {
					n, ok := ll.table.get(sc.word(k), sc.toks[k].h)
					if !ok {
						continue
					}
					if n.flags&fBooster != 0 && v != 0 {
						// "très bon", "sehr schlecht": the booster adds to
						// the word's size, less from two words away.
						b := n.booster
						if k < i-1 {
							b *= 0.95
						}
						if v < 0 {
							b = -b
						}
						v += b
						start = sc.toks[k].start
					}
					if n.flags&fNegator != 0 {
						negated = true
						start = sc.toks[k].start
						break
					}
				}
				for k := i + 1; ll.negAfter && !negated && k < len(sc.toks) && k <= i+2 && sc.toks[k].clause == t.clause; k++ {
					if n, ok := ll.table.get(sc.word(k), sc.toks[k].h); ok && n.flags&fNegator != 0 {
						negated = true
						end = sc.toks[k].end
						break
					}
				}
				if negated {
					v *= nScalar
				}
				sum += v
				sc.lexHits = append(sc.lexHits, cand{start: start, end: end, v: v})
			}
		}
	}
	if sum == 0 {
		return 0
	}
	return sum / math.Sqrt(sum*sum+alpha)
}
