package demo

import (
	"regexp"
	"strings"
	"testing"
)

// matcher is a reference topic matcher with the configuration's semantics:
// case-insensitive keywords and phrases on word boundaries, vetoed by any
// exclusion; a keyword edge in Han script needs no boundary, since Chinese
// is written without spaces.
type matcher struct{ kw, ex []*regexp.Regexp }

func newMatcher(keywords, exclude []string) matcher {
	han := regexp.MustCompile(`^\p{Han}`)
	nah := regexp.MustCompile(`\p{Han}$`)
	re := func(ws []string) []*regexp.Regexp {
		var out []*regexp.Regexp
		for _, w := range ws {
			before, after := `(^|[^\pL\pN])`, `($|[^\pL\pN])`
			if han.MatchString(w) {
				before = ""
			}
			if nah.MatchString(w) {
				after = ""
			}
			out = append(out, regexp.MustCompile(`(?i)`+before+regexp.QuoteMeta(w)+after))
		}
		return out
	}
	return matcher{re(keywords), re(exclude)}
}

func (m matcher) match(text string) bool {
	for _, x := range m.ex {
		if x.MatchString(text) {
			return false
		}
	}
	for _, k := range m.kw {
		if k.MatchString(text) {
			return true
		}
	}
	return false
}

// topicOf classifies text the way the demo configuration would.
func topicOf(s *Scenario) func(text string) (backlash, calm bool) {
	bt, ct := s.Topics()
	bk, bx := s.Keywords(bt)
	ck, cx := s.Keywords(ct)
	b, c := newMatcher(bk, bx), newMatcher(ck, cx)
	return func(text string) (bool, bool) { return b.match(text), c.match(text) }
}

func TestTextsAreDistinctAndPlentiful(t *testing.T) {
	for _, lang := range Languages() {
		t.Run(lang, func(t *testing.T) { textsAreDistinctAndPlentiful(t, lang) })
	}
}

// minTexts is how many post texts each language's world has at least.
var minTexts = map[string]int{LangEnglish: 450, LangChinese: 400}

func textsAreDistinctAndPlentiful(t *testing.T, lang string) {
	lib, err := loadLibrary(localeFor(lang).dir)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]string{}
	norm := func(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }
	add := func(pool, text string) {
		t.Helper()
		if strings.TrimSpace(text) == "" {
			t.Errorf("%s: empty text", pool)
		}
		if prev, dup := seen[norm(text)]; dup {
			t.Errorf("%s: duplicate of a text in %s: %q", pool, prev, text)
		}
		seen[norm(text)] = pool
	}
	total := 0
	for pool := range postPools() {
		texts := lib.posts[pool]
		if len(texts) < 20 {
			t.Errorf("pool %s has %d texts, want at least 20", pool, len(texts))
		}
		for _, x := range texts {
			add(pool, x)
		}
		total += len(texts)
	}
	if total < minTexts[lang] {
		t.Errorf("%d post texts in all, want several hundred (at least %d)", total, minTexts[lang])
	}
	for pool, arts := range lib.articles {
		for _, a := range arts {
			add(pool, a.Title)
			add(pool, a.Text)
			if a.Outlet == "" {
				t.Errorf("%s: article %q has no outlet", pool, a.Title)
			}
		}
	}
	for _, pool := range titlePools() {
		if len(lib.titles[pool]) < 8 {
			t.Errorf("title pool %s has %d titles, want at least 8", pool, len(lib.titles[pool]))
		}
		tseen := map[string]bool{}
		for _, x := range lib.titles[pool] {
			if tseen[norm(x)] {
				t.Errorf("%s: duplicate title %q", pool, x)
			}
			tseen[norm(x)] = true
		}
	}
	t.Logf("%d post texts, %d distinct texts in all", total, len(seen))
}

// Every text must be about exactly the topic its pool claims, by the
// configuration's own keywords, so the ground truth is honest; and every
// on-topic text must be found by the microblog search query.
func TestTextsMatchTheirTopic(t *testing.T) {
	for _, lang := range Languages() {
		t.Run(lang, func(t *testing.T) { textsMatchTheirTopic(t, lang) })
	}
}

func textsMatchTheirTopic(t *testing.T, lang string) {
	s := NewScenario(Options{Scale: 0.01, Lang: lang})
	lib, err := loadLibrary(s.loc.dir)
	if err != nil {
		t.Fatal(err)
	}
	classify := topicOf(s)
	query := s.SearchQuery()
	check := func(where, text string, kind topicKind) {
		t.Helper()
		b, c := classify(text)
		want := map[topicKind][2]bool{kindNone: {false, false}, kindBacklash: {true, false}, kindCalm: {false, true}}[kind]
		if b != want[0] || c != want[1] {
			t.Errorf("%s: %q matches backlash=%v calm=%v, want %v", where, text, b, c, want)
		}
		if kind != kindNone && !matches(text, queryTerms(query)) {
			t.Errorf("%s: %q is not found by the search query %q", where, text, query)
		}
	}
	for pool, meta := range postPools() {
		for _, x := range lib.posts[pool] {
			check(pool, x, meta.kind)
		}
	}
	for pool, kind := range articlePools() {
		for _, a := range lib.articles[pool] {
			check(pool, a.Text, kind)
		}
	}
	for k, x := range lib.company {
		kind := kindBacklash
		if strings.HasPrefix(k, "welcome") {
			kind = kindNone
		}
		check("company "+k, x, kind)
	}
}
