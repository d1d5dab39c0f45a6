package config

import (
	"strings"
	"testing"
)

// TestEncodingAliases: a source's encoding may be written as operators
// know it (a Windows code page, Python's underscores); the loader keeps
// the canonical name the fetcher decodes with, and refuses a name that
// is no charset.
func TestEncodingAliases(t *testing.T) {
	cases := []struct {
		label, want, err string
	}{
		{"gbk", "gbk", ""},
		{"cp936", "gbk", ""},
		{"GB2312", "gbk", ""},
		{"x-gbk", "gbk", ""},
		{"gb18030", "gb18030", ""},
		{"big5-hkscs", "big5", ""},
		{"cp950", "big5", ""},
		{"windows-1252", "windows-1252", ""},
		{"cp1252", "windows-1252", ""},
		{"latin1", "windows-1252", ""},
		{"latin-1", "windows-1252", ""},
		{"iso-8859-1", "windows-1252", ""},
		{"shift-jis", "shift_jis", ""},
		{"cp932", "shift_jis", ""},
		{"sjis", "shift_jis", ""},
		{"euc-kr", "euc-kr", ""},
		{"euc_kr", "euc-kr", ""},
		{"cp949", "euc-kr", ""},
		{"utf_8", "utf-8", ""},
		{"klingon", "", `sources[0].encoding: unknown encoding "klingon"`},
		{"cp0", "", `unknown encoding "cp0"`},
	}
	for _, c := range cases {
		t.Run(c.label, func(t *testing.T) {
			y := "sources:\n  - name: s\n    kind: feed\n    urls: [https://news.example/rss]\n    encoding: " + c.label + "\n"
			cfg, err := Parse("backlash.yaml", []byte(y))
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("err %v, want %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := cfg.Sources[0].Encoding; got != c.want {
				t.Errorf("encoding %q, want %q", got, c.want)
			}
		})
	}
}
