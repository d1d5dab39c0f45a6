package analyzer

import (
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

// TestMatchLowerAsStringsToLower checks that the pooled lower-casing of
// ASCII texts gives what strings.ToLower gives, other texts included, and
// that a buffer given back does not change a later match.
func TestMatchLowerAsStringsToLower(t *testing.T) {
	m, err := NewMatcher(nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"", "abc", "Sync IS Broken", "ÉCOLE Sync", "İstanbul SYNC", "ẞ straße", "MiXeD 123 _-!", "\x7fZ"} {
		got, buf := m.lower(s)
		if want := strings.ToLower(s); got != want {
			t.Errorf("lower(%q) = %q, want %q", s, got, want)
		}
		if buf != nil {
			m.lowers.Put(buf)
		}
	}
	mt, err := NewMatcher([]config.Topic{{Name: "sync", Keywords: []string{"Sync"}}, {Name: "search", Keywords: []string{"search"}}})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		if got := mt.Match("SEARCH and then SYNC", nil); len(got) != 2 {
			t.Errorf("round %d: matched %v, want both topics", i, got)
		}
		if got := mt.Match("NOTHING HERE AT ALL, LONGER THAN BEFORE", nil); len(got) != 0 {
			t.Errorf("round %d: matched %v, want none", i, got)
		}
	}
}
