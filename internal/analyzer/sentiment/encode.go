package sentiment

import (
	"math"
	"strconv"
	"unicode/utf8"
)

const hexDigits = "0123456789abcdef"

// appendResult appends one output JSON line for res to b.
func appendResult(b, id []byte, res *Result) []byte {
	b = append(b, `{"id":`...)
	if len(id) == 0 {
		b = append(b, "null"...)
	} else {
		b = append(b, id...)
	}
	if res.Scored {
		b = append(b, `,"compound":`...)
		b = appendFixed(b, res.Compound, 4)
		b = append(b, `,"pos":`...)
		b = appendFixed(b, res.Pos, 3)
		b = append(b, `,"neu":`...)
		b = appendFixed(b, res.Neu, 3)
		b = append(b, `,"neg":`...)
		b = appendFixed(b, res.Neg, 3)
		b = append(b, `,"label":"`...)
		b = append(b, res.Label...)
		b = append(b, '"')
	} else {
		b = append(b, `,"compound":null,"pos":null,"neu":null,"neg":null,"label":null`...)
	}
	b = append(b, `,"language":`...)
	b = appendJSONString(b, res.Language)
	b = append(b, `,"terms":[`...)
	for i, t := range res.Terms {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, t.Text)
	}
	return append(b, "]}\n"...)
}

// appendFixed appends x, a score in [-1, 1], rounded to digits decimals
// (at most 4), without trailing zeros beyond the first decimal.
func appendFixed(b []byte, x float64, digits int) []byte {
	if x != x || x > 1e6 || x < -1e6 {
		return strconv.AppendFloat(b, x, 'f', digits, 64)
	}
	p := math.Pow10(digits)
	n := int64(x*p + 0.5)
	if x < 0 {
		n = int64(x*p - 0.5) // rounds half away from zero; -0.00001 gives 0
	}
	if n < 0 {
		b = append(b, '-')
		n = -n
	}
	ip, fp := n/int64(p), n%int64(p)
	b = strconv.AppendInt(b, ip, 10)
	b = append(b, '.')
	var tmp [4]byte
	for i := digits - 1; i >= 0; i-- {
		tmp[i] = byte('0' + fp%10)
		fp /= 10
	}
	end := digits
	for end > 1 && tmp[end-1] == '0' {
		end--
	}
	return append(b, tmp[:end]...)
}

// appendJSONString appends s as a JSON string, replacing invalid UTF-8.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c < 0x20:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, `\ufffd`...)
		} else {
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}
