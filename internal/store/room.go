package store

import (
	"reflect"
	"slices"
	"sync"
	"unsafe"

	"github.com/ClickHouse/ch-go/proto"
	"github.com/ClickHouse/clickhouse-go/v2/lib/column"
)

// Room for a block's strings before they are appended.
//
// clickhouse-go appends a String column's values one at a time to the
// byte buffer and the position list of the ch-go column beneath it, so a
// column of 50,000 values grows both many times over, by a quarter each
// time once large: several times the column's size copied and allocated,
// and most of an insert's own CPU. The driver has no way to size a column
// ahead, so the store reaches the ch-go column through the driver's
// String (and the String inside an Array) and grows it once to what the
// values need. The field layout is checked against the driver's types
// when the package loads: a driver laid out differently gets no room
// reserved, and inserts are as before, only slower.

var (
	// strColOffset is where *column.String keeps its proto.ColStr; 0
	// when the layout is not the one expected.
	strColOffset = fieldOffset(reflect.TypeFor[column.String](), "col", reflect.TypeFor[proto.ColStr]())
	// arrayValuesOffset is where *column.Array keeps its values column.
	arrayValuesOffset = fieldOffset(reflect.TypeFor[column.Array](), "values", reflect.TypeFor[column.Interface]())
	// arrayOffsetsOffset is where *column.Array keeps its offsets (a
	// slice of pointers to structs, one a level of nesting), and
	// offsetValuesOffset where each of those keeps its UInt64 column.
	arrayOffsetsOffset, offsetValuesOffset = offsetsLayout()
	// uint64ColOffset is where *column.UInt64 keeps its proto.ColUInt64.
	uint64ColOffset = fieldOffset(reflect.TypeFor[column.UInt64](), "col", reflect.TypeFor[proto.ColUInt64]())
)

// offsetsLayout returns where column.Array keeps its offsets and where
// each offset keeps its values, the first 0 when the layout is not the one
// expected.
func offsetsLayout() (uintptr, uintptr) {
	f, ok := reflect.TypeFor[column.Array]().FieldByName("offsets")
	if !ok || len(f.Index) != 1 || f.Type.Kind() != reflect.Slice || f.Type.Elem().Kind() != reflect.Pointer ||
		f.Type.Elem().Elem().Kind() != reflect.Struct {
		return 0, 0
	}
	v, ok := f.Type.Elem().Elem().FieldByName("values")
	if !ok || len(v.Index) != 1 || v.Type != reflect.TypeFor[column.UInt64]() {
		return 0, 0
	}
	return f.Offset, v.Offset
}

// fieldOffset returns the offset of the field of struct type t with the
// name and type given, or 0 when it has none such (no field checked here
// is a struct's first).
func fieldOffset(t reflect.Type, name string, want reflect.Type) uintptr {
	f, ok := t.FieldByName(name)
	if !ok || f.Type != want || len(f.Index) != 1 {
		return 0
	}
	return f.Offset
}

// colStr returns the ch-go column under a driver's String column, or nil.
func colStr(col column.Interface) *proto.ColStr {
	s, ok := col.(*column.String)
	if !ok || s == nil || strColOffset == 0 {
		return nil
	}
	return (*proto.ColStr)(unsafe.Add(unsafe.Pointer(s), strColOffset))
}

// arrayValues returns the column an Array column keeps its elements in,
// or nil.
func arrayValues(col column.Interface) column.Interface {
	a, ok := col.(*column.Array)
	if !ok || a == nil || arrayValuesOffset == 0 {
		return nil
	}
	return *(*column.Interface)(unsafe.Add(unsafe.Pointer(a), arrayValuesOffset))
}

// reserveRoom grows an empty String column, or the elements of an empty
// Array(String) column, to hold values (a []string or a [][]string)
// without growing again, into room kept in spare where there is some.
func reserveRoom(col column.Interface, values any, spare *spareRoom) {
	if col.Rows() != 0 {
		return
	}
	var n, bytes int
	switch v := values.(type) {
	case []string:
		n = len(v)
		for _, s := range v {
			bytes += len(s)
		}
	case [][]string:
		col = arrayValues(col)
		if col == nil || col.Rows() != 0 {
			return
		}
		for _, row := range v {
			n += len(row)
			for _, s := range row {
				bytes += len(s)
			}
		}
	default:
		return
	}
	c := colStr(col)
	if c == nil || n < minRoom {
		return
	}
	if cap(c.Buf)-len(c.Buf) < bytes {
		b := spare.buf(len(c.Buf) + bytes)
		if b == nil {
			b = make([]byte, 0, len(c.Buf)+bytes)
		}
		c.Buf = append(b, c.Buf...)
	}
	if cap(c.Pos)-len(c.Pos) < n {
		p := spare.positions(len(c.Pos) + n)
		if p == nil {
			p = make([]proto.Position, 0, len(c.Pos)+n)
		}
		c.Pos = append(p, c.Pos...)
	}
}

// spareRoom keeps the byte buffers and position lists of the String
// columns of inserts already sent, for the next insert's columns to fill
// instead of allocating (and zeroing) their own: an import sends insert
// after insert of the same columns, of much the same sizes. It keeps a
// few, and only large ones, so a store of small saves keeps none. A nil
// *spareRoom keeps nothing.
type spareRoom struct {
	mu   sync.Mutex
	bufs [][]byte
	pos  [][]proto.Position
}

// maxSpares bounds the buffers, and the position lists, a spareRoom
// keeps: about as many as an insert has String columns.
const maxSpares = 16

// minSpareBytes is the smallest buffer worth keeping; a position list is
// kept from as many bytes on.
const minSpareBytes = 64 << 10

// buf returns the smallest kept buffer of at least n bytes, emptied, or
// nil; it is no longer kept.
func (r *spareRoom) buf(n int) []byte {
	if r == nil {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	i := smallestFit(r.bufs, n)
	if i < 0 {
		return nil
	}
	b := r.bufs[i][:0]
	r.bufs = slices.Delete(r.bufs, i, i+1)
	return b
}

// positions returns the smallest kept position list of room for at least
// n, emptied, or nil; it is no longer kept.
func (r *spareRoom) positions(n int) []proto.Position {
	if r == nil {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	i := smallestFit(r.pos, n)
	if i < 0 {
		return nil
	}
	p := r.pos[i][:0]
	r.pos = slices.Delete(r.pos, i, i+1)
	return p
}

// smallestFit returns the index of the slice of list with the least
// capacity of at least n, or -1.
func smallestFit[T any](list [][]T, n int) int {
	best := -1
	for i, s := range list {
		if cap(s) >= n && (best < 0 || cap(s) < cap(list[best])) {
			best = i
		}
	}
	return best
}

// keep takes the buffers of the String columns among cols, and of the
// elements of the Array(String) ones, whose insert has been sent, for
// later inserts; the columns are left without them.
func (r *spareRoom) keep(cols []column.Interface) {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, col := range cols {
		c := colStr(col)
		if c == nil {
			c = colStr(arrayValues(col))
		}
		if c == nil {
			continue
		}
		if cap(c.Buf) >= minSpareBytes {
			r.bufs = keepLarger(r.bufs, c.Buf[:0])
		}
		if cap(c.Pos)*int(unsafe.Sizeof(proto.Position{})) >= minSpareBytes {
			r.pos = keepLarger(r.pos, c.Pos[:0])
		}
		c.Buf, c.Pos = nil, nil
	}
}

// keepLarger adds s to list, or in place of its smallest slice when list
// is full and that one is smaller.
func keepLarger[T any](list [][]T, s []T) [][]T {
	if len(list) < maxSpares {
		return append(list, s)
	}
	small := 0
	for i := range list {
		if cap(list[i]) < cap(list[small]) {
			small = i
		}
	}
	if cap(list[small]) < cap(s) {
		list[small] = s
	}
	return list
}

// minRoom is the fewest values worth sizing a column for: smaller columns
// grow in a few cheap steps.
const minRoom = 256

// appendStringArrays appends rows to an Array(String) column the way its
// AppendRow does, one row after another, without boxing each row and each
// of its strings in an interface: the ends of the rows go straight to the
// offsets' ch-go column and the strings to the elements'. It reports
// false, having appended nothing, for any other column or a driver laid
// out differently.
func appendStringArrays(col column.Interface, rows [][]string) bool {
	a, ok := col.(*column.Array)
	if !ok || a == nil || arrayOffsetsOffset == 0 || uint64ColOffset == 0 {
		return false
	}
	values := colStr(arrayValues(col))
	offsets := *(*[]unsafe.Pointer)(unsafe.Add(unsafe.Pointer(a), arrayOffsetsOffset))
	if values == nil || len(offsets) != 1 || offsets[0] == nil { // Array(String), not nested
		return false
	}
	ends := (*proto.ColUInt64)(unsafe.Add(unsafe.Add(offsets[0], offsetValuesOffset), uint64ColOffset))
	end := uint64(0)
	if n := len(*ends); n > 0 {
		end = (*ends)[n-1]
	}
	*ends = slices.Grow(*ends, len(rows))
	for _, row := range rows {
		for _, s := range row {
			values.Append(s)
		}
		end += uint64(len(row))
		*ends = append(*ends, end)
	}
	return true
}
