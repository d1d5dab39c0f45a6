package sentiment

// maxSkeleton is the longest word, in bytes, given a spelling skeleton.
const maxSkeleton = 32

// romanSkeleton writes to dst the spelling skeleton of w, a lower-case
// word of romanized Hindi, and returns its length (0: w is not a word of
// ASCII letters, or is too long). Romanized Hindi has no fixed spelling:
// "bahut", "bhut", "bohot" and "bahot" are one word, as are "nahi", "nhi"
// and "nahin", "accha", "acha" and "achha", "pyaar" and "pyar". The
// skeleton keeps what the spellings share: "ee" is read as i and "oo" as
// u, w as v, z as j, q as k, ph as f; a trailing n after a vowel (nasal
// "nahin", "hain") is dropped; runs of one letter become one; vowels are
// dropped except at the start. So all of the above meet: "bht", "nh",
// "ach", "pyr".
func romanSkeleton(dst *[maxSkeleton]byte, w []byte) int {
	return romanForm(dst, w, true)
}

// romanSpelling is romanSkeleton keeping the vowels: "bakwaas" and
// "bakwas", "kharaab" and "kharab", "pyaar" and "pyar" meet, "bahut" and
// "bhut" do not. A lexicon matches by it where the skeleton would join
// words that differ ("dekh", see, and "dukh", sorrow).
func romanSpelling(dst *[maxSkeleton]byte, w []byte) int {
	return romanForm(dst, w, false)
}

func romanForm(dst *[maxSkeleton]byte, w []byte, dropVowels bool) int {
	if len(w) == 0 || len(w) > maxSkeleton {
		return 0
	}
	for _, c := range w {
		if c < 'a' || c > 'z' {
			return 0
		}
	}
	n := len(w)
	if n > 2 && w[n-1] == 'n' && isVowelByte(w[n-2]) {
		n-- // nasal ending: nahin, hain, main
	}
	out := 0
	var last byte
	for i := 0; i < n; i++ {
		c := w[i]
		switch {
		case c == 'e' && i+1 < n && w[i+1] == 'e':
			c = 'i'
			i++
		case c == 'o' && i+1 < n && w[i+1] == 'o':
			c = 'u'
			i++
		case c == 'p' && i+1 < n && w[i+1] == 'h':
			c = 'f'
			i++
		case c == 'w':
			c = 'v'
		case c == 'z':
			c = 'j'
		case c == 'q':
			c = 'k'
		}
		if c == last {
			continue
		}
		last = c
		if dropVowels && isVowelByte(c) && out > 0 {
			continue
		}
		dst[out] = c
		out++
	}
	return out
}

func isVowelByte(c byte) bool {
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'
}
