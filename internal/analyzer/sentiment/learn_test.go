package sentiment

import (
	"bytes"
	"fmt"
	"math"
	"testing"
)

// tinyTrainData is a few made-up posts per language and label: enough to
// exercise the whole recipe in milliseconds, not to learn anything real.
func tinyTrainData() TrainData {
	words := map[string][3]string{ // negative, neutral, positive
		"ar": {"سيء فضيحة", "اليوم الخبر", "رائع ممتاز"},
		"de": {"schlecht Abzocke", "heute die Nachricht", "super toll"},
		"en": {"awful scam", "today the news", "great love"},
		"es": {"pésimo estafa", "hoy la noticia", "genial excelente"},
		"fr": {"nul arnaque", "aujourd'hui la nouvelle", "génial merci"},
		"hi": {"bakwas dhokha hai", "aaj khabar hai", "badhiya shandar hai"},
		"it": {"pessimo truffa", "oggi la notizia", "ottimo grazie"},
		"pt": {"péssimo golpe", "hoje a notícia", "ótimo obrigado"},
	}
	var td TrainData
	for lang, ws := range words {
		for c, label := range tweetClasses {
			for i := 0; i < 12; i++ {
				td.Tweets = append(td.Tweets, LabelledPost{Language: lang, Label: label,
					Text: fmt.Sprintf("%s %d", ws[c], i)})
			}
		}
	}
	for i := 0; i < 40; i++ {
		td.Zh = append(td.Zh, LabelledPost{Language: "zh", Label: "negative", Text: fmt.Sprintf("太恶心了，垃圾%d", i)},
			LabelledPost{Language: "zh", Label: "positive", Text: fmt.Sprintf("很好用，推荐%d", i)})
	}
	return td
}

func tinyConfig() TrainConfig {
	cfg := DefaultTrainConfig("")
	cfg.Bits, cfg.ZhBits, cfg.LIDBits = 12, 12, 10
	cfg.Epochs, cfg.ZhEpochs = 3, 3
	return cfg
}

// TestTrainSmall runs the recipe end to end on tiny data: it is
// deterministic, the file loads, and the scorer learned the obvious.
func TestTrainSmall(t *testing.T) {
	td := tinyTrainData()
	a, err := Build(tinyConfig(), td)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Build(tinyConfig(), td)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Fatal("two builds from the same data differ")
	}
	ms, err := loadModels(a)
	if err != nil {
		t.Fatal(err)
	}
	s, err := newScorer(Options{}, ms)
	if err != nil {
		t.Fatal(err)
	}
	for text, want := range map[string]Label{"太恶心了，垃圾": Negative, "很好用，推荐": Positive, "genial excelente hoy": Positive} {
		if r := s.Score(text); r.Label != want || len(r.Terms) == 0 {
			t.Errorf("%q: %s %v, want %s with terms", text, r.Label, r.Terms, want)
		}
	}
}

// TestBuildZhInto retrains only the Chinese part of a model file: the
// language identifier, tweet and English parts come back byte for byte
// as they were, the Chinese part is the one the recipe trains from the
// Chinese data, and the result is deterministic.
func TestBuildZhInto(t *testing.T) {
	td := tinyTrainData()
	cfg := tinyConfig()
	base, err := Build(cfg, td)
	if err != nil {
		t.Fatal(err)
	}
	// Other Chinese reviews, with the labels swapped: a part trained on
	// them reads the tiny set's negatives as positive.
	other := td
	other.Zh = nil
	for i := 0; i < 40; i++ {
		other.Zh = append(other.Zh, LabelledPost{Language: "zh", Label: "positive", Text: fmt.Sprintf("太恶心了，垃圾%d", i)},
			LabelledPost{Language: "zh", Label: "negative", Text: fmt.Sprintf("很好用，推荐%d", i)})
	}
	a, err := BuildZhInto(base, cfg, other)
	if err != nil {
		t.Fatal(err)
	}
	b, err := BuildZhInto(base, cfg, other)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Fatal("two builds from the same data differ")
	}
	was, err := loadModels(base)
	if err != nil {
		t.Fatal(err)
	}
	now, err := loadModels(a)
	if err != nil {
		t.Fatal(err)
	}
	for name, pair := range map[string][2]*linear{"lid": {was.LID, now.LID}, "tweets": {was.Tweets, now.Tweets}, "en": {was.En, now.En}} {
		x, _ := encodeModels(&modelSet{LID: pair[0]})
		y, _ := encodeModels(&modelSet{LID: pair[1]})
		if !bytes.Equal(x, y) {
			t.Errorf("%s part changed", name)
		}
	}
	s, err := newScorer(Options{}, now)
	if err != nil {
		t.Fatal(err)
	}
	if r := s.Score("很好用，推荐"); r.Label != Negative {
		t.Errorf("the Chinese part was not retrained: %s", r.Label)
	}
	if r := s.Score("genial excelente hoy"); r.Label != Positive {
		t.Errorf("Spanish: %s, want positive as before", r.Label)
	}
	if _, err := BuildZhInto([]byte("not a model"), cfg, other); err == nil {
		t.Error("a file that is no model was accepted")
	}
}

func TestCrossValidateSmall(t *testing.T) {
	if testing.Short() {
		t.Skip("trains three times")
	}
	figs, err := CrossValidate(tinyConfig(), tinyTrainData(), 3)
	if err != nil {
		t.Fatal(err)
	}
	langs := map[string]bool{}
	for _, f := range figs {
		langs[f.Language] = true
		if f.N == 0 || f.Coverage == 0 {
			t.Errorf("%s: %+v", f.Language, f)
		}
	}
	for _, l := range []string{"zh", "es", "de", "all"} {
		if !langs[l] {
			t.Errorf("no figures for %s: %v", l, figs)
		}
	}
	if _, err := CrossValidate(tinyConfig(), tinyTrainData(), 1); err == nil {
		t.Error("want an error for one fold")
	}
}

func TestGroupsOf(t *testing.T) {
	post := func(cat string) LabelledPost { return LabelledPost{Language: "zh", Label: "positive", Category: cat} }
	for _, tc := range []struct {
		name    string
		ps      []LabelledPost
		by      string
		names   []string
		idx     []int
		wantErr bool
	}{
		{name: "sorted, each post to its group", by: "category",
			ps:    []LabelledPost{post("水果"), post("书籍"), post("水果"), post("平板")},
			names: []string{"书籍", "平板", "水果"}, idx: []int{2, 0, 2, 1}},
		{name: "a post without a category", by: "category",
			ps: []LabelledPost{post("水果"), post(""), post("书籍")}, wantErr: true},
		{name: "one group leaves nothing to train on", by: "category",
			ps: []LabelledPost{post("水果"), post("水果")}, wantErr: true},
		{name: "unknown field", by: "label",
			ps: []LabelledPost{post("水果"), post("书籍")}, wantErr: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			names, idx, err := groupsOf(tc.ps, tc.by)
			if tc.wantErr {
				if err == nil {
					t.Fatalf("want an error, got %v %v", names, idx)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(names) != fmt.Sprint(tc.names) || fmt.Sprint(idx) != fmt.Sprint(tc.idx) {
				t.Errorf("got %v %v, want %v %v", names, idx, tc.names, tc.idx)
			}
		})
	}
}

func TestSummarizeGroups(t *testing.T) {
	row := func(g string, n int, acc float64) GroupFigures {
		return GroupFigures{Group: g, LangFigures: LangFigures{N: n, Coverage: 1, Ours: Metrics{Accuracy: acc}}}
	}
	s := SummarizeGroups([]GroupFigures{row("a", 100, 0.9), row("b", 300, 0.7), row("c", 100, 0.8)})
	if math.Abs(s.Mean-0.8) > 1e-9 || math.Abs(s.Pooled-0.76) > 1e-9 || s.Worst.Group != "b" || s.Coverage != 1 {
		t.Errorf("got %+v, want mean 0.8, pooled 0.76, worst b", s)
	}
}

// TestCrossValidateGroupsSmall holds out each of three made-up review
// categories: every category is judged once, on all its posts.
func TestCrossValidateGroupsSmall(t *testing.T) {
	td := tinyTrainData()
	cats := []string{"水果", "书籍", "平板"}
	for i := range td.Zh {
		td.Zh[i].Category = cats[i%len(cats)]
	}
	want := map[string]int{}
	for _, p := range td.Zh {
		want[p.Category]++
	}
	if _, err := CrossValidateGroups(tinyConfig(), td, "category"); err == nil {
		t.Fatal("want an error when the tweets would be trained too")
	}
	cfg := tinyConfig()
	cfg.Only = "zh"
	rows, err := CrossValidateGroups(cfg, td, "category")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(cats) {
		t.Fatalf("%d groups, want %d: %+v", len(rows), len(cats), rows)
	}
	for _, r := range rows {
		if r.N != want[r.Group] || r.Coverage == 0 {
			t.Errorf("%s: N %d coverage %.2f, want N %d and coverage above 0", r.Group, r.N, r.Coverage, want[r.Group])
		}
		delete(want, r.Group)
	}
	if len(want) != 0 {
		t.Errorf("never held out: %v", want)
	}
}

// TestNeutralBandMax: the calibration widens the band while the posts in
// it are close to a coin toss, but never past its cap.
func TestNeutralBandMax(t *testing.T) {
	m := &linear{Classes: zhClasses, Langs: []string{"zh"}, Scale: 1, Bias: make([]float32, 2),
		Dense: make([]float32, numDense*2)}
	m.Dense[1] = 1 // the positive class's weight on the first dense feature: p(pos)-p(neg) = tanh(x/2)
	var held []example
	for i := 0; i < 90; i++ { // sure and right
		e := example{y: i % 2}
		e.dense[0] = float64(8*e.y - 4)
		held = append(held, e)
	}
	for i := 0; i < 10; i++ { // |p(pos)-p(neg)| ≈ 0.3, right half the time
		e := example{y: i % 2}
		e.dense[0] = 0.62
		if i%4 < 2 {
			e.dense[0] = -0.62
		}
		held = append(held, e)
	}
	for _, tc := range []struct{ max, want float64 }{{0.5, 0.5}, {0.4, 0.4}, {0.2, 0}, {0, 0}} {
		if got := neutralBand(m, held, tc.max); math.Abs(got-tc.want) > 1e-6 {
			t.Errorf("cap %.2f: band %.2f, want %.2f", tc.max, got, tc.want)
		}
	}
}
