package sentiment

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
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
	// TweetShared also emits the tweet model's features untagged, shared
	// by all languages; TweetRuleBins adds rule indicators per language.
	TweetShared   bool
	TweetRuleBins int
	// Seed makes shuffling, and so the model, deterministic.
	Seed uint64
	// Log receives progress lines; nil discards them.
	Log io.Writer
}

// DefaultTrainConfig returns the recipe of the shipped model.
func DefaultTrainConfig(data string) TrainConfig {
	return TrainConfig{
		Data:  data,
		Langs: []string{"ar", "de", "en", "es", "fr", "hi", "it", "pt"},
		Bits:  20, ZhBits: 20, LIDBits: 16,
		Epochs: 4, ZhEpochs: 5,
		LR: 0.1, L2: 1e-2,
		CharMin: 0, CharMax: 0,
		EnBits: 16, EnEpochs: 3, EnLR: 0.02, EnRuleBins: 2, EnSoften: true,
		TweetShared: false, TweetRuleBins: 1,
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

	ms.Tweets = &linear{Name: "tweets", Classes: tweetClasses, Langs: cfg.Langs, Bits: cfg.Bits,
		Cfg: featCfg{Words: true, Bigrams: true, CharMin: cfg.CharMin, CharMax: cfg.CharMax, Shared: cfg.TweetShared, RuleBins: cfg.TweetRuleBins}}
	var tw []example
	var r Result
	for _, p := range td.Tweets {
		slot := ms.Tweets.langSlot(p.Language)
		base.lx.tokenize(p.Text, sc)
		x := base.prepare(p.Text, sc, ms.Tweets, slot, p.Language, &r)
		tw = append(tw, example{feats: idxs(sc.feats), dense: x, slot: slot, y: classIndex(tweetClasses, p.Label)})
	}
	logf("tweets: %d examples", len(tw))
	fit(ms.Tweets, tw, cfg.Epochs, cfg.LR, cfg.L2, cfg.Seed)

	if cfg.EnEpochs > 0 {
		ms.Version += fmt.Sprintf(".en%d", cfg.EnBits)
		ms.En = &linear{Name: "en", Classes: tweetClasses, Langs: []string{"en"}, Bits: cfg.EnBits,
			Cfg: featCfg{Words: true, Bigrams: true, RuleBins: cfg.EnRuleBins}, Soften: cfg.EnSoften}
		var en []example
		for _, p := range td.Tweets {
			if p.Language != "en" {
				continue
			}
			base.lx.tokenize(p.Text, sc)
			x := base.prepare(p.Text, sc, ms.En, 0, "en", &r)
			en = append(en, example{feats: idxs(sc.feats), dense: x, slot: 0, y: classIndex(tweetClasses, p.Label)})
		}
		logf("en: %d examples", len(en))
		fit(ms.En, en, cfg.EnEpochs, cfg.EnLR, cfg.L2, cfg.Seed)
	}

	ms.Zh = &linear{Name: "zh", Classes: zhClasses, Langs: []string{"zh"}, Bits: cfg.ZhBits,
		Cfg: featCfg{Words: true, Bigrams: true, CJKMin: 1, CJKMax: 3}}
	var zh []example
	for _, p := range td.Zh {
		y := classIndex(zhClasses, p.Label)
		if y < 0 {
			continue
		}
		base.lx.tokenize(p.Text, sc)
		x := base.prepare(p.Text, sc, ms.Zh, 0, "zh", &r)
		zh = append(zh, example{feats: idxs(sc.feats), dense: x, slot: 0, y: y})
	}
	logf("zh: %d examples", len(zh))
	// The neutral band: fit on 90%, find where the held-out 10% is close
	// to a coin toss, then fit on everything.
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
	fit(ms.Zh, fitPart, cfg.ZhEpochs, cfg.LR, cfg.L2, cfg.Seed)
	ms.Zh.Band = float32(neutralBand(ms.Zh, held))
	logf("zh: neutral band ±%.2f", ms.Zh.Band)
	fit(ms.Zh, zh, cfg.ZhEpochs, cfg.LR, cfg.L2, cfg.Seed)
	return ms, nil
}

func idxs(fs []feat) []uint32 {
	out := make([]uint32, len(fs))
	for i, f := range fs {
		out[i] = f.idx
	}
	return out
}

// neutralBand returns the widest |p(pos)-p(neg)| band, in steps of 0.05 up
// to 0.5, whose held-out posts the model labels correctly less than 65% of
// the time and which holds at most 10% of them: there the model is close
// to guessing, and a post is better called neutral.
func neutralBand(m *linear, held []example) float64 {
	sc := newScratch()
	type pd struct {
		d  float64
		ok bool
	}
	var ps []pd
	var z [maxClasses]float64
	for _, e := range held {
		sc.feats = sc.feats[:0]
		for _, f := range e.feats {
			sc.feats = append(sc.feats, feat{idx: f})
		}
		m.logits(sc, e.slot, &e.dense, z[:2])
		softmax(z[:2])
		d := z[1] - z[0]
		ps = append(ps, pd{d: d, ok: (d > 0) == (e.y == 1)})
	}
	best := 0.0
	for b := 0.05; b <= 0.5001; b += 0.05 {
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

// fit trains m by AdaGrad on the multinomial logistic loss with L2
// regularisation, then quantises its weights to int8.
func fit(m *linear, exs []example, epochs int, lr, l2 float64, seed uint64) {
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
	for ep := 0; ep < epochs; ep++ {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, i := range order {
			e := &exs[i]
			for c := 0; c < nc; c++ {
				z[c] = bias[c]
			}
			for _, f := range e.feats {
				row := w[int(f)*nc : int(f)*nc+nc]
				for c := range row {
					z[c] += float64(row[c])
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
				gb[c] += g[c] * g[c]
				bias[c] -= lr * g[c] / math.Sqrt(gb[c]+eps)
			}
			for _, f := range e.feats {
				k := int(f) * nc
				for c := 0; c < nc; c++ {
					gr := g[c] + l2*float64(w[k+c])
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
		for i, p := range td.Tweets {
			if twFold[i] == f {
				held = append(held, p)
			} else {
				tr.Tweets = append(tr.Tweets, p)
			}
		}
		for i, p := range td.Zh {
			if zhFold[i] == f {
				held = append(held, p)
			} else {
				tr.Zh = append(tr.Zh, p)
			}
		}
		ms, err := Train(cfg, tr)
		if err != nil {
			return nil, err
		}
		s, err := newScorer(Options{}, ms)
		if err != nil {
			return nil, err
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
