package demo

import (
	"strings"
	"testing"
)

// The complaints' vocabulary is honest ground truth: most complaint posts
// use it, and each complaint's words are said more by complaint posts than
// by the topic's other posts (launch chatter, defences, media shares,
// reactions to the apology).
func TestComplaintsAreWhatComplaintPostsSay(t *testing.T) {
	for _, lang := range Languages() {
		t.Run(lang, func(t *testing.T) {
			s := NewScenario(Options{Scale: 0.01, Lang: lang})
			lib, err := loadLibrary(s.loc.dir)
			if err != nil {
				t.Fatal(err)
			}
			complaint := map[string]bool{}
			for _, st := range ComplaintStances() {
				complaint[st] = true
			}
			says := func(text string, terms []string) bool {
				lt := strings.ToLower(text)
				for _, w := range terms {
					if strings.Contains(lt, w) {
						return true
					}
				}
				return false
			}
			var all []string
			for _, c := range s.Complaints() {
				all = append(all, c.Terms...)
			}
			var inC, nC int
			for pool, texts := range lib.posts {
				if !complaint[pool] {
					continue
				}
				for _, x := range texts {
					nC++
					if says(x, all) {
						inC++
					}
				}
			}
			if share := float64(inC) / float64(nC); share < 0.75 {
				t.Errorf("%d of %d complaint texts (%.2f) use the complaints' words, want at least 0.75", inC, nC, share)
			}
			for _, c := range s.Complaints() {
				var hit, n, ohit, on int
				for pool, texts := range lib.posts {
					meta := postPools()[pool]
					if meta.kind != kindBacklash {
						continue
					}
					for _, x := range texts {
						if complaint[pool] {
							n++
							if says(x, c.Terms) {
								hit++
							}
						} else {
							on++
							if says(x, c.Terms) {
								ohit++
							}
						}
					}
				}
				rc, ro := float64(hit)/float64(n), float64(ohit)/float64(on)
				t.Logf("%s: in %d of %d complaint texts (%.2f), %d of %d others (%.2f)", c.Name, hit, n, rc, ohit, on, ro)
				if hit < 3 || rc <= ro {
					t.Errorf("%s: in %d of %d complaint texts (%.2f) and %d of %d others (%.2f); want a complaint's words", c.Name, hit, n, rc, ohit, on, ro)
				}
			}
		})
	}
}
