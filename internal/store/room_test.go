package store

import (
	"fmt"
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
	reserveRoom(s, strs)
	reserveRoom(a, arrs)
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
	reserveRoom(s, append(strs, strs...))
	if cap(sc.Pos) != before {
		t.Error("room reserved in a column that already held rows")
	}
}
