package sentiment

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestEvaluateLabels(t *testing.T) {
	p := filepath.Join(t.TempDir(), "gold.jsonl")
	body := `{"id":1,"label":"positive","text":"love this app, works great"}
{"id":2,"label":"negative","text":"terrible update, uninstalled"}
{"id":3,"label":"negative","text":"这个功能太恶心了，卸载"}
{"id":4,"label":"positive","text":"这个应用很好用，推荐"}
{"id":5,"label":"neutral","text":"Это приложение"}
`
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	if ok, err := IsLabelled(p); err != nil || !ok {
		t.Fatalf("IsLabelled = %v, %v", ok, err)
	}
	rep, err := EvaluateLabels(p, newTestScorer(t))
	if err != nil {
		t.Fatal(err)
	}
	by := map[string]LangFigures{}
	for _, f := range rep.Langs {
		by[f.Language] = f
	}
	if f := by["en"]; f.N != 2 || f.Coverage != 1 || f.Ours.Accuracy != 1 {
		t.Errorf("en: %+v", f)
	}
	if f := by["zh"]; f.N != 2 || f.Coverage != 1 || f.Ours.Accuracy != 1 || f.Vader.Accuracy > 0.5 {
		t.Errorf("zh: %+v", f)
	}
	// An unscored post counts as wrong, even against a neutral label.
	if f := by["ru"]; f.N != 1 || f.Coverage != 0 || f.Ours.Accuracy != 0 {
		t.Errorf("ru: %+v", f)
	}
	if f := by["all"]; f.N != 5 {
		t.Errorf("all: %+v", f)
	}
	var out bytes.Buffer
	if err := rep.Write(&out); err != nil || !strings.Contains(out.String(), "macro_f1") {
		t.Errorf("report: %v\n%s", err, out.String())
	}
}

func TestEvaluateLabelsBadLabel(t *testing.T) {
	p := filepath.Join(t.TempDir(), "gold.jsonl")
	if err := os.WriteFile(p, []byte(`{"id":1,"label":"good","text":"x"}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := EvaluateLabels(p, newTestScorer(t))
	if err == nil || !strings.Contains(err.Error(), "line 1") || !strings.Contains(err.Error(), `"good"`) {
		t.Errorf("want an error naming line 1 and the label, got %v", err)
	}
}

func TestTrainRefusesHeldOutSplits(t *testing.T) {
	for _, name := range []string{"en-val.jsonl", "en-test.jsonl", "zh-reviews-test.jsonl"} {
		if _, err := ReadTrainFile(filepath.Join(t.TempDir(), name)); err == nil || !strings.Contains(err.Error(), "train splits only") {
			t.Errorf("%s: want refusal, got %v", name, err)
		}
	}
}

func TestModelLoads(t *testing.T) {
	ms, err := loadModels(modelFile)
	if err != nil {
		t.Fatal(err)
	}
	if len(modelFile) > 8<<20 {
		t.Errorf("model file is %d bytes, over 8 MB", len(modelFile))
	}
	if ms.Tweets.langSlot("en") < 0 || ms.Zh.Band < 0 || ms.Zh.Band >= 1 {
		t.Errorf("model: langs %v band %v", ms.Tweets.Langs, ms.Zh.Band)
	}
}
