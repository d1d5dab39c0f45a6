package sentiment

import (
	"bytes"
	"fmt"
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
