package sentiment

import (
	"path/filepath"
	"testing"
)

// langTexts reads up to n texts of a labelled file under
// ../shared/data/sentiment, skipping the benchmark when it is absent.
func langTexts(b *testing.B, rel string, n int) []string {
	ps, err := ReadLabelled(filepath.Join("..", "..", "..", "..", "shared", "data", "sentiment", rel))
	if err != nil {
		b.Skipf("development data not present: %v", err)
	}
	var out []string
	for _, p := range ps {
		if len(out) == n {
			break
		}
		out = append(out, p.Text)
	}
	return out
}

// BenchmarkScoreLang scores each language's validation tweets (Chinese:
// train reviews, which are longer than microblog posts) on one goroutine.
// The bar is 100,000 posts/s per language; on a shared machine compare the
// languages with each other and with BenchmarkGovader in the same run.
func BenchmarkScoreLang(b *testing.B) {
	s, err := New(Options{})
	if err != nil {
		b.Fatal(err)
	}
	sets := map[string]string{"zh": "zh-reviews-train.jsonl"}
	for _, l := range []string{"ar", "de", "en", "es", "fr", "hi", "it", "pt"} {
		sets[l] = filepath.Join("umsab", l+"-val.jsonl")
	}
	for _, l := range []string{"ar", "de", "en", "es", "fr", "hi", "it", "pt", "zh"} {
		b.Run(l, func(b *testing.B) {
			texts := langTexts(b, sets[l], 1000)
			var r Result
			r.Terms = make([]Term, 0, MaxTerms)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				s.ScoreInto(texts[i%len(texts)], &r)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "posts/s")
		})
	}
}
