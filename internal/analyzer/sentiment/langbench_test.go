package sentiment

import (
	"path/filepath"
	"sync"
	"testing"

	"github.com/jonreiter/govader"
)

// benchLangs are the languages of BenchmarkScoreLang, in order.
var benchLangs = []string{"ar", "de", "en", "es", "fr", "hi", "it", "pt", "zh"}

var (
	langTextsOnce sync.Once
	langTextsSets map[string][]string
	langTextsErr  error
)

// langBenchTexts reads up to 1,000 texts per language once: the validation
// tweets of the UMSAB languages and, for Chinese, train reviews (longer
// than microblog posts). It skips the benchmark when ../shared/data is
// absent.
func langBenchTexts(b *testing.B) map[string][]string {
	langTextsOnce.Do(func() {
		dir := filepath.Join("..", "..", "..", "..", "shared", "data", "sentiment")
		sets := map[string]string{"zh": "zh-reviews-train.jsonl"}
		for _, l := range benchLangs[:len(benchLangs)-1] {
			sets[l] = filepath.Join("umsab", l+"-val.jsonl")
		}
		langTextsSets = map[string][]string{}
		for l, rel := range sets {
			ps, err := ReadLabelled(filepath.Join(dir, rel))
			if err != nil {
				langTextsErr = err
				return
			}
			for _, p := range ps[:min(1000, len(ps))] {
				langTextsSets[l] = append(langTextsSets[l], p.Text)
			}
		}
	})
	if langTextsErr != nil {
		b.Skipf("development data not present: %v", langTextsErr)
	}
	return langTextsSets
}

// BenchmarkScoreLang scores each language's posts on one goroutine. The
// bar is 100,000 posts/s per language on one core: posts/cpu-s is the
// rate per second of the benchmark thread's own CPU time, which load from
// other processes does not inflate the way it does ns/op.
func BenchmarkScoreLang(b *testing.B) {
	s := newTestScorer(b)
	for _, l := range benchLangs {
		b.Run(l, func(b *testing.B) {
			benchPosts(b, langBenchTexts(b)[l], scoreInto(s))
		})
	}
}

// BenchmarkGovaderLang is BenchmarkScoreLang for govader, for ratios
// measured in the same run.
func BenchmarkGovaderLang(b *testing.B) {
	sia := govader.NewSentimentIntensityAnalyzer()
	for _, l := range benchLangs {
		b.Run(l, func(b *testing.B) {
			benchPosts(b, langBenchTexts(b)[l], func(t string) { sia.PolarityScores(t) })
		})
	}
}

// BenchmarkFeaturizeLang is the part of BenchmarkScoreLang that tokenizes
// a post, routes it and hashes the model's features (the weights are not
// read), to see that part's cost apart from the rest.
func BenchmarkFeaturizeLang(b *testing.B) {
	s := newTestScorer(b)
	for _, l := range benchLangs {
		b.Run(l, func(b *testing.B) {
			sc := s.pool.Get().(*scratch)
			defer s.pool.Put(sc)
			benchPosts(b, langBenchTexts(b)[l], func(t string) {
				s.lx.tokenize(t, sc)
				if rt := s.detect(t, sc); rt.model != nil {
					featurize(t, sc, &rt.model.Cfg, rt.slot, rt.model.mask())
				}
			})
		})
	}
}
