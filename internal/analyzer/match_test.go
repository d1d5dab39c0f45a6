package analyzer

import (
	"reflect"
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
