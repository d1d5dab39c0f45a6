package alerts

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/backlash-monitor/backlash/internal/analyzer/drivers"
	"github.com/backlash-monitor/backlash/internal/incident"
	"github.com/backlash-monitor/backlash/internal/post"
)

// Drivers limits: the window's posts read, and how far back the baseline
// reaches.
const (
	driverWindowPosts = 5000
	driverBaseline    = 7 * 24 * time.Hour
	driverTerms       = 5
	driverThemes      = 3
)

// themeView is one theme as a message shows it.
type themeView struct {
	name    string
	posts   int
	share   float64
	example post.Post
}

// found is what the evidence step read and worked out for a message.
type found struct {
	posts    []post.Post
	entities []string
	terms    []drivers.Term
	themes   []themeView
	// drivers is true when distinctive terms were looked for, among
	// negative posts.
	drivers  bool
	negative int
}

// driversEvidence ranks the window's distinctive terms against the
// topic's week before the incident (before the window of the alert that
// opened it, so that an update compares the backlash with what was said
// before it began, not with its own first hours), groups the window's negative posts into themes,
// and picks the quoted posts: each theme's representative first, then the
// themes' other posts by reach, then the widest-reaching negative posts
// outside every theme. A post not labelled negative, or one that pushes
// back on the backlash, is never quoted.
func (e *Engine) driversEvidence(ctx context.Context, sig Signal, opened time.Time, limit int) (found, error) {
	var f found
	from := sig.At.Add(-sig.Window)
	before := from
	if !opened.IsZero() && opened.Add(-sig.Window).Before(before) {
		before = opened.Add(-sig.Window)
	}
	window, err := e.ev.TopPosts(ctx, sig.Topic, "", from, sig.At, driverWindowPosts)
	if err != nil {
		return f, fmt.Errorf("alerts: drivers for %s: %w", sig.Topic, err)
	}
	// The topic's name is never a driver; its keywords are counted and are
	// drivers only when new to the topic (drivers.Options.Keywords).
	exclude := []string{sig.Topic}
	keywords := e.opts.TopicNames[sig.Topic]
	var neg []post.Post
	for _, p := range window {
		if p.Sentiment != nil && p.Sentiment.Label == "negative" {
			neg = append(neg, p)
		}
	}
	// A negative post that pushes back on the backlash ("calm down, it's
	// like 5 accounts") is no voice of it: its words are not what the
	// backlash is about, and it is never quoted.
	kept := neg[:0]
	for _, p := range neg {
		if cue, _ := drivers.PushesBack(drivers.Body(p.Title, p.Text)); cue == "" {
			kept = append(kept, p)
		}
	}
	neg = kept
	f.negative, f.drivers = len(neg), true
	// What the negative posts say that the topic did not say before the
	// incident: a window also holds the calm posts the incident is not
	// about. The week's counts are kept between alerts (drivers.Baseline).
	f.terms, err = e.baseline.Rank(ctx, sig.Topic, exclude, before.Add(-driverBaseline), before,
		drivers.CountDocs(e.opts.Tokenizer, docs(neg), exclude), drivers.Options{Exclude: exclude, Keywords: keywords, Top: driverTerms * 2})
	if err != nil {
		return f, fmt.Errorf("alerts: drivers for %s: %w", sig.Topic, err)
	}
	reach := make([]uint64, len(neg))
	for i, p := range neg {
		reach[i] = p.Reach()
	}
	ex := drivers.Exclusions{}
	for _, n := range exclude {
		ex[strings.ToLower(n)] = true
	}
	themes := drivers.Themes(e.opts.Tokenizer, texts(neg), reach, f.terms, ex, 2, driverThemes)
	quoted := map[int]bool{}
	inTheme := map[int]bool{}
	for _, th := range themes {
		f.themes = append(f.themes, themeView{name: strings.Join(th.Terms, " · "), posts: th.Posts, share: th.Share,
			example: neg[th.Example]})
		if len(f.posts) < limit {
			f.posts = append(f.posts, neg[th.Example])
			quoted[th.Example] = true
		}
		for _, i := range th.Members {
			inTheme[i] = true
		}
	}
	// Then the themes' other posts, widest reach first, and then the
	// widest-reaching negative posts outside every theme: a post many
	// people saw is evidence even when it shares no new word.
	for _, members := range []bool{true, false} {
		for i, p := range neg { // neg keeps TopPosts' order: widest reach first
			if len(f.posts) >= limit {
				break
			}
			if !quoted[i] && inTheme[i] == members {
				f.posts = append(f.posts, p)
				quoted[i] = true
			}
		}
	}
	if len(f.terms) > driverTerms {
		f.terms = f.terms[:driverTerms]
	}
	return f, nil
}

// texts are the posts' words as drivers count them: a reply's own words,
// not its thread's title.
func texts(posts []post.Post) []string {
	out := make([]string, len(posts))
	for i, p := range posts {
		out[i] = drivers.Body(p.Title, p.Text)
	}
	return out
}

// docs are the posts as drivers count them, with their authors: a term
// must be in the words of more than one author.
func docs(posts []post.Post) []drivers.Doc {
	out := make([]drivers.Doc, len(posts))
	for i, p := range posts {
		out[i] = drivers.Doc{Author: p.Author, Text: drivers.Body(p.Title, p.Text)}
	}
	return out
}

// evidenceSource reads a baseline's posts through Evidence when it cannot
// read them by version: every refresh reads the whole span again, and the
// posts already counted are recognised by their key.
type evidenceSource struct{ ev Evidence }

func (s evidenceSource) BaselinePosts(ctx context.Context, topic string, from, to time.Time, _ uint64) ([]drivers.Post, error) {
	ps, err := s.ev.TopPosts(ctx, topic, "", from, to, 1_000_000)
	if err != nil {
		return nil, err
	}
	out := make([]drivers.Post, len(ps))
	for i, p := range ps {
		out[i] = drivers.Post{Key: p.Key(), Published: p.Published, Title: p.Title, Text: p.Text}
	}
	return out, nil
}

// goodEntities keeps the entities that pass a quality bar: named in at
// least three of the posts, written the same way (capitalisation) in at
// least four of five mentions, and neither the topic's own name nor a
// posting convention such as "RT".
func goodEntities(ents []string, posts []string, topic []string) []string {
	skip := map[string]bool{"rt": true, "via": true, "cc": true, "dm": true}
	for _, t := range topic {
		skip[strings.ToLower(t)] = true
	}
	var out []string
	for _, ent := range ents {
		low := strings.ToLower(ent)
		if skip[low] || len([]rune(ent)) < 2 {
			continue
		}
		exact, any := 0, 0
		for _, p := range posts {
			if strings.Contains(strings.ToLower(p), low) {
				any++
				if strings.Contains(p, ent) {
					exact++
				}
			}
		}
		if exact >= 3 && 5*exact >= 4*any {
			out = append(out, ent)
		}
	}
	return out
}

// driversText renders the distinctive terms: "hookup 41 posts, z 8.1, 0
// in the week before", and a subject by its words and what they are
// about: "brothel, meat market (sex) 2 posts ...".
func driversText(terms []drivers.Term) string {
	parts := make([]string, len(terms))
	for i, t := range terms {
		name := "*" + Escape(t.Text) + "*"
		if t.Subject != "" {
			name = "*" + Escape(strings.ReplaceAll(t.Text, " · ", ", ")) + "* (" + Escape(t.Subject) + ")"
		}
		parts[i] = fmt.Sprintf("%s %d posts, z %.1f, %d in the week before", name, t.Posts, t.Z, t.BaselinePosts)
	}
	return "*What's new:* " + strings.Join(parts, " · ")
}

// tooEarlyText says that no term is distinctive yet, rather than showing
// one that is not.
func tooEarlyText(negative int) string {
	return fmt.Sprintf("*What's new:* nothing distinctive yet: no word or phrase of the window's %d negative posts "+
		"is in enough authors' posts, and significantly rarer in the week before and in the language in general, to say what drives it", negative)
}

// themesText renders the themes with their shares of negative posts and a
// line of each one's representative post.
func themesText(themes []themeView) string {
	var b strings.Builder
	b.WriteString("*Themes* (share of negative posts)")
	for _, th := range themes {
		fmt.Fprintf(&b, "\n• *%s* — %.0f%% (%d posts): _%s_", Escape(th.name), 100*th.share, th.posts,
			Escape(truncateRaw(th.example.Text, 140)))
	}
	return b.String()
}

// DriverStore keeps what drove each incident's messages, for analysts.
// *store.Store satisfies it; an IncidentStore that is one gets them.
type DriverStore interface {
	SaveIncidentDrivers(ctx context.Context, ds []incident.Driver) error
}

// saveDrivers stores a message's terms and themes when the incident store
// keeps drivers. A failure is logged, never fatal: the alert matters more.
func (e *Engine) saveDrivers(ctx context.Context, inc incident.Incident, sig Signal, f found) {
	ds, ok := e.st.(DriverStore)
	if !ok || len(f.terms)+len(f.themes) == 0 {
		return
	}
	var rows []incident.Driver
	base := incident.Driver{IncidentID: inc.ID, Topic: inc.Topic, At: sig.At, WindowStart: sig.At.Add(-sig.Window)}
	for i, t := range f.terms {
		d := base
		d.Kind, d.Rank, d.Text, d.Subject, d.Posts, d.BaselinePosts, d.Z, d.LogOdds = "term", i+1, t.Text, t.Subject, t.Posts, t.BaselinePosts, t.Z, t.LogOdds
		rows = append(rows, d)
	}
	for i, th := range f.themes {
		d := base
		d.Kind, d.Rank, d.Text, d.Posts, d.Share, d.Example = "theme", i+1, th.name, th.posts, th.share, th.example.Text
		rows = append(rows, d)
	}
	if err := ds.SaveIncidentDrivers(ctx, rows); err != nil {
		e.log.Warn("alerts: drivers not stored", "incident", inc.ID, "err", err)
	}
}
