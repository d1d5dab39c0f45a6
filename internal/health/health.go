package health

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/backlash-monitor/backlash/internal/config"
)

// Rule names, as stored in source_health.problems and shown to operators.
const (
	RuleFailing   = "failing"
	RuleLayout    = "layout"
	RuleDenied    = "denied"
	RuleField     = "field"
	RuleStale     = "stale"
	RuleHighWater = "high_water"
)

// Span is the resolution of Input.Activity.
const Span = 5 * time.Minute

// Run is what one crawl run of a source saw (a crawl_runs row).
type Run struct {
	ID                     string
	Started, Finished      time.Time
	Pages, Posts, NewPosts int
	Errors                 int
	LastError              string
	HighWater              time.Time
	// Items counts the posts read (older ones too); NoText the items
	// dropped for an empty text; With counts the posts having each field
	// (title, author, time, url).
	Items, NoText int
	With          map[string]int
	// Denied counts pages refused with 401/403 (DeniedStatus the last),
	// Challenged captcha or login pages (ChallengeMarker what gave it
	// away), Unmatched pages the item selector (UnmatchedSelector) missed.
	Denied, DeniedStatus, Challenged, Unmatched int
	ChallengeMarker, UnmatchedSelector          string
}

// failed reports whether the run collected nothing because of errors.
func (r Run) failed() bool { return r.Errors > 0 && r.Posts == 0 && r.Items == 0 }

// good reports whether the run collected without trouble.
func (r Run) good() bool {
	return r.Errors == 0 && r.Unmatched == 0 && r.Denied == 0 && r.Challenged == 0
}

// Input is everything Evaluate looks at for one source.
type Input struct {
	// Source is the source's configured name.
	Source string
	// Runs are its recent runs, oldest first; the last is the run just done.
	Runs []Run
	// Activity are the starts of the Span-long spans in which the source has
	// posts with a publication time, oldest first.
	Activity []time.Time
	// Selectors name, per field (text, title, author, time, url), the
	// selector or path that reads it, for messages.
	Selectors map[string]string
	// Prev is the verdict after the previous run (zero for none).
	Prev Verdict
}

// Problem is one rule that fired.
type Problem struct {
	// Rule is the rule's name; for the field rule "field:NAME".
	Rule string
	// Detail says what the rule saw, for an operator.
	Detail string
	// Since is when the trouble began, as far as the rule can tell.
	Since time.Time
}

// Verdict is a source's health after a run.
type Verdict struct {
	Source string
	// At is when it was judged; RunID the run judged.
	At    time.Time
	RunID string
	// Problems are the rules that fired, in a stable order; none means
	// healthy.
	Problems []Problem
	// BrokenSince is when the current trouble began (zero when healthy).
	BrokenSince time.Time
	// LastGood is when the last run without trouble finished, and
	// LastGoodRun its id.
	LastGood    time.Time
	LastGoodRun string
}

// Healthy reports whether no rule fired.
func (v Verdict) Healthy() bool { return len(v.Problems) == 0 }

// Rules returns the names of the rules that fired.
func (v Verdict) Rules() []string {
	out := make([]string, len(v.Problems))
	for i, p := range v.Problems {
		out[i] = p.Rule
	}
	return out
}

// Detail joins the problems' details, one per line.
func (v Verdict) Detail() string {
	lines := make([]string, len(v.Problems))
	for i, p := range v.Problems {
		lines[i] = p.Detail
	}
	return strings.Join(lines, "\n")
}

// has reports whether the verdict has a problem for rule.
func (v Verdict) has(rule string) bool {
	for _, p := range v.Problems {
		if p.Rule == rule {
			return true
		}
	}
	return false
}

// Evaluate runs the rules on a source's history at now.
func Evaluate(cfg config.Health, in Input, now time.Time) Verdict {
	v := Verdict{Source: in.Source, At: now}
	if cfg.Off || len(in.Runs) == 0 {
		return v
	}
	last := in.Runs[len(in.Runs)-1]
	v.RunID = last.ID
	add := func(p *Problem) {
		if p != nil {
			v.Problems = append(v.Problems, *p)
		}
	}
	if !cfg.Failing.Off {
		add(failing(cfg.Failing, in.Runs))
	}
	if !cfg.Layout.Off {
		add(layout(cfg.Layout, in.Runs))
	}
	if !cfg.Denied.Off {
		add(denied(cfg.Denied, in.Runs))
	}
	if !cfg.Field.Off {
		for _, p := range fields(cfg.Field, in) {
			add(&p)
		}
	}
	if !cfg.Stale.Off {
		add(stale(cfg.Stale, in.Activity, now))
	}
	if !cfg.HighWater.Off {
		add(highWater(cfg.HighWater, in.Runs))
	}
	v.LastGood, v.LastGoodRun = in.Prev.LastGood, in.Prev.LastGoodRun
	if v.Healthy() {
		v.LastGood, v.LastGoodRun = last.Finished, last.ID
		return v
	}
	if v.LastGood.IsZero() {
		// No verdict before: the last run before this trouble that went
		// without errors.
		for i := len(in.Runs) - 2; i >= 0; i-- {
			if in.Runs[i].good() && in.Runs[i].Finished.Before(v.Problems[0].Since) {
				v.LastGood, v.LastGoodRun = in.Runs[i].Finished, in.Runs[i].ID
				break
			}
		}
	}
	if !in.Prev.Healthy() && !in.Prev.BrokenSince.IsZero() {
		v.BrokenSince = in.Prev.BrokenSince
	} else {
		v.BrokenSince = v.Problems[0].Since
		for _, p := range v.Problems[1:] {
			if p.Since.Before(v.BrokenSince) {
				v.BrokenSince = p.Since
			}
		}
	}
	return v
}

// streak returns the index where the trailing run of runs satisfying ok
// begins (len(runs) when the last does not).
func streak(runs []Run, ok func(i int) bool) int {
	i := len(runs)
	for i > 0 && ok(i-1) {
		i--
	}
	return i
}

func hm(t time.Time) string { return t.UTC().Format("Jan 2 15:04 MST") }

// Human renders a duration for an operator: "3d", "2h", "1h30m", "10m".
func Human(d time.Duration) string {
	d = d.Round(time.Minute)
	switch {
	case d >= 48*time.Hour:
		return fmt.Sprintf("%dd", int(d.Round(24*time.Hour)/(24*time.Hour)))
	case d >= time.Hour && d%time.Hour == 0:
		return fmt.Sprintf("%dh", int(d/time.Hour))
	case d >= time.Hour:
		return fmt.Sprintf("%dh%dm", int(d/time.Hour), int(d%time.Hour/time.Minute))
	}
	return fmt.Sprintf("%dm", int(d/time.Minute))
}

func failing(c config.HealthRuns, runs []Run) *Problem {
	i := streak(runs, func(i int) bool { return runs[i].failed() })
	n := len(runs) - i
	if n == 0 || n < max(c.Runs, 1) {
		return nil
	}
	last := runs[len(runs)-1]
	msg := last.LastError
	if msg == "" {
		msg = "no error recorded"
	}
	return &Problem{Rule: RuleFailing, Since: runs[i].Started,
		Detail: fmt.Sprintf("failed %d consecutive runs since %s: %s", n, hm(runs[i].Started), msg)}
}

func share(n, of int) float64 {
	if of <= 0 {
		return 0
	}
	return float64(n) / float64(of)
}

func layout(c config.HealthShare, runs []Run) *Problem {
	fires := func(r Run) bool { return r.Pages > 0 && r.Unmatched > 0 && share(r.Unmatched, r.Pages) >= c.Share }
	i := streak(runs, func(i int) bool { return fires(runs[i]) })
	if i == len(runs) {
		return nil
	}
	last := runs[len(runs)-1]
	return &Problem{Rule: RuleLayout, Since: runs[i].Started,
		Detail: fmt.Sprintf("pages fetched but no items extracted: selector %q matched nothing on %d of %d pages; the layout may have changed",
			last.UnmatchedSelector, last.Unmatched, last.Pages)}
}

func denied(c config.HealthShare, runs []Run) *Problem {
	fires := func(r Run) bool {
		n := r.Denied + r.Challenged
		return r.Pages > 0 && n > 0 && share(n, r.Pages) >= c.Share
	}
	i := streak(runs, func(i int) bool { return fires(runs[i]) })
	if i == len(runs) {
		return nil
	}
	last := runs[len(runs)-1]
	var what []string
	if last.Denied > 0 {
		what = append(what, fmt.Sprintf("HTTP %d on %d of %d pages", last.DeniedStatus, last.Denied, last.Pages))
	}
	if last.Challenged > 0 {
		what = append(what, fmt.Sprintf("a captcha or login page (%q) on %d of %d pages", last.ChallengeMarker, last.Challenged, last.Pages))
	}
	return &Problem{Rule: RuleDenied, Since: runs[i].Started,
		Detail: "access refused: " + strings.Join(what, ", ") + "; a key may have expired or the crawler is being blocked"}
}

// present returns how many of a run's items have field, and of how many.
func present(r Run, field string) (n, of int) {
	if field == "text" {
		return r.Items, r.Items + r.NoText
	}
	return r.With[field], r.Items
}

// Fields are the fields the field rule watches.
var Fields = []string{"text", "title", "author", "time", "url"}

func fields(c config.HealthField, in Input) []Problem {
	runs := in.Runs
	var out []Problem
	for _, f := range Fields {
		judged := func(r Run) bool { _, of := present(r, f); return of >= max(c.MinItems, 1) }
		missing := func(r Run) bool { n, of := present(r, f); return judged(r) && share(n, of) < c.Now }
		// The trailing streak of runs missing the field; runs too small to
		// judge neither break nor extend it.
		i := len(runs)
		for i > 0 && (missing(runs[i-1]) || !judged(runs[i-1])) {
			i--
		}
		for i < len(runs) && !missing(runs[i]) {
			i++
		}
		if i == len(runs) || !judged(runs[len(runs)-1]) {
			continue
		}
		// What the field used to be: the judged runs before the streak.
		var n, of, used int
		for j := i - 1; j >= 0 && used < max(c.BaselineRuns, 1); j-- {
			if !judged(runs[j]) {
				continue
			}
			a, b := present(runs[j], f)
			n, of, used = n+a, of+b, used+1
		}
		was := share(n, of)
		if used == 0 || was < c.Was {
			// No history left that had it: an incident already open for it
			// stays open while the field is still missing.
			if !in.Prev.has(RuleField + ":" + f) {
				continue
			}
		}
		last := runs[len(runs)-1]
		ln, lof := present(last, f)
		sel := ""
		if s := in.Selectors[f]; s != "" {
			sel = fmt.Sprintf(" (selector %q)", s)
		}
		detail := fmt.Sprintf("field %q%s present on %d of %d items", f, sel, ln, lof)
		if used > 0 {
			detail += fmt.Sprintf(", was on %.0f%% in the %d runs before", 100*was, used)
		}
		detail += "; the site may have renamed or moved it"
		out = append(out, Problem{Rule: RuleField + ":" + f, Since: runs[i].Started, Detail: detail})
	}
	return out
}

// usualGap returns the longest gap between consecutive active spans, and
// how long the activity covers.
func usualGap(act []time.Time) (gap, covered time.Duration) {
	if len(act) < 2 {
		return 0, 0
	}
	for i := 1; i < len(act); i++ {
		gap = max(gap, act[i].Sub(act[i-1]))
	}
	return gap, act[len(act)-1].Sub(act[0])
}

func stale(c config.HealthStale, act []time.Time, now time.Time) *Problem {
	if len(act) == 0 {
		return nil
	}
	act = append([]time.Time(nil), act...)
	sort.Slice(act, func(i, j int) bool { return act[i].Before(act[j]) })
	if c.Learn > 0 {
		from := now.Add(-c.Learn.D())
		k := sort.Search(len(act), func(i int) bool { return !act[i].Before(from) })
		act = act[k:]
	}
	gap, covered := usualGap(act)
	if len(act) < 2 || covered < c.MinHistory.D() {
		return nil
	}
	limit := max(c.Min.D(), time.Duration(c.Factor*float64(gap)))
	lastPost := act[len(act)-1]
	silent := now.Sub(lastPost)
	if silent <= limit {
		return nil
	}
	return &Problem{Rule: RuleStale, Since: lastPost.Add(Span),
		Detail: fmt.Sprintf("no new post since %s (%s); its longest gap over the last %s was %s",
			hm(lastPost), Human(silent), Human(covered), Human(gap))}
}

func highWater(c config.HealthRuns, runs []Run) *Problem {
	stuck := func(i int) bool {
		return i > 0 && runs[i].NewPosts > 0 && !runs[i].HighWater.After(runs[i-1].HighWater)
	}
	i := streak(runs, stuck)
	n := len(runs) - i
	if n == 0 || n < max(c.Runs, 1) {
		return nil
	}
	posts := 0
	for _, r := range runs[i:] {
		posts += r.NewPosts
	}
	return &Problem{Rule: RuleHighWater, Since: runs[i].Started,
		Detail: fmt.Sprintf("high-water mark stuck at %s over %d runs that stored %d new posts: their times may no longer parse",
			hm(runs[len(runs)-1].HighWater), n, posts)}
}

// Blind returns, per topic, since when every source feeding it has been
// broken: feeds maps a topic to its sources, and state says of a source
// whether it is broken and since when (known false for a source never
// judged, which counts as seeing). A topic with no source is not blind.
func Blind(feeds map[string][]string, state func(source string) (broken bool, since time.Time, known bool)) map[string]time.Time {
	out := map[string]time.Time{}
	for topic, srcs := range feeds {
		if len(srcs) == 0 {
			continue
		}
		var since time.Time
		blind := true
		for _, s := range srcs {
			broken, at, known := state(s)
			if !known || !broken {
				blind = false
				break
			}
			if at.After(since) {
				since = at // blind once the last of them broke
			}
		}
		if blind {
			out[topic] = since
		}
	}
	return out
}
