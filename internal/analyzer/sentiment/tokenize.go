package sentiment

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

type tokKind uint8

const (
	tkWord tokKind = iota
	tkEmoticon
	tkEmoji
)

// token is one scoring unit. Offsets index the original text (start, end)
// and the scratch lower-case buffer (ls, le); no strings are allocated.
type token struct {
	start, end int32
	ls, le     int32
	h          uint64 // hashBytes of the lower-case word, sc.lower[ls:le]
	clause     int32
	kind       tokKind
	caps       bool // all letters upper case, at least two letters
	elongated  bool // a letter repeated three or more times ("sooo")
	hashtag    bool
	e          entry
}

// textStats are counts gathered while tokenizing, used by the language
// check, the capitals rule and punctuation emphasis.
type textStats struct {
	ascii, latin, han, kana, hangul, other int
	arabic, deva                           int // also counted in other
	excl, quest                            int
	capsWords, words                       int
	stopEN, stopOther                      int
	hindi                                  int // romanized Hindi function words
}

// scratch is per-call working memory, pooled so scoring does not allocate.
type scratch struct {
	lower []byte
	toks  []token
	vals  []float64
	from  []int32
	feats []feat
	cands []cand
	// lexHits are the language lexicon's matches, with their valences.
	lexHits []cand
	// ruleCands are the rule and lexicon terms explain weighs.
	ruleCands []cand
	// termBytes marks the bytes of the text ruleCands span.
	termBytes termBytes
	stats     textStats
	// modStart is the first token of the span that shaped the valence
	// being computed (a negator or booster before it).
	modStart int32
	// hanWords has bit i set when token i is a word of Han letters only,
	// three bytes each (see hanWord).
	hanWords []uint64
	// wordSums caches the language identifier's weight sums of words.
	wordSums *[wordSumSlots]wordSum
}

// markHan records that token i is a word of Han letters only.
func (sc *scratch) markHan(i int) {
	for len(sc.hanWords) <= i>>6 {
		sc.hanWords = append(sc.hanWords, 0)
	}
	sc.hanWords[i>>6] |= 1 << (i & 63)
}

// isHan reports whether token i is a word of Han letters only.
func (sc *scratch) isHan(i int) bool {
	return i>>6 < len(sc.hanWords) && sc.hanWords[i>>6]>>(i&63)&1 != 0
}

// isLetter is unicode.IsLetter, from a table below 0x10000.
func (lx *lexicon) isLetter(r rune) bool {
	if r < 0x10000 {
		return lx.letterRunes.has(r)
	}
	return unicode.IsLetter(r)
}

func isSpaceByte(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

func isASCIIWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// tokenize splits text into words, emoticons and emoji, skipping URLs and
// @mentions, splitting camel-case #hashtags, and tracking clause breaks.
func (lx *lexicon) tokenize(text string, sc *scratch) {
	sc.lower = sc.lower[:0]
	sc.toks = sc.toks[:0]
	sc.hanWords = sc.hanWords[:0]
	sc.stats = textStats{}
	var clause int32
	chunkStart := true
	for i := 0; i < len(text); {
		c := text[i]
		if c < utf8.RuneSelf {
			if isSpaceByte(c) {
				if c == '\n' {
					clause++
				}
				chunkStart = true
				i++
				continue
			}
			if chunkStart {
				chunkStart = false
				if n := skipURL(text[i:]); n > 0 {
					i += n
					continue
				}
				if n := lx.chunkEmoticon(text[i:], sc, i, clause); n > 0 {
					i += n
					continue
				}
			}
			switch {
			case isASCIIWordByte(c):
				end := lx.scanWord(text, i)
				lx.emitWord(text, i, end, clause, false, nil, sc)
				i = end
			case c == '@' && i+1 < len(text) && (isASCIIWordByte(text[i+1]) || text[i+1] == '_'):
				i++
				for i < len(text) && (isASCIIWordByte(text[i]) || text[i] == '_' || text[i] == '.') {
					i++
				}
			case c == '#' && i+1 < len(text) && isASCIIWordByte(text[i+1]):
				end := lx.scanWord(text, i+1)
				lx.emitHashtag(text, i+1, end, clause, sc)
				i = end
			default:
				if n := lx.inlineEmoticon(text[i:], sc, i, clause); n > 0 {
					i += n
					continue
				}
				switch c {
				case '!':
					sc.stats.excl++
					clause++
				case '?':
					sc.stats.quest++
					clause++
				case '.', ',', ';', ':':
					clause++
				}
				i++
			}
			continue
		}
		chunkStart = false
		if hanAt(text, i) {
			// Most of a Chinese post: a run of Han letters, read once
			// when it is the whole word.
			end, maxRun, h := hanWord(text, i)
			if next := lx.scanWord(text, end); next != end {
				lx.emitWord(text, i, next, clause, false, nil, sc)
				end = next
			} else {
				lx.emitWord(text, i, end, clause, false, &hanRun{maxRun: maxRun, h: h}, sc)
			}
			i = end
			continue
		}
		r, size := decodeRune(text[i:])
		switch {
		case isCaselessHan(r) || lx.isLetter(r):
			end := lx.scanWord(text, i)
			lx.emitWord(text, i, end, clause, false, nil, sc)
			i = end
			continue
		case r == '…' || r == '–' || r == '—' || r == '。' || r == '！' || r == '？':
			clause++
		case r >= 0x1f3fb && r <= 0x1f3ff:
			// skin-tone modifiers belong to the emoji before them
		case r < 0x10000 && !lx.emojiBMP.has(r):
			// punctuation and symbols: not an emoji, no map look-up
		default:
			if v, ok := lx.emoji[r]; ok {
				sc.toks = append(sc.toks, token{start: int32(i), end: int32(i + size), clause: clause, kind: tkEmoji,
					e: emojiEntry(v)})
			}
		}
		i += size
	}
}

func emojiEntry(v float64) entry {
	if v == 0 {
		return entry{}
	}
	return entry{valence: v, flags: fValence}
}

// skipURL returns the length of a URL chunk at the start of s, or 0.
func skipURL(s string) int {
	if !(strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "www.")) {
		return 0
	}
	n := 0
	for n < len(s) && !isSpaceByte(s[n]) {
		n++
	}
	return n
}

// chunkEmoticon matches a whole space-delimited chunk (minus trailing
// sentence punctuation) against the emoticons, e.g. ":-)" or "</3".
func (lx *lexicon) chunkEmoticon(s string, sc *scratch, off int, clause int32) int {
	if !lx.mayStartEmoticon(s) {
		return 0
	}
	n := 0
	for n < len(s) && isASCIIWordByte(s[n]) {
		n++
	}
	if n == len(s) || isSpaceByte(s[n]) {
		return 0 // a plain word, the common case: no punctuation
	}
	n = 0
	for n < len(s) && !isSpaceByte(s[n]) && n <= lx.maxEmot+4 {
		n++
	}
	if n > lx.maxEmot+4 || !hasEmoticonByte(s[:n]) {
		return 0 // every emoticon has punctuation; plain words go to the lexicon
	}
	w := s[:n]
	for len(w) > 1 {
		if v, ok := lx.emoticons[w]; ok {
			sc.toks = append(sc.toks, token{start: int32(off), end: int32(off + len(w)), clause: clause, kind: tkEmoticon,
				e: emojiEntry(v)})
			for _, c := range []byte(s[len(w):n]) {
				switch c {
				case '!':
					sc.stats.excl++
				case '?':
					sc.stats.quest++
				}
			}
			return n
		}
		last := w[len(w)-1]
		if last != '.' && last != ',' && last != '!' && last != '?' {
			break
		}
		w = w[:len(w)-1]
	}
	return 0
}

// mayStartEmoticon reports whether s starts with the first two bytes of an
// emoticon: matches are of two bytes or more, at the start of s. Most
// words and punctuation fail this one bit test.
func (lx *lexicon) mayStartEmoticon(s string) bool {
	return len(s) >= 2 && lx.emotStarts.has(rune(s[0])<<8|rune(s[1]))
}

// hasEmoticonByte reports whether w, ignoring trailing sentence
// punctuation, has a byte that is not a letter or digit.
func hasEmoticonByte(w string) bool {
	end := len(w)
	for end > 0 && (w[end-1] == '.' || w[end-1] == ',' || w[end-1] == '!' || w[end-1] == '?') {
		end--
	}
	for i := 0; i < end; i++ {
		if !isASCIIWordByte(w[i]) && w[i] < utf8.RuneSelf {
			return true
		}
	}
	return end == 0 && len(w) > 1
}

// inlineEmoticon matches an emoticon glued to a word, as in "thanks:)".
func (lx *lexicon) inlineEmoticon(s string, sc *scratch, off int, clause int32) int {
	switch s[0] {
	case ':', ';', '=', '<', '^':
	default:
		return 0
	}
	if !lx.mayStartEmoticon(s) {
		return 0
	}
	for n := min(lx.maxEmot, len(s)); n >= 2; n-- {
		if v, ok := lx.emoticons[s[:n]]; ok {
			if n < len(s) && isASCIIWordByte(s[n-1]) && isASCIIWordByte(s[n]) {
				continue // ":Do" is not ":D"
			}
			sc.toks = append(sc.toks, token{start: int32(off), end: int32(off + n), clause: clause, kind: tkEmoticon,
				e: emojiEntry(v)})
			return n
		}
	}
	return 0
}

// scanWord returns the end of the word starting at i: letters, digits,
// combining marks, and apostrophes between letters ("isn't", "don’t").
func (lx *lexicon) scanWord(text string, i int) int {
	for i < len(text) {
		c := text[i]
		if c < utf8.RuneSelf {
			if isASCIIWordByte(c) {
				i++
				continue
			}
			if c == '\'' && i+1 < len(text) && isASCIIWordByte(text[i+1]) {
				i++
				continue
			}
			return i
		}
		if hanAt(text, i) {
			// Most of a Chinese post; a letter, so the unicode tables
			// below would only confirm it.
			i += 3
			continue
		}
		r, size := decodeRune(text[i:])
		if r == '’' && i+size < len(text) && isASCIIWordByte(text[i+size]) {
			i += size
			continue
		}
		if r < 0x10000 {
			if !lx.wordRunes.has(r) {
				return i
			}
		} else if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.IsMark(r) {
			return i
		}
		i += size
	}
	return i
}

// emitHashtag splits "#DeleteTheApp" at lower-to-upper changes and emits
// each part as a word that never counts as shouting.
func (lx *lexicon) emitHashtag(text string, start, end int, clause int32, sc *scratch) {
	seg := start
	for k := start + 1; k < end; k++ {
		c, p := text[k], text[k-1]
		if c >= 'A' && c <= 'Z' && p >= 'a' && p <= 'z' {
			lx.emitWord(text, seg, k, clause, true, nil, sc)
			seg = k
		}
	}
	if seg == start && lx.segment(text, start, end, clause, sc) {
		return
	}
	lx.emitWord(text, seg, end, clause, true, nil, sc)
}

// segment splits an all-lower-case hashtag that is not itself a word, such
// as "#loveit" or "#boycottacme", into known words by greedy longest
// prefix. It emits the words and reports true only if they cover at least
// half the hashtag and one of them matters for scoring.
func (lx *lexicon) segment(text string, start, end int, clause int32, sc *scratch) bool {
	w := text[start:end]
	if len(w) < 5 || len(w) > 30 || !isLowerASCII(w) {
		return false
	}
	if _, ok := lx.table.getString(w); ok {
		return false
	}
	var spans [8][2]int
	n, covered, useful := 0, 0, false
	for p := 0; p < len(w) && n < len(spans); {
		k := len(w)
		for ; k >= p+3; k-- {
			if e, ok := lx.table.getString(w[p:k]); ok {
				useful = useful || e.flags&(fValence|fNegator|fPhrase) != 0
				break
			}
		}
		if k < p+3 {
			p++
			continue
		}
		spans[n] = [2]int{start + p, start + k}
		n++
		covered += k - p
		p = k
	}
	if !useful || 2*covered < len(w) {
		return false
	}
	for _, s := range spans[:n] {
		lx.emitWord(text, s[0], s[1], clause, true, nil, sc)
	}
	return true
}

func isLowerASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}
