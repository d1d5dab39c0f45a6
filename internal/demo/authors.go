package demo

import (
	"math"
	"math/rand/v2"
	"sort"
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

// newAuthorPool invents nRegular regulars and nCrowd crowd members, each
// handle from names and all distinct.
func newAuthorPool(rng *rand.Rand, nRegular, nCrowd int, names func(*rand.Rand) string) *authorPool {
	seen := map[string]bool{}
	handle := func() string {
		for {
			if h := names(rng); !seen[h] {
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
