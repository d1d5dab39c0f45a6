package sentiment

import (
	"math"
	"slices"
	"unicode/utf8"
)

// featCfg selects the hashed features a learned model reads. It is stored
// in the model file so that training and scoring always agree.
type featCfg struct {
	Words   bool // word unigrams (emoji and emoticons count as words)
	Bigrams bool // adjacent word pairs within a clause
	CharMin int  // character n-grams of non-CJK words, with word-boundary marks;
	CharMax int  // 0 disables them
	CJKMin  int  // character n-grams of Han, kana and Hangul runs;
	CJKMax  int  // 0 disables them
	Shared  bool // emit each feature twice: tagged by language and shared by all
	// RuleBins adds indicator features of the rules' result (see
	// ruleBins); 0 disables them, 1 and 2 are sets of increasing detail.
	RuleBins int
	// Skel, when above zero, is one plus the language slot whose words
	// of ASCII letters are read by their spelling skeleton
	// (romanSkeleton): romanized Hindi, spelt a different way by every
	// writer. With SkelOnly the skeleton replaces the word and its pairs
	// (other words keep theirs); without it, it is emitted beside them.
	Skel     int
	SkelOnly bool
}

// oneFeatPerSpan reports whether no two features in a row that featurize
// emits share a span: each word then gives one unigram, its pair with the
// word before spans both, and Chinese n-grams each have their own; no
// character n-grams, skeleton emitted beside its word, or shared copy
// repeat a word's span. Rule indicators, with empty spans, come last.
func (c *featCfg) oneFeatPerSpan() bool {
	return c.CharMax == 0 && !c.Shared && (c.Skel == 0 || c.SkelOnly)
}

// feat is one hashed feature occurrence and the span of text it came from,
// kept so a score can be explained by the words and phrases that pushed it.
type feat struct {
	idx        uint32
	start, end int32
	// d is the feature's weight for the last class minus the first
	// (positive minus negative), set by linear.logits for explain.
	d    int16
	stop bool // a function word's unigram: kept out of explanations
}

// featSink appends features to a scratch; a struct rather than a closure
// so featurize does not allocate.
type featSink struct {
	sc     *scratch
	shared bool
	tagged bool
	// keepTagged: features are kept, tagged only (the common case).
	keepTagged bool
	langSalt   uint64
	mask       uint64
	stop       bool
	skel       bool // read words by their spelling skeletons (featCfg.Skel)
	// With sum set, features are not kept: their weight rows in w (nc
	// classes a row) are added to sum at once. The language identifier
	// needs no spans, only the class totals.
	sum   *[maxClasses]int32
	w     []byte
	rows8 []uint64 // w packed, when the model has it (see linear.rows8)
	nc    int
	buf   [64]uint32
	nbuf  int
	// grams, when set, has the rows of short n-grams of ASCII words (see
	// asciiWordFeats); rows added from it by addRow are summed in lo and
	// hi as flush sums rows8's, nrows of them.
	grams  *asciiGramRows
	lo, hi uint64
	nrows  int
}

func (k *featSink) emit(h uint64, start, end int32) {
	if k.keepTagged {
		k.sc.feats = append(k.sc.feats, feat{idx: uint32(mix(h^k.langSalt) & k.mask), start: start, end: end, stop: k.stop})
		return
	}
	k.emitAny(h, start, end)
}

// emitAny is emit for sinks that sum or emit shared features.
func (k *featSink) emitAny(h uint64, start, end int32) {
	if k.sum != nil {
		if k.shared {
			k.add(mix(h) & k.mask)
		}
		if k.tagged {
			k.add(mix(h^k.langSalt) & k.mask)
		}
		return
	}
	if k.shared {
		k.sc.feats = append(k.sc.feats, feat{idx: uint32(mix(h) & k.mask), start: start, end: end, stop: k.stop})
	}
	if k.tagged {
		k.sc.feats = append(k.sc.feats, feat{idx: uint32(mix(h^k.langSalt) & k.mask), start: start, end: end, stop: k.stop})
	}
}

// add queues bucket b's weight row for k.sum. Rows are added in batches
// so that their loads, mostly cache misses, overlap.
func (k *featSink) add(b uint64) {
	k.buf[k.nbuf] = uint32(b)
	k.nbuf++
	if k.nbuf == len(k.buf) {
		k.flush()
	}
}

// maxRows is how many rows addRow sums before they are flushed: with the
// queue's, at most len(featSink.buf) + maxRows bytes of 255 share a lane.
const maxRows = 128

// addRow adds a packed row (as in linear.rows8) for k.sum.
func (k *featSink) addRow(x uint64) {
	k.lo += x & 0x00ff00ff00ff00ff
	k.hi += x >> 8 & 0x00ff00ff00ff00ff
	k.nrows++
	if k.nrows == maxRows {
		k.flush()
	}
}

// flush adds the queued rows to k.sum.
func (k *featSink) flush() {
	nc, w := k.nc, k.w
	if k.rows8 != nil {
		// Bytes 0, 2, 4, 6 of each row add up in the 16-bit lanes of lo,
		// bytes 1, 3, 5, 7 in hi: a lane holds at most
		// (len(k.buf) + maxRows) * 255.
		lo, hi := k.lo, k.hi
		for _, b := range k.buf[:k.nbuf] {
			x := k.rows8[b]
			lo += x & 0x00ff00ff00ff00ff
			hi += x >> 8 & 0x00ff00ff00ff00ff
		}
		bias := int32(128 * (k.nbuf + k.nrows))
		for c := 0; c < nc; c++ {
			lanes := lo
			if c&1 == 1 {
				lanes = hi
			}
			k.sum[c] += int32(lanes>>(16*(c/2))&0xffff) - bias
		}
		k.nbuf, k.lo, k.hi, k.nrows = 0, 0, 0, 0
		return
	}
	if nc == 7 { // the language identifier's classes, unrolled
		var s0, s1, s2, s3, s4, s5, s6 int32
		for _, b := range k.buf[:k.nbuf] {
			i := int(b) * 7
			r := w[i : i+7 : i+7]
			s0 += int32(int8(r[0]))
			s1 += int32(int8(r[1]))
			s2 += int32(int8(r[2]))
			s3 += int32(int8(r[3]))
			s4 += int32(int8(r[4]))
			s5 += int32(int8(r[5]))
			s6 += int32(int8(r[6]))
		}
		s := k.sum
		s[0] += s0
		s[1] += s1
		s[2] += s2
		s[3] += s3
		s[4] += s4
		s[5] += s5
		s[6] += s6
	} else {
		for _, b := range k.buf[:k.nbuf] {
			i := int(b) * nc
			for c, v := range w[i : i+nc] {
				k.sum[c] += int32(int8(v))
			}
		}
	}
	k.nbuf = 0
}

// Feature kinds, mixed into the hash so kinds never share a bucket by design.
const (
	saltWord   = 0x9e3779b97f4a7c15
	saltBigram = 0xc2b2ae3d27d4eb4f
	saltChar   = 0x165667b19e3779f9
	saltCJK    = 0x27d4eb2f165667c5
	saltEmoji  = 0x85ebca77c2b2ae63
	saltSkel   = 0xd6e8feb86659fd93
)

// mix is a 64-bit finaliser (MurmurHash3's fmix64).
func mix(h uint64) uint64 {
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	h ^= h >> 33
	return h
}

// maxWordRunes caps the runes of one word used for character n-grams.
const maxWordRunes = 48

// featurize appends the hashed features of the tokenized post in sc to
// sc.feats. lang is the language slot of the model (tagging features);
// mask is the bucket count minus one.
func featurize(text string, sc *scratch, cfg *featCfg, lang int, mask uint64) {
	sc.feats = sc.feats[:0]
	k := featSink{sc: sc, shared: cfg.Shared, tagged: lang >= 0, mask: mask,
		langSalt: mix(uint64(lang+1) * 0x9fb21c651e98df25)}
	k.keepTagged = k.tagged && !k.shared
	k.skel = cfg.Skel > 0 && lang == cfg.Skel-1
	featurizeInto(text, sc, cfg, &k)
}

// featurizeSum adds the weight rows of m's features of the tokenized post
// in sc, untagged, to sum: what featurize then m.logits would add up,
// without keeping the features.
func featurizeSum(text string, sc *scratch, m *linear, sum *[maxClasses]int32) {
	k := featSink{sc: sc, shared: m.Cfg.Shared, mask: m.mask(), sum: sum, w: m.W, rows8: m.rows8, nc: len(m.Classes), grams: m.grams}
	cfg := &m.Cfg
	if cfg.Bigrams || cfg.CJKMax > 0 || len(m.Classes) > len(wordSum{}.sum) {
		featurizeInto(text, sc, cfg, &k)
		k.flush()
		return
	}
	// Without pairs, a word's features depend on the word alone, and a
	// post's words are mostly ones the identifier summed before: their
	// sums are kept in a small cache.
	if sc.wordSums == nil {
		sc.wordSums = new([wordSumSlots]wordSum)
	}
	// A word missing from the cache is summed into ws by kw, made once
	// here: a featSink is some 300 bytes to clear.
	var ws [maxClasses]int32
	kw := featSink{sc: sc, shared: k.shared, mask: k.mask, sum: &ws, w: k.w, rows8: k.rows8, nc: k.nc, grams: k.grams}
	for i := range sc.toks {
		t := &sc.toks[i]
		if t.kind != tkWord {
			if cfg.Words {
				k.emit(hashBytes(text[t.start:t.end])^saltEmoji, t.start, t.end)
			}
			continue
		}
		w := sc.lower[t.ls:t.le]
		if len(w) == 0 || isDigits(w) {
			continue
		}
		if r, _ := utf8.DecodeRune(w); isCJK(r) {
			continue
		}
		h := t.h // hashBytes(w), from the tokenizer
		e := &sc.wordSums[mix(h)&(wordSumSlots-1)]
		if int(e.n) != len(w) || string(e.word[:e.n]) != string(w) {
			if len(w) > len(e.word) {
				sumWordFeats(t, w, h, cfg, &k)
				continue
			}
			ws = [maxClasses]int32{}
			sumWordFeats(t, w, h, cfg, &kw) // kw is empty: flushed below
			kw.flush()
			e.n = uint8(copy(e.word[:], w))
			copy(e.sum[:], ws[:])
		}
		for c := range e.sum {
			sum[c] += e.sum[c]
		}
	}
	k.flush()
}

// wordFeats emits the unigram and character n-grams of the word w, whose
// hash is h.
func wordFeats(t *token, w []byte, h uint64, cfg *featCfg, k *featSink) {
	if cfg.Words {
		k.emit(h^saltWord, t.start, t.end)
	}
	if cfg.CharMax > 0 {
		charGrams(t, w, cfg, k)
	}
}

// sumWordFeats is wordFeats for a sink that sums features: by
// asciiWordFeats where it can.
func sumWordFeats(t *token, w []byte, h uint64, cfg *featCfg, k *featSink) {
	if k.grams == nil || len(w) >= maxWordRunes {
		wordFeats(t, w, h, cfg, k)
		return
	}
	for _, c := range w {
		if c >= utf8.RuneSelf {
			wordFeats(t, w, h, cfg, k)
			return
		}
	}
	asciiWordFeats(w, h, cfg, k)
}

// asciiWordFeats adds to the summing sink k (with k.grams, so shared
// features only) the unigram and character n-grams of the word w, whose
// hash is h: the features wordFeats would emit, for a word of ASCII bytes
// shorter than maxWordRunes (one rune a byte, none cut off). charGrams's
// n-grams are then every run of CharMin to CharMax bytes of w padded with
// '<' and '>', but the whole padded word when longer than two (the
// unigram); those of one and two bytes are read from k.grams by their
// bytes, without hashing, and the others hashed as charGrams does.
func asciiWordFeats(w []byte, h uint64, cfg *featCfg, k *featSink) {
	if cfg.Words {
		k.add(mix(h^saltWord) & k.mask)
	}
	if cfg.CharMax <= 0 {
		return
	}
	var buf [maxWordRunes + 1]byte
	buf[0] = '<'
	n := copy(buf[1:], w) + 2
	buf[n-1] = '>'
	p := buf[:n]
	for g := cfg.CharMin; g <= cfg.CharMax && g <= n; g++ { // CharMin >= 1: see packGrams
		if g == n && g > 2 {
			break // the whole padded word is the unigram
		}
		switch g {
		case 1:
			for _, c := range p {
				k.addRow(k.grams.one[c])
			}
		case 2:
			for s := 0; s+1 < n; s++ {
				k.addRow(k.grams.two[uint(p[s])<<7|uint(p[s+1])])
			}
		default:
			salt := saltChar ^ uint64(g)<<56
			for s := 0; s+g <= n; s++ {
				v := uint64(fnvOffset)
				for _, c := range p[s : s+g] {
					v = (v ^ uint64(c)) * fnvPrime
				}
				k.add(mix(v^salt) & k.mask)
			}
		}
	}
}

// wordSumSlots is the size of a scratch's cache of word weight sums.
const wordSumSlots = 2048

// wordSum is a cached word (up to 23 bytes) and its weight sums.
type wordSum struct {
	n    uint8
	word [23]byte
	sum  [8]int32
}

func featurizeInto(text string, sc *scratch, cfg *featCfg, k *featSink) {
	prev, prevTok := uint64(0), -1
	for i := range sc.toks {
		t := &sc.toks[i]
		if t.kind != tkWord {
			if cfg.Words {
				k.emit(hashBytes(text[t.start:t.end])^saltEmoji, t.start, t.end)
			}
			prevTok = -1
			continue
		}
		w := sc.lower[t.ls:t.le]
		if len(w) == 0 || isDigits(w) {
			prevTok = -1
			continue
		}
		if w[0] >= utf8.RuneSelf && (sc.isHan(i) || startsCJK(w)) {
			if cfg.CJKMax > 0 {
				cjkGrams(t, w, sc.isHan(i), cfg, k)
			}
			prevTok = -1
			continue
		}
		h := t.h // hashBytes(w), from the tokenizer
		word := cfg.Words
		if k.skel {
			var buf [maxSkeleton]byte
			if n := romanSkeleton(&buf, w); n > 0 {
				k.stop = t.e.flags&(fStopEN|fStopOther) != 0
				k.emit(hashBytes(buf[:n])^saltSkel, t.start, t.end)
				k.stop = false
				if cfg.SkelOnly {
					prevTok = -1
					continue
				}
			}
		}
		if word {
			k.stop = t.e.flags&(fStopEN|fStopOther) != 0
			k.emit(h^saltWord, t.start, t.end)
			k.stop = false
		}
		if cfg.Bigrams && prevTok >= 0 && sc.toks[prevTok].clause == t.clause {
			k.emit((prev*fnvPrime)^h^saltBigram, sc.toks[prevTok].start, t.end)
		}
		if cfg.CharMax > 0 {
			charGrams(t, w, cfg, k)
		}
		prev, prevTok = h, i
	}
}

// runeLen is the length of the UTF-8 sequence that starts with c. The
// lower-case buffer the features read is valid UTF-8 (the tokenizer writes
// invalid bytes as U+FFFD), so the first byte tells.
func runeLen(c byte) int {
	switch {
	case c < 0x80:
		return 1
	case c < 0xe0:
		return 2
	case c < 0xf0:
		return 3
	}
	return 4
}

func isDigits(w []byte) bool {
	for _, c := range w {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// startsCJK reports whether w starts with a Han, kana or Hangul letter.
func startsCJK(w []byte) bool {
	r, _ := utf8.DecodeRune(w)
	return isCJK(r)
}

func isCJK(r rune) bool {
	return r >= 0x4e00 && r <= 0x9fff || r >= 0x3400 && r <= 0x4dbf || r >= 0xf900 && r <= 0xfaff ||
		r >= 0x3040 && r <= 0x30ff || r >= 0xac00 && r <= 0xd7af
}

// charGrams emits the character n-grams of the lower-case word w, padded
// with a boundary mark at each end ("<ok>" gives "<o", "ok", "k>" ...).
func charGrams(t *token, w []byte, cfg *featCfg, k *featSink) {
	var pos [maxWordRunes + 1]int32 // rune starts in w, then len(w)
	n := 0
	for i := 0; i < len(w) && n < maxWordRunes; {
		pos[n] = int32(i)
		i += runeLen(w[i])
		n++
	}
	end := int32(len(w))
	if n == maxWordRunes {
		end = pos[n-1]
		n--
	}
	pos[n] = end
	// Virtual positions -1 (start mark) .. n (end mark). The FNV hash of
	// a span extends one rune at a time, so the n-grams from one start
	// share their prefix's work.
	for a := -1; a <= n; a++ {
		h := uint64(fnvOffset)
		if a == -1 {
			h = (h ^ '<') * fnvPrime
		}
		lo := max(a, 0) // next rune to add
		for g := cfg.CharMin; g <= cfg.CharMax; g++ {
			b := a + g // exclusive, virtual
			if b > n+1 {
				break
			}
			for ; lo < min(b, n); lo++ {
				for _, c := range w[pos[lo]:pos[lo+1]] {
					h = (h ^ uint64(c)) * fnvPrime
				}
			}
			if a == -1 && b == n+1 && g > 2 {
				continue // the whole padded word is the unigram
			}
			v := h
			if b == n+1 {
				v = (h ^ '>') * fnvPrime
			}
			k.emit(v^saltChar^uint64(g)<<56, t.start, t.end)
		}
	}
}

// cjkGrams emits the character n-grams of a run of Han, kana or Hangul
// letters, each with its own span so explanations name the n-gram. han
// says the tokenizer read the run as Han letters only (scratch.isHan).
func cjkGrams(t *token, w []byte, han bool, cfg *featCfg, k *featSink) {
	// CJK letters have no case, so w and the original text share offsets.
	if int(t.end-t.start) != len(w) {
		return
	}
	if k.keepTagged && !k.stop && cfg.CJKMin == 1 && cfg.CJKMax == 3 && (han || allThreeByte(w)) {
		k.sc.feats = cjkGrams3(k.sc.feats, w, t.start, saltCJK^k.langSalt, k.mask)
		return
	}
	cjkGramsAny(t, w, cfg, k)
}

// cjkGramsAny is cjkGrams for any run and sink.
func cjkGramsAny(t *token, w []byte, cfg *featCfg, k *featSink) {
	var pos [maxWordRunes + 1]int32
	skip := 0 // leading runes of this chunk whose n-grams were emitted before
	// The common case, features kept, tagged only, is appended here
	// rather than through k.emit, on a local slice.
	fast := k.keepTagged && !k.stop
	var fs []feat
	if fast {
		fs = k.sc.feats
	}
	for base := 0; base < len(w); {
		n := 0
		i := base
		for i < len(w) && n < maxWordRunes {
			pos[n] = int32(i)
			i += runeLen(w[i])
			n++
		}
		pos[n] = int32(i)
		salt, mask := saltCJK^k.langSalt, k.mask // in registers, not read through k
		gMin, gMax := cfg.CJKMin, cfg.CJKMax
		for a := 0; a < n; a++ {
			// The FNV hash of an n-gram extends its prefix's: h holds
			// the bytes w[pos[a]:j].
			h := uint64(fnvOffset)
			j := pos[a]
			start := t.start + pos[a]
			// n-grams of runes a to a+g-1 for g up to gMax that fit in the
			// chunk, less those within its first skip runes.
			for g, last := max(gMin, skip-a+1), min(gMax, n-a); g <= last; g++ {
				end := pos[a+g]
				if seg := w[j:end]; len(seg) == 3 { // one rune, as most are
					h = (h ^ uint64(seg[0])) * fnvPrime
					h = (h ^ uint64(seg[1])) * fnvPrime
					h = (h ^ uint64(seg[2])) * fnvPrime
				} else {
					for _, c := range seg {
						h = (h ^ uint64(c)) * fnvPrime
					}
				}
				j = end
				if fast {
					fs = append(fs, feat{idx: uint32(mix(h^salt) & mask), start: start, end: t.start + end})
				} else {
					k.emit(h^saltCJK, start, t.start+end)
				}
			}
		}
		if i >= len(w) {
			break
		}
		// Step back so n-grams across the chunk border are emitted too.
		skip = min(cfg.CJKMax-1, n-1)
		base = int(pos[n-skip])
	}
	if fast {
		k.sc.feats = fs
	}
}

// allThreeByte reports whether every rune of the valid UTF-8 w is three
// bytes long, as Han, kana and Hangul in the Basic Multilingual Plane are.
func allThreeByte(w []byte) bool {
	if len(w)%3 != 0 {
		return false
	}
	for i := 0; i < len(w); i += 3 {
		if w[i]&0xf0 != 0xe0 {
			return false
		}
	}
	return true
}

// cjkGrams3 is cjkGrams for the shipped model's case: features kept,
// tagged only (salt is saltCJK with the language's salt), n-grams of one
// to three runes, and a run w of three-byte runes starting at offset
// start0 of the text. It appends to fs the same features in the same
// order, chunk by chunk of maxWordRunes runes.
func cjkGrams3(fs []feat, w []byte, start0 int32, salt, mask uint64) []feat {
	runes := len(w) / 3
	for base := 0; ; {
		n := min(runes-base, maxWordRunes)
		c := w[3*base : 3*(base+n)]
		start := start0 + int32(3*base)
		// Room for every n-gram of a chunk, written by index.
		fs = slices.Grow(fs, 3*maxWordRunes)
		out := (*[3 * maxWordRunes]feat)(fs[len(fs) : len(fs)+3*maxWordRunes])
		m := 0
		if base > 0 && n >= 3 {
			// The chunk starts two runes back: of the n-grams from
			// those, only the ones reaching past them are new.
			h := fnv3(fnv3(fnvOffset, c[0:3]), c[3:6])
			out[0] = feat{idx: uint32(mix(fnv3(h, c[6:9])^salt) & mask), start: start, end: start + 9}
			h = fnv3(fnv3(fnvOffset, c[3:6]), c[6:9])
			out[1] = feat{idx: uint32(mix(h^salt) & mask), start: start + 3, end: start + 9}
			m = 2
			if n >= 4 {
				out[2] = feat{idx: uint32(mix(fnv3(h, c[9:12])^salt) & mask), start: start + 3, end: start + 12}
				m = 3
			}
			c, start = c[6:], start+6
		}
		m = cjkChunk3(out, m, c, start, salt, mask)
		fs = fs[:len(fs)+m]
		if base+n >= runes {
			return fs
		}
		// Step back so n-grams across the chunk border are emitted too.
		base += n - 2
	}
}

// fnv3 extends the FNV hash h by the three bytes of c.
func fnv3(h uint64, c []byte) uint64 {
	c = c[:3]
	h = (h ^ uint64(c[0])) * fnvPrime
	h = (h ^ uint64(c[1])) * fnvPrime
	return (h ^ uint64(c[2])) * fnvPrime
}

// cjkChunk3 writes to out from index m the n-grams of one to three runes
// of c (at most maxWordRunes), three bytes a rune, starting at offset
// start of the text, in order of start then length, and returns the index
// after the last. The FNV hash of an n-gram extends
// its prefix's, one rune at a time.
func cjkChunk3(out *[3 * maxWordRunes]feat, m int, c []byte, start int32, salt, mask uint64) int {
	// Three n-grams from each rune but the last two, written together;
	// the rest as they fit.
	for ; len(c) >= 9 && m+2 < len(out); c, start, m = c[3:], start+3, m+3 {
		h1 := fnv3(fnvOffset, c)
		h2 := fnv3(h1, c[3:])
		h3 := fnv3(h2, c[6:])
		x1, x2, x3 := uint32(mix(h1^salt)&mask), uint32(mix(h2^salt)&mask), uint32(mix(h3^salt)&mask)
		o := (*[3]feat)(out[m : m+3])
		o[0] = feat{idx: x1, start: start, end: start + 3}
		o[1] = feat{idx: x2, start: start, end: start + 6}
		o[2] = feat{idx: x3, start: start, end: start + 9}
	}
	for ; len(c) >= 3; c, start = c[3:], start+3 {
		h := fnv3(fnvOffset, c)
		out[m] = feat{idx: uint32(mix(h^salt) & mask), start: start, end: start + 3}
		m++
		if len(c) < 6 {
			continue
		}
		h = fnv3(h, c[3:])
		out[m] = feat{idx: uint32(mix(h^salt) & mask), start: start, end: start + 6}
		m++
		if len(c) < 9 {
			continue
		}
		h = fnv3(h, c[6:])
		out[m] = feat{idx: uint32(mix(h^salt) & mask), start: start, end: start + 9}
		m++
	}
	return m
}

// saltRule marks the rule-score indicator features.
const saltRule = 0x5851f42d4c957f2d

// ruleBins appends indicator features of the rule-based result r: the
// compound in tenths, whether positive and negative words were found, and
// whether the post asks or exclaims; at level 2 also the compound in
// twentieths, the compound crossed with a question, the counts of positive
// and negative terms, the strongest of each, the sign of the last one and
// the post's length crossed with the counts. They let a linear model learn
// where the rules' cut-offs lie on real posts (a rule compound of 0.1 is
// mostly neutral on tweets). They carry no span: explain hands their
// weight to the rule terms. Each language slot has its own.
func ruleBins(sc *scratch, r *Result, mask uint64, level, slot int) {
	k := ruleSink{sc: sc, mask: mask, salt: saltRule ^ mix(uint64(slot+1)*0x9fb21c651e98df25)}
	bin := uint64(int64(math.Floor(r.Compound*10)) + 100)
	k.add(bin)
	var pn uint64
	if r.Pos > 0 {
		pn |= 1
	}
	if r.Neg > 0 {
		pn |= 2
	}
	if sc.stats.quest > 0 {
		pn |= 4
	}
	if sc.stats.excl > 0 {
		pn |= 8
	}
	k.add(pn)
	if level < 2 {
		return
	}
	k.add(uint64(int64(math.Floor(r.Compound*20)) + 100))
	k.add(bin<<8 | pn&4)
	var npos, nneg, last uint64
	var maxPos, maxNeg float64
	if n := len(sc.toks); cap(sc.vals) >= n {
		for _, v := range sc.vals[:n] {
			switch {
			case v > 0:
				npos++
				last = 1
				maxPos = max(maxPos, v)
			case v < 0:
				nneg++
				last = 2
				maxNeg = max(maxNeg, -v)
			}
		}
	}
	k.add(min(npos, 3)<<4 | min(nneg, 3))
	k.add(uint64(maxPos*2)<<8 | uint64(maxNeg*2))
	k.add(last)
	words := uint64(len(sc.toks))
	lb := uint64(0)
	switch {
	case words > 20:
		lb = 3
	case words > 10:
		lb = 2
	case words > 5:
		lb = 1
	}
	k.add(lb<<8 | min(npos, 2)<<4 | min(nneg, 2))
}

// ruleSink numbers the kinds of rule indicators so that equal values of
// different kinds never share a bucket by design.
type ruleSink struct {
	sc         *scratch
	mask, salt uint64
	kind       uint64
}

func (k *ruleSink) add(h uint64) {
	k.kind++
	k.sc.feats = append(k.sc.feats, feat{idx: uint32(mix((h+k.kind*0x9e3779b97f4a7c15)^k.salt) & k.mask), stop: true})
}
