package analyzer

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/backlash-monitor/backlash/internal/config"
)

func TestMatch(t *testing.T) {
	m, err := NewMatcher([]config.Topic{
		{Name: "moments", Keywords: []string{"Moments", "paywise moments", "朋友圈"}, Exclude: []string{"moments ago"}},
		{Name: "card", Keywords: []string{"travel card"}, Regex: []string{`\bcard\s*v2\b`}},
	})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		text    string
		allowed []string
		want    []string
	}{
		{"Paywise MOMENTS is creepy", nil, []string{"moments"}},
		{"momentsaway is not a word", nil, nil},
		{"posted moments ago about moments", nil, nil},
		{"这个朋友圈功能太恶心了", nil, []string{"moments"}},
		{"my travel card and moments", nil, []string{"moments", "card"}},
		{"card v2 launched", nil, []string{"card"}},
		{"moments again", []string{"card"}, nil},
		{"", nil, nil},
	}
	for _, tt := range tests {
		if got := m.Match(tt.text, tt.allowed); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Match(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

func BenchmarkMatch(b *testing.B) {
	m, _ := NewMatcher([]config.Topic{
		{Name: "moments", Keywords: []string{"moments", "paywise moments", "social feed"}},
		{Name: "card", Keywords: []string{"travel card", "fx fees"}},
	})
	text := "Honestly the new Paywise Moments feed is the creepiest thing I've seen in a payments app, deleting it today"
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		m.Match(text, nil)
	}
}

// TestMatchASCIIAsLowerCased checks that the one pass over an ASCII text
// matches what searching its lower-cased copy for each word matches, on
// keywords that begin or end with other bytes than letters, repeat, overlap
// or are not ASCII, and texts of every case, with words run together,
// cut short and at either end.
func TestMatchASCIIAsLowerCased(t *testing.T) {
	topics := []config.Topic{
		{Name: "moments", Keywords: []string{"Moments", "paywise moments", "moment"}, Exclude: []string{"moments ago", "magic moments"}},
		{Name: "tags", Keywords: []string{"#boycott", "c++", "@pay_wise", "-x-", "2fa", "7"}},
		{Name: "one", Keywords: []string{"&"}, Exclude: []string{"Q"}},
		{Name: "fold", Keywords: []string{"\u212aelvin", "café", "朋友圈", "sync"}, Exclude: []string{"#nosync"}},
		{Name: "regex", Keywords: []string{"zzz"}, Regex: []string{`card\s*v2`}, Exclude: []string{"v2 beta"}},
	}
	m, err := NewMatcher(topics)
	if err != nil {
		t.Fatal(err)
	}
	pieces := []string{"moments", "MOMENTS", "Moment", "paywise", " ", "  ", "ago", "magic", "#boycott", "#BOYCOTT", "c++", "C++x", "@pay_wise",
		"_", "-x-", "x", "2fa", "7", "&", "q", "2FA1", "kelvin", "KELVIN", "sync", "#nosync", "card", "V2", "beta", ",", ".", "!", "a", "9", "\t", "zzz"}
	rng := rand.New(rand.NewPCG(1, 2))
	texts := []string{"", "moments", "Moments ago", "magic moments and paywise moments", "momentsmoments moments", "#boycott", "x#boycott", "c++",
		"a c++b", "ac++", "kelvin", "sync #nosync", "card v2 beta", "CARD V2", "\u212aelvin here", "café sync"}
	for i := 0; i < 20000; i++ {
		var b strings.Builder
		for n := rng.IntN(8); n >= 0; n-- {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		texts = append(texts, b.String())
	}
	for _, text := range texts {
		var want []string
		lower := strings.ToLower(text)
		for i := range m.topics {
			if m.topics[i].matches(lower, text) {
				want = append(want, m.topics[i].name)
			}
		}
		if got := m.Match(text, nil); !reflect.DeepEqual(got, want) {
			t.Fatalf("Match(%q) = %q, want %q", text, got, want)
		}
	}
}

// TestMatchSharesOneTopicResults checks that a text matching one topic
// costs no allocation, and that appending to a result changes no other.
func TestMatchSharesOneTopicResults(t *testing.T) {
	m, err := NewMatcher([]config.Topic{{Name: "sync", Keywords: []string{"Sync"}}, {Name: "search", Keywords: []string{"search"}}})
	if err != nil {
		t.Fatal(err)
	}
	if allocs := testing.AllocsPerRun(100, func() { m.Match("Sync IS broken again", nil) }); allocs != 0 {
		t.Errorf("%v allocations matching one topic", allocs)
	}
	a := m.Match("sync", nil)
	_ = append(a, "other")
	if b := m.Match("SYNC", nil); !reflect.DeepEqual(b, []string{"sync"}) {
		t.Errorf("after appending to an earlier result, Match = %q", b)
	}
	if got := m.Match("search and then SYNC", nil); !reflect.DeepEqual(got, []string{"sync", "search"}) {
		t.Errorf("two topics: %q", got)
	}
}
