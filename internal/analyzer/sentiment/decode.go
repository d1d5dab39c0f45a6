package sentiment

import (
	"encoding/json"
	"errors"
	"unicode/utf8"
	"unsafe"
)

// lineDecoder extracts id and text from one JSONL record. Flat objects are
// parsed by hand; anything else falls back to encoding/json.
type lineDecoder struct {
	text []byte
	long []byte
}

// decode returns the raw JSON of "id" (nil if absent) and the unescaped text.
func (d *lineDecoder) decode(b []byte) (id []byte, text string, err error) {
	id, t, ok := d.fast(b)
	if ok {
		if len(t) == 0 {
			return id, "", nil
		}
		// The text aliases d.text or the line: it is scored and written
		// out before the next line is read, and Result.Terms do not
		// outlive that.
		return id, unsafe.String(&t[0], len(t)), nil
	}
	var rec struct {
		ID   json.RawMessage `json:"id"`
		Text *string         `json:"text"`
	}
	if err := json.Unmarshal(b, &rec); err != nil {
		return nil, "", err
	}
	if rec.Text == nil {
		return nil, "", errors.New(`missing "text"`)
	}
	if len(rec.ID) > 0 && string(rec.ID) != "null" {
		id = rec.ID
	}
	return id, *rec.Text, nil
}

// fast parses an object whose values are strings, numbers, booleans or
// null. It reports !ok for anything it does not handle, including errors,
// which are then diagnosed by encoding/json.
func (d *lineDecoder) fast(b []byte) (id, text []byte, ok bool) {
	i := skipWS(b, 0)
	if i >= len(b) || b[i] != '{' {
		return nil, nil, false
	}
	i = skipWS(b, i+1)
	haveText := false
	if i < len(b) && b[i] == '}' {
		return nil, nil, false
	}
	for i < len(b) {
		if b[i] != '"' {
			return nil, nil, false
		}
		ks, ke, simple := scanString(b, i)
		if ke < 0 || !simple {
			return nil, nil, false
		}
		key := b[ks+1 : ke-1]
		i = skipWS(b, ke)
		if i >= len(b) || b[i] != ':' {
			return nil, nil, false
		}
		i = skipWS(b, i+1)
		if i >= len(b) {
			return nil, nil, false
		}
		vs := i
		var ve int
		plain := false // a string without escapes
		switch c := b[i]; {
		case c == '"':
			_, ve, plain = scanString(b, i)
			if ve < 0 {
				return nil, nil, false
			}
		case c == '-' || c >= '0' && c <= '9' || c == 't' || c == 'f' || c == 'n':
			ve = i
			for ve < len(b) && b[ve] != ',' && b[ve] != '}' && !isSpaceByte(b[ve]) {
				ve++
			}
			if !isLiteral(b[vs:ve]) {
				return nil, nil, false
			}
		default:
			return nil, nil, false
		}
		switch string(key) {
		case "id":
			if string(b[vs:ve]) != "null" {
				id = b[vs:ve]
			}
		case "text":
			if b[vs] != '"' {
				return nil, nil, false
			}
			if body := b[vs+1 : ve-1]; plain && utf8.Valid(body) {
				text = body // nothing to unescape or replace: no copy
			} else {
				var uok bool
				d.text, uok = unquote(d.text[:0], body)
				if !uok {
					return nil, nil, false
				}
				text = d.text
			}
			haveText = true
		}
		i = skipWS(b, ve)
		if i >= len(b) {
			return nil, nil, false
		}
		if b[i] == '}' {
			if skipWS(b, i+1) != len(b) || !haveText {
				return nil, nil, false
			}
			return id, text, true
		}
		if b[i] != ',' {
			return nil, nil, false
		}
		i = skipWS(b, i+1)
	}
	return nil, nil, false
}

// isLiteral reports whether b is a JSON number, true, false or null. It
// checks the characters only; odd numbers such as "1-2" fall back to
// encoding/json when they are the id.
func isLiteral(b []byte) bool {
	switch string(b) {
	case "true", "false", "null":
		return true
	}
	if len(b) == 0 {
		return false
	}
	for _, c := range b {
		if !(c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E') {
			return false
		}
	}
	return true
}

func skipWS(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n') {
		i++
	}
	return i
}

// scanString returns the bounds of the JSON string starting at b[i] (end is
// one past the closing quote, -1 if unterminated) and whether it has no
// escapes.
func scanString(b []byte, i int) (start, end int, simple bool) {
	simple = true
	for j := i + 1; j < len(b); j++ {
		switch c := b[j]; {
		case c == '\\':
			simple = false
			j++
		case c == '"':
			return i, j + 1, simple
		case c < 0x20:
			return i, -1, false
		}
	}
	return i, -1, false
}

// unquote appends the decoded content of a JSON string body to dst.
func unquote(dst, s []byte) ([]byte, bool) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' {
			if c >= utf8.RuneSelf {
				r, size := utf8.DecodeRune(s[i:])
				if r == utf8.RuneError && size == 1 {
					dst = utf8.AppendRune(dst, utf8.RuneError)
					continue
				}
				dst = append(dst, s[i:i+size]...)
				i += size - 1
				continue
			}
			dst = append(dst, c)
			continue
		}
		i++
		if i >= len(s) {
			return dst, false
		}
		switch s[i] {
		case '"', '\\', '/':
			dst = append(dst, s[i])
		case 'b':
			dst = append(dst, '\b')
		case 'f':
			dst = append(dst, '\f')
		case 'n':
			dst = append(dst, '\n')
		case 'r':
			dst = append(dst, '\r')
		case 't':
			dst = append(dst, '\t')
		case 'u':
			r, ok := hex4(s, i+1)
			if !ok {
				return dst, false
			}
			i += 4
			if r >= 0xd800 && r < 0xdc00 {
				if i+6 < len(s) && s[i+1] == '\\' && s[i+2] == 'u' {
					if r2, ok := hex4(s, i+3); ok && r2 >= 0xdc00 && r2 < 0xe000 {
						r = (r-0xd800)<<10 + (r2 - 0xdc00) + 0x10000
						i += 6
					}
				}
			}
			dst = utf8.AppendRune(dst, r)
		default:
			return dst, false
		}
	}
	return dst, true
}

func hex4(s []byte, i int) (rune, bool) {
	if i+4 > len(s) {
		return 0, false
	}
	var r rune
	for _, c := range s[i : i+4] {
		r <<= 4
		switch {
		case c >= '0' && c <= '9':
			r |= rune(c - '0')
		case c >= 'a' && c <= 'f':
			r |= rune(c - 'a' + 10)
		case c >= 'A' && c <= 'F':
			r |= rune(c - 'A' + 10)
		default:
			return 0, false
		}
	}
	return r, true
}
