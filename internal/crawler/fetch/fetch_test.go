package fetch

import (
	"errors"
	"net/netip"
	"strings"
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
	zh := "钱途的圈子功能太恶心了"
	gbk := "\xc7\xae\xcd\xbe\xb5\xc4\xc8\xa6\xd7\xd3\xb9\xa6\xc4\xdc\xcc\xab\xb6\xf1\xd0\xc4\xc1\xcb" // zh in GBK
	cases := []struct {
		name, body, ctype, want string
		forced                  bool
		err                     bool
	}{
		{name: "meta charset", body: `<html><head><meta charset="gbk"></head><body>` + "\xd6\xd0\xce\xc4</body></html>", ctype: "text/html",
			want: `<html><head><meta charset="gbk"></head><body>中文</body></html>`},
		{name: "xml declaration", body: "<?xml version=\"1.0\" encoding=\"GB2312\"?><rss><title>\xd6\xd0\xce\xc4</title></rss>", ctype: "application/rss+xml",
			want: `<?xml version="1.0" encoding="UTF-8"?><rss><title>中文</title></rss>`},
		{name: "utf-8", body: "<p>déjà vu</p>", ctype: "text/html", want: "<p>déjà vu</p>"},
		{name: "undeclared latin-1", body: "<p>d\xe9j\xe0 vu</p>", ctype: "text/html", want: "<p>déjà vu</p>"},
		{name: "UTF-8 declared GB2312 in a meta tag", body: `<meta http-equiv="Content-Type" content="text/html; charset=gb2312"><p>` + zh + "</p>", ctype: "text/html",
			want: `<meta http-equiv="Content-Type" content="text/html; charset=gb2312"><p>` + zh + "</p>"},
		{name: "UTF-8 XML declared GBK", body: `<?xml version="1.0" encoding="gbk"?><feed><title>` + zh + "</title></feed>", ctype: "application/atom+xml",
			want: `<?xml version="1.0" encoding="UTF-8"?><feed><title>` + zh + "</title></feed>"},
		{name: "GBK declared UTF-8 in a meta tag", body: `<meta charset="utf-8"><p>` + gbk + "</p>", ctype: "text/html", err: true},
		{name: "GBK declared UTF-8 in the header", body: "<p>" + gbk + "</p>", ctype: "text/html; charset=utf-8", err: true},
		{name: "GBK XML without an encoding", body: `<?xml version="1.0"?><feed><title>` + gbk + "</title></feed>", ctype: "application/atom+xml", err: true},
		{name: "GBK JSON", body: `{"text":"` + gbk + `"}`, ctype: "application/json", err: true},
		{name: "a stray byte in UTF-8", body: "<p>" + zh + "\xff</p>", ctype: "text/html; charset=utf-8", want: "<p>" + zh + "\uFFFD</p>"},
		{name: "a post of garbage bytes no charset reads", body: "<p>broken \xff\xfe\xc3\x28 awful \xed\xa0\x80</p><p>fine</p>", ctype: "text/html; charset=utf-8",
			want: "<p>broken \uFFFD( awful \uFFFD</p><p>fine</p>"},
		{name: "forced encoding is left to colly", body: "<p>" + gbk + "</p>", ctype: "text/html; charset=utf-8", forced: true, want: "<p>" + gbk + "</p>"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := decode([]byte(c.body), c.ctype, c.forced)
			if c.err {
				if !errors.Is(err, ErrNotUTF8) || !strings.Contains(err.Error(), "set the source's encoding") {
					t.Fatalf("err = %v, want ErrNotUTF8 naming the encoding setting", err)
				}
				return
			}
			if err != nil || string(got) != c.want {
				t.Errorf("got %q, %v\nwant %q", got, err, c.want)
			}
		})
	}
}

// TestToUTF8: a body whose header names another charset is converted
// from it, unless it is UTF-8 after all.
func TestToUTF8(t *testing.T) {
	if got := string(toUTF8([]byte("\xd6\xd0\xce\xc4"), "text/html; charset=gbk")); got != "中文" {
		t.Errorf("GBK: %q", got)
	}
	if got := string(toUTF8([]byte("中文 😡"), "text/html; charset=gbk")); got != "中文 😡" {
		t.Errorf("UTF-8 declared GBK: %q", got)
	}
	if got := string(toUTF8([]byte("d\xe9j\xe0"), "text/html; charset=iso-8859-1")); got != "déjà" {
		t.Errorf("latin-1: %q", got)
	}
}
