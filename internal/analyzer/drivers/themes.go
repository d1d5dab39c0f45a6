package drivers

import "sort"

// Theme is a group of posts that share a distinctive term.
type Theme struct {
	// Terms name the theme: its leading distinctive term and, when most of
	// its posts also hold one, a second.
	Terms []string
	// Posts counts the theme's posts and Share is their fraction of all
	// posts given to Themes.
	Posts int
	Share float64
	// Example is the index of the representative post: the one holding the
	// most of the window's distinctive terms, then the widest reach.
	Example int
	// Members are the indexes of the theme's posts, in order.
	Members []int
}

// Themes groups posts (an incident's negative posts, whose reach is given
// in the same order) by the distinctive terms they hold: taking the terms
// in rank order, a term's posts not yet in a theme form a theme when there
// are at least minPosts of them. At most max themes are returned; posts
// holding no distinctive term are in none, nor are posts that push back on
// the backlash (see PushesBack), however negative their tone: "the brothel
// screenshots are like 5 accounts" is no voice of the screenshots theme.
func Themes(tok Tokenizer, texts []string, reach []uint64, terms []Term, ex Exclusions, minPosts, max int) []Theme {
	if minPosts < 1 {
		minPosts = 2
	}
	rank := map[string]int{}
	for i, t := range terms {
		rank[t.key()] = i
	}
	holds := make([][]bool, len(texts))
	nheld := make([]int, len(texts))
	for i, text := range texts {
		holds[i] = make([]bool, len(terms))
		if cue, _ := PushesBack(text); cue != "" {
			continue // a post answering the backlash is in none of its themes
		}
		for _, x := range termsOf(tok, text, ex) {
			if r, ok := rank[x]; ok && !holds[i][r] {
				holds[i][r] = true
				nheld[i]++
			}
		}
	}
	assigned := make([]bool, len(texts))
	var out []Theme
	for r, t := range terms {
		if len(out) == max {
			break
		}
		var members []int
		for i := range texts {
			if !assigned[i] && holds[i][r] {
				members = append(members, i)
			}
		}
		if len(members) < minPosts {
			continue
		}
		th := Theme{Terms: []string{t.Text}, Posts: len(members), Share: float64(len(members)) / float64(len(texts)), Members: members}
		// The second name: the other term most of the members hold.
		best, bestN := -1, 0
		for r2 := range terms {
			if r2 == r {
				continue
			}
			n := 0
			for _, i := range members {
				if holds[i][r2] {
					n++
				}
			}
			if n > bestN {
				best, bestN = r2, n
			}
		}
		if best >= 0 && 2*bestN > len(members) && !overlaps(terms[best].Text, t.Text) {
			th.Terms = append(th.Terms, terms[best].Text)
		}
		ex := append([]int(nil), members...)
		sort.SliceStable(ex, func(a, b int) bool {
			ia, ib := ex[a], ex[b]
			if nheld[ia] != nheld[ib] {
				return nheld[ia] > nheld[ib]
			}
			var ra, rb uint64
			if ia < len(reach) {
				ra = reach[ia]
			}
			if ib < len(reach) {
				rb = reach[ib]
			}
			return ra > rb
		})
		th.Example = ex[0]
		for _, i := range members {
			assigned[i] = true
		}
		out = append(out, th)
	}
	return out
}
