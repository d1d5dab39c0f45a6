package demo

import (
	"math"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
)

// authorPool holds the demo world's users: a community of regulars who post
// most of the everyday chatter, and a large crowd that shows up when a
// controversy spreads.
type authorPool struct {
	regulars  []string
	cum       []float64 // cumulative weights of regulars
	crowd     []string
	followers map[string]int
}

// newAuthorPool invents nRegular regulars and nCrowd crowd members.
func newAuthorPool(rng *rand.Rand, nRegular, nCrowd int) *authorPool {
	first := []string{"mia", "jake", "sofia", "liam", "ava", "noah", "chloe", "ethan", "zara", "omar",
		"priya", "leo", "hannah", "ben", "grace", "sam", "yuki", "dan", "ellie", "raj",
		"nina", "tom", "lucy", "kwame", "aisha", "marco", "freya", "jonas", "ines", "mateo",
		"amara", "finn", "layla", "oscar", "ruby", "tariq", "elena", "george", "mei", "ali",
		"jess", "luca", "nadia", "pete", "rosa", "sean", "tess", "viktor", "wren", "yara",
		"abby", "carlos", "dina", "emeka", "fatima", "gus", "holly", "ivan", "jade", "kai"}
	last := []string{"chen", "smith", "okafor", "patel", "garcia", "nguyen", "kowalski", "murphy", "ahmed", "rossi",
		"kim", "jones", "silva", "novak", "haddad", "brown", "tanaka", "walsh", "mensah", "costa",
		"lee", "evans", "singh", "muller", "dubois", "ali", "wright", "park", "hughes", "moreno",
		"osei", "baker", "fischer", "lopez", "khan", "price", "ward", "reyes", "ito", "clarke"}
	words := []string{"coffee", "sleepy", "fox", "goblin", "pixel", "rainy", "mango", "ghost", "tiny", "grumpy",
		"cosmic", "lazy", "noodle", "velvet", "salty", "banana", "cloud", "static", "wild", "paper",
		"neon", "spicy", "quiet", "lucky", "frog", "otter", "comet", "biscuit", "cactus", "moth",
		"rusty", "honey", "crispy", "lunar", "tofu", "soggy", "turbo", "mossy", "glitch", "chaos"}
	seen := map[string]bool{}
	handle := func() string {
		for {
			var h string
			f, l, w := first[rng.IntN(len(first))], last[rng.IntN(len(last))], words[rng.IntN(len(words))]
			switch rng.IntN(8) {
			case 0:
				h = f + "_" + l
			case 1:
				h = f + l + strconv.Itoa(rng.IntN(99)+1)
			case 2:
				h = f + strconv.Itoa(1970+rng.IntN(38))
			case 3:
				h = w + "_" + words[rng.IntN(len(words))]
			case 4:
				h = f + "." + l
			case 5:
				h = "the" + w + f
			case 6:
				h = strings.ToUpper(f[:1]) + f[1:] + strings.ToUpper(l[:1]) + l[1:]
			default:
				h = w + f + strconv.Itoa(rng.IntN(999))
			}
			if !seen[h] {
				seen[h] = true
				return h
			}
		}
	}
	p := &authorPool{followers: map[string]int{}}
	total := 0.0
	for i := range nRegular {
		h := handle()
		p.regulars = append(p.regulars, h)
		total += 1 / float64(i+8)
		p.cum = append(p.cum, total)
	}
	for range nCrowd {
		p.crowd = append(p.crowd, handle())
	}
	all := append(append([]string(nil), p.regulars...), p.crowd...)
	for _, h := range all {
		// Log-normal follower counts: most have a few hundred, a few are
		// influencers with hundreds of thousands.
		f := math.Exp(5.4 + 1.6*rng.NormFloat64())
		p.followers[h] = int(min(f, 3e6))
	}
	return p
}

// regular returns a regular, the most active ones most often.
func (p *authorPool) regular(rng *rand.Rand) string {
	x := rng.Float64() * p.cum[len(p.cum)-1]
	return p.regulars[sort.SearchFloat64s(p.cum, x)]
}

// pick returns an author: usually a regular for everyday chatter, usually a
// newcomer from the crowd during a wave of outrage.
func (p *authorPool) pick(rng *rand.Rand, wave bool) string {
	pRegular := 0.85
	if wave {
		pRegular = 0.15
	}
	if rng.Float64() < pRegular {
		return p.regular(rng)
	}
	return p.crowd[rng.IntN(len(p.crowd))]
}
