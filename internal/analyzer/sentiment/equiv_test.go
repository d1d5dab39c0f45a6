package sentiment

import (
	"bufio"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
)

// equivGolden holds, for the first equivPerLang training texts of every
// language, a hash of the text and of everything the scorer returned
// (compound, proportions, label, language and terms, bit for bit). It pins
// the learned path's output so speed work cannot move a score; it stores
// no text. Regenerate with -update only when a change is meant to alter
// scores (a retrained model or new rules).
const equivGolden = "testdata/equiv-train.txt"

const equivPerLang = 300

// equivSets are the training files sampled, by language.
func equivSets() [][2]string {
	var out [][2]string
	for _, l := range []string{"ar", "de", "en", "es", "fr", "hi", "it", "pt"} {
		out = append(out, [2]string{l, filepath.Join("umsab", l+"-train.jsonl")})
	}
	return append(out, [2]string{"zh", "zh-reviews-train.jsonl"})
}

// resultHash digests every field of r exactly.
func resultHash(r *Result) string {
	h := sha256.New()
	var b [8]byte
	for _, f := range []float64{r.Compound, r.Pos, r.Neu, r.Neg} {
		binary.LittleEndian.PutUint64(b[:], math.Float64bits(f))
		h.Write(b[:])
	}
	fmt.Fprintf(h, "|%s|%s|%v|", r.Label, r.Language, r.Scored)
	for _, t := range r.Terms {
		binary.LittleEndian.PutUint64(b[:], math.Float64bits(t.Valence))
		fmt.Fprintf(h, "%q", t.Text)
		h.Write(b[:])
	}
	return hex.EncodeToString(h.Sum(nil)[:10])
}

func equivLines(t *testing.T) []string {
	s, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	var r Result
	for _, set := range equivSets() {
		ps, err := ReadLabelled(filepath.Join("..", "..", "..", "..", "shared", "data", "sentiment", set[1]))
		if err != nil {
			t.Fatalf("development data: %v", err)
		}
		for i, p := range ps {
			if i == equivPerLang {
				break
			}
			s.ScoreInto(p.Text, &r)
			th := sha256.Sum256([]byte(p.Text))
			lines = append(lines, fmt.Sprintf("%s %d %s %.6f %s", set[0], i, hex.EncodeToString(th[:6]), r.Compound, resultHash(&r)))
		}
	}
	return lines
}

// TestLearnedOutputUnchanged checks that every language's scores and
// terms on a sample of its training texts are byte-identical to the
// recorded ones.
func TestLearnedOutputUnchanged(t *testing.T) {
	got := equivLines(t)
	if *update {
		if err := os.WriteFile(equivGolden, []byte(strings.Join(got, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	f, err := os.Open(equivGolden)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var want []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		want = append(want, sc.Text())
	}
	if len(want) != len(got) {
		t.Fatalf("%s has %d lines, scored %d", equivGolden, len(want), len(got))
	}
	bad := 0
	for i := range want {
		if want[i] != got[i] {
			if bad++; bad <= 10 {
				t.Errorf("line %d: want %s, got %s", i+1, want[i], got[i])
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d results differ", bad, len(want))
	}
}

// TestCaselessHan checks the fast path's premise for every rune in it.
func TestCaselessHan(t *testing.T) {
	for r := rune(0); r <= 0x10ffff; r++ {
		if !isCaselessHan(r) {
			continue
		}
		var st textStats
		(&lexicon{}).countScript(r, &st)
		if !unicode.IsLetter(r) || unicode.IsUpper(r) || unicode.IsLower(r) || unicode.ToLower(r) != r || st.han != 1 {
			t.Fatalf("%U is not a caseless Han letter", r)
		}
	}
}

// zhEquivGolden holds a digest of every result on the whole Chinese
// reviews train split, one line per zhEquivBlock reviews: the texts the
// Chinese speed work is measured on, beyond the equivPerLang that
// equivGolden pins one by one. Regenerate with -update only when a change
// is meant to alter scores.
const zhEquivGolden = "testdata/equiv-zh-reviews.txt"

const zhEquivBlock = 1000

// TestZhReviewsOutputUnchanged checks that the scores and terms of every
// Chinese train review are byte-identical to the recorded ones.
func TestZhReviewsOutputUnchanged(t *testing.T) {
	s, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	ps, err := ReadLabelled(filepath.Join("..", "..", "..", "..", "shared", "data", "sentiment", "zh-reviews-train.jsonl"))
	if err != nil {
		t.Fatalf("development data: %v", err)
	}
	var got []string
	var r Result
	h := sha256.New()
	for i, p := range ps {
		s.ScoreInto(p.Text, &r)
		fmt.Fprintf(h, "%s\n", resultHash(&r))
		if (i+1)%zhEquivBlock == 0 || i+1 == len(ps) {
			got = append(got, fmt.Sprintf("%d-%d %s", i/zhEquivBlock*zhEquivBlock, i, hex.EncodeToString(h.Sum(nil)[:16])))
			h.Reset()
		}
	}
	if *update {
		if err := os.WriteFile(zhEquivGolden, []byte(strings.Join(got, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	data, err := os.ReadFile(zhEquivGolden)
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	if len(want) != len(got) {
		t.Fatalf("%s has %d blocks, scored %d", zhEquivGolden, len(want), len(got))
	}
	bad := 0
	for i := range want {
		if want[i] != got[i] {
			if bad++; bad <= 10 {
				t.Errorf("block %d: want %s, got %s", i, want[i], got[i])
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d blocks of reviews differ", bad, len(want))
	}
}
