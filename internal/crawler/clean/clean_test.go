package clean

import "testing"

func TestCount(t *testing.T) {
	cases := []struct {
		in   string
		want uint32
	}{
		{"", 0}, {"no votes", 0}, {"12", 12}, {"12 likes", 12}, {"1.2k", 1200},
		{"1.2K", 1200}, {"3,456", 3456}, {"3.456", 3456}, {"1,234,567", 1234567},
		{"2.5M", 2500000}, {"1,2k", 1200}, {"1.234,5", 1235}, {"0.5", 1},
		{"1.5万", 15000}, {"3万", 30000}, {"2亿", 200000000}, {"99999999999", 4294967295},
		{"▲ 42 points", 42}, {"(7)", 7},
	}
	for _, c := range cases {
		if got := Count(c.in); got != c.want {
			t.Errorf("Count(%q) = %d, want %d", c.in, got, c.want)
		}
	}
}

func TestHTML(t *testing.T) {
	cases := []struct{ in, want string }{
		{"plain   text\t here", "plain text here"},
		{"<p>Hello &amp; welcome</p><p>Second&nbsp;para</p>", "Hello & welcome\nSecond para"},
		{"<p>a<script>alert(1)</script>b</p><style>p{}</style>", "ab"},
		{"<nav>Home | About</nav><div>The update broke sync</div>", "The update broke sync"},
		{"line<br>break", "line\nbreak"},
		{"&lt;not a tag&gt; &#8212; &eacute;t&eacute;", "<not a tag> — été"},
		{"<p>中文 <b>评论</b></p>", "中文 评论"},
		// A quote's attribution and cells are words of their own.
		{"<blockquote><cite>carol wrote:</cite>that is not fun</blockquote>", "carol wrote: that is not fun"},
		{"<table><tr><th>Version</th><th>Rating</th></tr><tr><td>4.2</td><td>awful</td></tr></table>", "Version Rating\n4.2 awful"},
		{"I read <cite>The Book</cite>, twice", "I read The Book, twice"},
	}
	for _, c := range cases {
		if got := HTML(c.in); got != c.want {
			t.Errorf("HTML(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
