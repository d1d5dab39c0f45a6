package sentiment

import (
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
	}
	for _, c := range cases {
		sc := newScratch()
		s.lx.tokenize(c.text, sc)
		if v := s.langLexicon(c.text, sc, c.lang); v*c.sign <= 0 {
			t.Errorf("%s %q: lexicon score %.3f", c.lang, c.text, v)
		}
	}
}
