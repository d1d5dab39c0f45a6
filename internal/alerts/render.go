package alerts

import (
	"fmt"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/backlash-monitor/backlash/internal/analyzer/drivers"
	"github.com/backlash-monitor/backlash/internal/config"
	"github.com/backlash-monitor/backlash/internal/incident"
	"github.com/backlash-monitor/backlash/internal/post"
)

// view is what a message about an incident shows.
type view struct {
	kind     string
	inc      incident.Incident
	sig      Signal
	rule     *config.Rule
	prevSev  incident.Severity
	prevRisk float64
	hasPrev  bool
	posts    []post.Post
	entities []string
	terms    []drivers.Term
	themes   []themeView
	drivers  bool
	negative int
	dash     string
	now      time.Time
}

// rendered is a message's Block Kit layout and its plain-text fallback.
type rendered struct {
	blocks []slack.Block
	text   string
}

var severityEmoji = map[incident.Severity]string{
	incident.SeverityWatch: ":eyes:", incident.SeverityWarn: ":warning:", incident.SeverityPage: ":rotating_light:",
}

// builder accumulates blocks and the matching plain text.
type builder struct {
	blocks []slack.Block
	text   []string
}

func (b *builder) header(s string) {
	s = Truncate(s, maxHeader)
	b.blocks = append(b.blocks, slack.NewHeaderBlock(slack.NewTextBlockObject(slack.PlainTextType, s, true, false)))
	b.text = append(b.text, s)
}

func (b *builder) section(md string) {
	md = Truncate(md, maxSectionText)
	b.blocks = append(b.blocks, slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, md, false, false), nil, nil))
	b.text = append(b.text, md)
}

func (b *builder) context(md ...string) {
	var els []slack.MixedElement
	for _, m := range md {
		if m == "" {
			continue
		}
		m = Truncate(m, maxSectionText)
		els = append(els, slack.NewTextBlockObject(slack.MarkdownType, m, false, false))
		b.text = append(b.text, m)
	}
	if len(els) > 0 {
		b.blocks = append(b.blocks, slack.NewContextBlock("", els...))
	}
}

func (b *builder) divider() { b.blocks = append(b.blocks, slack.NewDividerBlock()) }

func (b *builder) done() rendered {
	if len(b.blocks) > maxBlocks {
		b.blocks = b.blocks[:maxBlocks-1]
		b.blocks = append(b.blocks, slack.NewContextBlock("", slack.NewTextBlockObject(slack.MarkdownType, "… more in the dashboard", false, false)))
	}
	return rendered{blocks: b.blocks, text: Truncate(strings.Join(b.text, "\n"), maxText)}
}

// renderIncident renders a message about an incident.
func renderIncident(v view) rendered {
	var b builder
	sev := strings.ToUpper(string(v.inc.Severity))
	topic := v.inc.Topic
	switch v.kind {
	case KindOpen, KindReopen, KindRoute, KindParent:
		title := fmt.Sprintf("%s %s · %s: negative opinion rising", severityEmoji[v.inc.Severity], sev, topic)
		if v.kind == KindParent && v.inc.State == incident.StateResolved {
			title = fmt.Sprintf(":white_check_mark: RESOLVED · %s (peaked at %s)", topic, sev)
		}
		b.header(title)
		b.section(headline(v))
		b.section(numbers(v))
		if v.kind == KindParent {
			b.context(status(v))
		} else {
			evidence(&b, v)
		}
	case KindEscalate:
		b.section(fmt.Sprintf("%s *Escalated to %s* (was %s)\n%s", severityEmoji[v.inc.Severity], sev,
			strings.ToUpper(string(v.prevSev)), headline(v)))
		b.section(numbers(v))
		evidence(&b, v)
	case KindUpdate:
		b.section(fmt.Sprintf("*Update · %s %s*\n%s", sev, escapeName(topic), headline(v)))
		b.section(numbers(v))
		if len(v.posts) > 0 {
			v.posts = v.posts[:min(len(v.posts), 3)]
			evidence(&b, v)
		}
	case KindResolve:
		b.section(fmt.Sprintf(":white_check_mark: *Resolved · %s*\nRisk %.0f now; no rule's threshold has held since %s. Peak severity %s, open for %s.",
			escapeName(topic), v.sig.Risk, clock(v.inc.ClearSince), sev, span(v.now.Sub(v.inc.Opened))))
		b.context(dashLink(v))
	}
	if !v.sig.BlindSince.IsZero() {
		b.context(blindNote(v.sig.BlindSince))
	}
	return b.done()
}

// blindNote warns that a topic's figures are silence, not calm.
func blindNote(since time.Time) string {
	return fmt.Sprintf(":see_no_evil: *Blind since %s*: every source feeding this topic is broken, so its figures show silence, not calm.",
		clock(since))
}

// headline says which rule crossed and how risk moved.
func headline(v view) string {
	change := ""
	if v.hasPrev {
		d := v.sig.Risk - v.prevRisk
		switch {
		case d >= 0.5:
			change = fmt.Sprintf(" (▲ +%.0f)", d)
		case d <= -0.5:
			change = fmt.Sprintf(" (▼ %.0f)", d)
		default:
			change = " (unchanged)"
		}
	}
	s := fmt.Sprintf("*Risk %.0f/100*%s · rule `%s`: %s %s ≥ %s", v.sig.Risk, change, escapeName(v.inc.Rule),
		metricName(v.rule), formatValue(v.rule, v.inc.Value), formatValue(v.rule, v.inc.Threshold))
	if v.rule != nil && v.rule.For > 0 {
		s += fmt.Sprintf(" for %s", span(v.rule.For.D()))
	}
	return s
}

// numbers gives the counts that crossed.
func numbers(v view) string {
	s := v.sig
	from := s.At.Add(-s.Window)
	var b strings.Builder
	fmt.Fprintf(&b, "*Negative posts:* %d in %s (%s–%s UTC) vs %.1f expected", int(s.Observed), span(s.Window),
		from.UTC().Format("15:04"), s.At.UTC().Format("15:04"), s.Expected)
	if s.Expected > 0 {
		fmt.Fprintf(&b, " · %.1f× normal", s.NegativeRatio)
	}
	fmt.Fprintf(&b, " · z %.1f\n", s.Deviation)
	fmt.Fprintf(&b, "*Posts:* %d (%d negative) · *Authors:* %d negative of %d · *Sources:* %d · *Reach:* %s",
		s.Posts, s.Negative, s.NegativeAuthors, s.Authors, s.Sources, thousands(s.Reach))
	if s.Rated > 0 {
		fmt.Fprintf(&b, "\n*Reviews:* %d rated, %d one-star (%.0f%%)", s.Rated, s.OneStar, 100*float64(s.OneStar)/float64(s.Rated))
	}
	if len(s.Components) > 0 {
		names := make([]string, 0, len(s.Components))
		for k := range s.Components {
			names = append(names, k)
		}
		sort.Strings(names)
		parts := make([]string, len(names))
		for i, k := range names {
			parts[i] = fmt.Sprintf("%s %.0f", escapeName(k), s.Components[k])
		}
		fmt.Fprintf(&b, "\n*Risk parts:* %s", strings.Join(parts, " · "))
	}
	if c := campaign(s); c != "" {
		b.WriteString("\n" + c)
	}
	if s.ColdStart {
		b.WriteString("\n_Baseline still being learnt: expectations are rough._")
	}
	return b.String()
}

// campaign says how many negative posts share their text with other
// authors' posts, so a copy-paste campaign can be told from outrage.
func campaign(s Signal) string {
	if s.SharedPosts == 0 {
		return ""
	}
	texts := "texts"
	if s.SharedTexts == 1 {
		texts = "text"
	}
	return fmt.Sprintf("*Shared texts:* %d of %d negative posts share %d %s (%.0f%%): copies by many authors, possibly a campaign",
		s.SharedPosts, s.Negative, s.SharedTexts, texts, 100*float64(s.SharedPosts)/float64(max(s.Negative, 1)))
}

func status(v view) string {
	s := fmt.Sprintf("Open since %s · current severity *%s* · updated %s", clock(v.inc.Opened),
		strings.ToUpper(string(v.inc.Severity)), clock(v.now))
	if v.inc.State == incident.StateResolved {
		s = fmt.Sprintf("Resolved at %s after %s", clock(v.inc.Resolved), span(v.inc.Resolved.Sub(v.inc.Opened)))
	}
	if l := dashLink(v); l != "" {
		s += " · " + l
	}
	return s
}

// evidence quotes the top negative posts, terms and entities.
func evidence(b *builder, v view) {
	if len(v.terms) > 0 {
		b.divider()
		b.section(driversText(v.terms))
	} else if v.drivers {
		b.divider()
		b.section(tooEarlyText(v.negative))
	}
	if len(v.themes) > 0 {
		b.section(themesText(v.themes))
	}
	if len(v.posts) > 0 {
		b.divider()
		b.section("*Top negative posts*")
		for _, p := range v.posts {
			b.section(quotePost(p))
		}
	}
	var terms []string
	if len(v.terms) == 0 && !v.drivers {
		terms = topTerms(v.posts, 8) // without drivers, the quoted posts' sentiment terms
	}
	var ctx []string
	if len(terms) > 0 {
		ctx = append(ctx, "*Top negative terms:* "+joinEscaped(terms))
	}
	if len(v.entities) > 0 {
		ctx = append(ctx, "*Named:* "+joinEscaped(v.entities[:min(len(v.entities), 8)]))
	}
	b.context(ctx...)
	b.context(dashLink(v), "Incident `"+escapeName(v.inc.ID)+"`")
}

// quotePost renders one post: author, source, time, reach, link and text.
func quotePost(p post.Post) string {
	author := Escape(p.Author)
	if author == "" {
		author = "someone"
	}
	who := "*" + author + "*"
	if u := linkURL(p.URL); u != "" {
		who = "<" + u + "|" + Truncate(author, 80) + ">"
	}
	text := p.Text
	if text == "" {
		text = p.Title
	}
	return fmt.Sprintf("%s on %s · %s · reach %s\n>%s", who, Escape(p.Source), p.Published.UTC().Format("Jan 2 15:04 UTC"),
		thousands(p.Reach()), Escape(truncateRaw(text, maxPostChars)))
}

// truncateRaw shortens crawled text before escaping.
func truncateRaw(s string, n int) string { return Truncate(strings.Join(strings.Fields(s), " "), n) }

func joinEscaped(xs []string) string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = Escape(x)
	}
	return strings.Join(out, ", ")
}

// topTerms counts the posts' sentiment terms, most frequent first.
func topTerms(posts []post.Post, n int) []string {
	count := map[string]int{}
	first := map[string]int{}
	i := 0
	for _, p := range posts {
		if p.Sentiment == nil {
			continue
		}
		for _, t := range p.Sentiment.Terms {
			t = strings.ToLower(strings.TrimSpace(t))
			if t == "" {
				continue
			}
			if _, ok := first[t]; !ok {
				first[t] = i
				i++
			}
			count[t]++
		}
	}
	terms := make([]string, 0, len(count))
	for t := range count {
		terms = append(terms, t)
	}
	sort.Slice(terms, func(a, b int) bool {
		if count[terms[a]] != count[terms[b]] {
			return count[terms[a]] > count[terms[b]]
		}
		return first[terms[a]] < first[terms[b]]
	})
	return terms[:min(len(terms), n)]
}

// dashLink links to the topic's dashboard page over the signal's window.
func dashLink(v view) string {
	u := dashboardURL(v.dash, v.inc.Topic, v.sig.At.Add(-v.sig.Window), v.sig.At)
	if u == "" {
		return ""
	}
	return "<" + linkURL(u) + "|Open " + escapeName(v.inc.Topic) + " in the dashboard>"
}

// dashboardURL is base + /topics/{topic}?from=..&to=.., or "" without base.
func dashboardURL(base, topic string, from, to time.Time) string {
	if base == "" {
		return ""
	}
	q := url.Values{}
	q.Set("from", from.UTC().Format(time.RFC3339))
	q.Set("to", to.UTC().Format(time.RFC3339))
	return strings.TrimRight(base, "/") + "/topics/" + url.PathEscape(topic) + "?" + q.Encode()
}

func metricName(r *config.Rule) string {
	if r == nil {
		return "value"
	}
	return strings.ReplaceAll(r.Metric, "_", " ")
}

func formatValue(r *config.Rule, x float64) string {
	if r != nil && r.Metric == "negative_ratio" {
		return fmt.Sprintf("%.1f×", x)
	}
	if r != nil && r.Metric == "deviation" {
		return fmt.Sprintf("%.1f", x)
	}
	return fmt.Sprintf("%.0f", x)
}

func clock(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.UTC().Format("Jan 2 15:04 UTC")
}

// span writes a duration briefly: 45m, 2h, 3h10m, 2d.
func span(d time.Duration) string {
	d = d.Round(time.Minute)
	switch {
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	case d%(24*time.Hour) == 0:
		return fmt.Sprintf("%dd", int(d.Hours()/24))
	case d%time.Hour == 0:
		return fmt.Sprintf("%dh", int(d.Hours()))
	default:
		return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
	}
}

func thousands(n uint64) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
