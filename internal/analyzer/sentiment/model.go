package sentiment

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/gob"
	"fmt"
	"io"
	"math"
)

// modelFile is the learned model shipped with the package, rebuilt by
// `go run ./internal/analyzer/sentiment/train` from ../shared/data.
//
//go:embed model/sentiment.gob.gz
var modelFile []byte

// numDense is the number of dense lexicon features per language: the
// rule-based compound, its positive and negative proportions, and the
// language's own lexicon score.
const numDense = 4

// linear is a multinomial logistic regression over hashed sparse features
// plus dense lexicon features, with int8 weights.
type linear struct {
	Name    string
	Classes []string // class names, e.g. negative, neutral, positive
	Langs   []string // language slots used to tag features and pick dense weights
	Bits    uint8    // log2 of the bucket count
	Cfg     featCfg
	W       []byte    // int8 weights, bucket-major: W[bucket*len(Classes)+class]
	Scale   float32   // weight = int8 * Scale
	Bias    []float32 // per class
	Dense   []float32 // [lang][numDense][class]
	// Band is the half-width, in compound units, of the neutral band of a
	// two-class model (negative/positive) whose data has no neutral label.
	Band float32
	// Soften: the model may confirm or soften the rules' negatives but
	// never label negative a post the rules do not (English).
	Soften bool
	// NegGuard, when above zero, is the probability of the negative class
	// a post needs to be called negative when neither the rules nor the
	// language's lexicon find a negative term in it; a question without
	// one is never negative. Below it such a post is neutral. Chinese:
	// learned from product reviews, the model reads calm questions and
	// product names ("出行卡" holds 卡, "laggy" in reviews) as complaints.
	NegGuard float32
	// NegGuardPraise, when above zero, is the probability of the
	// negative class a post needs when the rules or the lexicon find
	// praise in it and no complaint; NegGuard then applies to the posts
	// in which they find neither. Zero: NegGuard applies to both.
	NegGuardPraise float32

	// rows8 is W with each row of up to 8 classes in one word, every
	// weight biased by 128 into a byte (class c in byte c), built at load
	// for the language identifier: its rows are summed eight lanes at a
	// time. Not stored in the file.
	rows8 []uint64
	// half is, for a two-class model, W with one byte a row: the
	// positive class's weight, the negative class's being its negation
	// (a two-class softmax trained from zero learns opposite weights; int8
	// rounding keeps them opposite in all but a few rows). Those rows hold
	// halfOther and are read from W. Half the bytes of W, so more of the
	// rows a post reads stay in cache. Built at load; not stored.
	half []int8
	// grams holds rows8's rows of the one- and two-character n-grams of
	// ASCII bytes, indexed by the bytes rather than by their hashed
	// bucket, for the language identifier (see asciiGramRows). Built at
	// load; not stored.
	grams *asciiGramRows
}

// asciiGramRows are the packed weight rows (as in linear.rows8) of the
// character n-grams of one and two ASCII bytes. The boundary marks '<'
// and '>' hash as those bytes do, so every n-gram of that length in an
// ASCII word padded with them has its row here, found without hashing.
type asciiGramRows struct {
	one [128]uint64
	two [128 * 128]uint64 // two[a<<7|b]
}

// packGrams builds m.grams from m.rows8, when m's features are shared
// character n-grams from one or two characters long.
func (m *linear) packGrams() {
	cfg := &m.Cfg
	if m.rows8 == nil || !cfg.Shared || cfg.CharMin < 1 || cfg.CharMin > 2 || cfg.CharMax < cfg.CharMin {
		return
	}
	g := new(asciiGramRows)
	mask := m.mask()
	for a := range 128 {
		h := (uint64(fnvOffset) ^ uint64(a)) * fnvPrime
		g.one[a] = m.rows8[mix(h^saltChar^1<<56)&mask]
		for b := range 128 {
			h2 := (h ^ uint64(b)) * fnvPrime
			g.two[a<<7|b] = m.rows8[mix(h2^saltChar^2<<56)&mask]
		}
	}
	m.grams = g
}

// halfOther marks a row of linear.half whose weights are not opposite:
// never the negation of an int8, so never a positive weight of such a row.
const halfOther = -128

// packHalf builds m.half from m.W for a two-class model.
func (m *linear) packHalf() {
	m.half = make([]int8, len(m.W)/2)
	for b := range m.half {
		neg, pos := int8(m.W[2*b]), int8(m.W[2*b+1])
		if int(neg) != -int(pos) {
			m.half[b] = halfOther
			continue
		}
		m.half[b] = pos
	}
}

// packRows8 builds m.rows8 from m.W.
func (m *linear) packRows8() {
	nc := len(m.Classes)
	m.rows8 = make([]uint64, len(m.W)/nc)
	for b := range m.rows8 {
		var x uint64
		for c, v := range m.W[b*nc : b*nc+nc] {
			x |= uint64(uint8(int(int8(v))+128)) << (8 * c)
		}
		m.rows8[b] = x
	}
}

// modelSet is everything the learned scorer needs.
type modelSet struct {
	Version string
	LID     *linear // Latin-script language identification
	Tweets  *linear // three-class sentiment for the UMSAB languages
	Zh      *linear // Chinese, two classes with a neutral band
	// En is English: the rules' result (compound, proportions and
	// indicator bins) blended with hashed words. Nil in older model files:
	// English is then scored by the rules alone.
	En *linear
}

func (m *linear) mask() uint64 { return 1<<m.Bits - 1 }

func (m *linear) langSlot(lang string) int {
	if m == nil {
		return -1 // a model set trained for an experiment without this part
	}
	for i, l := range m.Langs {
		if l == lang {
			return i
		}
	}
	return -1
}

// loadModels decodes a gzip-compressed gob model set.
func loadModels(data []byte) (*modelSet, error) {
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("sentiment model: %w", err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("sentiment model: %w", err)
	}
	var ms modelSet
	if err := gob.NewDecoder(bytes.NewReader(raw)).Decode(&ms); err != nil {
		return nil, fmt.Errorf("sentiment model: %w", err)
	}
	for _, m := range []*linear{ms.LID, ms.Tweets, ms.Zh} {
		if m == nil {
			return nil, fmt.Errorf("sentiment model: missing part")
		}
		nc := len(m.Classes)
		if len(m.W) != nc<<m.Bits || len(m.Bias) != nc || len(m.Dense) != len(m.Langs)*numDense*nc {
			return nil, fmt.Errorf("sentiment model %s: inconsistent sizes", m.Name)
		}
	}
	if m := ms.En; m != nil {
		nc := len(m.Classes)
		if len(m.W) != nc<<m.Bits || len(m.Bias) != nc || len(m.Dense) != len(m.Langs)*numDense*nc {
			return nil, fmt.Errorf("sentiment model %s: inconsistent sizes", m.Name)
		}
	}
	if len(ms.Zh.Classes) == 2 {
		ms.Zh.packHalf()
	}
	if nc := len(ms.LID.Classes); nc <= 8 {
		ms.LID.packRows8()
		ms.LID.packGrams()
	}
	return &ms, nil
}

// encodeModels is the inverse of loadModels; gzip output is deterministic
// for a given input and compression level.
func encodeModels(ms *modelSet) ([]byte, error) {
	var raw bytes.Buffer
	if err := gob.NewEncoder(&raw).Encode(ms); err != nil {
		return nil, err
	}
	var out bytes.Buffer
	zw, err := gzip.NewWriterLevel(&out, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(raw.Bytes()); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// maxClasses bounds the classes of any model (the language identifier's).
const maxClasses = 8

// logits computes the class scores of the features in sc.feats and the
// dense features x for language slot lang into out, and records in each
// feature its positive-minus-negative weight for explain.
func (m *linear) logits(sc *scratch, lang int, x *[numDense]float64, out []float64) {
	nc := len(m.Classes)
	var acc [maxClasses]int32
	switch nc {
	case 3:
		// The common shapes, unrolled: the sums are the same integers.
		w, fs := m.W, sc.feats
		for j := range fs {
			f := &fs[j]
			i := int(f.idx) * 3
			row := w[i : i+3 : i+3]
			a, b, c := int8(row[0]), int8(row[1]), int8(row[2])
			acc[0] += int32(a)
			acc[1] += int32(b)
			acc[2] += int32(c)
			f.d = int16(c) - int16(a)
		}
	case 2:
		if m.half != nil {
			m.sumHalf(sc, &acc)
			break
		}
		w, fs := m.W, sc.feats
		for j := range fs {
			f := &fs[j]
			i := int(f.idx) * 2
			row := w[i : i+2 : i+2]
			a, b := int8(row[0]), int8(row[1])
			acc[0] += int32(a)
			acc[1] += int32(b)
			f.d = int16(b) - int16(a)
		}
	default:
		m.sumRows(sc, nc, &acc)
	}
	m.finish(&acc, lang, x, out)
}

// finish turns the weight sums acc of a post's hashed features and its
// dense features x for language slot lang into class scores.
func (m *linear) finish(acc *[maxClasses]int32, lang int, x *[numDense]float64, out []float64) {
	nc := len(m.Classes)
	for c := 0; c < nc; c++ {
		out[c] = float64(m.Bias[c]) + float64(acc[c])*float64(m.Scale)
	}
	if lang >= 0 {
		d := m.Dense[lang*numDense*nc:]
		for k, v := range x {
			if v == 0 {
				continue
			}
			for c := 0; c < nc; c++ {
				out[c] += float64(d[k*nc+c]) * v
			}
		}
	}
}

// sumHalf is logits' sum for a two-class model with m.half: the same
// integers, one byte read a feature.
func (m *linear) sumHalf(sc *scratch, acc *[maxClasses]int32) {
	half, fs := m.half, sc.feats
	var pos, otherNeg, otherPos int32 // pos: the opposite rows' positive weights
	for j := range fs {
		f := &fs[j]
		v := half[f.idx]
		if v == halfOther {
			row := m.W[int(f.idx)*2 : int(f.idx)*2+2]
			a, b := int8(row[0]), int8(row[1])
			otherNeg += int32(a)
			otherPos += int32(b)
			f.d = int16(b) - int16(a)
			continue
		}
		pos += int32(v)
		f.d = 2 * int16(v)
	}
	acc[0] = otherNeg - pos
	acc[1] = otherPos + pos
}

// sumRows adds the weight rows of sc.feats for any class count.
func (m *linear) sumRows(sc *scratch, nc int, acc *[maxClasses]int32) {
	for j := range sc.feats {
		f := &sc.feats[j]
		row := m.W[int(f.idx)*nc : int(f.idx)*nc+nc]
		for c, b := range row {
			acc[c] += int32(int8(b))
		}
		f.d = int16(int8(row[nc-1])) - int16(int8(row[0]))
	}
}

// softmax turns logits into probabilities in place.
func softmax(z []float64) {
	mx := math.Inf(-1)
	for _, v := range z {
		mx = math.Max(mx, v)
	}
	sum := 0.0
	for i, v := range z {
		z[i] = math.Exp(v - mx)
		sum += z[i]
	}
	for i := range z {
		z[i] /= sum
	}
}
