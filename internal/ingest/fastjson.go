package ingest

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"github.com/tidwall/gjson"
)

// fastRecord reads a JSON line the common way records are written (an
// object of the known fields with string values and numeric counts) in one
// pass, without reflection. It says false for anything else (a bad line, a
// value of another type, a \u escape, a count it cannot read, a key that is
// not exactly a field name but might match one): encoding/json then reads
// the line, so what is stored and every error message are as before.
func fastRecord(b []byte) (record, bool) {
	if !utf8.Valid(b) || !gjson.ValidBytes(b) {
		return record{}, false
	}
	top := gjson.ParseBytes(b)
	if !top.IsObject() {
		return record{}, false
	}
	var rec record
	ok := true
	top.ForEach(func(k, v gjson.Result) bool {
		if strings.IndexByte(k.Raw, '\\') >= 0 {
			ok = false
			return false
		}
		var str *string
		var cnt **number
		switch k.Str {
		case "id":
			str = &rec.ID
		case "text":
			str = &rec.Text
		case "author":
			str = &rec.Author
		case "published":
			str = &rec.Published
		case "url":
			str = &rec.URL
		case "title":
			str = &rec.Title
		case "parent_id":
			str = &rec.ParentID
		case "likes":
			cnt = &rec.Likes
		case "replies":
			cnt = &rec.Replies
		case "shares":
			cnt = &rec.Shares
		case "followers":
			cnt = &rec.Followers
		default:
			// encoding/json matches keys without regard to case: a key that
			// may do so is left to it.
			ok = !mayMatchField(k.Str)
			return ok
		}
		switch {
		case v.Type == gjson.Null:
			if cnt != nil {
				*cnt = nil
			}
		case str != nil && v.Type == gjson.String && !strings.Contains(v.Raw, `\u`):
			*str = v.Str
		case cnt != nil && (v.Type == gjson.Number || v.Type == gjson.String):
			n, err := parseCount(string(bytes.Trim([]byte(v.Raw), `"`)))
			if err != nil {
				ok = false
				return false
			}
			*cnt = &number{n}
		default:
			ok = false
		}
		return ok
	})
	return rec, ok
}

// mayMatchField reports whether encoding/json could read key into one of
// the fields: it folds case, including some non-ASCII letters.
func mayMatchField(key string) bool {
	for i := 0; i < len(key); i++ {
		if key[i] >= utf8.RuneSelf {
			return true
		}
	}
	for _, f := range Fields {
		if strings.EqualFold(key, f) {
			return true
		}
	}
	return false
}
