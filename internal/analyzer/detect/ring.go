package detect

import "slices"

// ring2 is a set of fixed-size rings of float64, one per row, in one slice.
type ring2 struct {
	size int
	buf  []float64
	n    []int
	pos  []int
	tmp  []float64
}

func newRing2(rows, size int) ring2 {
	return ring2{size: size, buf: make([]float64, rows*size), n: make([]int, rows), pos: make([]int, rows), tmp: make([]float64, size)}
}

func (r *ring2) push(row int, v float64) {
	r.buf[row*r.size+r.pos[row]] = v
	r.pos[row] = (r.pos[row] + 1) % r.size
	if r.n[row] < r.size {
		r.n[row]++
	}
}

// median of a row's stored values; 0 when the row is empty.
func (r *ring2) median(row int) float64 {
	k := r.n[row]
	if k == 0 {
		return 0
	}
	t := r.tmp[:k]
	copy(t, r.buf[row*r.size:row*r.size+k])
	slices.Sort(t)
	if k%2 == 1 {
		return t[k/2]
	}
	return (t[k/2-1] + t[k/2]) / 2
}
