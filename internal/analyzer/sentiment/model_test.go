package sentiment

import "testing"

// TestHalfRows checks that a two-class model's one-byte rows give the
// same sums and feature weights as its full rows, including rows whose
// weights are not opposite (kept in W) and the int8 extremes.
func TestHalfRows(t *testing.T) {
	rows := [][2]int8{{0, 0}, {-5, 5}, {7, -7}, {-127, 127}, {127, -127}, {-128, 127}, {127, -128},
		{-128, -128}, {3, 4}, {-2, 0}, {0, 1}, {-128, 0}}
	m := &linear{Classes: []string{"negative", "positive"}}
	for _, r := range rows {
		m.W = append(m.W, byte(r[0]), byte(r[1]))
	}
	m.packHalf()
	sc := &scratch{}
	for i := range rows {
		for j := range rows {
			sc.feats = append(sc.feats[:0], feat{idx: uint32(i)}, feat{idx: uint32(j)}, feat{idx: uint32(i)})
			var want [maxClasses]int32
			m.sumRows(sc, 2, &want)
			wantD := []int16{sc.feats[0].d, sc.feats[1].d, sc.feats[2].d}
			var got [maxClasses]int32
			m.sumHalf(sc, &got)
			if got != want {
				t.Fatalf("rows %v %v: sums %v, want %v", rows[i], rows[j], got[:2], want[:2])
			}
			for k, d := range wantD {
				if sc.feats[k].d != d {
					t.Fatalf("rows %v %v: feature %d weight %d, want %d", rows[i], rows[j], k, sc.feats[k].d, d)
				}
			}
		}
	}
}
