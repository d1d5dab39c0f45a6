package ingest

import (
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// lineDecoder reads a JSON line the common way records are written (an
// object of the known fields with string values and numeric counts, any
// other keys with any values) in one pass, without reflection and with one
// string allocation for all of the line's strings. It says false for
// anything else (a bad line, a value of another type, a lone UTF-16
// surrogate, a count it cannot read, a key that is not exactly a field
// name but might match one, bytes that are not UTF-8): encoding/json then
// reads the line, so what is stored and every error message are as
// before.
type lineDecoder struct {
	buf  []byte    // the line's decoded strings, back to back
	nums [4]number // the counts the record points to
}

// The record's string fields, in the order of a span array.
const (
	fID = iota
	fText
	fAuthor
	fPublished
	fURL
	fTitle
	fParentID
	nStrings
)

// span is where a decoded string is in lineDecoder.buf.
type span struct {
	start, end int
	set        bool
}

// record reads one line. The counts of the record it returns point into d
// and are valid until the next call.
func (d *lineDecoder) record(b []byte) (record, bool) {
	if !utf8.Valid(b) {
		return record{}, false
	}
	d.buf = d.buf[:0]
	var strs [nStrings]span
	var cnts [4]int8 // 0: absent, 1: d.nums holds it, -1: null
	s := scanner{b: b}
	s.ws()
	if !s.eat('{') {
		return record{}, false
	}
	s.ws()
	if !s.eat('}') {
		for {
			s.ws()
			key, ok := s.rawString()
			if !ok {
				return record{}, false
			}
			s.ws()
			if !s.eat(':') {
				return record{}, false
			}
			s.ws()
			f := fieldIndex(key)
			switch {
			case f < 0:
				// encoding/json matches keys without regard to case: a key
				// that may do so is left to it.
				if mayMatchField(string(key)) || !s.skipValue(0) {
					return record{}, false
				}
			case f < nStrings:
				switch s.peek() {
				case 'n': // null leaves a string field as it is
					if !s.literal("null") {
						return record{}, false
					}
				case '"':
					start := len(d.buf)
					if d.buf, ok = s.decodeString(d.buf); !ok {
						return record{}, false
					}
					strs[f] = span{start, len(d.buf), true}
				default:
					return record{}, false
				}
			default:
				c := f - nStrings
				var raw []byte
				switch ch := s.peek(); {
				case ch == 'n':
					if !s.literal("null") {
						return record{}, false
					}
					cnts[c] = -1
				case ch == '"':
					if raw, ok = s.rawString(); !ok || len(raw) == 0 || string(raw) == "null" {
						return record{}, false
					}
				case ch == '-' || ch >= '0' && ch <= '9':
					if raw, ok = s.number(); !ok {
						return record{}, false
					}
				default:
					return record{}, false
				}
				if raw != nil {
					v, ok := count(raw)
					if !ok {
						return record{}, false
					}
					d.nums[c], cnts[c] = number{v}, 1
				}
			}
			s.ws()
			if s.eat(',') {
				continue
			}
			if s.eat('}') {
				break
			}
			return record{}, false
		}
	}
	s.ws()
	if s.i != len(b) {
		return record{}, false
	}
	all := string(d.buf)
	var rec record
	for f, dst := range [nStrings]*string{&rec.ID, &rec.Text, &rec.Author, &rec.Published, &rec.URL, &rec.Title, &rec.ParentID} {
		if sp := strs[f]; sp.set {
			*dst = all[sp.start:sp.end]
		}
	}
	for c, dst := range [4]**number{&rec.Likes, &rec.Replies, &rec.Shares, &rec.Followers} {
		if cnts[c] == 1 {
			*dst = &d.nums[c]
		}
	}
	return rec, true
}

// fieldIndex is the index of a field by its exact name: the strings in
// span order, then the counts; -1 for any other key.
func fieldIndex(key []byte) int {
	switch string(key) {
	case "id":
		return fID
	case "text":
		return fText
	case "author":
		return fAuthor
	case "published":
		return fPublished
	case "url":
		return fURL
	case "title":
		return fTitle
	case "parent_id":
		return fParentID
	case "likes":
		return nStrings
	case "replies":
		return nStrings + 1
	case "shares":
		return nStrings + 2
	case "followers":
		return nStrings + 3
	}
	return -1
}

// count reads a count written as digits quickly, and anything else as
// parseCount does.
func count(raw []byte) (uint32, bool) {
	if len(raw) > 0 && len(raw) <= 9 {
		v := uint32(0)
		digits := true
		for _, c := range raw {
			if c < '0' || c > '9' {
				digits = false
				break
			}
			v = v*10 + uint32(c-'0')
		}
		if digits {
			return v, true
		}
	}
	v, err := parseCount(string(raw))
	return v, err == nil
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

// maxDepth bounds the nesting of values the scanner skips; deeper lines
// are left to encoding/json.
const maxDepth = 100

// scanner walks a JSON text.
type scanner struct {
	b []byte
	i int
}

func (s *scanner) peek() byte {
	if s.i < len(s.b) {
		return s.b[s.i]
	}
	return 0
}

func (s *scanner) ws() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

func (s *scanner) eat(c byte) bool {
	if s.i < len(s.b) && s.b[s.i] == c {
		s.i++
		return true
	}
	return false
}

func (s *scanner) literal(lit string) bool {
	if len(s.b)-s.i >= len(lit) && string(s.b[s.i:s.i+len(lit)]) == lit {
		s.i += len(lit)
		return true
	}
	return false
}

// rawString reads a string without escapes and returns its bytes; false
// for one with an escape or a control character, or none.
func (s *scanner) rawString() ([]byte, bool) {
	if !s.eat('"') {
		return nil, false
	}
	start := s.i
	for ; s.i < len(s.b); s.i++ {
		switch c := s.b[s.i]; {
		case c == '"':
			s.i++
			return s.b[start : s.i-1], true
		case c == '\\' || c < 0x20:
			return nil, false
		}
	}
	return nil, false
}

// decodeString reads a string and appends its value to buf.
func (s *scanner) decodeString(buf []byte) ([]byte, bool) {
	if !s.eat('"') {
		return buf, false
	}
	run := s.i
	for s.i < len(s.b) {
		c := s.b[s.i]
		switch {
		case c == '"':
			buf = append(buf, s.b[run:s.i]...)
			s.i++
			return buf, true
		case c < 0x20:
			return buf, false
		case c != '\\':
			s.i++
			continue
		}
		buf = append(buf, s.b[run:s.i]...)
		s.i++
		if s.i >= len(s.b) {
			return buf, false
		}
		e := s.b[s.i]
		s.i++
		switch e {
		case '"', '\\', '/':
			buf = append(buf, e)
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'u':
			r, ok := s.hex4()
			if !ok {
				return buf, false
			}
			if utf16.IsSurrogate(r) {
				// Only a high surrogate followed by a low one is read here;
				// encoding/json's replacement of the others is left to it.
				var r2 rune
				if !s.literal(`\u`) {
					return buf, false
				}
				if r2, ok = s.hex4(); !ok {
					return buf, false
				}
				if r = utf16.DecodeRune(r, r2); r == utf8.RuneError {
					return buf, false
				}
			}
			buf = utf8.AppendRune(buf, r)
		default:
			return buf, false
		}
		run = s.i
	}
	return buf, false
}

func (s *scanner) hex4() (rune, bool) {
	if len(s.b)-s.i < 4 {
		return 0, false
	}
	var r rune
	for _, c := range s.b[s.i : s.i+4] {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	s.i += 4
	return r, true
}

// number reads a number as JSON writes one and returns its bytes.
func (s *scanner) number() ([]byte, bool) {
	start := s.i
	s.eat('-')
	digits := func() int {
		n := 0
		for s.i < len(s.b) && s.b[s.i] >= '0' && s.b[s.i] <= '9' {
			s.i++
			n++
		}
		return n
	}
	switch {
	case s.eat('0'):
	case digits() == 0:
		return nil, false
	}
	if s.eat('.') && digits() == 0 {
		return nil, false
	}
	if s.eat('e') || s.eat('E') {
		if !s.eat('+') {
			s.eat('-')
		}
		if digits() == 0 {
			return nil, false
		}
	}
	return s.b[start:s.i], true
}

// skipValue passes over any value, checking it is well formed.
func (s *scanner) skipValue(depth int) bool {
	if depth > maxDepth {
		return false
	}
	switch c := s.peek(); {
	case c == '"':
		return s.skipString()
	case c == '-' || c >= '0' && c <= '9':
		_, ok := s.number()
		return ok
	case c == 't':
		return s.literal("true")
	case c == 'f':
		return s.literal("false")
	case c == 'n':
		return s.literal("null")
	case c == '[':
		s.i++
		s.ws()
		if s.eat(']') {
			return true
		}
		for {
			s.ws()
			if !s.skipValue(depth + 1) {
				return false
			}
			s.ws()
			if s.eat(',') {
				continue
			}
			return s.eat(']')
		}
	case c == '{':
		s.i++
		s.ws()
		if s.eat('}') {
			return true
		}
		for {
			s.ws()
			if !s.skipString() {
				return false
			}
			s.ws()
			if !s.eat(':') {
				return false
			}
			s.ws()
			if !s.skipValue(depth + 1) {
				return false
			}
			s.ws()
			if s.eat(',') {
				continue
			}
			return s.eat('}')
		}
	}
	return false
}

// skipString passes over a string, checking its escapes.
func (s *scanner) skipString() bool {
	if !s.eat('"') {
		return false
	}
	for s.i < len(s.b) {
		c := s.b[s.i]
		s.i++
		switch {
		case c == '"':
			return true
		case c < 0x20:
			return false
		case c == '\\':
			if s.i >= len(s.b) {
				return false
			}
			e := s.b[s.i]
			s.i++
			switch e {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if _, ok := s.hex4(); !ok {
					return false
				}
			default:
				return false
			}
		}
	}
	return false
}
