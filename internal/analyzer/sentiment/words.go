package sentiment

import (
	"unicode"
	"unicode/utf8"
)

// emitWord lower-cases text[start:end] into the scratch buffer, looks it up
// once, and appends the token. Elongated words ("sooo", "gooood") that are
// not in the lexicon are retried with letter runs cut to two, then one.
// han, when not nil, is what hanWord found of the word, all of it a run of
// Han letters: the word is then not read again, and marked in
// sc.hanWords.
func (lx *lexicon) emitWord(text string, start, end int, clause int32, hashtag bool, han *hanRun, sc *scratch) {
	ls := len(sc.lower)
	var (
		upper, lowerSeen, letters, maxRun int
		apostrophe                        bool
		h                                 uint64
		british                           = true // may have a British spelling
	)
	switch {
	case han != nil:
		// Letters without case, copied as they are: what lowerUnicode
		// finds of them.
		letters, maxRun, h, british = (end-start)/3, han.maxRun, han.h, false
		sc.stats.han += letters
		sc.lower = append(sc.lower, text[start:end]...)
		sc.markHan(len(sc.toks))
	case isASCII(text[start:end]):
		upper, lowerSeen, maxRun, apostrophe, h = lowerASCII(text[start:end], sc)
		letters = upper + lowerSeen
	default:
		han := sc.stats.han
		upper, lowerSeen, letters, maxRun, apostrophe, h = lx.lowerUnicode(text[start:end], sc)
		// British spellings need ASCII letters; a run of Han has none.
		british = letters > sc.stats.han-han
	}
	le := len(sc.lower)
	t := token{start: int32(start), end: int32(end), ls: int32(ls), le: int32(le), h: h, clause: clause, hashtag: hashtag}
	if letters >= 2 {
		sc.stats.words++
		if upper > 0 && lowerSeen == 0 && !hashtag {
			t.caps = true
			sc.stats.capsWords++
		}
	}
	e, ok := lx.table.get(sc.lower[ls:le], h)
	if !ok && maxRun >= 3 && letters > 0 {
		t.elongated = true
		for _, keep := range [2]int{2, 1} {
			s := len(sc.lower)
			squeeze(&sc.lower, ls, le, keep)
			hs := hashBytes(sc.lower[s:])
			if e, ok = lx.table.get(sc.lower[s:], hs); ok {
				t.ls, t.le, t.h = int32(s), int32(len(sc.lower)), hs
				break
			}
		}
	}
	if !ok && letters >= 5 && british {
		if s, found := britishToAmerican(sc, int(t.ls), int(t.le)); found {
			hs := hashBytes(sc.lower[s:])
			if e, ok = lx.table.get(sc.lower[s:], hs); ok {
				t.ls, t.le, t.h = int32(s), int32(len(sc.lower)), hs
			}
		}
	}
	if !ok && apostrophe {
		w := sc.lower[ls:le]
		if n := len(w); n > 2 && w[n-2] == '\'' && w[n-1] == 's' {
			e, _ = lx.table.get(w[:n-2], hashBytes(w[:n-2]))
		}
	}
	if apostrophe && hasNT(sc.lower[t.ls:t.le]) {
		e.flags |= fNegator
	}
	if !hashtag { // hashtags are tags, not sentences: no language evidence
		if e.flags&fStopEN != 0 {
			sc.stats.stopEN++
		}
		if e.flags&fStopOther != 0 {
			sc.stats.stopOther++
		}
		if e.flags&fHindi != 0 {
			sc.stats.hindi++
		}
	}
	sc.toks = append(sc.toks, t)
	sc.toks[len(sc.toks)-1].e = e
}

// hanRun is what hanWord found of a run of Han letters: the longest run
// of one rune in it and the FNV-1a hash of its bytes.
type hanRun struct {
	maxRun int
	h      uint64
}

// hanWord returns the end of the run of caseless Han letters (see hanAt)
// from offset start of text, the longest run of one rune in it, and the
// FNV-1a hash of its bytes.
func hanWord(text string, start int) (end, maxRun int, h uint64) {
	h = fnvOffset
	var prev uint32
	run := 0
	s := text[start:]
	for len(s) >= 3 {
		// The three bytes as one number: continuation bytes and the
		// range E4 B8 80 to E9 BE A5 (U+4E00 to U+9FA5) checked at once.
		c0, c1, c2 := s[0], s[1], s[2]
		k := uint32(c0)<<16 | uint32(c1)<<8 | uint32(c2)
		if k&0xc0c0 != 0x8080 || k-0xe4b880 > 0xe9bea5-0xe4b880 {
			break
		}
		h = (h ^ uint64(c0)) * fnvPrime
		h = (h ^ uint64(c1)) * fnvPrime
		h = (h ^ uint64(c2)) * fnvPrime
		if k == prev {
			run++
		} else {
			run, prev = 1, k
		}
		maxRun = max(maxRun, run)
		s = s[3:]
	}
	return len(text) - len(s), maxRun, h
}

// squeeze appends lower[from:to] to lower with runs of one rune cut to keep.
func squeeze(lower *[]byte, from, to, keep int) {
	b := *lower
	var prev rune = -1
	run := 0
	for i := from; i < to; {
		r, size := utf8.DecodeRune(b[i:to])
		if r == prev {
			run++
		} else {
			run, prev = 1, r
		}
		if run <= keep {
			b = append(b, b[i:i+size]...)
		}
		i += size
	}
	*lower = b
}

func hasNT(w []byte) bool {
	for i := 0; i+2 < len(w); i++ {
		if w[i] == 'n' && w[i+1] == '\'' && w[i+2] == 't' {
			return true
		}
	}
	return false
}

// countScript tallies a non-ASCII letter by script for the language check.
func (lx *lexicon) countScript(r rune, st *textStats) {
	switch {
	case r < 0x250:
		st.latin++
	case r >= 0x3040 && r <= 0x30ff:
		st.kana++
	case r >= 0xac00 && r <= 0xd7af || r >= 0x1100 && r <= 0x11ff || r >= 0x3130 && r <= 0x318f:
		st.hangul++
	case r >= 0x4e00 && r <= 0x9fff || r >= 0x3400 && r <= 0x4dbf || r >= 0xf900 && r <= 0xfaff:
		st.han++
	case r >= 0x1e00 && r <= 0x1eff:
		st.latin++
	default:
		st.other++
		switch {
		case r >= 0x600 && r <= 0x6ff || r >= 0x750 && r <= 0x77f || r >= 0xfb50 && r <= 0xfdff || r >= 0xfe70 && r <= 0xfeff:
			st.arabic++
		case r >= 0x900 && r <= 0x97f:
			st.deva++
		}
	}
}

// runeTableSize bounds the runes whose letter case lowerUnicode looks up
// in a table rather than in package unicode.
const runeTableSize = 0x1000

// runeInfo is what lowerUnicode needs to know of a rune.
type runeInfo struct {
	lower rune
	flags uint8
}

const (
	riLetter = 1 << iota
	riUpper
	riLower
)

// newRuneTable records package unicode's answers for the runes below
// runeTableSize.
func newRuneTable() *[runeTableSize]runeInfo {
	t := new([runeTableSize]runeInfo)
	for r := rune(0); r < runeTableSize; r++ {
		ri := runeInfo{lower: unicode.ToLower(r)}
		if unicode.IsLetter(r) {
			ri.flags |= riLetter
		}
		if unicode.IsUpper(r) {
			ri.flags |= riUpper
		}
		if unicode.IsLower(r) {
			ri.flags |= riLower
		}
		t[r] = ri
	}
	return t
}

// isCaselessHan reports whether r is in the CJK Unified Ideographs of
// Unicode 1.1, every one a letter (Lo) with no case; countScript counts it
// as Han.
func isCaselessHan(r rune) bool { return r >= 0x4e00 && r <= 0x9fa5 }

// hanAt reports whether s[i:] starts with a caseless Han letter (see
// isCaselessHan), the three-byte sequences E4 B8 80 to E9 BE A5, decoding
// it without package utf8: most of a Chinese post.
func hanAt(s string, i int) bool {
	if i+2 >= len(s) || s[i]-0xe4 > 5 {
		return false
	}
	c1, c2 := s[i+1], s[i+2]
	if c1&0xc0 != 0x80 || c2&0xc0 != 0x80 {
		return false
	}
	r := rune(s[i]&0x0f)<<12 | rune(c1&0x3f)<<6 | rune(c2&0x3f)
	return r >= 0x4e00 && r <= 0x9fa5
}

// decodeRune is utf8.DecodeRuneInString, with runes of two bytes (Latin
// letters with accents, Arabic) and three (Devanagari, the Chinese and
// full-width punctuation between Han words) decoded here.
func decodeRune(s string) (rune, int) {
	if len(s) >= 2 && s[0]-0xc2 < 0xe0-0xc2 && s[1]&0xc0 == 0x80 {
		// A lead byte of two, not overlong, and a continuation byte.
		return rune(s[0]&0x1f)<<6 | rune(s[1]&0x3f), 2
	}
	if len(s) >= 3 {
		k := uint32(s[0])<<16 | uint32(s[1])<<8 | uint32(s[2])
		if k&0xf0c0c0 == 0xe08080 {
			// A lead byte of three and two continuation bytes: valid
			// unless overlong or a surrogate.
			r := rune(k>>4&0xf000 | k>>2&0xfc0 | k&0x3f)
			if r >= 0x800 && (r < 0xd800 || r > 0xdfff) {
				return r, 3
			}
		}
	}
	return utf8.DecodeRuneInString(s)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// lowerASCII appends w lower-cased to sc.lower and returns its letter case
// counts, longest run of one byte, whether it has an apostrophe, and its
// FNV-1a hash.
func lowerASCII(w string, sc *scratch) (upper, lower, maxRun int, apostrophe bool, h uint64) {
	ls := len(sc.lower)
	sc.lower = append(sc.lower, w...)
	dst := sc.lower[ls:]
	h = fnvOffset
	var prev byte
	run := 0
	for k := 0; k < len(dst); k++ {
		c := dst[k]
		switch {
		case c-'A' < 26:
			c += 'a' - 'A'
			dst[k] = c
			upper++
		case c-'a' < 26:
			lower++
		case c == '\'':
			apostrophe = true
		}
		h = (h ^ uint64(c)) * fnvPrime
		if c == prev {
			run++
		} else {
			run, prev = 1, c
		}
		maxRun = max(maxRun, run)
	}
	sc.stats.ascii += upper + lower
	return upper, lower, maxRun, apostrophe, h
}

// lowerUnicode is lowerASCII for words with non-ASCII letters; it also
// tallies scripts for the language check and maps ’ to '.
func (lx *lexicon) lowerUnicode(w string, sc *scratch) (upper, lowerSeen, letters, maxRun int, apostrophe bool, h uint64) {
	h = fnvOffset
	var prev rune
	run := 0
	for i := 0; i < len(w); {
		c := w[i]
		var r rune
		if c < utf8.RuneSelf {
			switch {
			case c >= 'A' && c <= 'Z':
				upper++
				letters++
				sc.stats.ascii++
				c += 'a' - 'A'
			case c >= 'a' && c <= 'z':
				lowerSeen++
				letters++
				sc.stats.ascii++
			case c == '\'':
				apostrophe = true
			}
			sc.lower = append(sc.lower, c)
			h = (h ^ uint64(c)) * fnvPrime
			r = rune(c)
			i++
		} else if hanAt(w, i) {
			// A run of Han letters, most of a Chinese post: letters
			// without case, copied as they are, and counted in locals.
			j := i
			for ; hanAt(w, j); j += 3 {
				c0, c1, c2 := w[j], w[j+1], w[j+2]
				h = (h ^ uint64(c0)) * fnvPrime
				h = (h ^ uint64(c1)) * fnvPrime
				h = (h ^ uint64(c2)) * fnvPrime
				if r := rune(c0&0x0f)<<12 | rune(c1&0x3f)<<6 | rune(c2&0x3f); r == prev {
					run++
				} else {
					run, prev = 1, r
				}
				maxRun = max(maxRun, run)
			}
			letters += (j - i) / 3
			sc.stats.han += (j - i) / 3
			sc.lower = append(sc.lower, w[i:j]...)
			i = j
			continue
		} else {
			rr, size := utf8.DecodeRuneInString(w[i:])
			i += size
			switch {
			case isCaselessHan(rr):
				// Most of a Chinese post: a letter without case, so the
				// unicode tables below would only confirm it.
				letters++
				sc.stats.han++
				r = rr
			case rr < runeTableSize:
				// Latin letters with accents, Greek, Cyrillic, Arabic and
				// Devanagari: the unicode answers, looked up once at New.
				ri := lx.runes[rr]
				if ri.flags&riLetter != 0 {
					letters++
					lx.countScript(rr, &sc.stats)
					if ri.flags&riUpper != 0 {
						upper++
					} else if ri.flags&riLower != 0 {
						lowerSeen++
					}
				}
				r = ri.lower
			default:
				if rr == '’' {
					rr = '\''
					apostrophe = true
				} else if unicode.IsLetter(rr) {
					letters++
					lx.countScript(rr, &sc.stats)
					if unicode.IsUpper(rr) {
						upper++
					} else if unicode.IsLower(rr) {
						lowerSeen++
					}
				}
				r = unicode.ToLower(rr)
			}
			n := len(sc.lower)
			sc.lower = utf8.AppendRune(sc.lower, r)
			for _, b := range sc.lower[n:] {
				h = (h ^ uint64(b)) * fnvPrime
			}
		}
		if r == prev {
			run++
		} else {
			run, prev = 1, r
		}
		maxRun = max(maxRun, run)
	}
	return upper, lowerSeen, letters, maxRun, apostrophe, h
}

// britishToAmerican appends an American spelling of the word at
// sc.lower[ls:le] ("favourite" to "favorite", "criticise" to "criticize")
// and returns its start, or false when no rule applies. VADER's lexicon
// uses American spellings.
func britishToAmerican(sc *scratch, ls, le int) (int, bool) {
	w := sc.lower[ls:le]
	for i := 1; i+2 < len(w); i++ {
		if w[i] == 'o' && w[i+1] == 'u' && w[i+2] == 'r' {
			s := len(sc.lower)
			sc.lower = append(sc.lower, sc.lower[ls:ls+i+1]...)
			sc.lower = append(sc.lower, sc.lower[ls+i+2:le]...)
			return s, true
		}
	}
	for i := 1; i+2 < len(w); i++ {
		if w[i] == 'i' && w[i+1] == 's' && (w[i+2] == 'e' || w[i+2] == 'i') {
			s := len(sc.lower)
			sc.lower = append(sc.lower, sc.lower[ls:le]...)
			sc.lower[s+i+1] = 'z'
			return s, true
		}
	}
	return 0, false
}
