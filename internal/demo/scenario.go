package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// Channels an item can be published on.
const (
	// ChannelForum is the HTML forum: threads with nested replies.
	ChannelForum = "forum"
	// ChannelFeed is the RSS 2.0 news and blog feed.
	ChannelFeed = "feed"
	// ChannelAPI is the microblog's JSON search API.
	ChannelAPI = "api"
)

// Topic names, as the demo configuration declares them.
const (
	// BacklashTopic is the social feature that the public turns against.
	BacklashTopic = "paywise-moments"
	// CalmTopic is the travel card, talked about steadily throughout.
	CalmTopic = "paywise-travel-card"
)

// Phases of the scenario, as reported by Item.Phase and Scenario.PhaseAt.
const (
	// PhaseCalm runs from the start to the onset: launch chatter only.
	PhaseCalm = "calm"
	// PhaseEscalation runs from the onset to the company's apology.
	PhaseEscalation = "escalation"
	// PhaseApology runs from the apology to the feature's removal.
	PhaseApology = "apology"
	// PhaseDecay runs from the removal to the end, while outrage fades.
	PhaseDecay = "decay"
)

// Offsets of the scenario's events. The onset is relative to the end of the
// calm days; the rest are relative to the onset.
const (
	launchAfterStart   = 9 * time.Hour
	onsetAfterCalmDays = 11 * time.Hour
	peakAfterOnset     = 9 * time.Hour
	stateMediaAfter    = 22 * time.Hour
	apologyAfter       = 27 * time.Hour
	removalAfter       = 33 * time.Hour
	daysAfterCalm      = 5
)

// Options configures a scenario. The zero value gives the default scenario.
type Options struct {
	// Start is when simulated time begins (default 2026-03-02T00:00Z, a
	// Monday). The feature launches nine hours later. The daily cycle
	// follows the hours of the day in UTC.
	Start time.Time
	// CalmDays is how many days pass before the backlash begins (default 4).
	CalmDays int
	// Scale multiplies every post volume (default 1: roughly 150-400 posts
	// a day while calm and about ten times that rate at the peak).
	Scale float64
	// Seed makes the scenario reproducible: equal options give equal items.
	Seed int64
	// Lang is the language the story is told in: "en" (the default) or
	// "zh", where the same timeline plays out on a Weibo-like microblog, a
	// Chinese forum and a Chinese news feed (see Languages).
	Lang string
}

// withDefaults fills in unset options.
func (o Options) withDefaults() Options {
	if o.Start.IsZero() {
		o.Start = time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	}
	o.Start = o.Start.UTC()
	if o.CalmDays <= 0 {
		o.CalmDays = 4
	}
	if o.Scale <= 0 {
		o.Scale = 1
	}
	if o.Lang == "" {
		o.Lang = LangEnglish
	}
	return o
}

// Item is one post, comment, article or statement in the demo world, with
// its ground truth.
type Item struct {
	// Channel is where it is published: "forum", "feed" or "api".
	Channel string
	// Topic is the ground truth: the scenario's backlash or calm topic
	// (Topics; BacklashTopic and CalmTopic in English) or "" when the item
	// is about neither.
	Topic string
	// ID is unique across the scenario and stable for a seed.
	ID string
	// ParentID is the forum post this one replies to, or "".
	ParentID string
	// Thread is the id of the forum thread's first post, or for a microblog
	// repost the id of the post it reposts.
	Thread string
	// Title is the forum thread's or the article's title.
	Title string
	// Author is the user's handle, or the outlet's or company's name.
	Author string
	// Text is the post's text or the article's description.
	Text string
	// URL is the item's path on the demo site (e.g. "/forum/p/p100042").
	URL string
	// Published is when the item appears.
	Published time.Time
	// Likes, Replies and Shares are the final engagement counts; the site
	// shows them growing towards these as the item ages.
	Likes, Replies, Shares int
	// Followers is the author's follower count (microblog only).
	Followers int
	// Stance is the pool the text was drawn from (one of the Stance
	// constants), the finest-grained ground truth.
	Stance string
	// Sentiment is what the author meant: "positive", "negative", "neutral",
	// or "" when unlabelled (off-topic posts, articles, statements).
	// Sarcastic posts are labelled negative.
	Sentiment string
	// Phase is the scenario phase the item was published in.
	Phase string
}

// Scenario is a reproducible backlash: every item the demo site will ever
// show, and the ground-truth times of what happened.
type Scenario struct {
	opts                  Options
	loc                   *locale
	launch, onset, peak   time.Time
	stateMedia, apology   time.Time
	removal, end          time.Time
	backlashKW, backlashX []string
	calmKW                []string
	items                 []Item
}

// NewScenario builds the scenario for opts. It panics if opts.Lang is not
// one of Languages, or if the embedded texts are broken, which the
// package's tests rule out.
func NewScenario(opts Options) *Scenario {
	opts = opts.withDefaults()
	loc := localeFor(opts.Lang)
	if loc == nil {
		panic(fmt.Sprintf("demo: no demo world in language %q (have %s)", opts.Lang, strings.Join(Languages(), ", ")))
	}
	s := &Scenario{opts: opts, loc: loc}
	s.launch = opts.Start.Add(launchAfterStart)
	s.onset = opts.Start.Add(time.Duration(opts.CalmDays)*24*time.Hour + onsetAfterCalmDays)
	s.peak = s.onset.Add(peakAfterOnset)
	s.stateMedia = s.onset.Add(stateMediaAfter)
	s.apology = s.onset.Add(apologyAfter)
	s.removal = s.onset.Add(removalAfter)
	s.end = opts.Start.Add(time.Duration(opts.CalmDays+daysAfterCalm) * 24 * time.Hour)
	s.backlashKW, s.backlashX, s.calmKW = loc.backlashKW, loc.backlashX, loc.calmKW
	lib, err := loadLibrary(loc.dir)
	if err != nil {
		panic(err)
	}
	s.items = newGenerator(s, lib).run()
	return s
}

// Options returns the options the scenario was built with, defaults filled in.
func (s *Scenario) Options() Options { return s.opts }

// Start is when simulated time begins.
func (s *Scenario) Start() time.Time { return s.opts.Start }

// Launch is when the company releases the feature.
func (s *Scenario) Launch() time.Time { return s.launch }

// Onset is the ground-truth start of the backlash: the first screenshots.
func (s *Scenario) Onset() time.Time { return s.onset }

// Peak is when the first wave of outrage is at its height.
func (s *Scenario) Peak() time.Time { return s.peak }

// StateMedia is when state media publishes its condemnation.
func (s *Scenario) StateMedia() time.Time { return s.stateMedia }

// Apology is when the company's chair apologises.
func (s *Scenario) Apology() time.Time { return s.apology }

// Removal is when the feature is removed for everyone.
func (s *Scenario) Removal() time.Time { return s.removal }

// End is when simulated time ends; no item is published at or after it.
func (s *Scenario) End() time.Time { return s.end }

// Topics returns the names of the backlash topic and the calm topic.
func (s *Scenario) Topics() (backlash, calm string) { return s.loc.backlashTopic, s.loc.calmTopic }

// Lang is the language the scenario is told in.
func (s *Scenario) Lang() string { return s.loc.lang }

// Keywords returns the keywords and exclusions that identify topic, as the
// demo configuration declares them; both are nil for an unknown topic.
func (s *Scenario) Keywords(topic string) (keywords, exclude []string) {
	switch topic {
	case s.loc.backlashTopic:
		return append([]string(nil), s.backlashKW...), append([]string(nil), s.backlashX...)
	case s.loc.calmTopic:
		return append([]string(nil), s.calmKW...), nil
	}
	return nil, nil
}

// PhaseAt returns the phase the scenario is in at t.
func (s *Scenario) PhaseAt(t time.Time) string {
	switch {
	case t.Before(s.onset):
		return PhaseCalm
	case t.Before(s.apology):
		return PhaseEscalation
	case t.Before(s.removal):
		return PhaseApology
	}
	return PhaseDecay
}

// Items returns a copy of every item, sorted by Published (ties keep a
// stable order).
func (s *Scenario) Items() []Item { return append([]Item(nil), s.items...) }

// diurnal is the daily cycle: the relative posting rate at t's hour of the
// day, quiet at night and busiest at lunch and in the evening. It averages
// about 1 over a day.
func diurnal(t time.Time) float64 {
	w := [24]float64{
		0.35, 0.22, 0.15, 0.12, 0.12, 0.20, 0.45, 0.80, 1.05, 1.10, 1.10, 1.30,
		1.75, 1.60, 1.10, 1.05, 1.10, 1.25, 1.45, 1.70, 1.80, 1.70, 1.25, 0.75,
	}
	h := float64(t.Hour()) + float64(t.Minute())/60
	i := int(h)
	f := h - float64(i)
	return (w[i]*(1-f) + w[(i+1)%24]*f) / 0.9775
}

// pulse is one wave of attention: it rises as a square over rise after t0,
// then decays exponentially with half-life hl.
func pulse(t, t0 time.Time, amp float64, rise, hl time.Duration) float64 {
	d := t.Sub(t0)
	if d <= 0 {
		return 0
	}
	if d < rise {
		x := float64(d) / float64(rise)
		return amp * x * x
	}
	return amp * math.Exp(-math.Ln2*float64(d-rise)/float64(hl))
}

// Posting rates, in posts per hour at Scale 1 before the daily cycle.
const (
	rateBacklashBase = 4.5
	rateCalm         = 3.5
	rateOffTopic     = 2.5
)

// component is one source of posts: a rate over time and a mix of stances.
type component struct {
	name     string
	rate     func(t time.Time) float64
	mix      func(t time.Time) []weighted
	apiShare float64
	wave     bool
}

// weighted is a stance and its relative weight.
type weighted struct {
	stance string
	w      float64
}

// components returns the scenario's post sources.
func (s *Scenario) components() []component {
	outrageCycle := func(t time.Time) float64 { return 0.4 + 0.6*diurnal(t) }
	wave := func(name string, t0 time.Time, amp float64, rise, hl time.Duration, mix []weighted) component {
		return component{
			name:     name,
			rate:     func(t time.Time) float64 { return pulse(t, t0, amp, rise, hl) * outrageCycle(t) },
			mix:      func(time.Time) []weighted { return mix },
			apiShare: 0.6,
			wave:     true,
		}
	}
	calmSpan := float64(s.onset.Sub(s.launch))
	return []component{
		{
			name: "launch-chatter",
			rate: func(t time.Time) float64 {
				if t.Before(s.launch) {
					return 0
				}
				buzz := 1 + 0.8*math.Exp(-t.Sub(s.launch).Hours()/24)
				if t.After(s.removal) {
					buzz *= 0.5 + 0.5*math.Exp(-t.Sub(s.removal).Hours()/24)
				}
				return rateBacklashBase * buzz * diurnal(t)
			},
			mix: func(t time.Time) []weighted {
				switch {
				case t.Before(s.onset):
					// Mild unease grows slowly through the calm days.
					f := float64(t.Sub(s.launch)) / calmSpan
					return []weighted{{StanceLaunchCurious, 40 - 10*f}, {StanceLaunchPositive, 33 - 5*f}, {StanceLaunchNegative, 22 + 15*f}}
				case t.Before(s.removal):
					return []weighted{{StanceOutrage, 25}, {StancePrivacy, 15}, {StanceBoycott, 10}, {StanceDefence, 25}, {StanceSarcastic, 10}, {StanceLaunchNegative, 15}}
				}
				return []weighted{{StanceDecayNeutral, 45}, {StanceDecayNegative, 35}, {StanceDefence, 10}, {StanceApologyAccept, 10}}
			},
			apiShare: 0.45,
		},
		// The first screenshots go viral at once: a sharp burst of reactions
		// within minutes, before the slower build-up of the main wave.
		wave("first-screenshots", s.onset, 22, 20*time.Minute, 90*time.Minute, []weighted{
			{StanceOutrage, 45}, {StancePrivacy, 20}, {StanceBoycott, 15}, {StanceSarcastic, 10}, {StanceDefence, 10}}),
		wave("screenshots", s.onset, 50, peakAfterOnset, 8*time.Hour, []weighted{
			{StanceOutrage, 40}, {StancePrivacy, 15}, {StanceBoycott, 17}, {StanceSarcastic, 10}, {StanceDefence, 10}, {StanceMediaShare, 8}}),
		wave("state-media", s.stateMedia, 30, 2*time.Hour, 6*time.Hour, []weighted{
			{StanceMediaShare, 35}, {StanceOutrage, 25}, {StanceBoycott, 20}, {StanceSarcastic, 10}, {StanceDefence, 10}}),
		wave("apology", s.apology, 30, time.Hour, 5*time.Hour, []weighted{
			{StanceApologyAccept, 30}, {StanceApologyReject, 45}, {StanceBoycott, 10}, {StanceSarcastic, 10}, {StanceDefence, 5}}),
		wave("removal", s.removal, 20, time.Hour, 12*time.Hour, []weighted{
			{StanceApologyAccept, 30}, {StanceApologyReject, 25}, {StanceDecayNegative, 20}, {StanceDecayNeutral, 20}, {StanceSarcastic, 5}}),
		{
			name: "travel-card",
			rate: func(t time.Time) float64 { return rateCalm * diurnal(t) },
			mix: func(time.Time) []weighted {
				return []weighted{{StanceCalmPositive, 40}, {StanceCalmNeutral, 35}, {StanceCalmNegative, 25}}
			},
			apiShare: 0.45,
		},
		{
			name:     "off-topic",
			rate:     func(t time.Time) float64 { return rateOffTopic * diurnal(t) },
			mix:      func(time.Time) []weighted { return []weighted{{StanceOffTopic, 1}} },
			apiShare: 0.35,
		},
	}
}

// pick returns a stance chosen by weight.
func pick(rng *rand.Rand, ws []weighted) string {
	total := 0.0
	for _, w := range ws {
		total += w.w
	}
	x := rng.Float64() * total
	for _, w := range ws {
		if x < w.w {
			return w.stance
		}
		x -= w.w
	}
	return ws[len(ws)-1].stance
}

// poisson draws a Poisson-distributed count with mean lambda.
func poisson(rng *rand.Rand, lambda float64) int {
	if lambda <= 0 {
		return 0
	}
	if lambda > 30 {
		n := int(math.Round(lambda + math.Sqrt(lambda)*rng.NormFloat64()))
		return max(n, 0)
	}
	l, k, p := math.Exp(-lambda), 0, 1.0
	for {
		p *= rng.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

// idString formats a sequence number with a channel prefix.
func idString(prefix string, base, n int) string { return prefix + strconv.Itoa(base+n) }
