package fetch

import (
	"errors"
	"net/netip"
	"testing"
	"time"
)

func TestGuard(t *testing.T) {
	cases := []struct {
		addr   string
		reason string
	}{
		{"93.184.216.34:443", ""},
		{"[2606:4700::6810:85e5]:443", ""},
		{"127.0.0.1:80", "loopback"},
		{"127.8.9.10:8080", "loopback"},
		{"[::1]:80", "loopback"},
		{"10.1.2.3:80", "private"},
		{"172.16.0.1:80", "private"},
		{"172.31.255.255:80", "private"},
		{"172.32.0.1:80", ""},
		{"192.168.1.1:80", "private"},
		{"100.64.0.1:80", "CGNAT"},
		{"169.254.10.10:80", "link-local"},
		{"169.254.169.254:80", "cloud metadata"},
		{"[fd00:ec2::254]:80", "cloud metadata"},
		{"[fd12:3456::1]:80", "private"},
		{"[fe80::1%eth0]:80", "link-local"},
		{"0.0.0.0:80", "unspecified"},
		{"[::]:80", "unspecified"},
		{"[::ffff:127.0.0.1]:80", "loopback"},
		{"[::ffff:169.254.169.254]:80", "cloud metadata"},
	}
	g := guard(false, nil)
	for _, c := range cases {
		err := g("tcp", c.addr, nil)
		var be *BlockedError
		switch {
		case c.reason == "" && err != nil:
			t.Errorf("%s refused: %v", c.addr, err)
		case c.reason != "" && (!errors.As(err, &be) || be.Reason != c.reason || !errors.Is(err, ErrBlockedAddress)):
			t.Errorf("%s: err %v, want refusal as %s", c.addr, err, c.reason)
		}
	}
	if err := guard(true, nil)("tcp", "127.0.0.1:80", nil); err != nil {
		t.Errorf("allow_private still refused: %v", err)
	}
	exact := guard(false, map[string]bool{"127.0.0.1:4000": true})
	if exact("tcp", "127.0.0.1:4000", nil) != nil || exact("tcp", "127.0.0.1:4001", nil) == nil {
		t.Error("exact allow list should admit only its own address")
	}
	if Classify(netip.MustParseAddr("8.8.8.8")) != "" {
		t.Error("8.8.8.8 classified as private")
	}
}

func TestRetryAfter(t *testing.T) {
	if d, ok := retryAfter("120"); !ok || d != 2*time.Minute {
		t.Errorf("seconds: %v %v", d, ok)
	}
	if d, ok := retryAfter(time.Now().Add(30 * time.Second).UTC().Format("Mon, 02 Jan 2006 15:04:05 GMT")); !ok || d < 25*time.Second || d > 31*time.Second {
		t.Errorf("date: %v %v", d, ok)
	}
	if _, ok := retryAfter("soon"); ok {
		t.Error("accepted junk")
	}
}

func TestDecode(t *testing.T) {
	gbk := []byte("<html><head><meta charset=\"gbk\"></head><body>\xd6\xd0\xce\xc4</body></html>")
	if got := string(decode(gbk, "text/html", false)); got != `<html><head><meta charset="gbk"></head><body>中文</body></html>` {
		t.Errorf("meta charset: %q", got)
	}
	xml := []byte("<?xml version=\"1.0\" encoding=\"GB2312\"?><rss><title>\xd6\xd0\xce\xc4</title></rss>")
	if got := string(decode(xml, "application/rss+xml", false)); got != `<?xml version="1.0" encoding="UTF-8"?><rss><title>中文</title></rss>` {
		t.Errorf("xml declaration: %q", got)
	}
	utf := []byte("<p>déjà vu</p>")
	if got := string(decode(utf, "text/html", false)); got != "<p>déjà vu</p>" {
		t.Errorf("utf-8 changed: %q", got)
	}
	latin := []byte("<p>d\xe9j\xe0 vu</p>")
	if got := string(decode(latin, "text/html", false)); got != "<p>déjà vu</p>" {
		t.Errorf("undeclared latin-1: %q", got)
	}
}
