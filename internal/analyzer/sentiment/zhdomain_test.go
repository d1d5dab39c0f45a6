package sentiment

import "testing"

// TestZhDegreeNegators checks that a Chinese negator holding a degree
// word flips the term after it, as 不 alone does the term right after it.
func TestZhDegreeNegators(t *testing.T) {
	s := newTestScorer(t)
	sc := newScratch()
	cases := []struct {
		text string
		neg  bool
	}{
		{"电池续航能力不太好", true},
		{"键盘不是很好", true},
		{"护发素真是没什么效果", true},
		{"一点都不新鲜", true},
		{"房间不干净", true},
		{"电池续航能力很好", false},
		{"房间干净，服务热情", false},
	}
	for _, c := range cases {
		s.lx.tokenize(c.text, sc)
		v := s.langLexicon(c.text, sc, "zh")
		if got := v < 0; got != c.neg {
			t.Errorf("%q: lexicon score %.3f, want negative %v", c.text, v, c.neg)
		}
	}
}

// TestNegGuardPraise checks which guard a post without a negative term
// meets: the praise guard where the rules or the lexicon find praise,
// the other guard where they find nothing, and the one guard when the
// praise guard is unset.
func TestNegGuardPraise(t *testing.T) {
	praise := [numDense]float64{0, 0, 0, 0.3 * denseScale}
	rules := [numDense]float64{0.2 * denseScale, 0, 0, 0}
	none := [numDense]float64{}
	cases := []struct {
		m    linear
		x    [numDense]float64
		want float64
	}{
		{linear{NegGuard: 0.5, NegGuardPraise: 0.6}, praise, 0.6},
		{linear{NegGuard: 0.5, NegGuardPraise: 0.6}, rules, 0.6},
		{linear{NegGuard: 0.5, NegGuardPraise: 0.6}, none, 0.5},
		{linear{NegGuard: 0.8}, praise, 0.8},
		{linear{NegGuard: 0.8}, none, 0.8},
	}
	for i, c := range cases {
		if got := c.m.negGuard(&c.x); float32(got) != float32(c.want) {
			t.Errorf("case %d: guard %.2f, want %.2f", i, got, c.want)
		}
	}
}

// TestCrossDomainFeatures checks that only features in enough reviews
// of enough categories are kept.
func TestCrossDomainFeatures(t *testing.T) {
	exs := []example{
		{feats: []uint32{1, 2, 3}}, {feats: []uint32{1, 2}}, // books
		{feats: []uint32{1, 3}}, {feats: []uint32{1}}, // fruit
		{feats: []uint32{2, 4}}, {feats: []uint32{1, 4}}, // clothes
	}
	cats := []string{"books", "books", "fruit", "fruit", "clothes", "clothes"}
	cases := []struct {
		minCats, minDocs int
		kept             []uint32
	}{
		{2, 1, []uint32{1, 2, 3}},
		{3, 1, []uint32{1}},
		{2, 2, []uint32{1}},
		{3, 2, nil},
	}
	for _, c := range cases {
		kept := crossDomainFeatures(exs, cats, c.minCats, c.minDocs, 8)
		want := map[uint32]bool{}
		for _, f := range c.kept {
			want[f] = true
		}
		for f := uint32(0); f < 8; f++ {
			if kept.has(f) != want[f] {
				t.Errorf("min %d categories, %d reviews: feature %d kept %v, want %v", c.minCats, c.minDocs, f, kept.has(f), want[f])
			}
		}
		if kept.count() != len(c.kept) {
			t.Errorf("min %d categories, %d reviews: %d kept, want %d", c.minCats, c.minDocs, kept.count(), len(c.kept))
		}
	}
}
