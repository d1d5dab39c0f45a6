package drivers_test

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/backlash-monitor/backlash/internal/analyzer/drivers"
	"github.com/backlash-monitor/backlash/internal/analyzer/sentiment"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

var (
	scorerOnce sync.Once
	scorer     *sentiment.Scorer
	scorerErr  error
)

func newScorer(t testing.TB) *sentiment.Scorer {
	t.Helper()
	scorerOnce.Do(func() { scorer, scorerErr = sentiment.New(sentiment.Options{}) })
	if scorerErr != nil {
		t.Fatal(scorerErr)
	}
	return scorer
}

func readLines(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	s := bufio.NewScanner(f)
	for s.Scan() {
		if l := strings.TrimSpace(s.Text()); l != "" {
			out = append(out, l)
		}
	}
	if err := s.Err(); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return out
}

func formatTerms(terms []drivers.Term) string {
	var b strings.Builder
	for _, t := range terms {
		fmt.Fprintf(&b, "%s\tposts %d\tbaseline %d\tlog-odds %.3f\tz %.2f\n", t.Text, t.Posts, t.BaselinePosts, t.LogOdds, t.Z)
	}
	return b.String()
}

// TestDistinctiveGolden ranks each testdata case's window against its
// baseline and compares the terms with the case's golden file.
func TestDistinctiveGolden(t *testing.T) {
	sc := newScorer(t)
	cases := []struct {
		dir string
		o   drivers.Options
	}{
		// The cases are a dozen posts each, too few for any term to be
		// significant (TestDistinctiveSignificance): the goldens hold the
		// ranking, with the significance test off.
		{"mixed", drivers.Options{Exclude: []string{"Moments", "Paywise"}, MinPosts: 3, Top: 8, Alpha: -1}},
		{"mixed-min2", drivers.Options{Exclude: []string{"Moments"}, MinPosts: 2, Top: 12, Alpha: -1}},
	}
	for _, c := range cases {
		t.Run(c.dir, func(t *testing.T) {
			in := filepath.Join("testdata", strings.TrimSuffix(c.dir, "-min2"))
			w := drivers.Count(sc, readLines(t, filepath.Join(in, "window.txt")), c.o.Exclude)
			b := drivers.Count(sc, readLines(t, filepath.Join(in, "baseline.txt")), c.o.Exclude)
			got := formatTerms(drivers.Distinctive(w, b, c.o))
			golden := filepath.Join("testdata", c.dir+".golden")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if got != string(want) {
				t.Errorf("terms differ from %s (run with -update to accept):\n%s", golden, got)
			}
		})
	}
}

// TestTermsFilters checks what never becomes a term: sentiment words
// (but not the lexicon's subjects, its entries with an about), function
// words, the topic's name, numbers, and phrases across clauses.
func TestTermsFilters(t *testing.T) {
	sc := newScorer(t)
	ex := drivers.Exclusions{"moments": true, "莫门特": true}
	cases := []struct {
		text string
		want []string
	}{
		{"I can't believe they thought Moments was a good idea 😡", []string{"believe", "idea"}},
		{"hookup offers with prices attached", []string{"hookup", "offers", "hookup offers", "prices", "attached", "prices attached"}},
		{"Moments' meat market. 2024 location", []string{"meat", "market", "meat market", "location"}},
		// A lexicon entry naming a subject (泄露, leaked; boycott) is a
		// term; one saying how the writer feels (creepy) is not.
		{"莫门特泄露位置信息", []string{"泄露", "露位", "位置", "置信", "信息"}},
		{"creepy: boycott Moments, they leaked my privacy", []string{"boycott", "leaked", "privacy"}},
		// Digits break a run of Han characters; they are not part of a term.
		{"客服说要等15个工作日", []string{"客服", "服说", "说要", "要等", "工作", "作日"}},
	}
	for _, c := range cases {
		got := drivers.Terms(sc, c.text, ex)
		if strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("Terms(%q) = %q, want %q", c.text, got, c.want)
		}
	}
}

// TestDistinctiveSubjects checks that authors naming one subject of the
// lexicons in different words add up: no word is held by two authors,
// but the subject is, and it is named by its words.
func TestDistinctiveSubjects(t *testing.T) {
	sc := newScorer(t)
	cases := []struct {
		name          string
		window        []drivers.Doc
		text, subject string
	}{
		{"english", []drivers.Doc{
			{Author: "a", Text: "the new feed is basically a brothel"},
			{Author: "b", Text: "what a meat market the new feed became"},
			{Author: "c", Text: "the feed shows strangers nearby"},
		}, "brothel · meat market", "sex"},
		{"chinese", []drivers.Doc{
			{Author: "a", Text: "这个功能就是约炮软件"},
			{Author: "b", Text: "首页全是色情内容"},
			{Author: "c", Text: "界面改版了"},
		}, "约炮 · 色情", "sex"},
		// One word said by two authors is that word's term, not a subject.
		{"one word", []drivers.Doc{
			{Author: "a", Text: "time to boycott them"},
			{Author: "b", Text: "boycott, all of you"},
		}, "boycott", ""},
	}
	base := drivers.Count(sc, []string{"the feed is fine", "界面不错", "nice feed today", "转账很快"}, nil)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			terms := drivers.Distinctive(drivers.CountDocs(sc, c.window, nil), base, drivers.Options{Alpha: -1})
			for _, tm := range terms {
				if tm.Text == c.text {
					if tm.Subject != c.subject || tm.Voices != 2 {
						t.Errorf("%q: subject %q, %d authors; want %q, 2", tm.Text, tm.Subject, tm.Voices, c.subject)
					}
					return
				}
			}
			t.Errorf("no term %q in %+v", c.text, terms)
		})
	}
}

// TestDistinctiveEdges covers empty input and the minimum post count.
func TestDistinctiveEdges(t *testing.T) {
	if got := drivers.Distinctive(drivers.Counts{}, drivers.Counts{}, drivers.Options{}); got != nil {
		t.Errorf("empty corpora gave %v", got)
	}
	w := drivers.Counts{Posts: 5, Terms: map[string]int{"hookup": 2, "location": 5}}
	b := drivers.Counts{Posts: 100, Terms: map[string]int{"location": 1, "coffee": 30}}
	got := drivers.Distinctive(w, b, drivers.Options{MinPosts: 3})
	if len(got) != 1 || got[0].Text != "location" || got[0].Posts != 5 || got[0].BaselinePosts != 1 || got[0].Z <= 0 {
		t.Errorf("got %+v, want only location (hookup is under the minimum)", got)
	}
}

// TestThemesGolden groups the mixed case's window posts by their
// distinctive terms and compares the themes with the golden file.
func TestThemesGolden(t *testing.T) {
	sc := newScorer(t)
	o := drivers.Options{Exclude: []string{"Moments", "Paywise"}, MinPosts: 3, Top: 8, Alpha: -1}
	window := readLines(t, filepath.Join("testdata", "mixed", "window.txt"))
	terms := drivers.Distinctive(drivers.Count(sc, window, o.Exclude), drivers.Count(sc, readLines(t, filepath.Join("testdata", "mixed", "baseline.txt")), o.Exclude), o)
	reach := make([]uint64, len(window))
	for i := range reach {
		reach[i] = uint64(i)
	}
	ex := drivers.Exclusions{"moments": true, "paywise": true}
	var b strings.Builder
	for _, th := range drivers.Themes(sc, window, reach, terms, ex, 2, 5) {
		fmt.Fprintf(&b, "%s\t%d posts\t%.0f%%\t%s\n", strings.Join(th.Terms, " / "), th.Posts, 100*th.Share, window[th.Example])
	}
	got := b.String()
	golden := filepath.Join("testdata", "themes.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("themes differ from %s (run with -update to accept):\n%s", golden, got)
	}
}

// TestDistinctiveSignificance checks the significance test on counts made
// up for it: a term new in a window is a driver once enough posts hold
// it, a term as common before is not however many hold it, and a term
// few posts hold in a tiny window is not yet.
func TestDistinctiveSignificance(t *testing.T) {
	base := drivers.Counts{Posts: 2661, Terms: map[string]int{"nearby": 226, "app": 900, "fees": 3}}
	cases := []struct {
		name   string
		window drivers.Counts
		want   []string
	}{
		{"a common word in a small window", drivers.Counts{Posts: 15, Terms: map[string]int{"nearby": 3, "app": 5}}, nil},
		{"new words in a small window", drivers.Counts{Posts: 15, Terms: map[string]int{"nearby": 3, "refund": 4, "fees": 3}}, []string{"fees", "refund"}},
		{"a common word rising", drivers.Counts{Posts: 100, Terms: map[string]int{"nearby": 40, "app": 34}}, []string{"nearby"}},
		{"new words in a large window", drivers.Counts{Posts: 1000, Terms: map[string]int{"refund": 30, "app": 340, "nearby": 90}}, []string{"refund"}},
	}
	for _, c := range cases {
		var got []string
		for _, tm := range drivers.Distinctive(c.window, base, drivers.Options{}) {
			got = append(got, tm.Text)
		}
		sort.Strings(got)
		if strings.Join(got, ",") != strings.Join(c.want, ",") {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
}

// TestDistinctiveKeywords holds the topic's keywords to the topic's own
// past: one the topic always says is never over-represented however rare
// it is in the language (every over-represented term is reported here,
// Alpha -1), one new to the topic is, and without a past none is.
func TestDistinctiveKeywords(t *testing.T) {
	sc := newScorer(t)
	calm := []string{"moments feed loads fine for me", "posted moments from the trip", "moments shows my friends' photos",
		"turned moments notifications off", "moments has a new sticker pack"}
	var baseline, window []string
	for i := range 400 {
		baseline = append(baseline, fmt.Sprintf("%s #%d", calm[i%len(calm)], i))
	}
	for i := range 40 {
		text := fmt.Sprintf("%s #%d", calm[i%len(calm)], i)
		if i%2 == 0 {
			text = fmt.Sprintf("moments is a brothel now, my feed is escorts #%d", i)
		}
		window = append(window, text)
	}
	kw := []string{"moments", "brothel"}
	ex := []string{"social-feature"}
	for _, c := range []struct {
		name     string
		baseline []string
		keywords []string
		want     map[string]bool // term: named or not
	}{
		{"keywords judged on the topic's past", baseline, kw, map[string]bool{"brothel": true, "moments": false}},
		{"keywords excluded", baseline, nil, map[string]bool{"brothel": false, "moments": false}},
		{"no past", nil, kw, map[string]bool{"brothel": false, "moments": false}},
	} {
		t.Run(c.name, func(t *testing.T) {
			exclude := ex
			if c.keywords == nil {
				exclude = append(exclude, kw...) // keywords never terms
			}
			terms := drivers.Distinctive(drivers.Count(sc, window, exclude), drivers.Count(sc, c.baseline, exclude),
				drivers.Options{Exclude: exclude, Keywords: c.keywords, Background: drivers.DefaultBackground(), Alpha: -1})
			named := map[string]bool{}
			for _, tm := range terms {
				for _, w := range strings.Split(tm.Text, " · ") {
					named[w] = true
				}
			}
			for term, want := range c.want {
				if named[term] != want {
					t.Errorf("%q named: %v, want %v (terms: %s)", term, named[term], want, formatTerms(terms))
				}
			}
		})
	}
}

// TestSubjectWordsNotRepeated holds that a word of a subject already named
// is not named again on its own: the subject counts its posts. Two authors
// say "meat market" and seven "brothel"; without the rule "meat market"
// followed "brothel · meat market" as a term of its own.
func TestSubjectWordsNotRepeated(t *testing.T) {
	s := newScorer(t)
	var window []drivers.Doc
	for i := range 7 {
		window = append(window, drivers.Doc{Author: fmt.Sprintf("a%d", i), Text: fmt.Sprintf("this feed is a brothel now #%d", i)})
	}
	for i := range 2 {
		window = append(window, drivers.Doc{Author: fmt.Sprintf("b%d", i), Text: fmt.Sprintf("a meat market with payments #%d", i)})
	}
	var base []string
	for i := range 300 {
		base = append(base, fmt.Sprintf("paid my rent with the app, all fine #%d", i))
	}
	terms := drivers.Distinctive(drivers.CountDocs(s, window, nil), drivers.Count(s, base, nil), drivers.Options{Alpha: -1})
	subject := false
	for _, tm := range terms {
		if tm.Subject == "sex" {
			subject = true
		}
		if tm.Text == "meat market" || tm.Text == "brothel" {
			t.Errorf("%q named beside its subject: %s", tm.Text, formatTerms(terms))
		}
	}
	if !subject {
		t.Errorf("no sex subject: %s", formatTerms(terms))
	}
}
