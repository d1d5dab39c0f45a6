package demo

import (
	"reflect"
	"testing"
	"time"
)

func TestScenarioIsDeterministic(t *testing.T) {
	a := NewScenario(Options{Seed: 7})
	b := NewScenario(Options{Seed: 7})
	if !reflect.DeepEqual(a.Items(), b.Items()) {
		t.Fatal("two scenarios with equal options differ")
	}
	c := NewScenario(Options{Seed: 8})
	if reflect.DeepEqual(a.Items(), c.Items()) {
		t.Fatal("scenarios with different seeds are identical")
	}
	if !a.Onset().Equal(c.Onset()) {
		t.Error("the timeline should not depend on the seed")
	}
}

func TestDefaultTimeline(t *testing.T) {
	s := NewScenario(Options{})
	start := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	if !s.Start().Equal(start) || s.Start().Weekday() != time.Monday {
		t.Fatalf("start %v, want Monday %v", s.Start(), start)
	}
	order := []time.Time{s.Start(), s.Launch(), s.Onset(), s.Peak(), s.StateMedia(), s.Apology(), s.Removal(), s.End()}
	for i := 1; i < len(order); i++ {
		if !order[i].After(order[i-1]) {
			t.Fatalf("timeline out of order at %d: %v", i, order)
		}
	}
	if calmEnd := start.Add(4 * 24 * time.Hour); !s.Onset().After(calmEnd) {
		t.Errorf("onset %v is not after the %d calm days (%v)", s.Onset(), 4, calmEnd)
	}
	if d := s.Removal().Sub(s.Onset()); d > 48*time.Hour {
		t.Errorf("feature removed %v after onset, want within two days", d)
	}
	b, c := s.Topics()
	if b != BacklashTopic || c != CalmTopic {
		t.Errorf("Topics() = %q, %q", b, c)
	}
	for _, calmDays := range []int{1, 3, 7} {
		s := NewScenario(Options{CalmDays: calmDays, Scale: 0.2})
		if !s.Onset().After(start.Add(time.Duration(calmDays) * 24 * time.Hour)) {
			t.Errorf("CalmDays=%d: onset %v too early", calmDays, s.Onset())
		}
	}
}

func TestItemsAreWellFormed(t *testing.T) {
	s := NewScenario(Options{Seed: 3})
	items := s.Items()
	ids := map[string]Item{}
	classify := topicOf(s)
	for i, it := range items {
		if i > 0 && it.Published.Before(items[i-1].Published) {
			t.Fatalf("items not sorted at %d", i)
		}
		if it.Published.Before(s.Start()) || !it.Published.Before(s.End()) {
			t.Errorf("%s published %v outside [start, end)", it.ID, it.Published)
		}
		if _, dup := ids[it.ID]; dup || it.ID == "" {
			t.Errorf("id %q empty or duplicated", it.ID)
		}
		ids[it.ID] = it
		if it.Author == "" || it.Text == "" || it.URL == "" || it.Phase != s.PhaseAt(it.Published) {
			t.Errorf("incomplete item %+v", it)
		}
		switch it.Channel {
		case ChannelForum:
			if it.Thread == "" || it.Title == "" {
				t.Errorf("forum post %s has no thread or title", it.ID)
			}
			if it.ParentID != "" {
				p, ok := ids[it.ParentID]
				if !ok || p.Thread != it.Thread {
					t.Errorf("forum post %s replies to %q, which is missing, later or in another thread", it.ID, it.ParentID)
				}
			} else if it.Thread != it.ID {
				t.Errorf("thread root %s has thread %s", it.ID, it.Thread)
			}
		case ChannelFeed:
			if it.Title == "" {
				t.Errorf("article %s has no title", it.ID)
			}
		case ChannelAPI:
			if it.Followers <= 0 {
				t.Errorf("microblog post %s has no followers", it.ID)
			}
		default:
			t.Errorf("unknown channel %q", it.Channel)
		}
		// The ground truth agrees with the configuration's keywords.
		b, c := classify(it.Text)
		if want := (it.Topic == BacklashTopic); b != want {
			t.Errorf("%s %q: backlash match %v, topic %q", it.ID, it.Text, b, it.Topic)
		}
		if want := (it.Topic == CalmTopic); c != want {
			t.Errorf("%s %q: calm match %v, topic %q", it.ID, it.Text, c, it.Topic)
		}
	}
}

// hourly counts items of topic per hour, from start for the given hours.
func hourly(items []Item, topic string, start time.Time, hours int) []int {
	out := make([]int, hours)
	for _, it := range items {
		if it.Topic != topic {
			continue
		}
		if h := int(it.Published.Sub(start) / time.Hour); h >= 0 && h < hours {
			out[h]++
		}
	}
	return out
}

func TestBacklashVolume(t *testing.T) {
	for _, seed := range []int64{1, 2, 3} {
		s := NewScenario(Options{Seed: seed})
		items := s.Items()
		calmHours := 4 * 24
		calm := hourly(items, BacklashTopic, s.Start(), calmHours)
		sum := 0
		for _, n := range calm {
			sum += n
		}
		avg := float64(sum) / float64(calmHours)
		after := hourly(items, BacklashTopic, s.Onset(), int(s.End().Sub(s.Onset())/time.Hour))
		peak, peakAt := 0, 0
		for h, n := range after {
			if n > peak {
				peak, peakAt = n, h
			}
		}
		if float64(peak) < 10*avg {
			t.Errorf("seed %d: peak hour has %d posts, calm-day average %.1f an hour: want at least 10x", seed, peak, avg)
		}
		if peakAt > 36 {
			t.Errorf("seed %d: peak %dh after onset, want within a day and a half", seed, peakAt)
		}
		// The first screenshots go viral at once, but the main wave takes
		// hours to build: the first hour is well short of the peak.
		if float64(after[0]) > 0.6*float64(peak) {
			t.Errorf("seed %d: first hour after onset has %d posts, peak %d", seed, after[0], peak)
		}
		// The outrage decays: the last day is back near calm levels.
		last := after[len(after)-24:]
		lsum := 0
		for _, n := range last {
			lsum += n
		}
		if float64(lsum)/24 > 3*avg {
			t.Errorf("seed %d: last day averages %.1f an hour, calm %.1f: outrage did not decay", seed, float64(lsum)/24, avg)
		}
		// Outrage brings a crowd: in the peak hour most authors are distinct.
		authors := map[string]bool{}
		n := 0
		for _, it := range items {
			if it.Topic == BacklashTopic && int(it.Published.Sub(s.Onset())/time.Hour) == peakAt {
				authors[it.Author] = true
				n++
			}
		}
		if float64(len(authors)) < 0.8*float64(n) {
			t.Errorf("seed %d: %d distinct authors for %d posts in the peak hour", seed, len(authors), n)
		}
		t.Logf("seed %d: calm %.1f/h, peak %d/h at onset+%dh, %d authors", seed, avg, peak, peakAt, len(authors))
	}
}

func TestCalmTopicIsSteady(t *testing.T) {
	// Daily counts are Poisson (about 90 a day, so a standard deviation of
	// about 10%); the band allows for that noise but not for a trend or a
	// surge.
	for _, seed := range []int64{1, 5, 6} {
		s := NewScenario(Options{Seed: seed})
		days := int(s.End().Sub(s.Start()) / (24 * time.Hour))
		counts := make([]int, days)
		for _, it := range s.Items() {
			if it.Topic == CalmTopic {
				counts[int(it.Published.Sub(s.Start())/(24*time.Hour))]++
			}
		}
		sum := 0
		for _, n := range counts {
			sum += n
		}
		mean := float64(sum) / float64(days)
		for d, n := range counts {
			if float64(n) < 0.6*mean || float64(n) > 1.4*mean {
				t.Errorf("seed %d, day %d: %d calm-topic items, mean %.0f: outside the steady band", seed, d, n, mean)
			}
		}
		// Outrage about the other topic does not spill over: the calm
		// topic's escalation days are within the same band.
		esc := int(s.Onset().Sub(s.Start()) / (24 * time.Hour))
		if n := counts[esc] + counts[esc+1]; float64(n) > 2.6*mean {
			t.Errorf("seed %d: calm topic rises to %d during the escalation", seed, n)
		}
	}
}

func TestDailyCycle(t *testing.T) {
	s := NewScenario(Options{Seed: 9})
	var byHour [24]int
	for _, it := range s.Items() {
		if it.Published.Before(s.Onset().Add(-12 * time.Hour)) {
			byHour[it.Published.Hour()]++
		}
	}
	// Per hour, lunch and evening are at least three times as busy as the
	// small hours.
	night := float64(byHour[2]+byHour[3]+byHour[4]) / 3
	lunch := float64(byHour[12]+byHour[13]) / 2
	evening := float64(byHour[19]+byHour[20]+byHour[21]) / 3
	if lunch < 3*night || evening < 3*night {
		t.Errorf("no daily cycle: per hour 02-05h %.0f, 12-14h %.0f, 19-22h %.0f", night, lunch, evening)
	}
}

func TestCalmDailyVolume(t *testing.T) {
	s := NewScenario(Options{Seed: 11})
	perDay := map[int]int{}
	for _, it := range s.Items() {
		if it.Published.Before(s.Start().Add(4 * 24 * time.Hour)) {
			perDay[int(it.Published.Sub(s.Start())/(24*time.Hour))]++
		}
	}
	for d, n := range perDay {
		if n < 150 || n > 400 {
			t.Errorf("calm day %d has %d items, want 150-400", d, n)
		}
	}
	half := NewScenario(Options{Seed: 11, Scale: 0.5})
	if r := float64(len(half.Items())) / float64(len(s.Items())); r < 0.4 || r > 0.65 {
		t.Errorf("Scale 0.5 gives %.2f of the items", r)
	}
}

func TestPhasesHaveTheirStances(t *testing.T) {
	s := NewScenario(Options{})
	count := map[string]map[string]int{}
	for _, it := range s.Items() {
		if count[it.Phase] == nil {
			count[it.Phase] = map[string]int{}
		}
		count[it.Phase][it.Stance]++
	}
	want := map[string][]string{
		PhaseCalm:       {StanceLaunchCurious, StanceLaunchPositive, StanceLaunchNegative, StanceCalmPositive, StanceOffTopic},
		PhaseEscalation: {StanceOutrage, StanceBoycott, StanceSarcastic, StanceMediaShare, StanceDefence, StancePrivacy},
		PhaseApology:    {StanceApologyAccept, StanceApologyReject},
		PhaseDecay:      {StanceDecayNegative, StanceDecayNeutral},
	}
	for phase, stances := range want {
		for _, st := range stances {
			if count[phase][st] < 10 {
				t.Errorf("phase %s has %d %s posts", phase, count[phase][st], st)
			}
		}
	}
	if n := count[PhaseCalm][StanceOutrage]; n != 0 {
		t.Errorf("%d outrage posts before the onset", n)
	}
}

// Nobody mentions the state-media condemnation before it is published.
func TestNoOneQuotesStateMediaEarly(t *testing.T) {
	for _, o := range []Options{{Seed: 1}, {Seed: 2}, {Seed: 1, Lang: LangChinese}} {
		s, seed := NewScenario(o), o.Seed
		for _, it := range s.Items() {
			if it.Published.Before(s.StateMedia()) && (s.loc.mentionsStateMedia(it.Text) || it.Author == "National Daily" ||
				it.Author == s.loc.stateMediaHandle || it.Author == "国民日报") {
				t.Errorf("seed %d: %s at %v mentions state media before %v: %q", seed, it.ID, it.Published, s.StateMedia(), it.Text)
			}
		}
	}
}
