package fetch

import "testing"

func TestChallenge(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status int
		body   string
		want   string
	}{
		{"recaptcha", 200, `<div class="g-recaptcha" data-sitekey="x"></div>`, "g-recaptcha"},
		{"cloudflare", 503, `<title>Just a moment...</title>`, "<title>Just a moment...</title>"},
		{"login form", 200, `<form><input name=user><input type="password" name=pw></form>`, `type="password"`},
		{"bare 403", 403, `Forbidden`, "HTTP 403"},
		{"bare 401", 401, ``, "HTTP 401"},
		{"an ordinary empty page", 200, `<html><body><p>Nothing here yet</p></body></html>`, ""},
	} {
		if got := Challenge(tc.status, []byte(tc.body)); got != tc.want {
			t.Errorf("%s: Challenge = %q, want %q", tc.name, got, tc.want)
		}
	}
}
