package dashboards_test

import (
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/backlash-monitor/backlash/internal/dashboards"
	"github.com/backlash-monitor/backlash/internal/store/chtest"
)

func decode(r io.Reader, v any) error { return json.NewDecoder(r).Decode(v) }

func TestAPIRejectsBadParameters(t *testing.T) {
	srv, _ := newServer(t)
	injection := url.QueryEscape("x' OR 1=1 --")
	for _, path := range []string{
		"/api/topics/" + url.PathEscape("x' OR 1=1 --") + "/series",
		"/api/topics/unknown/series",
		"/api/topics/unknown/posts",
		"/api/topics/unknown/breakdown",
		"/api/topics/payments-social/series?from=" + injection,
		"/api/topics/payments-social/series?to=" + injection,
		"/api/topics/payments-social/series?source=" + injection,
		"/api/topics/payments-social/series?from=2020-01-01T00:00:00Z&to=2021-01-01T00:00:00Z",
		"/api/topics/payments-social/series?from=365d",
		"/api/topics/payments-social/series?from=1h&to=2h",
		"/api/topics/payments-social/series?to=2999-01-01T00:00:00Z",
		"/api/topics/payments-social/series?from=1h&from=2h",
		"/api/topics/payments-social/series?topic=checkout",
		"/api/topics/payments-social/posts?limit=0",
		"/api/topics/payments-social/posts?limit=1000",
		"/api/topics/payments-social/posts?limit=" + injection,
		"/api/topics/payments-social/posts?limit=-5",
		"/api/topics/payments-social/posts?label=" + injection,
		"/api/incidents?topic=" + injection,
		"/api/incidents?state=" + injection,
		"/api/incidents?limit=100000",
		"/api/overview?from=1h",
		"/api/sources?" + injection + "=1",
	} {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		var body struct{ Error string }
		err = json.NewDecoder(resp.Body).Decode(&body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest || err != nil || body.Error == "" {
			t.Errorf("%s: got %d %q (decode err %v), want 400 with a JSON message", path, resp.StatusCode, body.Error, err)
		}
		if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Errorf("%s: Content-Type %q", path, ct)
		}
	}
}

func TestAPIReturnsScenario(t *testing.T) {
	srv, sc := newServer(t)

	t.Run("overview", func(t *testing.T) {
		var got struct {
			Topics []struct {
				Topic         string                      `json:"topic"`
				Score         *float64                    `json:"score"`
				OpenIncidents int                         `json:"open_incidents"`
				Posts24h      int                         `json:"posts_24h"`
				Negative24h   int                         `json:"negative_24h"`
				Volume24h     struct{ Values []*float64 } `json:"volume_24h"`
				Volume7d      struct{ Values []*float64 } `json:"volume_7d"`
				NegShare24h   struct{ Values []*float64 } `json:"negative_share_24h"`
			}
			OpenIncidents []struct{ ID string } `json:"open_incidents"`
			Blind         map[string]time.Time
		}
		if code := getJSON(t, srv, "/api/overview", &got); code != 200 {
			t.Fatalf("status %d", code)
		}
		if len(got.Blind) != 1 || !got.Blind[calmTopic].Equal(blindSince(sc.now)) {
			t.Errorf("blind topics = %v, want just %s since its only source broke", got.Blind, calmTopic)
		}
		if len(got.Topics) != 2 || got.Topics[0].Topic != spikeTopic {
			t.Fatalf("topics = %+v, want %s first (it has an open incident)", got.Topics, spikeTopic)
		}
		top := got.Topics[0]
		if top.OpenIncidents != 1 || top.Score == nil || *top.Score < 80 {
			t.Errorf("spike topic: open=%d score=%v, want 1 open and a score above 80", top.OpenIncidents, top.Score)
		}
		if len(top.Volume24h.Values) != 24 || len(top.Volume7d.Values) != 7*24 {
			t.Errorf("sparklines have %d and %d points, want 24 and 168", len(top.Volume24h.Values), len(top.Volume7d.Values))
		}
		// The 24-hour sparkline ends on the current hour, so it covers the
		// last 23 whole hours and a bit; count what it shows.
		if top.Posts24h < sc.spikeNeg || top.Negative24h < sc.spikeNeg-1 {
			t.Errorf("spike topic 24h posts=%d negative=%d, want at least the %d negative posts", top.Posts24h, top.Negative24h, sc.spikeNeg)
		}
		last := top.NegShare24h.Values[len(top.NegShare24h.Values)-1]
		if last == nil || *last < 0.5 {
			t.Errorf("negative share in the last whole hour = %v, want above half", last)
		}
		if len(got.OpenIncidents) != 1 || got.OpenIncidents[0].ID != openIncident {
			t.Errorf("open incidents = %+v, want just %s", got.OpenIncidents, openIncident)
		}
	})

	t.Run("blind", func(t *testing.T) {
		for topic, blind := range map[string]bool{calmTopic: true, spikeTopic: false} {
			var got struct {
				BlindSince *time.Time `json:"blind_since"`
			}
			if code := getJSON(t, srv, "/api/topics/"+topic+"/series?from=24h", &got); code != 200 {
				t.Fatalf("status %d", code)
			}
			if (got.BlindSince != nil) != blind || blind && !got.BlindSince.Equal(blindSince(sc.now)) {
				t.Errorf("%s: blind_since = %v, want blind %v", topic, got.BlindSince, blind)
			}
		}
	})

	t.Run("series", func(t *testing.T) {
		var got struct {
			Step     int64
			From, To time.Time
			Points   []struct {
				T               time.Time
				Posts, Negative int
				Score           *float64
				Expected, Lower *float64
				Upper           *float64
				MeanSentiment   *float64 `json:"mean_sentiment"`
				Positive        int
			}
			Alerts []struct {
				IncidentID string `json:"incident_id"`
				State      string
			}
		}
		if code := getJSON(t, srv, "/api/topics/payments-social/series?from=24h", &got); code != 200 {
			t.Fatalf("status %d", code)
		}
		if got.Step != 900 || len(got.Points) < 96 {
			t.Fatalf("step %d with %d points, want 15-minute steps over a day", got.Step, len(got.Points))
		}
		posts, neg, band := 0, 0, 0
		for _, p := range got.Points {
			posts += p.Posts
			neg += p.Negative
			if p.Lower != nil && p.Upper != nil && *p.Lower <= *p.Expected && *p.Expected < *p.Upper {
				band++
			}
		}
		if wantPosts, wantNeg := sc.count(spikeTopic, got.From, got.To); posts != wantPosts || neg != wantNeg {
			t.Errorf("series sums to %d posts, %d negative; stored %d and %d", posts, neg, wantPosts, wantNeg)
		}
		if band < 95 {
			t.Errorf("expected band on %d points, want nearly all", band)
		}
		if len(got.Alerts) != 2 || got.Alerts[0].IncidentID != openIncident {
			t.Errorf("alerts = %+v, want the open incident's two notifications", got.Alerts)
		}
		var week struct{ Step int64 }
		getJSON(t, srv, "/api/topics/payments-social/series?from=7d&source=forum", &week)
		if week.Step != 3600 {
			t.Errorf("7-day step = %d, want 3600", week.Step)
		}
	})

	t.Run("breakdown", func(t *testing.T) {
		var got struct {
			Labels    map[string]int
			Histogram []struct {
				From                        float64
				Negative, Neutral, Positive int
			}
			Terms []struct {
				Term            string
				Count, Negative int
			}
			Entities []struct {
				Term            string
				Count, Negative int
			}
			Sources []struct {
				Source                    string
				Posts, Negative, Positive int
			}
		}
		if code := getJSON(t, srv, "/api/topics/payments-social/breakdown?from=24h", &got); code != 200 {
			t.Fatalf("status %d", code)
		}
		if got.Labels["negative"] != sc.spikeNeg {
			t.Errorf("labels = %v, want %d negative", got.Labels, sc.spikeNeg)
		}
		if len(got.Histogram) != 20 || got.Histogram[2].Negative == 0 {
			t.Errorf("histogram = %+v, want 20 bins with the -0.8 posts in bin 2", got.Histogram)
		}
		if len(got.Terms) == 0 || got.Terms[0].Term != "fee" || got.Terms[0].Negative != 72 {
			t.Errorf("terms = %+v, want fee first with 72 negative posts", got.Terms)
		}
		if len(got.Entities) != 1 || got.Entities[0].Term != "Acme Pay" {
			t.Errorf("entities = %+v, want Acme Pay", got.Entities)
		}
		if len(got.Sources) != 2 || got.Sources[0].Source != "forum" {
			t.Errorf("sources = %+v, want forum then reviews", got.Sources)
		}
	})

	t.Run("posts", func(t *testing.T) {
		var got struct {
			Posts []struct {
				ID, URL, Text, Label string
				Reach                uint64
			}
		}
		if code := getJSON(t, srv, "/api/topics/payments-social/posts?label=negative&from=24h&limit=5", &got); code != 200 {
			t.Fatalf("status %d", code)
		}
		if len(got.Posts) != 5 || got.Posts[0].ID != sc.topNegID || got.Posts[0].Reach != sc.topNegReach {
			t.Fatalf("posts = %+v, want 5 with %s first", got.Posts, sc.topNegID)
		}
		if got.Posts[0].URL != "" {
			t.Errorf("a javascript: URL was passed on as %q", got.Posts[0].URL)
		}
		if got.Posts[0].Text != hostileText {
			t.Errorf("text changed in transit: %q", got.Posts[0].Text)
		}
		for _, p := range got.Posts {
			if p.Label != "negative" {
				t.Errorf("post %s labelled %s in the negative list", p.ID, p.Label)
			}
		}
		if got.Posts[1].URL == "" || !strings.HasPrefix(got.Posts[1].URL, "https://") {
			t.Errorf("ordinary post lost its link: %q", got.Posts[1].URL)
		}
	})

	t.Run("incidents", func(t *testing.T) {
		var got struct {
			Incidents []struct {
				ID, Topic, Severity, State, Summary string
				Open                                bool
				SlackURL                            string `json:"slack_url"`
				MessageTS                           string `json:"message_ts"`
				Timeline                            []struct{ State string }
			}
		}
		if code := getJSON(t, srv, "/api/incidents", &got); code != 200 {
			t.Fatalf("status %d", code)
		}
		if len(got.Incidents) != 2 {
			t.Fatalf("incidents = %+v, want 2", got.Incidents)
		}
		open, past := got.Incidents[0], got.Incidents[1]
		if open.ID != openIncident || !open.Open || open.Severity != "critical" || len(open.Timeline) != 2 {
			t.Errorf("open incident = %+v", open)
		}
		if open.MessageTS != slackTS || open.SlackURL != "https://slack.com/archives/"+slackChannel+"/p1763900000123456" {
			t.Errorf("open incident thread: ts %q link %q, want the first message's", open.MessageTS, open.SlackURL)
		}
		if past.ID != pastIncident || past.Open || past.State != "resolved" {
			t.Errorf("past incident = %+v", past)
		}
		var only struct{ Incidents []struct{ ID string } }
		getJSON(t, srv, "/api/incidents?state=open&topic=checkout", &only)
		if len(only.Incidents) != 0 {
			t.Errorf("open incidents of checkout = %+v, want none", only.Incidents)
		}
	})

	t.Run("sources", func(t *testing.T) {
		var got struct {
			Sources []struct {
				Name          string `json:"source"`
				State         string `json:"status"`
				Err           string `json:"last_error"`
				Posts, Errors int
				Runs          int    `json:"runs_7d"`
				Lag           *int64 `json:"lag_seconds"`
				Recent        []int  `json:"recent_posts"`
				Problems      []string
				Detail        []string   `json:"problem_detail"`
				Since         *time.Time `json:"broken_since"`
				LastGood      *time.Time `json:"last_good"`
			}
		}
		if code := getJSON(t, srv, "/api/sources", &got); code != 200 {
			t.Fatalf("status %d", code)
		}
		by := map[string]int{}
		for i, s := range got.Sources {
			by[s.Name] = i
		}
		if len(got.Sources) != 3 {
			t.Fatalf("sources = %+v", got.Sources)
		}
		if s := got.Sources[by["broken-forum"]]; s.State != "broken" || s.Runs != 6 || len(s.Recent) != 6 || s.Lag == nil || *s.Lag < 26*3600 ||
			strings.Join(s.Problems, ",") != "layout" || len(s.Detail) != 1 || !strings.Contains(s.Detail[0], `"div.post" matched nothing`) ||
			s.Since == nil || !s.Since.Equal(blindSince(sc.now)) || s.LastGood == nil {
			t.Errorf("broken-forum = %+v, want broken (layout) since its last run, 6 runs and a day's lag", s)
		}
		if by["broken-forum"] != 0 {
			t.Errorf("the broken source is not listed first: %+v", got.Sources)
		}
		if s := got.Sources[by["reviews"]]; s.State != "errors" || s.Errors != 2 || !strings.Contains(s.Err, "503") {
			t.Errorf("reviews = %+v, want its errors", s)
		}
		if s := got.Sources[by["forum"]]; s.State != "ok" || s.Posts != 41 || s.Since != nil {
			t.Errorf("forum = %+v", s)
		}
		if got.Sources[len(got.Sources)-1].Name != "forum" {
			t.Errorf("healthy source not listed last: %+v", got.Sources)
		}
	})
}

func TestAccessRules(t *testing.T) {
	s := chtest.Store(t)
	if _, err := dashboards.New(s, dashboards.Options{Topics: topics}); !errors.Is(err, dashboards.ErrExposed) {
		t.Errorf("New without auth beyond loopback: %v, want ErrExposed", err)
	}
	h, err := dashboards.New(s, dashboards.Options{Topics: topics, Token: "s3cret", BasicAuth: map[string]string{"ana": "pw"},
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, method, path string
		auth               func(*http.Request)
		want               int
	}{
		{"no credentials", "GET", "/api/sources", nil, 401},
		{"wrong token", "GET", "/api/sources", func(r *http.Request) { r.Header.Set("Authorization", "Bearer nope") }, 401},
		{"bearer token", "GET", "/api/sources", func(r *http.Request) { r.Header.Set("Authorization", "Bearer s3cret") }, 200},
		{"token as password", "GET", "/", func(r *http.Request) { r.SetBasicAuth("anyone", "s3cret") }, 200},
		{"basic user", "GET", "/sources", func(r *http.Request) { r.SetBasicAuth("ana", "pw") }, 200},
		{"basic wrong password", "GET", "/", func(r *http.Request) { r.SetBasicAuth("ana", "x") }, 401},
		{"post refused", "POST", "/api/sources", func(r *http.Request) { r.SetBasicAuth("ana", "pw") }, 405},
		{"delete refused", "DELETE", "/", nil, 405},
		{"head allowed", "HEAD", "/static/app.css", func(r *http.Request) { r.SetBasicAuth("ana", "pw") }, 200},
		{"unknown page", "GET", "/nope", func(r *http.Request) { r.SetBasicAuth("ana", "pw") }, 404},
		{"unknown topic page", "GET", "/topics/nope", func(r *http.Request) { r.SetBasicAuth("ana", "pw") }, 404},
		{"bad range page", "GET", "/topics/checkout?from=400d", func(r *http.Request) { r.SetBasicAuth("ana", "pw") }, 400},
	} {
		r := httptestRequest(c.method, c.path)
		if c.auth != nil {
			c.auth(r)
		}
		w := newRecorder()
		h.ServeHTTP(w, r)
		if w.Code != c.want {
			t.Errorf("%s: %s %s = %d, want %d", c.name, c.method, c.path, w.Code, c.want)
		}
		for k, want := range map[string]string{
			"X-Content-Type-Options": "nosniff",
			"X-Frame-Options":        "DENY",
			"Referrer-Policy":        "no-referrer",
		} {
			if got := w.Header().Get(k); got != want {
				t.Errorf("%s: %s = %q, want %q", c.name, k, got, want)
			}
		}
		if csp := w.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") || strings.Contains(csp, "unsafe-inline") {
			t.Errorf("%s: CSP %q", c.name, csp)
		}
	}
}
