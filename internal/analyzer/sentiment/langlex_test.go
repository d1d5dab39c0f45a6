package sentiment

import (
	"math"
	"path"
	"strings"
	"testing"
)

// TestLangLexicons checks every language's brand-risk vocabulary parses,
// explains each entry, and scores its own clear cases with the right sign.
func TestLangLexicons(t *testing.T) {
	files, err := brandLangFS.ReadDir("lexicon")
	if err != nil {
		t.Fatal(err)
	}
	langs := map[string]bool{}
	for _, f := range files {
		data, _ := brandLangFS.ReadFile(path.Join("lexicon", f.Name()))
		y, err := parseLexicon(f.Name(), data)
		if err != nil {
			t.Fatal(err)
		}
		if len(y.Entries) < 20 {
			t.Errorf("%s: %d entries", f.Name(), len(y.Entries))
		}
		for _, e := range y.Entries {
			if strings.TrimSpace(e.Why) == "" {
				t.Errorf("%s: %q has no why", f.Name(), e.Term)
			}
		}
		langs[strings.TrimSuffix(strings.TrimPrefix(f.Name(), "brand."), ".yaml")] = true
	}
	for _, l := range []string{"zh", "ar", "de", "es", "fr", "hi", "it", "pt"} {
		if !langs[l] {
			t.Errorf("no brand-risk lexicon for %s", l)
		}
	}
	for _, l := range []string{"ar", "de", "es", "fr", "it", "pt"} {
		ver, general, err := generalLexicon(l)
		if err != nil {
			t.Fatal(err)
		}
		if ver == "" || len(general) < 200 {
			t.Errorf("general vocabulary of %s: version %q, %d entries", l, ver, len(general))
		}
		for _, e := range general {
			if strings.TrimSpace(e.Why) == "" {
				t.Errorf("general.%s.yaml: %q has no why", l, e.Term)
			}
			if strings.Contains(normalizeTerm(e.Term), " ") {
				t.Errorf("general.%s.yaml: %q: only single words match", l, e.Term)
			}
		}
	}
	s := newTestScorer(t)
	cases := []struct {
		lang, text string
		sign       float64
	}{
		{"zh", "这个圈子功能太恶心了，抵制", -1},
		{"zh", "不好", -1},
		{"zh", "不错，挺好用", 1},
		{"zh", "监管部门约谈，要求整改", -1},
		{"es", "boicot a esta app, es una estafa", -1},
		{"es", "no es útil", -1},
		{"fr", "quelle arnaque, je vais désinstaller", -1},
		{"de", "Datenleck und Abzocke, Boykott", -1},
		{"it", "che schifo, una truffa", -1},
		{"pt", "que vergonha, golpe", -1},
		{"ar", "فضيحة مقاطعة", -1},
		{"hi", "bakwas app hai, dhokha", -1},
		{"hi", "badhiya hai", 1},
		{"hi", "bohot bakwaas hai yaar", -1},        // a spelling of bakwas
		{"hi", "kharaab service, pareshaan hu", -1}, // spellings of kharab, pareshan
		{"hi", "ghtya app", -1},                     // skeleton of ghatiya
		{"hi", "accha nahi laga", -1},               // negator after the term
		{"hi", "kharab nahi hai", 1},
		{"hi", "pyarr hai bhai", 1},
		// Words of the general vocabularies (general.<lang>.yaml).
		{"fr", "Cette fonctionnalité est honteuse, je supprime l'application", -1},
		{"fr", "franchement c'est pas mal", 1},
		{"fr", "pas très bon", -1},
		{"es", "la nueva función es una porquería", -1},
		{"es", "me encanta, muy buena idea", 1},
		{"de", "was für eine Frechheit, echt mies", -1},
		{"de", "Ich finde die neue Funktion ganz praktisch", 1},
		{"de", "keine gute Idee", -1},
		{"it", "aggiornamento penoso, sono deluso", -1},
		{"it", "che bella notizia, sono contenta", 1},
		{"pt", "atualização horrível, estou decepcionado", -1},
		{"pt", "ficou lindo demais, parabéns", 1},
		{"ar", "التحديث الجديد زفت", -1},
		{"ar", "تطبيق رائع جدا", 1},
	}
	for _, c := range cases {
		sc := newScratch()
		s.lx.tokenize(c.text, sc)
		if v := s.langLexicon(c.text, sc, c.lang); v*c.sign <= 0 {
			t.Errorf("%s %q: lexicon score %.3f", c.lang, c.text, v)
		}
	}
}

// TestLangBoosters checks that a booster makes the word after it count
// more, a diminisher less, and that a negator before both still flips.
func TestLangBoosters(t *testing.T) {
	s := newTestScorer(t)
	score := func(lang, text string) float64 {
		sc := newScratch()
		s.lx.tokenize(text, sc)
		return s.langLexicon(text, sc, lang)
	}
	cases := []struct{ lang, plain, boosted, damped, negated string }{
		{"fr", "bon", "très bon", "peu bon", "pas très bon"},
		{"de", "schlecht", "sehr schlecht", "etwas schlecht", "nicht sehr schlecht"},
		{"es", "útil", "muy útil", "poco útil", "no muy útil"},
	}
	for _, c := range cases {
		p, b, d, n := score(c.lang, c.plain), score(c.lang, c.boosted), score(c.lang, c.damped), score(c.lang, c.negated)
		if p == 0 || math.Abs(b) <= math.Abs(p) || math.Abs(d) >= math.Abs(p) || d*p <= 0 || n*p >= 0 {
			t.Errorf("%s: %q %.3f, %q %.3f, %q %.3f, %q %.3f", c.lang, c.plain, p, c.boosted, b, c.damped, d, c.negated, n)
		}
	}
}

// TestHindiSpellingsStayApart checks that matching romanized Hindi by
// its spelling leaves alone the words whose skeleton an entry shares:
// names, English words and everyday Hindi ones.
func TestHindiSpellingsStayApart(t *testing.T) {
	s := newTestScorer(t)
	for _, text := range []string{"Sharma ji", "Kamal Haasan", "dekh lo", "chotey bachche", "must watch", "body", "badhey chalo"} {
		sc := newScratch()
		s.lx.tokenize(text, sc)
		if v := s.langLexicon(text, sc, "hi"); v != 0 {
			t.Errorf("%q: lexicon score %.3f, want none", text, v)
		}
	}
}

// TestChineseTermsNameWords checks Chinese explanations name the lexicon's
// words rather than fragments of character n-grams.
func TestChineseTermsNameWords(t *testing.T) {
	s := newTestScorer(t)
	for text, want := range map[string]string{
		"这个圈子功能太恶心了":               "恶心",
		"#支付宝圈子# 官方道歉了，但是我已经卸载了 😡": "卸载",
		"这个功能不好用":                  "不好用",
	} {
		r := s.Score(text)
		if r.Label != Negative || !hasTerm(r, want) {
			t.Errorf("%q: label %s terms %v, want negative with %q", text, r.Label, r.Terms, want)
		}
	}
}
