package sentiment

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestBrandLexiconIsValid(t *testing.T) {
	y, err := parseLexicon("brand.yaml", brandYAML)
	if err != nil {
		t.Fatal(err)
	}
	if y.Version == "" || len(y.Entries) < 50 {
		t.Fatalf("brand lexicon version %q with %d entries", y.Version, len(y.Entries))
	}
	s := newTestScorer(t)
	if want := "vader-3.3.2+brand-" + y.Version + "+"; !strings.HasPrefix(s.Version(), want) || !strings.Contains(s.Version(), "+model-") {
		t.Errorf("Version() = %q, want %q", s.Version(), want)
	}
}

func TestUserLexicon(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "acme.yaml")
	body := "version: 7\nentries:\n  - term: acme pay\n    valence: -2\n    why: test phrase\n  - term: zorp\n    valence: 2.5\n    why: test word\n"
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := New(Options{Lexicons: []string{p}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(s.Version(), "+acme-7.") {
		t.Errorf("version %q does not name the user lexicon", s.Version())
	}
	if r := s.Score("zorp"); r.Label != Positive {
		t.Errorf("zorp: %+v", r)
	}
	if r := s.Score("tried Acme Pay today"); r.Label != Negative || !hasTerm(r, "Acme Pay") {
		t.Errorf("acme pay: %+v", r)
	}
	// Editing the file without bumping its version still changes Version.
	if err := os.WriteFile(p, []byte(strings.Replace(body, "2.5", "3", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	s2, err := New(Options{Lexicons: []string{p}})
	if err != nil {
		t.Fatal(err)
	}
	if s2.Version() == s.Version() {
		t.Errorf("version unchanged after edit: %q", s.Version())
	}
}

func TestBadLexiconErrors(t *testing.T) {
	cases := []struct {
		name, body string
		want       []string
	}{
		{"valence", "version: 1\nentries:\n  - term: good\n    valence: 2\n    why: ok\n  - term: awful\n    valence: 9\n    why: too strong\n",
			[]string{"bad.yaml", "line 6", `"awful"`, "outside -4..4"}},
		{"why", "version: 1\nentries:\n  - {term: meh, valence: -1}\n",
			[]string{"bad.yaml", "line 3", `"meh"`, "missing why"}},
		{"field", "version: 1\nentries:\n  - {term: x, valence: 1, why: y, weight: 2}\n",
			[]string{"bad.yaml", "line 3", "unknown field"}},
		{"type", "version: 1\nentries:\n  - {term: x, valence: lots, why: y}\n",
			[]string{"bad.yaml", "line 3", `"x"`}},
		{"syntax", "version: 1\nentries:\n  - term: [unclosed\n",
			[]string{"bad.yaml", "line"}},
		{"version", "entries:\n  - {term: x, valence: 1, why: y}\n",
			[]string{"bad.yaml", "version"}},
		{"subject without about", "version: 1\nentries:\n  - {term: x, valence: 1, why: y}\n  - {term: fees, role: subject, why: y}\n",
			[]string{"bad.yaml", "line 4", `"fees"`, "needs about"}},
		{"subject with valence", "version: 1\nentries:\n  - {term: fees, role: subject, about: money, valence: -1, why: y}\n",
			[]string{"bad.yaml", "line 3", `"fees"`, "no valence"}},
		{"subject without why", "version: 1\nentries:\n  - {term: fees, role: subject, about: money}\n",
			[]string{"bad.yaml", "line 3", `"fees"`, "missing why"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "bad.yaml")
			if err := os.WriteFile(p, []byte(c.body), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := New(Options{Lexicons: []string{p}})
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
	if _, err := New(Options{Lexicons: []string{"/nonexistent/x.yaml"}}); err == nil || !strings.Contains(err.Error(), "x.yaml") {
		t.Errorf("missing file error: %v", err)
	}
}

// TestAboutWordsAreNotGeneric checks that a lexicon entry naming what a
// post is about (about:) keeps its score but is not generic in Words or
// GenericIn, in the embedded lexicons and in a deployment's own.
func TestAboutWordsAreNotGeneric(t *testing.T) {
	p := filepath.Join(t.TempDir(), "acme.yaml")
	body := "version: 1\nentries:\n  - {term: overdraft, valence: -1.5, about: money, why: test subject}\n  - {term: grumpy, valence: -1.5, why: test feeling}\n"
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := New(Options{Lexicons: []string{p}})
	if err != nil {
		t.Fatal(err)
	}
	if r := s.Score("overdraft again"); r.Label != Negative {
		t.Errorf("overdraft: about changed the score: %+v", r)
	}
	generic := map[string]bool{}
	for _, text := range []string{"grumpy about the overdraft", "creepy: boycott them, my privacy leaked"} {
		words, _ := s.Words(text)
		for _, w := range words {
			generic[w.Text] = w.Generic
		}
	}
	for w, want := range map[string]bool{"overdraft": false, "grumpy": true, "creepy": true, "boycott": false, "privacy": false, "leaked": false} {
		if g, ok := generic[w]; !ok || g != want {
			t.Errorf("Words: %q generic %v (found %v), want %v", w, g, ok, want)
		}
	}
	for text, want := range map[string]bool{"色情": false, "隐私": false, "恶心": true} {
		if g := s.GenericIn("zh", text); g != want {
			t.Errorf("GenericIn(zh, %q) = %v, want %v", text, g, want)
		}
	}
}

// TestSubjectEntriesScoreNothing checks that an entry with role subject
// names what a term is about and changes no score: a word without a
// valence stays without one, and a word VADER rates keeps its rating, in
// a deployment's lexicon and in the embedded ones (English and Chinese).
func TestSubjectEntriesScoreNothing(t *testing.T) {
	p := filepath.Join(t.TempDir(), "acme.yaml")
	body := "version: 1\nentries:\n" +
		"  - {term: sticker pack, role: subject, about: stickers, why: test phrase}\n" +
		"  - {term: terrible, role: subject, about: quality, why: test rated word}\n"
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	plain, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(Options{Lexicons: []string{p}})
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{"the new sticker pack is terrible", "sticker pack!!", "terrible, just terrible",
		"hookup central now, pure porn", "定位泄露给陌生人，太恶心了", "新华社点名批评"} {
		if a, b := plain.Score(text), s.Score(text); a.Compound != b.Compound {
			t.Errorf("%q: compound %v with the subject entries, %v without", text, b.Compound, a.Compound)
		}
	}
	if r := s.Score("terrible"); r.Label != Negative {
		t.Errorf("terrible lost VADER's rating: %+v", r)
	}
	for _, c := range []struct{ lang, term, want string }{
		{"en", "sticker pack", "stickers"}, {"en", "terrible", "quality"}, {"en", "hookup", "sex"},
		{"en", "location", "privacy"}, {"zh", "定位", "privacy"}, {"zh", "新华社", "state media"},
		{"zh", "手机定位", "privacy"}, {"en", "pack", ""},
	} {
		if got := s.About(c.lang, c.term); got != c.want {
			t.Errorf("About(%s, %q) = %q, want %q", c.lang, c.term, got, c.want)
		}
	}
	words, _ := s.Words("a terrible sticker pack")
	for _, w := range words {
		if w.Text == "terrible" && w.Generic {
			t.Errorf("terrible names a subject but is generic in Words")
		}
	}
}

// TestUserLexiconEmoticonAndSymbol checks that a user lexicon's emoticons
// and symbols below U+10000 are found: the tokenizer's bit sets of
// emoticon starts and emoji are built after every lexicon is applied.
func TestUserLexiconEmoticonAndSymbol(t *testing.T) {
	p := filepath.Join(t.TempDir(), "acme.yaml")
	body := "version: 1\nentries:\n" +
		"  - {term: \"(y)\", valence: 2, why: test emoticon}\n" +
		"  - {term: \"⛔\", valence: -2, why: test symbol}\n"
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := New(Options{Lexicons: []string{p}, RulesOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		text, term string
		label      Label
	}{
		{"the new update (y)", "(y)", Positive},
		{"the new update ⛔", "⛔", Negative},
	} {
		if r := s.Score(c.text); r.Label != c.label || !hasTerm(r, c.term) {
			t.Errorf("%q: %+v, want %s with term %q", c.text, r, c.label, c.term)
		}
	}
}
