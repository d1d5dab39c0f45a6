package drivers_test

import (
	"strings"
	"testing"

	"github.com/backlash-monitor/backlash/internal/analyzer/drivers"
)

// TestReadBackground checks the table's format and its errors, which name
// the line.
func TestReadBackground(t *testing.T) {
	b, err := drivers.ReadBackground(strings.NewReader("# comment\nlang en 1000\ngood\t100\nmeat market\t2\nlang zh 500\n公司\t50\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(b.Languages(), ","); got != "en,zh" {
		t.Errorf("languages %q", got)
	}
	for _, c := range []struct {
		lang, term string
		want       float64
	}{
		{"en", "good", 0.1}, {"en", "meat market", 0.002}, {"en", "hookup", 0.001}, // unlisted: half the least count
		{"zh", "公司", 0.1}, {"fr", "bon", 0},
	} {
		if got := b.Share(c.lang, c.term); got != c.want {
			t.Errorf("Share(%s, %s) = %g, want %g", c.lang, c.term, got, c.want)
		}
	}
	for _, c := range []struct{ in, want string }{
		{"good\t3\n", "line 1"},
		{"lang en x\n", "line 1: posts"},
		{"lang en 10\ngood\t11\n", "line 2: count"},
		{"lang en\n", "line 1: want"},
	} {
		if _, err := drivers.ReadBackground(strings.NewReader(c.in)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ReadBackground(%q) = %v, want an error naming %q", c.in, err, c.want)
		}
	}
}

// TestShippedBackground checks the shipped table knows the languages the
// training texts cover, and that what it learned ranks common words above
// the specific ones a backlash brings.
func TestShippedBackground(t *testing.T) {
	b := drivers.DefaultBackground()
	if got := strings.Join(b.Languages(), ","); got != "ar,de,en,es,fr,hi,it,pt,zh" {
		t.Fatalf("languages %q", got)
	}
	for _, c := range []struct{ lang, common, specific string }{
		{"en", "really", "hookup"}, {"en", "people", "screenshots"}, {"zh", "公司", "截图"}, {"zh", "数据", "定位"},
	} {
		if b.Share(c.lang, c.common) <= b.Share(c.lang, c.specific) {
			t.Errorf("%s: %q (%g) is not more common than %q (%g)", c.lang, c.common, b.Share(c.lang, c.common), c.specific, b.Share(c.lang, c.specific))
		}
	}
}

// TestBackgroundPrior ranks two terms new to a topic and held by as many
// posts: the one common in the language in general ranks below the one
// rare in it, and with the background off they tie.
func TestBackgroundPrior(t *testing.T) {
	bg, err := drivers.ReadBackground(strings.NewReader("lang en 10000\ncompany\t100\nhookup\t1\n"))
	if err != nil {
		t.Fatal(err)
	}
	w := drivers.Counts{Posts: 50, Terms: map[string]int{"company": 5, "hookup": 5}, Langs: map[string]int{"en": 50}}
	b := drivers.Counts{Posts: 3000, Terms: map[string]int{"app": 900, "fees": 30}}
	got := drivers.Distinctive(w, b, drivers.Options{Background: bg})
	if len(got) != 2 || got[0].Text != "hookup" || got[0].Z <= got[1].Z {
		t.Errorf("with the background: %+v, want hookup above company", got)
	}
	got = drivers.Distinctive(w, b, drivers.Options{Background: &drivers.Background{}})
	if len(got) != 2 || got[0].Z != got[1].Z {
		t.Errorf("without the background: %+v, want a tie", got)
	}
}

// TestVoices counts a term once per author, and a repost for the author
// it quotes.
func TestVoices(t *testing.T) {
	sc := newScorer(t)
	docs := []drivers.Doc{
		{Author: "mia", Text: "the screenshots are everywhere"},
		{Author: "Mia", Text: "those screenshots again"},
		{Author: "ben", Text: "RT @mia: the screenshots are everywhere"},
		{Author: "小李", Text: "转发微博 //@阿杰：截图满天飞"},
		{Author: "阿杰", Text: "截图满天飞"},
		{Author: "", Text: "screenshots of the feed"},
	}
	c := drivers.CountDocs(sc, docs, nil)
	if c.Terms["screenshots"] != 4 || c.Voices["screenshots"] != 2 {
		t.Errorf("screenshots: %d posts, %d voices; want 4 and 2", c.Terms["screenshots"], c.Voices["screenshots"])
	}
	if c.Terms["截图"] != 2 || c.Voices["截图"] != 1 {
		t.Errorf("截图: %d posts, %d voices; want 2 and 1", c.Terms["截图"], c.Voices["截图"])
	}
	if got := drivers.Distinctive(c, drivers.Counts{Posts: 100, Terms: map[string]int{"app": 50}}, drivers.Options{MinPosts: 2, Alpha: -1}); len(got) == 0 || got[0].Text != "screenshots" || got[0].Voices != 2 {
		t.Errorf("got %+v, want screenshots from 2 voices first, and no term of one voice", got)
	} else {
		for _, tm := range got {
			if tm.Voices < 2 {
				t.Errorf("%q has %d voices, under the minimum", tm.Text, tm.Voices)
			}
		}
	}
}
