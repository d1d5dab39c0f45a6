package store

import (
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/ClickHouse/clickhouse-go/v2/lib/column"
)

// TestReserveRoom sizes a String and an Array(String) column for their
// values, and appending them then neither grows the columns nor changes
// what they hold.
func TestReserveRoom(t *testing.T) {
	if strColOffset == 0 || arrayValuesOffset == 0 {
		t.Fatal("the driver's String or Array column is laid out differently; inserts cannot reserve room")
	}
	n := 1000
	strs := make([]string, n)
	arrs := make([][]string, n)
	for i := range strs {
		strs[i] = fmt.Sprintf("text number %d", i)
		arrs[i] = make([]string, i%4)
		for j := range arrs[i] {
			arrs[i][j] = fmt.Sprintf("t%d-%d", i, j)
		}
	}
	s, err := column.Type("String").Column("s", nil)
	if err != nil {
		t.Fatal(err)
	}
	a, err := column.Type("Array(String)").Column("a", nil)
	if err != nil {
		t.Fatal(err)
	}
	reserveRoom(s, strs, nil)
	reserveRoom(a, arrs, nil)
	sc, ac := colStr(s), colStr(arrayValues(a))
	if sc == nil || ac == nil {
		t.Fatal("no ch-go column under the driver's columns")
	}
	sBuf, sPos, aBuf, aPos := cap(sc.Buf), cap(sc.Pos), cap(ac.Buf), cap(ac.Pos)
	if sPos < n || sBuf == 0 || aBuf == 0 || aPos == 0 {
		t.Fatalf("room not reserved: String %d bytes %d values, Array elements %d bytes %d values", sBuf, sPos, aBuf, aPos)
	}
	if _, err := s.Append(strs); err != nil {
		t.Fatal(err)
	}
	for _, row := range arrs {
		if err := a.AppendRow(row); err != nil {
			t.Fatal(err)
		}
	}
	if cap(sc.Buf) != sBuf || cap(sc.Pos) != sPos || cap(ac.Buf) != aBuf || cap(ac.Pos) != aPos {
		t.Error("the columns grew after room was reserved for their values")
	}
	for i := range strs {
		if got := s.Row(i, false).(string); got != strs[i] {
			t.Fatalf("String row %d = %q, want %q", i, got, strs[i])
		}
		if got := a.Row(i, false).([]string); fmt.Sprint(got) != fmt.Sprint(arrs[i]) {
			t.Fatalf("Array row %d = %q, want %q", i, got, arrs[i])
		}
	}
	// A column already holding rows is left as it is.
	before := cap(sc.Pos)
	reserveRoom(s, append(strs, strs...), nil)
	if cap(sc.Pos) != before {
		t.Error("room reserved in a column that already held rows")
	}
}

// TestAppendStringArrays appends Array(String) rows straight into the
// driver's columns: the column then holds what AppendRow row by row gives,
// also after rows already there, without an allocation a row; other
// columns are left to the driver.
func TestAppendStringArrays(t *testing.T) {
	if arrayOffsetsOffset == 0 || uint64ColOffset == 0 {
		t.Fatal("the driver's Array or UInt64 column is laid out differently; array columns are appended row by row")
	}
	rows := make([][]string, 600)
	for i := range rows {
		rows[i] = make([]string, i%3)
		for j := range rows[i] {
			rows[i][j] = fmt.Sprintf("term%d-%d", i, j)
		}
	}
	col := func(typ string) column.Interface {
		c, err := column.Type(typ).Column("a", nil)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	got, want := col("Array(String)"), col("Array(String)")
	for _, half := range [][][]string{rows[:250], rows[250:]} {
		if !appendStringArrays(got, half) {
			t.Fatal("an Array(String) column was not appended to")
		}
		for _, row := range half {
			if err := want.AppendRow(row); err != nil {
				t.Fatal(err)
			}
		}
	}
	if got.Rows() != len(rows) || want.Rows() != len(rows) {
		t.Fatalf("%d and %d rows, want %d", got.Rows(), want.Rows(), len(rows))
	}
	for i := range rows {
		if g, w := got.Row(i, false).([]string), want.Row(i, false).([]string); fmt.Sprint(g) != fmt.Sprint(w) || len(g) != len(rows[i]) {
			t.Fatalf("row %d = %q, want %q", i, g, w)
		}
	}
	fresh := col("Array(String)")
	reserveRoom(fresh, rows, nil)
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	appendStringArrays(fresh, rows)
	runtime.ReadMemStats(&m1)
	if allocs := m1.Mallocs - m0.Mallocs; allocs > 2 {
		t.Errorf("%d allocations appending %d rows", allocs, len(rows))
	}
	for _, typ := range []string{"Array(Array(String))", "Array(UInt32)", "String"} {
		if appendStringArrays(col(typ), rows[:3]) {
			t.Errorf("%s: appended to as Array(String)", typ)
		}
	}
}

// TestSpareRoom checks that the room of a String column sent is kept and
// given to the next column that needs as much, which then holds its own
// values, and that small room is not kept.
func TestSpareRoom(t *testing.T) {
	values := func(tag string, n int) []string {
		v := make([]string, n)
		for i := range v {
			v[i] = fmt.Sprintf("%s %d %s", tag, i, strings.Repeat("x", 100))
		}
		return v
	}
	col := func() column.Interface {
		c, err := column.Type("String").Column("s", nil)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	var spare spareRoom
	first, firstVals := col(), values("first", 5000)
	reserveRoom(first, firstVals, &spare)
	if _, err := first.Append(firstVals); err != nil {
		t.Fatal(err)
	}
	buf := colStr(first).Buf
	spare.keep([]column.Interface{first})
	if len(spare.bufs) != 1 || len(spare.pos) != 1 || colStr(first).Buf != nil {
		t.Fatalf("kept %d buffers and %d position lists; the column sent still holds its buffer: %v",
			len(spare.bufs), len(spare.pos), colStr(first).Buf != nil)
	}
	second, secondVals := col(), values("second", 4500)
	reserveRoom(second, secondVals, &spare)
	if got := colStr(second).Buf; cap(got) != cap(buf) || &got[:1][0] != &buf[:1][0] || len(spare.bufs) != 0 || len(spare.pos) != 0 {
		t.Error("the next column did not get the room kept")
	}
	if _, err := second.Append(secondVals); err != nil {
		t.Fatal(err)
	}
	for i, want := range secondVals {
		if got := second.Row(i, false).(string); got != want {
			t.Fatalf("row %d = %q, want %q", i, got, want)
		}
	}
	small := col()
	reserveRoom(small, values("small", 300), nil)
	if _, err := small.Append(values("small", 300)); err != nil {
		t.Fatal(err)
	}
	spare.keep([]column.Interface{small})
	if len(spare.bufs) != 0 {
		t.Errorf("%d buffers kept from a column of %d bytes", len(spare.bufs), len(colStr(small).Buf))
	}
}
