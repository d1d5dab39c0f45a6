package sentiment

// table is an open-addressing hash table from lower-case word to entry,
// frozen from lexicon.words once all lexicons are applied. The tokenizer
// computes the FNV-1a hash while lower-casing, so a lookup costs one probe
// sequence and one byte comparison, with no string conversion. Each slot
// keeps the upper half of its key's hash beside the index, so probes past
// other words rarely load their keys.
type table struct {
	slots []uint64 // 0 = empty, else hash>>32<<32 | index+1 into keys and ents
	keys  []string
	ents  []entry
	mask  uint64
}

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func hashBytes[T ~string | ~[]byte](b T) uint64 {
	h := uint64(fnvOffset)
	for i := 0; i < len(b); i++ {
		h = (h ^ uint64(b[i])) * fnvPrime
	}
	return h
}

func newTable(words map[string]entry) *table {
	size := 16
	for size < 2*len(words) {
		size <<= 1
	}
	t := &table{slots: make([]uint64, size), mask: uint64(size - 1),
		keys: make([]string, 0, len(words)), ents: make([]entry, 0, len(words))}
	for k, e := range words {
		t.keys = append(t.keys, k)
		t.ents = append(t.ents, e)
		h := hashBytes(k)
		i := h & t.mask
		for t.slots[i] != 0 {
			i = (i + 1) & t.mask
		}
		t.slots[i] = h>>32<<32 | uint64(len(t.keys))
	}
	return t
}

// get looks up the word b whose hashBytes is h.
func (t *table) get(b []byte, h uint64) (entry, bool) {
	tag := h >> 32
	for i := h & t.mask; ; i = (i + 1) & t.mask {
		s := t.slots[i]
		if s == 0 {
			return entry{}, false
		}
		if s>>32 != tag {
			continue
		}
		if j := uint32(s) - 1; t.keys[j] == string(b) {
			return t.ents[j], true
		}
	}
}

// getString is get for a string key.
func (t *table) getString(w string) (entry, bool) {
	h := hashBytes(w)
	tag := h >> 32
	for i := h & t.mask; ; i = (i + 1) & t.mask {
		s := t.slots[i]
		if s == 0 {
			return entry{}, false
		}
		if j := uint32(s) - 1; s>>32 == tag && t.keys[j] == w {
			return t.ents[j], true
		}
	}
}
