package sentiment

// Options configures a Scorer. The zero value is usable.
type Options struct {
	// Lexicons lists paths of extra YAML lexicons, applied in order after
	// the base and brand lexicons; later entries override earlier ones.
	Lexicons []string
	// PositiveCutoff is the compound score at or above which a post is
	// labelled positive. Zero means the VADER default 0.05.
	PositiveCutoff float64
	// NegativeCutoff is the compound score at or below which a post is
	// labelled negative. Zero means the VADER default -0.05.
	NegativeCutoff float64
	// RulesOnly scores with the lexicon rules alone, English only, as
	// before the learned models; for comparisons and rule tests.
	RulesOnly bool
	// Model is the path of a model file to use instead of the embedded
	// one (as written by `go run ./internal/analyzer/sentiment/train -out FILE`).
	Model string
}

func (o Options) cutoffs() (pos, neg float64) {
	pos, neg = o.PositiveCutoff, o.NegativeCutoff
	if pos == 0 {
		pos = 0.05
	}
	if neg == 0 {
		neg = -0.05
	}
	return pos, neg
}
