package sentiment

import (
	"path"
	"strings"
	"testing"
)

// TestSubjectsByLanguage checks, for every language with a space-delimited
// lexicon, that words naming a subject in different words and spellings
// say what they are about, entries with a valence among them ("boykott"),
// and that feelings and everyday words name none.
func TestSubjectsByLanguage(t *testing.T) {
	s := newTestScorer(t)
	cases := []struct {
		lang, term, want string
	}{
		{"de", "boykott", "leaving"},
		{"de", "belästigung", "harassment"},
		{"de", "persönliche daten", "privacy"},
		{"de", "dsgvo", "regulators"},
		{"de", "störung", "failure"},
		{"de", "doppelt abgebucht", "money"},
		{"de", "ekelhaft", ""},
		{"de", "daten", ""},
		{"fr", "arnaque", "fraud"},
		{"fr", "harcèlement", "harassment"},
		{"fr", "données personnelles", "privacy"},
		{"fr", "cnil", "regulators"},
		{"fr", "panne", "failure"},
		{"fr", "signalement", "reporting"},
		{"fr", "s'excuse", "apology"},
		{"fr", "excuses", ""}, // also English excuses, not apologies: the about map is shared
		{"fr", "génial", ""},
		{"fr", "données", ""},
		{"es", "boicot", "leaving"},
		{"es", "acoso", "harassment"},
		{"es", "datos personales", "privacy"},
		{"es", "estafadores", "fraud"},
		{"es", "denuncia", "reporting"},
		{"es", "demanda", ""},
		{"es", "asco", ""},
		{"it", "truffa", "fraud"},
		{"it", "molestie", "harassment"},
		{"it", "garante", "regulators"},
		{"it", "disservizio", "failure"},
		{"it", "chiede scusa", "apology"},
		{"it", "schifo", ""},
		{"pt", "fraude", "fraud"},
		{"pt", "golpe", ""}, // also "de golpe", all at once, in Spanish: the about map is shared
		{"pt", "assédio", "harassment"},
		{"pt", "lgpd", "regulators"},
		{"pt", "cobrança indevida", "money"},
		{"pt", "notícias falsas", "misinformation"},
		{"pt", "nojo", ""},
		{"ar", "مقاطعة", "leaving"},
		{"ar", "التحرش", "harassment"},
		{"ar", "البيانات الشخصية", "privacy"},
		{"ar", "واحتيال", "fraud"},
		{"ar", "شكوى", "reporting"},
		{"ar", "مقرف", ""},
		{"hi", "boycott", "leaving"},
		{"hi", "शिकायत", "reporting"},
		{"hi", "shikayat", "reporting"},
		{"hi", "धोखाधड़ी", "fraud"},
		{"hi", "dhokhadhadi", "fraud"},
		{"hi", "माफी", "apology"},
		{"hi", "माफ़ी", "apology"},
		{"hi", "data chori", "security"},
		{"hi", "bakwas", ""},
		{"hi", "dhokha", ""},
	}
	for _, c := range cases {
		if got := s.About(c.lang, c.term); got != c.want {
			t.Errorf("About(%s, %q) = %q, want %q", c.lang, c.term, got, c.want)
		}
	}
}

// TestSubjectTermsReachDrivers checks every term of the space-delimited
// lexicons that names a subject: drivers read words and two-word phrases
// as the scorer splits them, so a term must be one or two of its words,
// none of them generic (a generic word breaks a phrase), and About must
// return the term's subject. The about map is shared by all languages,
// so a term listed in two lexicons (multa, denuncia, boycott) must name
// the same subject in both.
func TestSubjectTermsReachDrivers(t *testing.T) {
	s := newTestScorer(t)
	brand, err := parseLexicon("brand.yaml", brandYAML)
	if err != nil {
		t.Fatal(err)
	}
	owner := map[string]string{} // term -> "file: about"
	for _, e := range brand.Entries {
		if e.About != "" {
			owner[normalizeTerm(e.Term)] = "brand.yaml: " + e.About
		}
	}
	checked := map[string]int{}
	for _, f := range embeddedLangLexicons(t) {
		lang, y := f.lang, f.lex
		if lang == "zh" || lang == "ja" {
			continue
		}
		ll := s.langLex[lang]
		for _, e := range y.Entries {
			if e.About == "" {
				continue
			}
			term := normalizeTerm(e.Term)
			checked[lang]++
			if o, ok := owner[term]; ok && !strings.HasSuffix(o, ": "+e.About) {
				t.Errorf("%s: %q is about %s, but %s", f.name, term, e.About, o)
			}
			owner[term] = f.name + ": " + e.About
			if got := s.About(lang, term); got != e.About {
				t.Errorf("%s: About(%s, %q) = %q, want %q", f.name, lang, term, got, e.About)
			}
			words, _ := s.Words(term)
			var texts []string
			for _, w := range words {
				texts = append(texts, w.Text)
			}
			if got := strings.Join(texts, " "); got != term || len(words) > 2 {
				t.Errorf("%s: %q splits into %q; drivers read one or two words as written", f.name, term, texts)
				continue
			}
			for _, w := range words {
				// Words judges by the language it detects in the term
				// alone, so a word of this language's lexicon is checked
				// against it directly too.
				_, valenced := ll.words[w.Text]
				if w.Generic || (valenced || ll.negs[w.Text]) && s.about[w.Text] == "" {
					t.Errorf("%s: %q of %q is generic, so drivers never name it", f.name, w.Text, term)
				}
			}
		}
	}
	for _, lang := range []string{"ar", "de", "es", "fr", "hi", "it", "pt"} {
		if checked[lang] < 30 {
			t.Errorf("%s: %d terms name a subject, want at least 30", lang, checked[lang])
		}
	}
}

// TestSubjectEntriesAddNoValence checks that the terms entries with role
// subject list get no valence from their language's lexicon, neither
// their own nor another word's by a shared spelling (romanized Hindi):
// they only say what a post is about.
func TestSubjectEntriesAddNoValence(t *testing.T) {
	s := newTestScorer(t)
	for _, f := range embeddedLangLexicons(t) {
		lang, y := f.lang, f.lex
		for _, e := range y.Entries {
			if !e.subjectOnly() {
				continue
			}
			sc := newScratch()
			s.lx.tokenize(e.Term, sc)
			if v := s.langLexicon(e.Term, sc, lang); v != 0 || len(sc.lexHits) != 0 {
				t.Errorf("%s: subject %q scores %.3f in the %s lexicon", f.name, e.Term, v, lang)
			}
		}
	}
}

// langLexiconFile is one embedded lexicon/brand.<lang>.yaml, parsed.
type langLexiconFile struct {
	name, lang string
	lex        yamlLexicon
}

// embeddedLangLexicons parses every embedded language lexicon.
func embeddedLangLexicons(t *testing.T) []langLexiconFile {
	t.Helper()
	files, err := brandLangFS.ReadDir("lexicon")
	if err != nil {
		t.Fatal(err)
	}
	var out []langLexiconFile
	for _, f := range files {
		data, err := brandLangFS.ReadFile(path.Join("lexicon", f.Name()))
		if err != nil {
			t.Fatal(err)
		}
		y, err := parseLexicon(f.Name(), data)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, langLexiconFile{name: f.Name(), lang: strings.TrimSuffix(strings.TrimPrefix(f.Name(), "brand."), ".yaml"), lex: y})
	}
	return out
}
