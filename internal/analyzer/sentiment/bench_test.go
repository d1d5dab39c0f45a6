package sentiment

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"os"
	"runtime"
	"sort"
	"testing"
	"time"

	"github.com/jonreiter/govader"
)

func devTexts(t testing.TB) ([]string, []byte) {
	t.Helper()
	data, err := os.ReadFile("testdata/dev.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		var rec struct{ Text string }
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatal(err)
		}
		texts = append(texts, rec.Text)
	}
	return texts, data
}

// benchPosts runs score over texts b.N times, one post per op, and
// reports posts per second of the benchmark thread's own CPU time.
func benchPosts(b *testing.B, texts []string, score func(string)) {
	b.ReportAllocs()
	b.ResetTimer()
	cpu := threadCPU(func() {
		for i := 0; i < b.N; i++ {
			score(texts[i%len(texts)])
		}
	})
	b.ReportMetric(float64(b.N)/cpu.Seconds(), "posts/cpu-s")
}

// scoreInto scores a post into one Result, as the pipeline does.
func scoreInto(s *Scorer) func(string) {
	var r Result
	r.Terms = make([]Term, 0, MaxTerms)
	return func(t string) { s.ScoreInto(t, &r) }
}

func BenchmarkScore(b *testing.B) {
	s := newTestScorer(b)
	texts, _ := devTexts(b)
	benchPosts(b, texts, scoreInto(s))
}

func BenchmarkGovader(b *testing.B) {
	sia := govader.NewSentimentIntensityAnalyzer()
	texts, _ := devTexts(b)
	benchPosts(b, texts, func(t string) { sia.PolarityScores(t) })
}

// BenchmarkScoreStream measures the whole JSONL path; one op is one post.
func BenchmarkScoreStream(b *testing.B) {
	s := newTestScorer(b)
	texts, data := devTexts(b)
	in := bytes.Repeat(data, 20)
	posts := 20 * len(texts)
	b.ReportAllocs()
	b.SetBytes(int64(len(in) / posts))
	b.ResetTimer()
	n := 0
	cpu := threadCPU(func() {
		for ; n < b.N; n += posts {
			if err := ScoreStream(s, bytes.NewReader(in), io.Discard); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.ReportMetric(float64(n)/cpu.Seconds(), "posts/cpu-s")
}

// TestSpeedRatio guards the whole JSONL path against slowing down: it must
// score at least 1.5x as many posts per second as govader's scoring alone,
// on one core. The product's target is 3x on the demo's posts (`backlash
// bench score`, which meets it); this test reads the dev set, English
// tweets, as JSON lines and writes JSON lines, and measures about 1.9-2.3x
// at load average 17-25 on the shared 2-core machine. Where that path
// loses against the demo figure, in the same runs (posts per CPU second,
// govader = 1): the rules alone score these tweets at about 5x, English's
// learned model on top of them (its features, rule indicators, weights,
// softmax and, when it and the rules disagree, its explanation) brings
// that to about 2.8x, and reading and writing JSON to about 2.1x. Rates
// use the thread's CPU time and the median of 5 interleaved pairs of short
// runs, to tolerate machines shared with other work; govader's garbage
// collection runs on other threads and is not counted, which favours it.
func TestSpeedRatio(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("timing test")
	}
	s := newTestScorer(t)
	sia := govader.NewSentimentIntensityAnalyzer()
	texts, data := devTexts(t)
	in := bytes.Repeat(data, 10)
	posts := 10 * len(texts)
	rate := func(f func()) float64 {
		n := 0
		cpu := threadCPU(func() {
			start := time.Now()
			for n == 0 || time.Since(start) < 150*time.Millisecond {
				f()
				n += posts
			}
		})
		return float64(n) / cpu.Seconds()
	}
	stream := func() {
		if err := ScoreStream(s, bytes.NewReader(in), io.Discard); err != nil {
			t.Fatal(err)
		}
	}
	vaderRun := func() {
		for range 10 {
			for _, x := range texts {
				sia.PolarityScores(x)
			}
		}
	}
	// Interleave the runs so load from other processes hits both sides.
	var ratios, oursRates, vaderRates []float64
	for range 5 {
		o, v := rate(stream), rate(vaderRun)
		oursRates, vaderRates = append(oursRates, o), append(vaderRates, v)
		ratios = append(ratios, o/v)
	}
	med := func(x []float64) float64 { sort.Float64s(x); return x[len(x)/2] }
	ours, vader, ratio := med(oursRates), med(vaderRates), med(ratios)
	t.Logf("ScoreStream %.0f posts/s, govader %.0f posts/s, median ratio %.2f", ours, vader, ratio)
	if ratio < 1.5 {
		t.Errorf("ScoreStream %.0f posts/s is under 1.5x govader's %.0f", ours, vader)
	}
}

// TestScoreIntoAllocs checks the hot path does not allocate per post.
func TestScoreIntoAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	s := newTestScorer(t)
	texts, _ := devTexts(t)
	var r Result
	r.Terms = make([]Term, 0, MaxTerms)
	for _, x := range texts {
		s.ScoreInto(x, &r)
	}
	allocs := testing.AllocsPerRun(5, func() {
		for _, x := range texts {
			s.ScoreInto(x, &r)
		}
	})
	if per := allocs / float64(len(texts)); per > 0.01 {
		t.Errorf("ScoreInto allocates %.3f times per post", per)
	}
}

// TestMemory is the memory bar: the scorer's heap must stay under 100 MB.
func TestMemory(t *testing.T) {
	var m0, m1 runtime.MemStats
	runtime.GC() // twice: sync.Pool victims from earlier tests survive one cycle
	runtime.GC()
	runtime.ReadMemStats(&m0)
	start := time.Now()
	s := newTestScorer(t)
	load := time.Since(start)
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&m1)
	runtime.KeepAlive(s)
	heap := int64(m1.HeapAlloc) - int64(m0.HeapAlloc)
	t.Logf("New with the learned model: %v; heap after New: %.1f MB (process heap %.1f MB)", load, float64(heap)/1e6, float64(m1.HeapAlloc)/1e6)
	// The bar is 1 s on an idle core; 3 s leaves room for a loaded machine.
	if load > 3*time.Second {
		t.Errorf("New took %v", load)
	}
	if m1.HeapAlloc > 100<<20 {
		t.Errorf("heap %d bytes over 100 MB", m1.HeapAlloc)
	}
}

func TestBenchReport(t *testing.T) {
	texts, _ := devTexts(t)
	rep := Bench(texts[:50], 100*time.Millisecond)
	var buf bytes.Buffer
	if err := rep.Write(&buf); err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + buf.String())
	if rep.Ours.PostsPerSec <= 0 || rep.Vader.PostsPerSec <= 0 {
		t.Fatal("no throughput measured")
	}
}
