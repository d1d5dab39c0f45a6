package sentiment

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

type outLine struct {
	ID       json.RawMessage `json:"id"`
	Compound *float64        `json:"compound"`
	Pos      *float64        `json:"pos"`
	Neu      *float64        `json:"neu"`
	Neg      *float64        `json:"neg"`
	Label    *string         `json:"label"`
	Language string          `json:"language"`
	Terms    []string        `json:"terms"`
}

func TestScoreStream(t *testing.T) {
	s := newTestScorer(t)
	in := `{"id":"a1","text":"The update is AWFUL \ud83d\ude21"}
{"text":"love it","id":42}

{"id":{"nested":true},"text":"not bad","extra":[1,2]}
{"id":"zh","text":"这个应用很好"}
{"id":null,"text":"quote \" and \\ and \n newline"}
`
	var out bytes.Buffer
	if err := ScoreStream(s, strings.NewReader(in), &out); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 5 {
		t.Fatalf("got %d lines:\n%s", len(lines), out.String())
	}
	var got []outLine
	for _, l := range lines {
		var o outLine
		dec := json.NewDecoder(strings.NewReader(l))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&o); err != nil {
			t.Fatalf("bad output %q: %v", l, err)
		}
		got = append(got, o)
	}
	if string(got[0].ID) != `"a1"` || *got[0].Label != "negative" || !slices.Contains(got[0].Terms, "😡") || !slices.Contains(got[0].Terms, "AWFUL") {
		t.Errorf("line 1: %s", lines[0])
	}
	if string(got[1].ID) != `42` || *got[1].Label != "positive" {
		t.Errorf("line 2: %s", lines[1])
	}
	if string(got[2].ID) != `{"nested":true}` || *got[2].Label != "positive" {
		t.Errorf("line 3: %s", lines[2])
	}
	if got[3].Compound == nil || got[3].Label == nil || *got[3].Label != "positive" || got[3].Language != "zh" {
		t.Errorf("line 4 should be scored Chinese: %s", lines[3])
	}
	if string(got[4].ID) != "null" || got[4].Language != "en" {
		t.Errorf("line 5: %s", lines[4])
	}
}

func TestScoreStreamBadLine(t *testing.T) {
	s := newTestScorer(t)
	in := "{\"id\":1,\"text\":\"ok\"}\n{\"id\":2,\"text\":\"fine\"}\n{\"id\":3,\"text\":\"oops}\n"
	var out bytes.Buffer
	err := ScoreStream(s, strings.NewReader(in), &out)
	if err == nil || !strings.Contains(err.Error(), "line 3") {
		t.Fatalf("want error naming line 3, got %v", err)
	}
	if n := strings.Count(out.String(), "\n"); n != 2 {
		t.Errorf("want the 2 good lines written before the error, got %d", n)
	}
	err = ScoreStream(s, strings.NewReader(`{"id":1}`+"\n"), &out)
	if err == nil || !strings.Contains(err.Error(), "line 1") || !strings.Contains(err.Error(), "text") {
		t.Fatalf("want missing text error on line 1, got %v", err)
	}
}

func TestScoreArgs(t *testing.T) {
	s := newTestScorer(t)
	var out bytes.Buffer
	if err := ScoreArgs(s, []string{"great app", "terrible app"}, &out); err != nil {
		t.Fatal(err)
	}
	want := []string{`{"id":1,`, `"label":"positive"`, `{"id":2,`, `"label":"negative"`, `"terms":["terrible"`}
	for _, w := range want {
		if !strings.Contains(out.String(), w) {
			t.Errorf("output lacks %s:\n%s", w, out.String())
		}
	}
}

func TestLanguage(t *testing.T) {
	s := newTestScorer(t)
	cases := []struct {
		text, lang string
		scored     bool
	}{
		{"worst update ever", "en", true},
		{"The café was great", "en", true},
		{"这个应用很好", "zh", true},
		{"這個應用很好用", "zh", true},
		{"#支付宝圈子# 太恶心了 😡 boycott", "zh", true},
		{"このアプリは最高です", "ja", false},
		{"이 앱 정말 좋아요", "ko", false},
		{"Esta aplicación es muy mala y no funciona para nada", "es", true},
		{"Cette application est vraiment nulle, je ne la recommande pas", "fr", true},
		{"Diese App ist wirklich schlecht und ich bin nicht zufrieden", "de", true},
		{"Questa app è davvero pessima, non funziona mai", "it", true},
		{"Esse aplicativo é muito ruim, não funciona", "pt", true},
		{"yeh app bilkul bekaar hai yaar, paisa barbaad", "hi", true},
		{"यह ऐप बहुत खराब है", "hi", true},
		{"هذا التطبيق سيء جدا", "ar", true},
		{"love it", "en", true},
		{"Это приложение ужасно", "ru", false},
		{"😡😡😡", "und", true},
	}
	for _, c := range cases {
		r := s.Score(c.text)
		if r.Language != c.lang || r.Scored != c.scored {
			t.Errorf("%q: language %q scored %v, want %q %v", c.text, r.Language, r.Scored, c.lang, c.scored)
		}
		if !r.Scored && (r.Label != "" || r.Compound != 0) {
			t.Errorf("%q: unscored post has label %q", c.text, r.Label)
		}
	}
}

func TestConcurrentScore(t *testing.T) {
	s := newTestScorer(t)
	texts, _ := devTexts(t)
	want := make([]float64, len(texts))
	for i, x := range texts {
		want[i] = s.Score(x).Compound
	}
	done := make(chan bool)
	for g := 0; g < 4; g++ {
		go func() {
			var r Result
			ok := true
			for i, x := range texts {
				s.ScoreInto(x, &r)
				ok = ok && r.Compound == want[i]
			}
			done <- ok
		}()
	}
	for g := 0; g < 4; g++ {
		if !<-done {
			t.Error("concurrent scores differ")
		}
	}
}
