package sentiment

import "testing"

func TestRomanSkeleton(t *testing.T) {
	groups := [][]string{
		{"bahut", "bhut", "bohot", "bahot", "bahuuut"},
		{"nahi", "nhi", "nahin", "nahii"},
		{"accha", "acha", "achha", "achhaa"},
		{"pyaar", "pyar", "pyr"},
		{"bakwas", "bakwaas", "bkwas"},
		{"bekaar", "bekar", "bkar"},
		{"dhokha", "dhokhaa", "dhokhe"},
	}
	var buf [maxSkeleton]byte
	for _, g := range groups {
		want := string(buf[:romanSkeleton(&buf, []byte(g[0]))])
		if want == "" {
			t.Fatalf("%q: no skeleton", g[0])
		}
		for _, w := range g[1:] {
			if got := string(buf[:romanSkeleton(&buf, []byte(w))]); got != want {
				t.Errorf("skeleton(%q) = %q, want %q as for %q", w, got, want, g[0])
			}
		}
	}
	for _, w := range []string{"", "café", "2day", "नहीं"} {
		if n := romanSkeleton(&buf, []byte(w)); n != 0 {
			t.Errorf("skeleton(%q) = %q, want none", w, buf[:n])
		}
	}
}
