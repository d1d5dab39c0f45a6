package config

import (
	"strings"

	htmlcharset "golang.org/x/net/html/charset"
)

// charsetAliases are names operators write for a charset that the WHATWG
// list of labels lacks: Windows code page numbers as Python, Java and
// iconv spell them.
var charsetAliases = map[string]string{
	"cp936": "gbk", "ms936": "gbk", "windows-936": "gbk",
	"cp932": "shift_jis", "windows-932": "shift_jis",
	"cp949": "euc-kr", "ms949": "euc-kr", "uhc": "euc-kr", "windows-949": "euc-kr",
	"cp950": "big5", "ms950": "big5", "windows-950": "big5",
	"cp1200": "utf-16le", "cp65001": "utf-8",
}

// Charset returns the canonical name of a charset label as a source's
// encoding may give it: a WHATWG label (gbk, gb2312, x-gbk, big5-hkscs,
// latin1, shift-jis, euc-kr, ...), a Windows code page (cp936, cp932,
// cp949, cp950, cp1252) or the same with underscores or without the dash
// (utf_8, latin-1, euc_kr). ok is false for a label none of these name.
func Charset(label string) (name string, ok bool) {
	l := strings.ToLower(strings.TrimSpace(label))
	if l == "" {
		return "", false
	}
	for _, try := range []string{l, strings.ReplaceAll(l, "_", "-"), strings.ReplaceAll(l, "-", "_"),
		strings.NewReplacer("-", "", "_", "").Replace(l)} {
		if a, ok := charsetAliases[try]; ok {
			try = a
		}
		if e, name := htmlcharset.Lookup(try); e != nil {
			return name, true
		}
	}
	return "", false
}
