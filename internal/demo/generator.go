package demo

import (
	"math"
	"math/rand/v2"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// generator builds a scenario's items from its components and texts.
type generator struct {
	s       *Scenario
	lib     *library
	rng     *rand.Rand
	pools   map[string]poolMeta
	decks   map[string]*deck
	authors *authorPool
	drafts  []draft
	// early holds the media_share texts that do not yet mention the
	// state-media condemnation, for use before it is published.
	early []string
}

// draft is an item before ids, threads and engagement are assigned.
type draft struct {
	Item
	wave      bool   // written during a wave of outrage: more engagement
	newThread string // forum: open a new thread with this title
}

// deck deals a pool's texts in a shuffled order, reshuffling when it runs
// out, so every text is used before any is repeated.
type deck struct {
	order []int
	pos   int
	cycle int
}

// newGenerator prepares a generator for s.
func newGenerator(s *Scenario, lib *library) *generator {
	seed := uint64(s.opts.Seed)
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	g := &generator{
		s:       s,
		lib:     lib,
		rng:     rng,
		pools:   postPools(),
		decks:   map[string]*deck{},
		authors: newAuthorPool(rng, 700, 9000, s.loc.names),
	}
	for _, x := range lib.posts[StanceMediaShare] {
		if !s.loc.mentionsStateMedia(x) {
			g.early = append(g.early, x)
		}
	}
	return g
}

// mentionsStateMedia reports whether text refers to the state-media
// condemnation, which no one can mention before it is published.
func (l *locale) mentionsStateMedia(text string) bool {
	t := strings.ToLower(text)
	for _, m := range l.stateMedia {
		if strings.Contains(t, m) {
			return true
		}
	}
	return false
}

// deal returns the next index into a pool of n texts and how many times the
// pool has been dealt through before.
func (g *generator) deal(pool string, n int) (int, int) {
	d := g.decks[pool]
	if d == nil {
		d = &deck{order: g.rng.Perm(n), cycle: -1}
		d.pos = n
		g.decks[pool] = d
	}
	if d.pos >= len(d.order) {
		g.rng.Shuffle(len(d.order), func(i, j int) { d.order[i], d.order[j] = d.order[j], d.order[i] })
		d.pos = 0
		d.cycle++
	}
	i := d.order[d.pos]
	d.pos++
	return i, d.cycle
}

// topicName returns the topic name for a pool kind.
func (l *locale) topicName(k topicKind) string {
	switch k {
	case kindBacklash:
		return l.backlashTopic
	case kindCalm:
		return l.calmTopic
	}
	return ""
}

// run generates, orders and finishes every item.
func (g *generator) run() []Item {
	s := g.s
	const slot = 5 * time.Minute
	comps := s.components()
	for t := s.opts.Start; t.Before(s.end); t = t.Add(slot) {
		mid := t.Add(slot / 2)
		for _, c := range comps {
			n := poisson(g.rng, c.rate(mid)*s.opts.Scale*slot.Hours())
			for range n {
				at := t.Add(time.Duration(g.rng.Int64N(int64(slot)))).Truncate(time.Second)
				g.post(c, at, pick(g.rng, c.mix(mid)))
			}
		}
	}
	g.articles()
	g.company()
	ds := g.drafts
	sort.SliceStable(ds, func(i, j int) bool { return ds[i].Published.Before(ds[j].Published) })
	return g.finish(ds)
}

// post drafts one user post of the given stance at t.
func (g *generator) post(c component, at time.Time, stance string) {
	meta := g.pools[stance]
	pool, texts := stance, g.lib.posts[stance]
	if stance == StanceMediaShare && at.Before(g.s.stateMedia) {
		pool, texts = stance+"/early", g.early
	}
	i, _ := g.deal(pool, len(texts))
	ch := ChannelForum
	if g.rng.Float64() < c.apiShare {
		ch = ChannelAPI
	}
	author := g.authors.pick(g.rng, c.wave)
	d := draft{Item: Item{
		Channel:   ch,
		Topic:     g.s.loc.topicName(meta.kind),
		Author:    author,
		Text:      g.vary(texts[i], stance, meta, ch),
		Published: at,
		Stance:    stance,
		Sentiment: meta.sentiment,
		Phase:     g.s.PhaseAt(at),
	}, wave: c.wave}
	if ch == ChannelAPI {
		d.Followers = g.authors.followers[author]
	}
	g.drafts = append(g.drafts, d)
}

// vary lightly rewords a text the way people do when they say the same thing:
// a filler word in front, a tag or emoji at the end, a typo, a hashtag. None
// of it changes what the text means or which topic it is about.
func (g *generator) vary(text, stance string, meta poolMeta, ch string) string {
	r, loc := g.rng, g.s.loc
	if r.Float64() < 0.12 {
		p := loc.prefixes[r.IntN(len(loc.prefixes))]
		first, size := utf8.DecodeRuneInString(text)
		second, _ := utf8.DecodeRuneInString(text[size:])
		if unicode.IsUpper(first) && unicode.IsLower(second) {
			text = string(unicode.ToLower(first)) + text[size:]
		}
		text = p + text
	}
	switch x := r.Float64(); {
	case x < 0.08:
		text += loc.suffixes[r.IntN(len(loc.suffixes))]
	case x < 0.15:
		if emoji := loc.emoji[meta.sentiment]; len(emoji) > 0 {
			text += emoji[r.IntN(len(emoji))]
		}
	}
	if r.Float64() < 0.05 && loc.typos {
		text = typo(r, text)
	}
	if ch == ChannelAPI && !strings.Contains(text, "#") {
		switch {
		case stance == StanceBoycott && r.Float64() < 0.3:
			text += loc.boycottTag
		case meta.kind == kindCalm && r.Float64() < 0.1:
			text += loc.calmTag
		}
	}
	return text
}

// typo swaps two adjacent letters in one longer word that carries no topic
// keyword.
func typo(r *rand.Rand, text string) string {
	words := strings.Split(text, " ")
	var cands []int
	for i, w := range words {
		lw := strings.ToLower(w)
		if len(w) < 5 || strings.ContainsFunc(w, func(c rune) bool { return c > unicode.MaxASCII || !unicode.IsLetter(c) }) {
			continue
		}
		protected := false
		for _, k := range []string{"moment", "travel", "card", "paywise", "brothel", "boycott", "delete", "market", "magic"} {
			protected = protected || strings.Contains(lw, k)
		}
		if !protected {
			cands = append(cands, i)
		}
	}
	if len(cands) == 0 {
		return text
	}
	i := cands[r.IntN(len(cands))]
	b := []byte(words[i])
	j := 1 + r.IntN(len(b)-2)
	b[j], b[j+1] = b[j+1], b[j]
	words[i] = string(b)
	return strings.Join(words, " ")
}

// handleOf turns an outlet's name into a microblog handle.
func handleOf(name string) string {
	return strings.Map(func(c rune) rune {
		if unicode.IsLetter(c) || unicode.IsDigit(c) {
			return c
		}
		return -1
	}, name)
}

// articles schedules every article once, in its pool's window, and has its
// outlet post it on the microblog a few minutes later.
func (g *generator) articles() {
	s := g.s
	windows := []struct {
		pool     string
		from, to time.Time
		first    time.Time // when set, the pool's first article appears exactly then
	}{
		{"article_launch", s.launch.Add(2 * time.Hour), s.onset, time.Time{}},
		{"article_outrage", s.onset.Add(3 * time.Hour), s.apology, time.Time{}},
		{"article_statemedia", s.stateMedia.Add(2 * time.Hour), s.apology.Add(4 * time.Hour), s.stateMedia},
		{"article_apology", s.apology.Add(20 * time.Minute), s.removal.Add(6 * time.Hour), time.Time{}},
		{"article_removal", s.removal.Add(2 * time.Hour), s.end.Add(-12 * time.Hour), s.removal.Add(30 * time.Minute)},
		{"article_calm", s.opts.Start, s.end, time.Time{}},
		{"article_offtopic", s.opts.Start.Add(6 * time.Hour), s.end, s.opts.Start},
	}
	kinds := articlePools()
	for _, w := range windows {
		arts := g.lib.articles[w.pool]
		rest := arts
		var times []time.Time
		if !w.first.IsZero() {
			times = append(times, w.first)
			rest = arts[1:]
		}
		span := w.to.Sub(w.from) / time.Duration(max(len(rest), 1))
		for i := range rest {
			times = append(times, g.daytime(w.from.Add(span*time.Duration(i)), span))
		}
		for i, a := range arts {
			at := times[i]
			topic := s.loc.topicName(kinds[w.pool])
			g.drafts = append(g.drafts, draft{Item: Item{
				Channel: ChannelFeed, Topic: topic, Title: a.Title, Author: a.Outlet, Text: a.Text,
				Published: at, Stance: StanceArticle, Phase: s.PhaseAt(at),
			}})
			posted := at.Add(time.Duration(2+g.rng.IntN(9)) * time.Minute)
			if !posted.Before(s.end) {
				continue
			}
			g.drafts = append(g.drafts, draft{Item: Item{
				Channel: ChannelAPI, Topic: topic, Author: handleOf(a.Outlet), Text: a.Title + ": " + a.Text,
				Published: posted, Stance: StanceArticle, Phase: s.PhaseAt(posted),
				Followers: s.loc.outletFollowers(a.Outlet),
			}, wave: kinds[w.pool] == kindBacklash && !at.Before(s.onset)})
		}
	}
}

// daytime returns a time in [from, from+span), preferring busy hours.
func (g *generator) daytime(from time.Time, span time.Duration) time.Time {
	var t time.Time
	for range 30 {
		t = from.Add(time.Duration(g.rng.Int64N(int64(span)))).Truncate(time.Second)
		if g.rng.Float64()*1.9 < diurnal(t) {
			break
		}
	}
	return t
}

// company drafts the company's statements on the microblog and the forum,
// and the standing posts that are there from the start: the forum's pinned
// welcome and the support account's pinned post.
func (g *generator) company() {
	s, loc := g.s, g.s.loc
	start := s.opts.Start
	g.drafts = append(g.drafts,
		draft{Item: Item{
			Channel: ChannelForum, Author: loc.moderator, Text: g.lib.company["welcome_forum"],
			Published: start, Stance: StanceCompany, Phase: s.PhaseAt(start),
		}, newThread: loc.welcomeTitle},
		draft{Item: Item{
			Channel: ChannelAPI, Author: loc.help, Text: g.lib.company["welcome_api"],
			Published: start, Stance: StanceCompany, Phase: s.PhaseAt(start), Followers: 86_000,
		}})
	for _, e := range []struct {
		key string
		at  time.Time
	}{
		{"launch", s.launch},
		{"apology", s.apology},
		{"removal", s.removal},
	} {
		text := g.lib.company[e.key]
		base := Item{Topic: loc.backlashTopic, Text: text, Stance: StanceCompany, Phase: s.PhaseAt(e.at)}
		api := base
		api.Channel, api.Author, api.Published, api.Followers = ChannelAPI, loc.company, e.at, 1_250_000
		forum := base
		forum.Channel, forum.Author, forum.Published = ChannelForum, loc.companyForum, e.at.Add(4*time.Minute)
		wave := e.key != "launch"
		g.drafts = append(g.drafts, draft{Item: api, wave: wave}, draft{Item: forum, wave: wave, newThread: loc.statementTitles[e.key]})
	}
}

// thread is a forum thread while replies are being assigned.
type thread struct {
	root  string
	title string
	last  time.Time
	posts []string
}

// finish assigns ids, forum threads and replies, microblog reposts and
// engagement, in publication order.
func (g *generator) finish(ds []draft) []Item {
	r, loc := g.rng, g.s.loc
	items := make([]Item, 0, len(ds))
	var nForum, nAPI, nFeed int
	open := map[string][]*thread{} // by topic
	children := map[string]int{}
	index := map[string]int{} // id -> position in items
	var recentAPI []int       // positions of recent original backlash microblog posts
	for _, d := range ds {
		it := d.Item
		switch it.Channel {
		case ChannelFeed:
			nFeed++
			it.ID = idString("news-", 1000, nFeed)
			it.URL = "/news/a/" + it.ID
		case ChannelAPI:
			nAPI++
			it.ID = idString("", 1834000000, nAPI)
			it.URL = "/api/posts/" + it.ID
			if d.wave && it.Topic == loc.backlashTopic && it.Stance != StanceArticle && it.Stance != StanceCompany && r.Float64() < 0.12 {
				if j, ok := g.repostOf(items, recentAPI, it.Published); ok {
					orig := items[j]
					it.Text = loc.repost(orig.Author, orig.Text)
					it.Stance, it.Sentiment, it.Thread = orig.Stance, orig.Sentiment, orig.ID
				}
			}
			g.engageAPI(&it, d.wave)
			if it.Topic == loc.backlashTopic && it.Thread == "" {
				recentAPI = append(recentAPI, len(items))
				if len(recentAPI) > 400 {
					recentAPI = recentAPI[len(recentAPI)-200:]
				}
			}
		case ChannelForum:
			nForum++
			it.ID = idString("p", 100000, nForum)
			it.URL = "/forum/p/" + it.ID
			th := g.chooseThread(open[it.Topic], d, it.Published)
			if th == nil {
				title := d.newThread
				if title == "" {
					title = g.threadTitle(it)
				}
				th = &thread{root: it.ID, title: title}
				open[it.Topic] = append(pruneThreads(open[it.Topic], it.Published), th)
			} else if r.Float64() < 0.55 || len(th.posts) == 1 {
				it.ParentID = th.root
			} else {
				it.ParentID = th.posts[1+r.IntN(len(th.posts)-1)]
			}
			if it.ParentID != "" {
				children[it.ParentID]++
			}
			th.posts = append(th.posts, it.ID)
			th.last = it.Published
			it.Thread, it.Title = th.root, th.title
			mu := 0.6
			if d.wave {
				mu = 1.7
			}
			if it.ParentID == "" {
				mu += 0.6
			}
			if it.Stance == StanceCompany {
				mu += 3
			}
			it.Likes = max(int(math.Exp(mu+0.9*r.NormFloat64()))-1, 0)
		}
		index[it.ID] = len(items)
		items = append(items, it)
	}
	for id, n := range children {
		items[index[id]].Replies = n
	}
	return items
}

// engageAPI sets a microblog post's likes, reposts and replies from its
// author's following; outrage spreads further.
func (g *generator) engageAPI(it *Item, wave bool) {
	r := g.rng
	mu := 0.45 * math.Log1p(float64(it.Followers))
	share := 0.05 + 0.2*r.Float64()
	if wave {
		mu++
		share = 0.2 + 0.5*r.Float64()
	}
	if it.Author == g.s.loc.stateMediaHandle || it.Stance == StanceCompany {
		share += 0.5
	}
	likes := math.Exp(mu + r.NormFloat64())
	it.Likes = int(likes)
	it.Shares = int(likes * share)
	it.Replies = int(likes * (0.03 + 0.17*r.Float64()))
	if it.Stance == StanceCompany && wave {
		it.Replies = int(likes * 0.8) // ratioed
	}
}

// repostOf picks a recent, well-liked backlash post to repost.
func (g *generator) repostOf(items []Item, recent []int, at time.Time) (int, bool) {
	best, bestScore := -1, 0.0
	for k := 0; k < 6 && len(recent) > 0; k++ {
		j := recent[len(recent)-1-g.rng.IntN(min(len(recent), 120))]
		if at.Sub(items[j].Published) > 8*time.Hour || strings.HasPrefix(items[j].Text, g.s.loc.repostMark) {
			continue
		}
		if sc := float64(items[j].Likes+1) * g.rng.Float64(); sc > bestScore {
			best, bestScore = j, sc
		}
	}
	return best, best >= 0
}

// chooseThread picks an open thread of the same topic to reply in, favouring
// recent, busy threads, or returns nil to start a new one.
func (g *generator) chooseThread(ths []*thread, d draft, at time.Time) *thread {
	if d.newThread != "" {
		return nil
	}
	pNew := 0.18
	if d.wave {
		pNew = 0.08
	}
	if g.rng.Float64() < pNew {
		return nil
	}
	total := 0.0
	ws := make([]float64, len(ths))
	for i, th := range ths {
		age := at.Sub(th.last)
		if age > 36*time.Hour {
			continue
		}
		ws[i] = math.Exp(-age.Hours()/6) * math.Sqrt(float64(1+len(th.posts)))
		total += ws[i]
	}
	if total == 0 {
		return nil
	}
	x := g.rng.Float64() * total
	for i, w := range ws {
		if x < w {
			return ths[i]
		}
		x -= w
	}
	return nil
}

// pruneThreads drops threads nobody has posted in for two days.
func pruneThreads(ths []*thread, at time.Time) []*thread {
	out := ths[:0]
	for _, th := range ths {
		if at.Sub(th.last) < 48*time.Hour {
			out = append(out, th)
		}
	}
	return out
}

// threadTitle chooses a title for a new thread opened by it: a hand-written
// one while they last, then the opening words of the post itself.
func (g *generator) threadTitle(it Item) string {
	pool := "title_offtopic"
	switch it.Topic {
	case g.s.loc.backlashTopic:
		switch {
		case it.Published.Before(g.s.onset):
			pool = "title_launch"
		case it.Published.Before(g.s.apology):
			pool = "title_outrage"
		default:
			pool = "title_after"
		}
	case g.s.loc.calmTopic:
		pool = "title_calm"
	}
	titles := g.lib.titles[pool]
	i, cycle := g.deal(pool, len(titles))
	if cycle == 0 {
		return titles[i]
	}
	return g.s.loc.headline(it.Text)
}

// headline shortens a post to a thread title: its first sentence, at most
// about sixty characters, cut at a word.
func headline(text string) string {
	t := text
	if i := strings.IndexAny(t, ".?!"); i > 15 {
		t = t[:i+1]
	}
	if len(t) <= 64 {
		return t
	}
	cut := strings.LastIndex(t[:60], " ")
	if cut < 20 {
		cut = 60
	}
	for !utf8.ValidString(t[:cut]) {
		cut--
	}
	return strings.TrimRight(t[:cut], " ,;:") + "…"
}
