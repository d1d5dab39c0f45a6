package dashboards_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/backlash-monitor/backlash/internal/dashboards"
	"github.com/backlash-monitor/backlash/internal/health"
	"github.com/backlash-monitor/backlash/internal/post"
	"github.com/backlash-monitor/backlash/internal/store"
	"github.com/backlash-monitor/backlash/internal/store/chtest"
)

func TestMain(m *testing.M) { chtest.Main(m) }

// The known scenario every test reads: "payments-social" turns negative in
// the last three hours and has an open incident; "checkout" is calm with a
// resolved incident; "broken-forum" found nothing on its last run and
// "reviews" hit errors.
var (
	topics  = []string{"payments-social", "checkout"}
	sources = []string{"forum", "reviews", "broken-forum"}
)

const (
	spikeTopic   = "payments-social"
	calmTopic    = "checkout"
	openIncident = "inc-payments-1"
	pastIncident = "inc-checkout-0"
	slackTS      = "1763900000.123456"
	slackChannel = "C0BACKLASH"
	hostileText  = `<script>alert("x")</script> <img src=x onerror=alert(1)> the fees are a scam`
	hostileURL   = "javascript:alert(document.cookie)"
)

// scenario holds what was stored, for assertions.
type scenario struct {
	now          time.Time
	spikePosts   int // payments-social posts in the last 24 h
	spikeNeg     int // of which negative
	calmPosts    int // checkout posts in the last 24 h
	topNegReach  uint64
	topNegID     string
	hostilePosts int
	stored       []storedPost
}

// storedPost is what the tests need to recount a stored post.
type storedPost struct {
	topic, label string
	at           time.Time
}

// count returns how many posts, and negative posts, about topic were
// published in [from, to).
func (sc scenario) count(topic string, from, to time.Time) (posts, negative int) {
	for _, p := range sc.stored {
		if p.topic == topic && !p.at.Before(from) && p.at.Before(to) {
			posts++
			if p.label == "negative" {
				negative++
			}
		}
	}
	return posts, negative
}

// fillScenario stores the scenario relative to now.
func fillScenario(t *testing.T, s *store.Store, now time.Time) scenario {
	t.Helper()
	ctx := context.Background()
	sc := scenario{now: now}
	var posts []post.Post
	add := func(topic, source string, at time.Time, label string, compound float64, reach uint32, text string, terms ...string) {
		id := fmt.Sprintf("%s-%d", source, len(posts))
		// Every post has its own author: the same author's same text within
		// a day would be a repost, counted once.
		p := post.Post{Source: source, ID: id, URL: "https://" + source + ".example/p/" + id, Author: "user-" + id,
			Text: text, Published: at, Fetched: now, Likes: reach, Topics: []string{topic},
			Sentiment: &post.Sentiment{Compound: compound, Label: label, Terms: terms}, Language: "en",
			Entities: []string{"Acme Pay"}}
		posts = append(posts, p)
		sc.stored = append(sc.stored, storedPost{topic, label, at})
		if !at.Before(now.Add(-24 * time.Hour).Truncate(5 * time.Minute)) { // the API rounds a range's start down to 5 minutes
			switch topic {
			case spikeTopic:
				sc.spikePosts++
				if label == "negative" {
					sc.spikeNeg++
					if uint64(reach) > sc.topNegReach {
						sc.topNegReach, sc.topNegID = uint64(reach), id
					}
				}
			case calmTopic:
				sc.calmPosts++
			}
		}
	}
	// Seven days of ordinary chatter that follows the day: busy afternoons,
	// quiet nights, one complaint in eight.
	k := 0
	for h := 7 * 24; h >= 1; h-- {
		hour := now.Add(-time.Duration(h) * time.Hour).Truncate(time.Hour)
		perHour := 2 + int(4*(1+math.Sin(2*math.Pi*float64(hour.Hour()-9)/24)))
		for i := 0; i < perHour; i++ {
			at := hour.Add(time.Duration(i*60/perHour)*time.Minute + 2*time.Minute)
			src := "forum"
			if k%3 == 2 {
				src = "reviews"
			}
			switch {
			case k%8 == 7:
				add(spikeTopic, src, at, "negative", -0.4, uint32(k%5), "Transfer took ages to arrive", "ages")
			case k%2 == 0:
				add(spikeTopic, src, at, "positive", 0.6, uint32(k%7), "Paying with the app is quick", "quick")
			default:
				add(spikeTopic, src, at, "neutral", 0.0, uint32(k%3), "Used it for rent")
			}
			if i%2 == 0 {
				add(calmTopic, src, at.Add(3*time.Minute), "positive", 0.5, 2, "Checkout went fine", "fine")
			}
			k++
		}
		if h%6 == 0 {
			add(calmTopic, "reviews", hour.Add(30*time.Minute), "negative", -0.4, 1, "Checkout slow today", "slow")
		}
	}
	// The last three hours: a wave of complaints about fees.
	for i := 0; i < 36; i++ {
		at := now.Add(-3 * time.Hour).Add(time.Duration(i) * 5 * time.Minute)
		add(spikeTopic, "forum", at, "negative", -0.8, uint32(10+i), "The new fee on transfers is outrageous", "fee", "outrageous")
		add(spikeTopic, "reviews", at.Add(time.Minute), "negative", -0.6, uint32(i), "Hidden fees again, cancelling", "fee", "cancel")
	}
	hostile := post.Post{Source: "forum", ID: "hostile", URL: hostileURL, Author: `<b>mallory</b>`, Text: hostileText,
		Published: now.Add(-time.Hour), Fetched: now, Likes: 1000, Topics: []string{spikeTopic},
		Sentiment: &post.Sentiment{Compound: -0.9, Label: "negative", Terms: []string{"scam"}}}
	posts = append(posts, hostile)
	sc.stored = append(sc.stored, storedPost{spikeTopic, "negative", hostile.Published})
	sc.spikePosts++
	sc.spikeNeg++
	sc.topNegReach, sc.topNegID = 1000, "hostile"
	sc.hostilePosts = 1
	if _, err := s.SavePosts(ctx, posts); err != nil {
		t.Fatalf("save posts: %v", err)
	}

	// Risk every 5 minutes over the last day: calm, then rising.
	b, err := s.Conn().PrepareBatch(ctx, "INSERT INTO "+s.Table("topic_risk")+
		" (topic, bucket, window_s, score, anomaly, share, reach, spread, velocity, observed, expected, deviation, posts, negative, authors, sources, cold_start, computed, version)")
	if err != nil {
		t.Fatal(err)
	}
	start := now.Add(-24 * time.Hour).Truncate(5 * time.Minute)
	for at := start; at.Before(now); at = at.Add(5 * time.Minute) {
		score, observed := 5.0, 0.0
		if at.After(now.Add(-3 * time.Hour)) {
			frac := float64(at.Sub(now.Add(-3*time.Hour))) / float64(3*time.Hour)
			score, observed = 30+55*frac, 2
		}
		for _, tp := range topics {
			sc := score
			if tp == calmTopic {
				sc, observed = 8, 0
			}
			if err := b.Append(tp, at.UTC(), uint32(300), sc, sc, 0.1, 0.1, 0.1, 0.0, observed, 0.05, 1.0,
				uint64(2), uint64(0), uint64(2), uint64(2), uint8(0), now.UTC(), uint64(1)); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := b.Send(); err != nil {
		t.Fatalf("insert risk: %v", err)
	}

	b, err = s.Conn().PrepareBatch(ctx, "INSERT INTO "+s.Table("alerts")+
		" (alert_id, incident_id, rule, topic, severity, state, at, window_start, window_end, value, threshold, observed, expected, summary, channel, message_ts)")
	if err != nil {
		t.Fatal(err)
	}
	type alert struct {
		id, inc, topic, sev, state string
		at                         time.Time
		value                      float64
		summary, channel, ts       string
	}
	for _, a := range []alert{
		{"a1", openIncident, spikeTopic, "warning", "firing", now.Add(-2 * time.Hour), 0.62,
			"Negative posts about payments-social are 9x the usual for a Tuesday afternoon; top complaint: fee", slackChannel, slackTS},
		{"a2", openIncident, spikeTopic, "critical", "escalated", now.Add(-time.Hour), 0.81,
			"Still rising: 72 negative posts in 3 h across 2 sources", slackChannel, "1763903600.000100"},
		{"a3", pastIncident, calmTopic, "warning", "firing", now.Add(-72 * time.Hour), 0.55,
			"Checkout complaints about slowness", slackChannel, "1763600000.000200"},
		{"a4", pastIncident, calmTopic, "warning", "resolved", now.Add(-60 * time.Hour), 0.12,
			"Back to normal", slackChannel, "1763643200.000300"},
	} {
		if err := b.Append(a.id, a.inc, "negative_spike", a.topic, a.sev, a.state, a.at.UTC(), a.at.Add(-time.Hour).UTC(), a.at.UTC(),
			a.value, 0.5, 40.0, 4.0, a.summary, a.channel, a.ts); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.Send(); err != nil {
		t.Fatalf("insert alerts: %v", err)
	}

	for i := 6; i >= 1; i-- {
		at := now.Add(-time.Duration(i) * 30 * time.Minute)
		runs := []store.Run{
			{ID: fmt.Sprintf("r%d-forum", i), Source: "forum", Started: at, Finished: at.Add(40 * time.Second), Pages: 4, Posts: 40 + i, NewPosts: 20, HighWater: now.Add(-10 * time.Minute)},
			{ID: fmt.Sprintf("r%d-reviews", i), Source: "reviews", Started: at, Finished: at.Add(20 * time.Second), Pages: 2, Posts: 12, NewPosts: 6},
			{ID: fmt.Sprintf("r%d-broken", i), Source: "broken-forum", Started: at, Finished: at.Add(5 * time.Second), Pages: 3, Posts: 25, NewPosts: 10},
		}
		if i == 1 {
			runs[1].Errs, runs[1].LastError = 2, "GET https://reviews.example/p/2: 503 Service Unavailable"
			runs[2].Posts, runs[2].NewPosts = 0, 0
		}
		for _, r := range runs {
			if err := s.RecordRun(ctx, r); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := s.SetState(ctx, "forum", store.SourceState{HighWater: now.Add(-10 * time.Minute)}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetState(ctx, "broken-forum", store.SourceState{HighWater: now.Add(-26 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	// The health checks found broken-forum's layout changed on its last
	// run; it alone feeds checkout, which is therefore blind.
	if err := s.SaveSourceHealth(ctx, []health.Verdict{
		{Source: "forum", At: now.Add(-30 * time.Minute), RunID: "r1-forum", LastGood: now.Add(-29 * time.Minute)},
		{Source: "broken-forum", At: now.Add(-time.Hour), RunID: "r2-broken", LastGood: now.Add(-time.Hour)},
		{Source: "broken-forum", At: now.Add(-30 * time.Minute), RunID: "r1-broken", Problems: []health.Problem{{Rule: "layout",
			Detail: `pages fetched but no items extracted: selector "div.post" matched nothing on 3 of 3 pages`}},
			BrokenSince: blindSince(now), LastGood: now.Add(-time.Hour)},
	}); err != nil {
		t.Fatal(err)
	}
	return sc
}

// blindSince is when broken-forum broke.
func blindSince(now time.Time) time.Time { return now.Add(-30 * time.Minute) }

// feeds says which sources feed which topic.
var feeds = map[string][]string{spikeTopic: {"forum", "reviews"}, calmTopic: {"broken-forum"}}

// newServer fills a fresh store with the scenario and serves the dashboard.
func newServer(t *testing.T) (*httptest.Server, scenario) {
	t.Helper()
	s := chtest.Store(t)
	now := time.Now().UTC().Truncate(time.Second)
	sc := fillScenario(t, s, now)
	h, err := dashboards.New(s, dashboards.Options{Topics: topics, Sources: sources, Feeds: feeds, Loopback: true,
		Now: func() time.Time { return now }, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv, sc
}

// getJSON fetches path and decodes the body into v, returning the status.
func getJSON(t *testing.T, srv *httptest.Server, path string, v any) int {
	t.Helper()
	resp, err := http.Get(srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("%s: Content-Type %q", path, ct)
	}
	if err := decode(resp.Body, v); err != nil {
		t.Fatalf("%s: decode: %v", path, err)
	}
	return resp.StatusCode
}
