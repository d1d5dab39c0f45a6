package detect

import "math"

// The relative-entropy test (after Wang et al., "Statistical techniques
// for online anomaly detection in data centers", 2011): the histogram of
// the last reW values is compared with a set of reference histograms, each
// a window the series has shown before. The statistic 2·W·KL(P‖Q) of the
// current histogram P against a reference Q is χ² with reBins−1 degrees of
// freedom when the window is drawn from Q, so its χ² tail probability
// against the closest established reference says how new the window's
// distribution of values is. A window that matches no reference becomes
// one; a reference is established once windows have matched it for
// reEstablish buckets, so a new state of the series scores while it is
// new and is accepted as normal once it has lasted.
const (
	reW         = 48    // window, in buckets
	reBins      = 5     // histogram bins (χ² with 4 degrees of freedom)
	reMaxRefs   = 32    // most references kept; the least matched is dropped
	reEstablish = 48    // matches before a reference counts as normal
	reMatch     = 13.28 // χ²₄ at 0.99: a window this close matches a reference
	reSmooth    = 0.5   // pseudo-count per bin
	// reAgree is the score the other members must give a bucket before
	// the relative-entropy test can raise it: alone, a new histogram is
	// too common on noisy counts (a quiet night, a calm day's first busy
	// hour) to alert on.
	reAgree = 0.25
)

// reInvDen is 1 over the smoothed count of a window, and reLogP[c] is
// p·log p for the smoothed share p of a bin holding c of its values.
const reInvDen = 1 / (float64(reW) + reSmooth*reBins)

var reLogP = func() (plogp [reW + 1]float64) {
	for c := range plogp {
		p := (float64(c) + reSmooth) * reInvDen
		plogp[c] = p * math.Log(p)
	}
	return plogp
}()

type reRef struct {
	vals  *[reW]float64 // the window's values, to rebin when the range grows
	logq  [reBins]float64
	cross float64 // Σ over bins of the current window's smoothed count × logq
	mean  float64
	n     int // windows matched (including the one that created it)
	stamp int64
}

type relEntropy struct {
	win      [reW]float64
	bins     [reW]int8
	pos, cnt int
	hist     [reBins]int
	lo, hi   float64
	sum      float64
	refs     []reRef
	t        int64
}

func (r *relEntropy) bin(v float64) int8 {
	if !(r.hi > r.lo) {
		return 0
	}
	b := int((v - r.lo) / (r.hi - r.lo) * reBins)
	if b >= reBins {
		b = reBins - 1
	}
	if b < 0 {
		b = 0
	}
	return int8(b)
}

func (r *relEntropy) rebin() {
	r.hist = [reBins]int{}
	for i := 0; i < r.cnt; i++ {
		r.bins[i] = r.bin(r.win[i])
		r.hist[r.bins[i]]++
	}
	for k := range r.refs {
		r.refs[k].setHist(r)
	}
}

func (q *reRef) setHist(r *relEntropy) {
	var h [reBins]float64
	for _, v := range q.vals {
		h[r.bin(v)]++
	}
	for b := range h {
		q.logq[b] = math.Log((h[b] + reSmooth) * reInvDen)
	}
	q.setCross(r)
}

func (q *reRef) setCross(r *relEntropy) {
	q.cross = 0
	for b, c := range r.hist {
		q.cross += (float64(c) + reSmooth) * q.logq[b]
	}
}

// update adds v and returns the χ² statistic of the current window against
// the closest established reference (0 until the window is full or no
// reference is established), and the mean of the window minus that
// reference's mean.
func (r *relEntropy) update(v float64) (stat, rise float64) {
	r.t++
	if r.cnt == 0 || v < r.lo || v > r.hi {
		if r.cnt == 0 {
			r.lo, r.hi = v, v
		}
		r.lo, r.hi = math.Min(r.lo, v), math.Max(r.hi, v)
		if r.cnt < reW {
			r.win[r.cnt] = v
			r.cnt++
			r.sum += v
		} else {
			r.sum += v - r.win[r.pos]
			r.win[r.pos] = v
			r.pos = (r.pos + 1) % reW
		}
		r.rebin()
	} else {
		b := r.bin(v)
		if r.cnt < reW {
			r.win[r.cnt], r.bins[r.cnt] = v, b
			r.cnt++
			r.sum += v
		} else {
			a := r.bins[r.pos]
			r.hist[a]--
			r.sum += v - r.win[r.pos]
			r.win[r.pos], r.bins[r.pos] = v, b
			r.pos = (r.pos + 1) % reW
			if a != b {
				for k := range r.refs {
					q := &r.refs[k]
					q.cross += q.logq[b] - q.logq[a]
				}
			}
		}
		r.hist[b]++
	}
	if r.cnt < reW {
		return 0, 0
	}
	var plogp float64
	for _, c := range r.hist {
		plogp += reLogP[c]
	}
	bestAll, iAll := math.Inf(1), -1
	bestEst, iEst := math.Inf(1), -1
	for k := range r.refs {
		q := &r.refs[k]
		kl := plogp - q.cross*reInvDen
		if kl < bestAll {
			bestAll, iAll = kl, k
		}
		if q.n >= reEstablish && kl < bestEst {
			bestEst, iEst = kl, k
		}
	}
	mean := r.sum / reW
	if iEst >= 0 {
		stat = 2 * reW * bestEst
		rise = mean - r.refs[iEst].mean
	}
	if iAll >= 0 && 2*reW*bestAll <= reMatch {
		r.refs[iAll].n++
		r.refs[iAll].stamp = r.t
	} else {
		r.addRef(mean)
	}
	return stat, rise
}

func (r *relEntropy) addRef(mean float64) {
	q := reRef{vals: new([reW]float64)}
	for i := 0; i < reW; i++ {
		q.vals[i] = r.win[(r.pos+i)%reW]
	}
	q.mean, q.n, q.stamp = mean, 1, r.t
	q.setHist(r)
	if len(r.refs) < reMaxRefs {
		r.refs = append(r.refs, q)
		return
	}
	// Drop the reference matched least recently.
	j := 0
	for k := range r.refs {
		if r.refs[k].stamp < r.refs[j].stamp {
			j = k
		}
	}
	r.refs[j] = q
}

// chi2Score4 is the score of a χ² statistic with 4 degrees of freedom:
// −log10 of its tail probability e^{−x/2}(1+x/2), over scoreDecad.
func chi2Score4(x float64) float64 {
	if x <= 0 {
		return 0
	}
	lp := (x/2 - math.Log1p(x/2)) / math.Ln10
	return math.Min(1, lp/scoreDecad)
}
