package config

import (
	"strings"
	"testing"
)

func TestIdentityValidation(t *testing.T) {
	base := "topics: [{name: pay, keywords: [pay]}]\nsources:\n  - name: f\n    kind: feed\n    urls: [https://f.example/rss]\n"
	tests := []struct{ identity, want string }{
		{"{namespace: forum}", ""},
		{"{namespace: forum, id: none}", ""},
		{"{namespace: forum, id: '{url}', match: '/t/(\\d+)'}", ""},
		{"{id: '{id}'}", "f.yaml:6: sources[0].identity: identity needs a namespace"},
		{"{namespace: 'a b'}", "namespace \"a b\" must be letters"},
		{"{namespace: forum, id: '{post}'}", "sources[0].identity.id: unknown placeholder {post}"},
		{"{namespace: forum, match: '('}", "sources[0].identity.match: bad regular expression"},
		{"{namespace: forum, match: '(a)(b)'}", "has 2 groups"},
		{"{namespace: forum, ids: x}", "ids"},
	}
	for _, tt := range tests {
		_, err := Parse("f.yaml", []byte(base+"    identity: "+tt.identity+"\n"))
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s: %v", tt.identity, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("%s: error %v, want %q", tt.identity, err, tt.want)
		}
	}
}
