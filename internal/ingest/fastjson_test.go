package ingest

import (
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// TestFastRecordAgreesWithEncodingJSON checks that every line the fast
// reader takes is read as encoding/json reads it, and that it leaves the
// lines it should to encoding/json.
func TestFastRecordAgreesWithEncodingJSON(t *testing.T) {
	for _, c := range []struct {
		line string
		fast bool // whether the fast reader takes it
	}{
		{`{"id":"a","text":"hello","author":"@ana","published":"2026-11-02T10:00:00Z","url":"https://x.example/1","title":"T","parent_id":"p","likes":3,"replies":"1","shares":0,"followers":1e3}`, true},
		{`{"id":"a","text":"line\nbreak \"quoted\" back\\slash \/ tab\t"}`, true},
		{`{"id":"a","text":"x","extra":{"nested":[1,2]},"likes":null}`, true},
		{`{"id":"a","text":"first","text":"second"}`, true},
		{`{"id":"a","text":"x","likes":2,"likes":null}`, true},
		{` {"id":"a","text":"x"} `, true},
		{`{"ID":"a","Text":"x"}`, false},
		{`{"id":"a","text":"caf\u00e9 \u0026 \u003cb\u003e \ud83d\ude00 \u00E9"}`, true},
		{`{"id":"a","text":"lone \ud83d surrogate"}`, false},
		{`{"id":"a","text":"low \ude00 first"}`, false},
		{`{"id":"a","text":"short \u00e"}`, false},
		{`{"id":"a","text":"bad \x escape"}`, false},
		{"{\"id\":\"a\",\"text\":\"raw\ttab\"}", false},
		{`{"id":"a","text":"x","extra":[{"a":[true,false,null,-1.5e+3,"s\"\u0041"]},{}],"more":[]}`, true},
		{`{"id":"a","text":"x","extra":[1,]}`, false},
		{`{"id":"a","text":"x","extra":01}`, false},
		{`{"id":"a","text":"x","likes":1.}`, false},
		{`{"id":"a","text":"x","likes":2.0,"shares":"7","replies":0,"followers":4294967295}`, true},
		{`{"id":"a","text":"x","likes":4294967296}`, false},
		{`{"id":"a","text":"x","likes":""}`, false},
		{`{"id":"a","text":null,"text":"y","author":null}`, true},
		{`{}`, true},
		{`{"id":"a","text":"x",}`, false},
		{`{"id":"a" "text":"x"}`, false},
		{`{"id":"a","text":"x"`, false},
		{`{"id":"a","text":"x","deep":` + strings.Repeat("[", 200) + strings.Repeat("]", 200) + `}`, false},
		{`{"id":"a","text":"x","likes":-1}`, false},
		{`{"id":"a","text":"x","likes":true}`, false},
		{`{"id":5,"text":"x"}`, false},
		{`{"id":"a","text":"x"} trailing`, false},
		{`["id","a"]`, false},
		{`not json`, false},
		{"{\"id\":\"a\",\"text\":\"bad \xff utf-8\"}", false},
		{`{"id":"a","te\u0078t":"x"}`, false},
		{`{"ſd":"a","text":"x"}`, false},
	} {
		var d lineDecoder
		got, ok := d.record([]byte(c.line))
		if ok != c.fast {
			t.Errorf("%s: fast reader took it = %v, want %v", c.line, ok, c.fast)
		}
		if !ok {
			continue
		}
		var want record
		if err := json.Unmarshal([]byte(c.line), &want); err != nil {
			t.Errorf("%s: fast reader took a line encoding/json refuses: %v", c.line, err)
			continue
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\nfast     %+v\nencoding %+v", c.line, got, want)
		}
	}
}

// TestFastRecordTakesWhatEncodersWrite checks that lines as encoders write
// them (escaped HTML, emoji, quotes, control characters, other scripts) are
// read by the fast reader, and read as encoding/json reads them.
func TestFastRecordTakesWhatEncodersWrite(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	pieces := []string{"sync", " ", "é", "😀", "<b>", "&", `"`, `\`, "\n", "\t", "\x01", "中文", "\u2028", "/", "'"}
	word := func() string {
		var b strings.Builder
		for n := rng.IntN(12); n > 0; n-- {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		return b.String()
	}
	var d lineDecoder
	for i := 0; i < 2000; i++ {
		in := map[string]any{"id": word(), "text": word(), "author": word(), "url": word(), "title": word(),
			"likes": rng.IntN(1000), "followers": strconv.Itoa(rng.IntN(100000))}
		if rng.IntN(2) == 0 {
			in["other"] = []any{word(), map[string]any{"k": 1.5}}
		}
		line, err := json.Marshal(in)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := d.record(line)
		if !ok {
			t.Fatalf("%s: fast reader left it to encoding/json", line)
		}
		var want record
		if err := json.Unmarshal(line, &want); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s:\nfast     %+v\nencoding %+v", line, got, want)
		}
	}
}

// BenchmarkLineDecoder reads lines as `backlash bench ingest` writes them.
func BenchmarkLineDecoder(b *testing.B) {
	lines := [][]byte{
		[]byte(`{"id":"bench-0000002","text":"Does the travel card work in Japan? Going in March and the FAQ is vague about it","author":"user15838","published":"2026-11-09T21:05:27Z","url":"https://social.example/p/bench-0000002","likes":2,"replies":2,"shares":2,"followers":62}`),
		[]byte(`{"id":"bench-0000003","text":"Got the travel card for my honeymoon, we leave Saturday. wish us luck 🤔 \"really\"","author":"user23757","published":"2026-11-09T21:05:35Z","url":"https://social.example/p/bench-0000003","likes":3,"replies":3,"shares":3,"followers":93}`),
	}
	var d lineDecoder
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, ok := d.record(lines[i%len(lines)]); !ok {
			b.Fatal("left to encoding/json")
		}
	}
}

// TestFastRecordStringsOutliveLaterLines checks that the strings of a
// record read by the fast reader are left as they were by the lines read
// after it, long or short, good or bad, and that reading lines does not
// allocate for each one.
func TestFastRecordStringsOutliveLaterLines(t *testing.T) {
	var d lineDecoder
	type kept struct {
		rec  record
		want record
	}
	var all []kept
	rng := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 5000; i++ {
		text := strings.Repeat("ab\\\"c ", rng.IntN(40)) + strconv.Itoa(i)
		if i%500 == 0 {
			text = strings.Repeat("long ", stringBlock/4)
		}
		line := []byte(`{"id":"` + strconv.Itoa(i) + `","text":"` + text + `","author":"a` + strconv.Itoa(i) + `"}`)
		if i%7 == 0 {
			d.record([]byte(`{"id":"bad","text":"` + text + `", oops}`))
		}
		got, ok := d.record(line)
		if !ok {
			t.Fatalf("%s: left to encoding/json", line)
		}
		var want record
		if err := json.Unmarshal(line, &want); err != nil {
			t.Fatal(err)
		}
		all = append(all, kept{got, want})
	}
	for i, k := range all {
		if !reflect.DeepEqual(k.rec, k.want) {
			t.Fatalf("record %d changed after later lines: %+v, want %+v", i, k.rec, k.want)
		}
	}
	line := []byte(`{"id":"x","text":"a short text","author":"someone"}`)
	if allocs := testing.AllocsPerRun(1000, func() { d.record(line) }); allocs > 0.01 {
		t.Errorf("%v allocations a line", allocs)
	}
}

// TestStringStopAt checks the eight-bytes-at-a-time search for the end of
// a string's plain run against a byte-by-byte one, from every start.
func TestStringStopAt(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	alphabet := []byte{'a', 'Z', ' ', '"', '\\', 0x00, 0x1f, 0x20, 0x21, 0x5b, 0x5d, 0x7f, 0x80, 0xa2, 0xdc, 0xff, 0xe4}
	for n := 0; n < 3000; n++ {
		b := make([]byte, rng.IntN(40))
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
			if rng.IntN(3) > 0 {
				b[i] = 'x'
			}
		}
		for start := 0; start <= len(b); start++ {
			want := start
			for want < len(b) && b[want] != '"' && b[want] != '\\' && b[want] >= 0x20 {
				want++
			}
			if got := stringStopAt(b, start); got != want {
				t.Fatalf("stringStopAt(%q, %d) = %d, want %d", b, start, got, want)
			}
		}
	}
}
