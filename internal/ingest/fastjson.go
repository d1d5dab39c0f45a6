package ingest

import (
	"encoding/binary"
	"math/bits"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"
)

// lineDecoder reads a JSON line the common way records are written (an
// object of the known fields with string values and numeric counts, any
// other keys with any values) in one pass, without reflection, its strings
// cut from a block shared with the lines before and after it. It says false for
// anything else (a bad line, a value of another type, a lone UTF-16
// surrogate, a count it cannot read, a key that is not exactly a field
// name but might match one, bytes that are not UTF-8): encoding/json then
// reads the line, so what is stored and every error message are as
// before.
type lineDecoder struct {
	buf  []byte    // the line's decoded strings, back to back, in block
	nums [4]number // the counts the record points to
	// block holds the strings of the records read so far, and has room
	// after them for the next line's. Its bytes are never written again
	// once a record's strings point to them: a line too long for the room
	// left starts a new block.
	block []byte
}

// stringBlock is the size of the blocks a lineDecoder's strings are cut
// from.
const stringBlock = 64 << 10

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
	// A line's strings are never longer than the line: escapes shrink.
	if cap(d.block)-len(d.block) < len(b) {
		d.block = make([]byte, 0, max(stringBlock, len(b)))
	}
	d.buf = d.block[len(d.block):len(d.block)]
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
	all := ""
	if len(d.buf) > 0 {
		all = unsafe.String(&d.buf[0], len(d.buf))
		d.block = d.block[:len(d.block)+len(d.buf)]
	}
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

// ws passes over white space, of which a line usually has none.
func (s *scanner) ws() {
	if s.i < len(s.b) && s.b[s.i] > ' ' {
		return
	}
	s.skipWS()
}

func (s *scanner) skipWS() {
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
	end := stringStopAt(s.b, start)
	if end >= len(s.b) || s.b[end] != '"' {
		return nil, false
	}
	s.i = end + 1
	return s.b[start:end], true
}

// decodeString reads a string and appends its value to buf.
func (s *scanner) decodeString(buf []byte) ([]byte, bool) {
	if !s.eat('"') {
		return buf, false
	}
	b := s.b
	for {
		run := s.i
		i := stringStopAt(b, run)
		buf = append(buf, b[run:i]...)
		if i >= len(b) || b[i] < 0x20 {
			return buf, false
		}
		if b[i] == '"' {
			s.i = i + 1
			return buf, true
		}
		// An escape.
		if i+1 >= len(b) {
			return buf, false
		}
		e := b[i+1]
		s.i = i + 2
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
	}
}

// Words of eight bytes, for finding a byte among eight at once.
const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
)

// stringStop returns x, eight bytes of a string read little-endian, with
// the high bit set in the byte of its first '"', '\\' or control
// character (and perhaps in bytes after it), and in no byte before; 0
// when there is none. (A byte is 0 where x^c - 1 borrows from it; one
// below 0x20 where x - 0x20 does, and not above 0x7f.)
func stringStop(x uint64) uint64 {
	q := x ^ (ones * '"')
	e := x ^ (ones * '\\')
	return ((q-ones)&^q | (e-ones)&^e | (x-ones*0x20)&^x) & highs
}

// stringStopAt returns the index of the first '"', '\\' or control
// character in b from i on, or len(b).
func stringStopAt(b []byte, i int) int {
	for ; i+8 <= len(b); i += 8 {
		if m := stringStop(binary.LittleEndian.Uint64(b[i:])); m != 0 {
			return i + bits.TrailingZeros64(m)/8
		}
	}
	for ; i < len(b); i++ {
		if c := b[i]; c == '"' || c == '\\' || c < 0x20 {
			return i
		}
	}
	return i
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
	for {
		i := stringStopAt(s.b, s.i)
		if i >= len(s.b) || s.b[i] < 0x20 {
			return false
		}
		if s.b[i] == '"' {
			s.i = i + 1
			return true
		}
		if i+1 >= len(s.b) {
			return false
		}
		e := s.b[i+1]
		s.i = i + 2
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
