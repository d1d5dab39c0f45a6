package sentiment

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/bits"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// TrainConfig is the recipe of the learned models. The zero value is not
// usable; DefaultTrainConfig is the recipe the shipped model was built with.
type TrainConfig struct {
	// Data is the directory holding umsab/<lang>-train.jsonl and
	// zh-reviews-train.jsonl.
	Data string
	// Langs are the UMSAB languages of the tweet model.
	Langs []string
	// Bits, ZhBits and LIDBits are log2 of the hashed bucket counts.
	Bits, ZhBits, LIDBits uint8
	// Epochs, LR and L2 drive AdaGrad on the logistic loss.
	Epochs, ZhEpochs int
	LR, L2           float64
	// TweetLR is the tweet model's learning rate (0: LR).
	TweetLR float64
	// CharMin, CharMax are the character n-gram lengths of the tweet model.
	CharMin, CharMax int
	// EnBits, EnEpochs, EnLR and EnRuleBins are the English model's recipe:
	// few tweets to learn from, so a small learning rate keeps the hashed
	// words from outvoting the rules. EnEpochs 0 leaves English on the
	// rules. EnSoften is the model's Soften.
	EnBits     uint8
	EnEpochs   int
	EnLR       float64
	EnRuleBins int
	EnSoften   bool
	// EnCharMin, EnCharMax are the English model's character n-grams (0:
	// none); EnPool also trains it on the other languages' tweets.
	EnCharMin, EnCharMax int
	EnPool               bool
	// EnCalibrate, when above 1, is the number of folds of a
	// cross-validation inside the training data that chooses the English
	// model's class offsets (added to its biases) and its negative guard
	// (linear.NegGuard): the strictest guard whose cross-validated
	// macro-F1 is within EnGuardSlack of the best.
	EnCalibrate  int
	EnGuardSlack float64
	EnOffsets    bool // also choose class offsets
	// TweetShared also emits the tweet model's features untagged, shared
	// by all languages; TweetRuleBins adds rule indicators per language.
	TweetShared   bool
	TweetRuleBins int
	// HiSkel reads the tweet model's Hindi words of ASCII letters by
	// their spelling skeleton (featCfg.Skel): 0 not, 1 beside the words,
	// 2 instead of the words and their pairs (featCfg.SkelOnly).
	HiSkel int
	// ZhGuard, when above zero, is the Chinese model's negative guard
	// (linear.NegGuard), fixed by the recipe.
	ZhGuard float64
	// ZhGuardCost, when ZhGuard is 0, calibrates the guard instead: it
	// is the share of a random tenth of the reviews, held out, that the
	// guard may get wrong that the model got right without it, and the
	// guard is the strictest one within that cost. Both 0: no guard.
	ZhGuardCost float64
	// ZhGuardPraise, with ZhGuard, is the guard of the posts in which
	// the rules or the lexicon find praise and no complaint (see
	// linear.NegGuardPraise); 0: ZhGuard for them too.
	ZhGuardPraise float64
	// ZhBandMax is the widest neutral band the Chinese calibration may
	// choose (see neutralBand); 0 leaves no band. The band is calibrated
	// on reviews of the categories it was trained on, where the model is
	// surer than on a new domain.
	ZhBandMax float64
	// ZhMinCats, when above 1, keeps only the Chinese n-gram features
	// found in at least ZhMinDocs reviews of each of ZhMinCats review
	// categories of the training data: a feature seen in one category
	// only names that category's things ("死机", "洗发水") more than how
	// reviews praise or complain, and says nothing on a new domain.
	ZhMinCats, ZhMinDocs int
	// ZhCatBalance weighs each Chinese review by the inverse of its
	// category's size, so every category counts as much in training.
	ZhCatBalance bool
	// ZhL2, when above zero, is the Chinese model's L2 regularisation
	// of its n-gram weights instead of L2, for trying whether harder
	// regularised n-grams outweigh the lexicon less on other domains.
	ZhL2 float64
	// ZhDrop is the probability with which each n-gram feature of a
	// review is left out of each training step (see fitDrop).
	ZhDrop float64
	// Seed makes shuffling, and so the model, deterministic.
	Seed uint64
	// Log receives progress lines; nil discards them.
	Log io.Writer
	// Only, for experiments, restricts training and cross-validation to
	// the tweets ("tweets": language identifier, tweet and English
	// models) or the Chinese reviews ("zh": identifier and Chinese model).
	// Empty trains everything, as a model file needs.
	Only string
	// Predictions, when set, receives one JSON line per held-out post of
	// a cross-validation: its gold label and language, and what the
	// scorer returned, for looking at what fails.
	Predictions io.Writer
}

// DefaultTrainConfig returns the recipe of the shipped model.
func DefaultTrainConfig(data string) TrainConfig {
	return TrainConfig{
		Data:  data,
		Langs: []string{"ar", "de", "en", "es", "fr", "hi", "it", "pt"},
		Bits:  20, ZhBits: 20, LIDBits: 16,
		Epochs: 4, ZhEpochs: 5,
		LR: 0.1, L2: 1e-2, TweetLR: 0.05,
		CharMin: 0, CharMax: 0,
		EnBits: 16, EnEpochs: 3, EnLR: 0.02, EnRuleBins: 2, EnSoften: true,
		TweetShared: false, TweetRuleBins: 1, HiSkel: 2,
		ZhGuardCost: 0, ZhBandMax: 0, ZhGuard: 0.65, ZhGuardPraise: 0.9,
		Seed: 13,
	}
}

// latinLID are the languages the Latin-script identifier tells apart.
var latinLID = []string{"de", "en", "es", "fr", "hi", "it", "pt"}

var (
	tweetClasses = []string{"negative", "neutral", "positive"}
	zhClasses    = []string{"negative", "positive"}
)

// LabelledPost is one line of a labelled JSONL file.
type LabelledPost struct {
	ID       json.RawMessage `json:"id"`
	Language string          `json:"language"`
	Label    string          `json:"label"`
	Text     string          `json:"text"`
	// Category is the domain of a Chinese review (水果, 书籍 ...), for
	// cross-validating across domains; tweets have none.
	Category string `json:"category,omitempty"`
}

// ReadTrainFile reads a labelled JSONL training file. It refuses files
// whose names mark them as validation or test splits, so a recipe can
// never learn from the data used to judge it.
func ReadTrainFile(path string) ([]LabelledPost, error) {
	base := strings.ToLower(filepath.Base(path))
	if strings.Contains(base, "val") || strings.Contains(base, "test") || strings.Contains(base, "dev") {
		return nil, fmt.Errorf("train: %s looks like a validation or test split; training reads train splits only", path)
	}
	return ReadLabelled(path)
}

// ReadLabelled reads {"id","language","label","text"} lines.
func ReadLabelled(path string) ([]LabelledPost, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read labelled: %w", err)
	}
	defer f.Close()
	var out []LabelledPost
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 4*1024*1024)
	for line := 1; sc.Scan(); line++ {
		if len(strings.TrimSpace(sc.Text())) == 0 {
			continue
		}
		var p LabelledPost
		if err := json.Unmarshal(sc.Bytes(), &p); err != nil {
			return nil, fmt.Errorf("%s line %d: %w", path, line, err)
		}
		switch p.Label {
		case "negative", "neutral", "positive":
		default:
			return nil, fmt.Errorf("%s line %d: label %q is not negative, neutral or positive", path, line, p.Label)
		}
		out = append(out, p)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return out, nil
}

// TrainData is the training material of one recipe.
type TrainData struct {
	Tweets []LabelledPost // UMSAB train splits, all languages
	Zh     []LabelledPost // Chinese reviews
}

// LoadTrainData reads the train splits named by cfg.
func LoadTrainData(cfg TrainConfig) (TrainData, error) {
	var td TrainData
	if cfg.Only != "" && cfg.Only != "tweets" && cfg.Only != "zh" {
		return td, fmt.Errorf("train: only %q: want tweets or zh", cfg.Only)
	}
	for _, l := range cfg.Langs {
		ps, err := ReadTrainFile(filepath.Join(cfg.Data, "umsab", l+"-train.jsonl"))
		if err != nil {
			return td, err
		}
		for i := range ps {
			ps[i].Language = l
		}
		td.Tweets = append(td.Tweets, ps...)
	}
	if cfg.Only == "tweets" {
		return td, nil
	}
	zh, err := ReadTrainFile(filepath.Join(cfg.Data, "zh-reviews-train.jsonl"))
	if err != nil {
		return td, err
	}
	td.Zh = zh
	return td, nil
}

// example is a post turned into model input.
type example struct {
	feats []uint32
	dense [numDense]float64
	slot  int
	y     int
	quest bool    // the text asks something (isQuestion)
	wt    float64 // weight of the example in training (0: 1)
}

// prepare runs the same steps as scoring a tokenized post up to the model: features,
// language lexicon, rules. Training uses it, so both sides always agree.
func (s *Scorer) prepare(text string, sc *scratch, m *linear, slot int, lang string, r *Result) [numDense]float64 {
	featurize(text, sc, &m.Cfg, slot, m.mask())
	lexScore := s.langLexicon(text, sc, lang)
	s.score(text, sc, r)
	if m.Cfg.RuleBins > 0 {
		ruleBins(sc, r, m.mask(), m.Cfg.RuleBins, slot)
	}
	return denseFeatures(r, lexScore)
}

func newScratch() *scratch {
	return &scratch{lower: make([]byte, 0, 512), toks: make([]token, 0, 64)}
}

func classIndex(classes []string, label string) int {
	for i, c := range classes {
		if c == label {
			return i
		}
	}
	return -1
}

// Train builds the model set from td with recipe cfg.
func Train(cfg TrainConfig, td TrainData) (*modelSet, error) {
	base, err := newScorer(Options{}, nil)
	if err != nil {
		return nil, err
	}
	logf := func(format string, a ...any) {
		if cfg.Log != nil {
			fmt.Fprintf(cfg.Log, format+"\n", a...)
		}
	}
	ms := &modelSet{Version: fmt.Sprintf("lr-%d.%d.%d", cfg.Bits, cfg.ZhBits, cfg.LIDBits)}

	// Latin-script language identification: whole posts and short windows
	// of them, so short posts are routed as well as long ones.
	ms.LID = &linear{Name: "lid", Classes: latinLID, Bits: cfg.LIDBits,
		Cfg: featCfg{Words: true, CharMin: 1, CharMax: 3, Shared: true}}
	rng := rand.New(rand.NewPCG(cfg.Seed, 1))
	var lid []example
	sc := newScratch()
	for _, p := range td.Tweets {
		y := classIndex(latinLID, p.Language)
		if y < 0 {
			continue
		}
		base.lx.tokenize(p.Text, sc)
		featurize(p.Text, sc, &ms.LID.Cfg, -1, ms.LID.mask())
		lid = append(lid, example{feats: idxs(sc.feats), slot: -1, y: y})
		if n := len(sc.toks); n > 3 {
			from := rng.IntN(n - 2)
			to := min(n, from+2+rng.IntN(4))
			toks := append([]token(nil), sc.toks...)
			sc.toks = toks[from:to]
			featurize(p.Text, sc, &ms.LID.Cfg, -1, ms.LID.mask())
			lid = append(lid, example{feats: idxs(sc.feats), slot: -1, y: y})
		}
	}
	logf("lid: %d examples", len(lid))
	fit(ms.LID, lid, cfg.Epochs, cfg.LR, cfg.L2, cfg.Seed)

	if cfg.Only == "zh" {
		return ms, trainZh(cfg, td, base, ms, logf)
	}
	trainTweets(cfg, td, base, ms, logf)

	var r Result
	if cfg.EnEpochs > 0 {
		ms.Version += fmt.Sprintf(".en%d", cfg.EnBits)
		ms.En = &linear{Name: "en", Classes: tweetClasses, Langs: []string{"en"}, Bits: cfg.EnBits,
			Cfg:    featCfg{Words: true, Bigrams: true, CharMin: cfg.EnCharMin, CharMax: cfg.EnCharMax, RuleBins: cfg.EnRuleBins},
			Soften: cfg.EnSoften}
		var en, pool []example
		for _, p := range td.Tweets {
			if p.Language != "en" && !cfg.EnPool {
				continue
			}
			base.lx.tokenize(p.Text, sc)
			x := base.prepare(p.Text, sc, ms.En, 0, "en", &r)
			e := example{feats: idxs(sc.feats), dense: x, slot: 0, y: classIndex(tweetClasses, p.Label), quest: isQuestion(p.Text)}
			if p.Language == "en" {
				en = append(en, e)
			} else {
				pool = append(pool, e)
			}
		}
		logf("en: %d examples (+%d of other languages)", len(en), len(pool))
		if cfg.EnCalibrate > 1 {
			calibrateEn(cfg, ms.En, en, pool, logf)
		}
		off := ms.En.Bias
		fit(ms.En, append(en, pool...), cfg.EnEpochs, cfg.EnLR, cfg.L2, cfg.Seed)
		if cfg.EnCalibrate > 1 {
			for c := range ms.En.Bias {
				ms.En.Bias[c] += off[c]
			}
		}
	}

	if cfg.Only == "tweets" {
		return ms, nil
	}
	return ms, trainZh(cfg, td, base, ms, logf)
}

// trainZh fits the Chinese model and its neutral band.
func trainZh(cfg TrainConfig, td TrainData, base *Scorer, ms *modelSet, logf func(string, ...any)) error {
	sc := newScratch()
	var r Result
	ms.Zh = &linear{Name: "zh", Classes: zhClasses, Langs: []string{"zh"}, Bits: cfg.ZhBits,
		Cfg: featCfg{Words: true, Bigrams: true, CJKMin: 1, CJKMax: 3}}
	var zh []example
	var cats []string
	for _, p := range td.Zh {
		y := classIndex(zhClasses, p.Label)
		if y < 0 {
			continue
		}
		base.lx.tokenize(p.Text, sc)
		x := base.prepare(p.Text, sc, ms.Zh, 0, "zh", &r)
		zh = append(zh, example{feats: idxs(sc.feats), dense: x, slot: 0, y: y, quest: isQuestion(p.Text)})
		cats = append(cats, p.Category)
	}
	logf("zh: %d examples", len(zh))
	if cfg.ZhMinCats > 1 {
		kept := crossDomainFeatures(zh, cats, cfg.ZhMinCats, max(cfg.ZhMinDocs, 1), 1<<cfg.ZhBits)
		logf("zh: %d features in at least %d categories", kept.count(), cfg.ZhMinCats)
		for i := range zh {
			fs := zh[i].feats[:0:0]
			for _, f := range zh[i].feats {
				if kept.has(f) {
					fs = append(fs, f)
				}
			}
			zh[i].feats = fs
		}
	}
	if cfg.ZhCatBalance {
		size := map[string]int{}
		for _, c := range cats {
			size[c]++
		}
		for i := range zh {
			zh[i].wt = float64(len(zh)) / float64(len(size)*size[cats[i]])
		}
	}
	zhL2 := cfg.L2
	if cfg.ZhL2 > 0 {
		zhL2 = cfg.ZhL2
	}
	if cfg.ZhBandMax > 0 || cfg.ZhGuard == 0 && cfg.ZhGuardCost > 0 {
		// The neutral band and a calibrated guard: fit on 90%, find
		// where the held-out 10% is close to a coin toss and what the
		// guard costs there, then fit on everything.
		perm := rand.New(rand.NewPCG(cfg.Seed, 2)).Perm(len(zh))
		cut := len(zh) * 9 / 10
		var fitPart, held []example
		for i, j := range perm {
			if i < cut {
				fitPart = append(fitPart, zh[j])
			} else {
				held = append(held, zh[j])
			}
		}
		fitDrop(ms.Zh, fitPart, cfg.ZhEpochs, cfg.LR, zhL2, cfg.Seed, cfg.ZhDrop)
		ms.Zh.Band = float32(neutralBand(ms.Zh, held, cfg.ZhBandMax))
		logf("zh: neutral band ±%.2f", ms.Zh.Band)
		if cfg.ZhGuard == 0 && cfg.ZhGuardCost > 0 {
			ms.Zh.NegGuard = float32(negGuard(ms.Zh, held, cfg.ZhGuardCost, logf))
			logf("zh: negatives without a negative term need p(neg) ≥ %.3f", ms.Zh.NegGuard)
		}
	}
	if cfg.ZhGuard > 0 {
		ms.Zh.NegGuard, ms.Zh.NegGuardPraise = float32(cfg.ZhGuard), float32(cfg.ZhGuardPraise)
		logf("zh: negatives without a negative term need p(neg) ≥ %.2f, with praise ≥ %.2f", cfg.ZhGuard, cfg.ZhGuardPraise)
	}
	fitDrop(ms.Zh, zh, cfg.ZhEpochs, cfg.LR, zhL2, cfg.Seed, cfg.ZhDrop)
	return nil
}

// featSet is a set of feature indices, one bit each.
type featSet []uint64

func (s featSet) has(f uint32) bool { return s[f>>6]&(1<<(f&63)) != 0 }

func (s featSet) count() int {
	n := 0
	for _, w := range s {
		n += bits.OnesCount64(w)
	}
	return n
}

// crossDomainFeatures returns the features of exs (of nb buckets) found
// in at least minDocs examples of each of at least minCats categories,
// cats[i] being the category of exs[i].
func crossDomainFeatures(exs []example, cats []string, minCats, minDocs, nb int) featSet {
	at := map[string]int{}
	for _, c := range cats {
		if _, ok := at[c]; !ok {
			at[c] = len(at)
		}
	}
	nc := len(at)
	docs := make([]uint16, nb*nc)
	for i, e := range exs {
		c := at[cats[i]]
		for _, f := range e.feats {
			if j := int(f)*nc + c; docs[j] < math.MaxUint16 {
				docs[j]++
			}
		}
	}
	kept := make(featSet, (nb+63)/64)
	for f := 0; f < nb; f++ {
		n := 0
		for c := 0; c < nc; c++ {
			if int(docs[f*nc+c]) >= minDocs {
				n++
			}
		}
		if n >= minCats {
			kept[f>>6] |= 1 << (uint(f) & 63)
		}
	}
	return kept
}

func idxs(fs []feat) []uint32 {
	out := make([]uint32, len(fs))
	for i, f := range fs {
		out[i] = f.idx
	}
	return out
}

// twoClassDiff is p(pos) - p(neg) of a held-out example under a
// two-class model; z is left holding both probabilities.
func twoClassDiff(m *linear, sc *scratch, e *example, z *[maxClasses]float64) float64 {
	sc.feats = sc.feats[:0]
	for _, f := range e.feats {
		sc.feats = append(sc.feats, feat{idx: f})
	}
	m.logits(sc, e.slot, &e.dense, z[:2])
	softmax(z[:2])
	return z[1] - z[0]
}

// neutralBand returns the widest |p(pos)-p(neg)| band, in steps of 0.05 up
// to maxBand, whose held-out posts the model labels correctly less than
// 65% of the time and which holds at most 10% of them: there the model is close
// to guessing, and a post is better called neutral.
func neutralBand(m *linear, held []example, maxBand float64) float64 {
	sc := newScratch()
	type pd struct {
		d  float64
		ok bool
	}
	var ps []pd
	var z [maxClasses]float64
	for i := range held {
		e := &held[i]
		d := twoClassDiff(m, sc, e, &z)
		ps = append(ps, pd{d: d, ok: (d > 0) == (e.y == 1)})
	}
	best := 0.0
	for b := 0.05; b <= maxBand+1e-4; b += 0.05 {
		in, ok := 0, 0
		for _, p := range ps {
			if math.Abs(p.d) < b {
				in++
				if p.ok {
					ok++
				}
			}
		}
		if in == 0 {
			continue
		}
		if float64(ok)/float64(in) >= 0.65 || float64(in) > 0.1*float64(len(ps)) {
			break
		}
		best = b
	}
	return best
}

// calibrateEn chooses the English model's class offsets and negative
// guard by a k-fold cross-validation inside its training examples, and
// leaves the offsets in m.Bias (fit overwrites them; the caller adds them
// back) and the guard in m.NegGuard.
func calibrateEn(cfg TrainConfig, m *linear, en, pool []example, logf func(string, ...any)) {
	k := cfg.EnCalibrate
	type oof struct {
		z     [3]float64 // logits
		rules int        // the rules' label: 0 neg, 1 neu, 2 pos
		quest bool
		y     int
	}
	preds := make([]oof, 0, len(en))
	fold := rand.New(rand.NewPCG(cfg.Seed, 4)).Perm(len(en))
	sc := newScratch()
	for f := 0; f < k; f++ {
		var tr, te []example
		for i, e := range en {
			if fold[i]%k == f {
				te = append(te, e)
			} else {
				tr = append(tr, e)
			}
		}
		mm := &linear{Name: m.Name, Classes: m.Classes, Langs: m.Langs, Bits: m.Bits, Cfg: m.Cfg}
		fit(mm, append(tr, pool...), cfg.EnEpochs, cfg.EnLR, cfg.L2, cfg.Seed)
		for _, e := range te {
			sc.feats = sc.feats[:0]
			for _, f := range e.feats {
				sc.feats = append(sc.feats, feat{idx: f})
			}
			var o oof
			mm.logits(sc, 0, &e.dense, o.z[:])
			c := e.dense[0] / denseScale
			o.rules = 1
			if c >= 0.05 {
				o.rules = 2
			} else if c <= -0.05 {
				o.rules = 0
			}
			o.quest, o.y = e.quest, e.y
			preds = append(preds, o)
		}
	}
	score := func(off [3]float64, guard float64) float64 {
		var tp, fp, fn [3]float64
		for _, o := range preds {
			z := [3]float64{o.z[0] + off[0], o.z[1] + off[1], o.z[2] + off[2]}
			softmax(z[:])
			l := 0
			for c := 1; c < 3; c++ {
				if z[c] > z[l] {
					l = c
				}
			}
			if m.Soften && l == 0 && o.rules != 0 && (guard >= 1 || z[0] < guard || o.quest) {
				l = o.rules
			}
			if l == o.y {
				tp[l]++
			} else {
				fp[l]++
				fn[o.y]++
			}
		}
		f1 := 0.0
		for c := range tp {
			if d := 2*tp[c] + fp[c] + fn[c]; d > 0 {
				f1 += 2 * tp[c] / d
			}
		}
		return f1 / 3
	}
	guards := []float64{1, 0.95, 0.9, 0.85, 0.8, 0.75, 0.7, 0.65, 0.6, 0.55, 0.5}
	if !m.Soften {
		guards = []float64{0}
	}
	type choice struct {
		off   [3]float64
		guard float64
		f1    float64
	}
	var all []choice
	best := -1.0
	for _, g := range guards {
		c := choice{guard: g, f1: -1}
		span := 0
		if cfg.EnOffsets {
			span = 10
		}
		for a := -span; a <= span; a++ {
			for b := -span; b <= span; b++ {
				off := [3]float64{0, float64(a) / 10, float64(b) / 10}
				if f := score(off, g); f > c.f1 {
					c.off, c.f1 = off, f
				}
			}
		}
		logf("en guard %.2f: cross-validated macro-F1 %.4f, offsets %+.1f %+.1f", g, c.f1, c.off[1], c.off[2])
		all = append(all, c)
		best = math.Max(best, c.f1)
	}
	pick := all[0]
	for _, c := range all {
		if c.f1 >= best-cfg.EnGuardSlack {
			pick = c // guards run from strictest to loosest: the first within slack
			break
		}
	}
	m.Bias = make([]float32, 3)
	for c := range m.Bias {
		m.Bias[c] = float32(pick.off[c])
	}
	if pick.guard < 1 {
		m.NegGuard = float32(pick.guard)
	}
	logf("en: offsets %+.1f %+.1f, guard %.2f (macro-F1 %.4f inside train)", pick.off[1], pick.off[2], pick.guard, pick.f1)
}

// negGuard returns the highest p(neg), in steps, that posts without a
// negative rule or lexicon term (and never questions) need to be called
// negative, such that the held-out posts' accuracy drops by at most cost.
// Reviews are written to praise or complain; the guard is for posts that
// are neither, which reviews cannot show, so it is as strict as the
// reviews allow.
func negGuard(m *linear, held []example, cost float64, logf func(string, ...any)) float64 {
	sc := newScratch()
	band := float64(m.Band)
	acc := func(t float64) float64 {
		ok := 0
		var z [maxClasses]float64
		for i := range held {
			e := &held[i]
			d := twoClassDiff(m, sc, e, &z)
			label := 0 // neutral
			switch {
			case d >= band && d > 0:
				label = 1
			case d <= -band && d < 0:
				label = -1
				if t > 0 && !negSupport(&e.dense) && (z[0] < t || e.quest) {
					label = 0
				}
			}
			if label == 1 && e.y == 1 || label == -1 && e.y == 0 {
				ok++
			}
		}
		return float64(ok) / float64(len(held))
	}
	base := acc(0)
	best := 0.0
	for _, t := range []float64{0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.97, 0.98, 0.99, 0.995} {
		a := acc(t)
		logf("zh guard %.3f: held-out accuracy %.4f (%.4f without)", t, a, base)
		if a < base-cost {
			break
		}
		best = t
	}
	return best
}

// fit trains m by AdaGrad on the multinomial logistic loss with L2
// regularisation, then quantises its weights to int8.
func fit(m *linear, exs []example, epochs int, lr, l2 float64, seed uint64) {
	fitDrop(m, exs, epochs, lr, l2, seed, 0)
}

// fitDrop is fit with each hashed feature of an example left out of
// each step with probability drop (inverted dropout: the features kept
// count 1/(1-drop)), so no one n-gram can carry a review and the dense
// lexicon features, never dropped, carry more.
func fitDrop(m *linear, exs []example, epochs int, lr, l2 float64, seed uint64, drop float64) {
	nc := len(m.Classes)
	nb := 1 << m.Bits
	w := make([]float32, nb*nc)
	g2 := make([]float32, nb*nc)
	bias := make([]float64, nc)
	gb := make([]float64, nc)
	nd := max(len(m.Langs), 1) * numDense * nc
	dense := make([]float64, nd)
	gd := make([]float64, nd)
	rng := rand.New(rand.NewPCG(seed, 3))
	order := make([]int, len(exs))
	for i := range order {
		order[i] = i
	}
	var z, g [maxClasses]float64
	const eps = 1e-8
	keep := 1.0
	var dropRng *rand.Rand
	var active []uint32
	if drop > 0 {
		keep = 1 - drop
		dropRng = rand.New(rand.NewPCG(seed, 5))
	}
	for ep := 0; ep < epochs; ep++ {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, i := range order {
			e := &exs[i]
			for c := 0; c < nc; c++ {
				z[c] = bias[c]
			}
			feats := e.feats
			if dropRng != nil {
				active = active[:0]
				for _, f := range feats {
					if dropRng.Float64() >= drop {
						active = append(active, f)
					}
				}
				feats = active
			}
			for _, f := range feats {
				row := w[int(f)*nc : int(f)*nc+nc]
				for c := range row {
					z[c] += float64(row[c]) / keep
				}
			}
			if e.slot >= 0 && len(m.Langs) > 0 {
				d := dense[e.slot*numDense*nc:]
				for k, v := range e.dense {
					for c := 0; c < nc; c++ {
						z[c] += d[k*nc+c] * v
					}
				}
			}
			softmax(z[:nc])
			for c := 0; c < nc; c++ {
				g[c] = z[c]
				if c == e.y {
					g[c]--
				}
				if e.wt > 0 {
					g[c] *= e.wt
				}
				gb[c] += g[c] * g[c]
				bias[c] -= lr * g[c] / math.Sqrt(gb[c]+eps)
			}
			for _, f := range feats {
				k := int(f) * nc
				for c := 0; c < nc; c++ {
					gr := g[c]/keep + l2*float64(w[k+c])
					g2[k+c] += float32(gr * gr)
					w[k+c] -= float32(lr * gr / math.Sqrt(float64(g2[k+c])+eps))
				}
			}
			if e.slot >= 0 && len(m.Langs) > 0 {
				o := e.slot * numDense * nc
				for kk, v := range e.dense {
					if v == 0 {
						continue
					}
					for c := 0; c < nc; c++ {
						gr := g[c] * v
						j := o + kk*nc + c
						gd[j] += gr * gr
						dense[j] -= lr * gr / math.Sqrt(gd[j]+eps)
					}
				}
			}
		}
	}
	maxAbs := 0.0
	for _, v := range w {
		maxAbs = math.Max(maxAbs, math.Abs(float64(v)))
	}
	m.Scale = float32(maxAbs / 127)
	if m.Scale == 0 {
		m.Scale = 1
	}
	m.W = make([]byte, len(w))
	for i, v := range w {
		q := math.Round(float64(v) / float64(m.Scale))
		m.W[i] = byte(int8(math.Max(-127, math.Min(127, q))))
	}
	m.Bias = make([]float32, nc)
	for c := range bias {
		m.Bias[c] = float32(bias[c])
	}
	m.Dense = make([]float32, len(m.Langs)*numDense*nc)
	for i := range m.Dense {
		m.Dense[i] = float32(dense[i])
	}
}

// Build trains the model set from td and returns the model file's bytes.
func Build(cfg TrainConfig, td TrainData) ([]byte, error) {
	ms, err := Train(cfg, td)
	if err != nil {
		return nil, err
	}
	return encodeModels(ms)
}

// BuildZhInto retrains only the Chinese part of an encoded model set
// (base, a model file) with cfg's recipe and returns the file with that
// part replaced; the language identifier, the tweet model and the English
// model stay as they were trained. The Chinese part is trained on the
// rules alone, as Build trains it, so it does not depend on the others.
func BuildZhInto(base []byte, cfg TrainConfig, td TrainData) ([]byte, error) {
	return retrainPart(base, cfg, func(rules *Scorer, ms *modelSet, logf func(string, ...any)) error {
		return trainZh(cfg, td, rules, ms, logf)
	})
}

// BuildTweetsInto retrains the tweet model (es, fr, de, it, pt, ar, hi) of
// the encoded model set base with recipe cfg, keeps its language
// identifier, English and Chinese parts, and returns the encoded result.
func BuildTweetsInto(base []byte, cfg TrainConfig, td TrainData) ([]byte, error) {
	return retrainPart(base, cfg, func(rules *Scorer, ms *modelSet, logf func(string, ...any)) error {
		trainTweets(cfg, td, rules, ms, logf)
		return nil
	})
}

// retrainPart decodes the model set base, lets train replace one of its
// parts (trained on the rules alone, as Build trains it) and returns the
// set encoded again.
func retrainPart(base []byte, cfg TrainConfig, train func(rules *Scorer, ms *modelSet, logf func(string, ...any)) error) ([]byte, error) {
	ms, err := loadModels(base)
	if err != nil {
		return nil, err
	}
	rules, err := newScorer(Options{}, nil)
	if err != nil {
		return nil, err
	}
	logf := func(format string, a ...any) {
		if cfg.Log != nil {
			fmt.Fprintf(cfg.Log, format+"\n", a...)
		}
	}
	if err := train(rules, ms, logf); err != nil {
		return nil, err
	}
	return encodeModels(ms)
}

// trainTweets trains ms.Tweets, the model of the UMSAB languages other
// than English, on td's tweets with recipe cfg.
func trainTweets(cfg TrainConfig, td TrainData, base *Scorer, ms *modelSet, logf func(string, ...any)) {
	ms.Tweets = &linear{Name: "tweets", Classes: tweetClasses, Langs: cfg.Langs, Bits: cfg.Bits,
		Cfg: featCfg{Words: true, Bigrams: true, CharMin: cfg.CharMin, CharMax: cfg.CharMax, Shared: cfg.TweetShared, RuleBins: cfg.TweetRuleBins}}
	if slot := ms.Tweets.langSlot("hi"); cfg.HiSkel > 0 && slot >= 0 {
		ms.Tweets.Cfg.Skel, ms.Tweets.Cfg.SkelOnly = slot+1, cfg.HiSkel == 2
	}
	var tw []example
	var r Result
	sc := newScratch()
	for _, p := range td.Tweets {
		slot := ms.Tweets.langSlot(p.Language)
		base.lx.tokenize(p.Text, sc)
		x := base.prepare(p.Text, sc, ms.Tweets, slot, p.Language, &r)
		tw = append(tw, example{feats: idxs(sc.feats), dense: x, slot: slot, y: classIndex(tweetClasses, p.Label)})
	}
	logf("tweets: %d examples", len(tw))
	tweetLR := cfg.LR
	if cfg.TweetLR > 0 {
		tweetLR = cfg.TweetLR
	}
	fit(ms.Tweets, tw, cfg.Epochs, tweetLR, cfg.L2, cfg.Seed)
}

// splitFold returns the posts whose fold is not f, to train on, and held
// with those whose fold is f appended.
func splitFold(posts []LabelledPost, folds []int, f int, held []LabelledPost) ([]LabelledPost, []LabelledPost) {
	var train []LabelledPost
	for i, p := range posts {
		if folds[i] == f {
			held = append(held, p)
		} else {
			train = append(train, p)
		}
	}
	return train, held
}

// CrossValidate trains on k-1 folds of the training data and evaluates on
// the remaining fold, k times, and returns per-language figures averaged
// over the folds. Folds are drawn per language after a seeded shuffle.
func CrossValidate(cfg TrainConfig, td TrainData, k int) ([]LangFigures, error) {
	if k < 2 {
		return nil, fmt.Errorf("cross-validate: need at least 2 folds, got %d", k)
	}
	fold := func(ps []LabelledPost, stream uint64) []int {
		f := make([]int, len(ps))
		perm := rand.New(rand.NewPCG(cfg.Seed, stream)).Perm(len(ps))
		for i, j := range perm {
			f[j] = i % k
		}
		return f
	}
	twFold, zhFold := fold(td.Tweets, 10), fold(td.Zh, 11)
	sum := map[string]*LangFigures{}
	var order []string
	sia := newVader()
	for f := 0; f < k; f++ {
		var tr TrainData
		var held []LabelledPost
		tr.Tweets, held = splitFold(td.Tweets, twFold, f, held)
		tr.Zh, held = splitFold(td.Zh, zhFold, f, held)
		ms, err := Train(cfg, tr)
		if err != nil {
			return nil, err
		}
		s, err := newScorer(Options{}, ms)
		if err != nil {
			return nil, err
		}
		if cfg.Predictions != nil {
			if err := writePredictions(cfg.Predictions, f, held, s); err != nil {
				return nil, err
			}
		}
		for _, lf := range evalPosts(held, s, sia) {
			a := sum[lf.Language]
			if a == nil {
				a = &LangFigures{Language: lf.Language}
				sum[lf.Language] = a
				order = append(order, lf.Language)
			}
			a.N += lf.N
			a.Coverage += lf.Coverage / float64(k)
			a.Ours.Accuracy += lf.Ours.Accuracy / float64(k)
			a.Ours.MacroF1 += lf.Ours.MacroF1 / float64(k)
			a.Vader.Accuracy += lf.Vader.Accuracy / float64(k)
			a.Vader.MacroF1 += lf.Vader.MacroF1 / float64(k)
		}
		if cfg.Log != nil {
			fmt.Fprintf(cfg.Log, "fold %d/%d done\n", f+1, k)
		}
	}
	out := make([]LangFigures, 0, len(order))
	for _, l := range order {
		out = append(out, *sum[l])
	}
	return out, nil
}

// GroupFigures are the figures of one group of posts held out in a
// leave-one-group-out cross-validation.
type GroupFigures struct {
	Group string
	LangFigures
}

// groupsOf returns the distinct values among ps of the field named by
// (only "category" is known), sorted, and each post's index into them.
// Every post must carry the field, and there must be at least two
// groups, or a model would be judged on a group it was trained on or
// trained on nothing.
func groupsOf(ps []LabelledPost, by string) ([]string, []int, error) {
	if by != "category" {
		return nil, nil, fmt.Errorf("cross-validate groups: unknown field %q: want category", by)
	}
	seen := map[string]bool{}
	for i, p := range ps {
		if p.Category == "" {
			return nil, nil, fmt.Errorf("cross-validate groups: post %d (id %s) has no %s", i, p.ID, by)
		}
		seen[p.Category] = true
	}
	if len(seen) < 2 {
		return nil, nil, fmt.Errorf("cross-validate groups: %d distinct %s values, need at least 2", len(seen), by)
	}
	names := make([]string, 0, len(seen))
	for g := range seen {
		names = append(names, g)
	}
	sort.Strings(names)
	at := make(map[string]int, len(names))
	for i, g := range names {
		at[g] = i
	}
	idx := make([]int, len(ps))
	for i, p := range ps {
		idx[i] = at[p.Category]
	}
	return names, idx, nil
}

// CrossValidateGroups holds out each group of Chinese reviews in turn
// (by names the field that groups them: "category"), trains on the
// others and evaluates on the group held out. Random folds share every
// domain's vocabulary between train and test; holding out a whole
// domain estimates accuracy on one the model never saw. Only the
// identifier and the Chinese model are trained, so cfg.Only must be
// "zh".
func CrossValidateGroups(cfg TrainConfig, td TrainData, by string) ([]GroupFigures, error) {
	if cfg.Only != "zh" {
		return nil, fmt.Errorf("cross-validate groups: only the Chinese reviews have groups; train only zh, not %q", cfg.Only)
	}
	names, idx, err := groupsOf(td.Zh, by)
	if err != nil {
		return nil, err
	}
	sia := newVader()
	out := make([]GroupFigures, 0, len(names))
	for g, name := range names {
		tr := TrainData{Tweets: td.Tweets}
		var held []LabelledPost
		tr.Zh, held = splitFold(td.Zh, idx, g, nil)
		ms, err := Train(cfg, tr)
		if err != nil {
			return nil, fmt.Errorf("cross-validate groups: without %s: %w", name, err)
		}
		s, err := newScorer(Options{}, ms)
		if err != nil {
			return nil, fmt.Errorf("cross-validate groups: without %s: %w", name, err)
		}
		if cfg.Predictions != nil {
			if err := writePredictions(cfg.Predictions, g, held, s); err != nil {
				return nil, err
			}
		}
		rows := evalPosts(held, s, sia)
		out = append(out, GroupFigures{Group: name, LangFigures: rows[len(rows)-1]}) // the only language, or "all"
		if cfg.Log != nil {
			fmt.Fprintf(cfg.Log, "group %d/%d (%s held out) done\n", g+1, len(names), name)
		}
	}
	return out, nil
}

// GroupSummary is what a leave-one-group-out cross-validation says
// overall: the mean of the groups' accuracies (each domain counts once),
// the worst group, and the accuracy over all posts pooled.
type GroupSummary struct {
	Mean, Pooled, Coverage float64
	Worst                  GroupFigures
}

// SummarizeGroups returns the summary of rows (at least one).
func SummarizeGroups(rows []GroupFigures) GroupSummary {
	var s GroupSummary
	n := 0
	for i, r := range rows {
		s.Mean += r.Ours.Accuracy / float64(len(rows))
		s.Pooled += r.Ours.Accuracy * float64(r.N)
		s.Coverage += r.Coverage * float64(r.N)
		n += r.N
		if i == 0 || r.Ours.Accuracy < s.Worst.Ours.Accuracy {
			s.Worst = r
		}
	}
	if n > 0 {
		s.Pooled /= float64(n)
		s.Coverage /= float64(n)
	}
	return s
}

// WriteGroupFigures prints one row per held-out group and the summary.
func WriteGroupFigures(w io.Writer, title string, rows []GroupFigures) error {
	if len(rows) == 0 {
		return fmt.Errorf("write report: no groups")
	}
	if _, err := fmt.Fprintf(w, "%s\n%6s %9s %9s %9s  %s\n", title, "N", "coverage", "acc", "macro_f1", "held out"); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	for _, r := range rows {
		if _, err := fmt.Fprintf(w, "%6d %9.3f %9.3f %9.3f  %s\n", r.N, r.Coverage, r.Ours.Accuracy, r.Ours.MacroF1, r.Group); err != nil {
			return fmt.Errorf("write report: %w", err)
		}
	}
	s := SummarizeGroups(rows)
	if _, err := fmt.Fprintf(w, "mean accuracy %.3f, worst %.3f (%s), pooled %.3f, coverage %.3f\n",
		s.Mean, s.Worst.Ours.Accuracy, s.Worst.Group, s.Pooled, s.Coverage); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}

// writePredictions writes one JSON line per held-out post of fold f.
func writePredictions(w io.Writer, f int, held []LabelledPost, s *Scorer) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	var r, rules Result
	sc := newScratch()
	for _, p := range held {
		s.ScoreInto(p.Text, &r)
		s.lx.tokenize(p.Text, sc)
		lex := s.langLexicon(p.Text, sc, r.Language)
		s.score(p.Text, sc, &rules)
		terms := make([]string, len(r.Terms))
		for i, t := range r.Terms {
			terms[i] = t.Text
		}
		err := enc.Encode(struct {
			Fold     int      `json:"fold"`
			ID       any      `json:"id"`
			Language string   `json:"language"`
			Gold     string   `json:"gold"`
			Routed   string   `json:"routed"`
			Label    Label    `json:"label"`
			Compound float64  `json:"compound"`
			Pos      float64  `json:"pos"`
			Neu      float64  `json:"neu"`
			Neg      float64  `json:"neg"`
			Rules    float64  `json:"rules"`   // the rules' compound
			Lexicon  float64  `json:"lexicon"` // the language lexicon's score
			Terms    []string `json:"terms"`
			Text     string   `json:"text"`
		}{f, p.ID, p.Language, p.Label, r.Language, r.Label, r.Compound, r.Pos, r.Neu, r.Neg,
			rules.Compound, lex, terms, p.Text})
		if err != nil {
			return fmt.Errorf("predictions: %w", err)
		}
	}
	return nil
}
