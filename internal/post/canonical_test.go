package post

import "testing"

func TestCanonicalURL(t *testing.T) {
	same := [][]string{
		{"https://forum.example/t/42", "http://www.Forum.Example:80/t/42/", "https://forum.example/t/42#p1001",
			"https://forum.example:443/t/42?utm_source=rss&utm_medium=feed", "https://forum.example/t/42?fbclid=x"},
		{"https://forum.example/t/42?page=2&sort=new", "https://forum.example/t/42?sort=new&page=2"},
	}
	for _, group := range same {
		want := CanonicalURL(group[0])
		for _, u := range group[1:] {
			if got := CanonicalURL(u); got != want {
				t.Errorf("CanonicalURL(%q) = %q, want %q as for %q", u, got, want, group[0])
			}
		}
	}
	if a, b := CanonicalURL("https://forum.example/t/42"), CanonicalURL("https://forum.example/t/43"); a == b {
		t.Errorf("two threads canonicalise alike: %q", a)
	}
	if got := CanonicalURL(" 42 "); got != "42" {
		t.Errorf("CanonicalURL of a plain id = %q, want it trimmed", got)
	}
}
