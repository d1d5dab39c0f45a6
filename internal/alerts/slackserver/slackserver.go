package slackserver

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// Slack's limits, enforced by the server.
const (
	MaxTextChars        = 40000
	MaxBlocks           = 50
	MaxSectionTextChars = 3000
	MaxSectionFields    = 10
	MaxFieldChars       = 2000
	MaxHeaderChars      = 150
	MaxContextElements  = 10
)

// WebhookPath is the incoming webhook's path on the server.
const WebhookPath = "/services/T0BACKLASH/B0BACKLASH/secretwebhook"

// Options configure a server.
type Options struct {
	// Token is the bot token the API accepts (default "xoxb-test-token").
	Token string
	// Channels are the channels that exist, by name ("#comms" or "comms");
	// each gets an id. The first also receives webhook posts.
	Channels []string
	// Now is the server's clock, for Down and RateLimit (default time.Now).
	Now func() time.Time
}

// Message is one accepted message in its current form.
type Message struct {
	// Channel is the channel's id; ChannelName its name without "#".
	Channel, ChannelName string
	// TS is the message's timestamp, its id within the channel.
	TS string
	// ThreadTS is the parent's ts when the message is a reply.
	ThreadTS string
	// Text is the fallback text.
	Text string
	// Blocks is the Block Kit JSON, "" when none.
	Blocks string
	// Updates counts the chat.update calls applied to the message.
	Updates int
	// Webhook is true when the message came through the webhook.
	Webhook bool
	// Metadata is the message metadata JSON ({"event_type", "event_payload"}),
	// "" when none.
	Metadata string
}

// Request is one request the server received, accepted or not.
type Request struct {
	// Method is the API method ("chat.postMessage", ...) or "webhook".
	Method string
	// Status is the HTTP status answered; Error the Slack error, if any.
	Status int
	Error  string
}

// Server is the stand-in. Its methods are safe for concurrent use.
type Server struct {
	// URL is the Web API base URL, ending in "/api/".
	URL string
	// WebhookURL is the incoming webhook's URL.
	WebhookURL string

	srv   *httptest.Server
	token string
	now   func() time.Time

	mu         sync.Mutex
	ids        map[string]string // name or id -> id
	names      map[string]string // id -> name
	order      []string          // channel ids in creation order
	failN      int
	failStatus int
	// Posts accepted but answered in a way the client cannot use.
	unreadableN int
	slowN       int
	slowFor     time.Duration
	rlUntil     time.Time
	downUntil   time.Time
	seq         int
	msgs        []*Message
	byKey       map[string]*Message // channel id + ts
	reqs        []Request
}

// New starts a server; Close it when done.
func New(o Options) *Server {
	if o.Token == "" {
		o.Token = "xoxb-test-token"
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	s := &Server{token: o.Token, now: o.Now, ids: map[string]string{}, names: map[string]string{},
		byKey: map[string]*Message{}}
	for _, c := range o.Channels {
		s.AddChannel(c)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/api/", s.api)
	mux.HandleFunc("/services/", s.webhook)
	s.srv = httptest.NewServer(mux)
	s.URL = s.srv.URL + "/api/"
	s.WebhookURL = s.srv.URL + WebhookPath
	return s
}

// Close stops the server.
func (s *Server) Close() { s.srv.Close() }

// Token returns the bot token the server accepts.
func (s *Server) Token() string { return s.token }

// AddChannel makes a channel exist and returns its id.
func (s *Server) AddChannel(name string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	name = strings.TrimPrefix(name, "#")
	if id, ok := s.ids[name]; ok {
		return id
	}
	id := fmt.Sprintf("C%08d", len(s.order)+1)
	s.ids[name], s.ids[id], s.names[id] = id, id, name
	s.order = append(s.order, id)
	return id
}

// ChannelID returns a channel's id by name ("#comms" or "comms").
func (s *Server) ChannelID(name string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ids[strings.TrimPrefix(name, "#")]
}

// FailNext makes the next n requests fail with the HTTP status (e.g. 500,
// 503; 429 adds Retry-After: 1).
func (s *Server) FailNext(n, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failN, s.failStatus = n, status
}

// AcceptUnreadable makes the next n chat.postMessage calls post their
// message but answer with a body no client can read, as when a proxy
// mangles Slack's answer: the client cannot tell the message arrived.
func (s *Server) AcceptUnreadable(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.unreadableN = n
}

// AcceptSlowly makes the next n chat.postMessage calls post their message
// at once but answer only after d, later than a client with a shorter
// timeout waits.
func (s *Server) AcceptSlowly(n int, d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.slowN, s.slowFor = n, d
}

// RateLimit answers every request 429 with a Retry-After header for the
// next d of the server's clock.
func (s *Server) RateLimit(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rlUntil = s.now().Add(d)
}

// Down answers every request 503 until the server's clock reaches until.
func (s *Server) Down(until time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.downUntil = until
}

// Messages returns the accepted messages in the order they were posted, in
// their current (possibly updated) form.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Message, len(s.msgs))
	for i, m := range s.msgs {
		out[i] = *m
	}
	return out
}

// Thread returns a thread's replies in order, without the parent.
func (s *Server) Thread(channel, ts string) []Message {
	var out []Message
	for _, m := range s.Messages() {
		if m.Channel == channel && m.ThreadTS == ts {
			out = append(out, m)
		}
	}
	return out
}

// Requests returns every request received, in order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.reqs...)
}

// reply is the Web API's answer.
type reply struct {
	OK      bool   `json:"ok"`
	Error   string `json:"error,omitempty"`
	Channel string `json:"channel,omitempty"`
	TS      string `json:"ts,omitempty"`
	Text    string `json:"text,omitempty"`
	URL     string `json:"url,omitempty"`
	Team    string `json:"team,omitempty"`
	User    string `json:"user,omitempty"`
	TeamID  string `json:"team_id,omitempty"`
	UserID  string `json:"user_id,omitempty"`
	BotID   string `json:"bot_id,omitempty"`

	Channels         []channelInfo `json:"channels,omitempty"`
	Messages         []messageInfo `json:"messages,omitempty"`
	HasMore          bool          `json:"has_more,omitempty"`
	ResponseMetadata *nextCursor   `json:"response_metadata,omitempty"`
}

type channelInfo struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type messageInfo struct {
	Type     string          `json:"type"`
	TS       string          `json:"ts"`
	ThreadTS string          `json:"thread_ts,omitempty"`
	Text     string          `json:"text"`
	Metadata json.RawMessage `json:"metadata,omitempty"`
}

type nextCursor struct {
	NextCursor string `json:"next_cursor"`
}

// payload is a message request, from a form or JSON.
type payload struct {
	token, channel, text, ts, threadTS string
	blocks, metadata                   string
	// form holds the other form fields (limit, cursor, ...).
	form url.Values
}

func (s *Server) api(w http.ResponseWriter, r *http.Request) {
	method := strings.TrimPrefix(r.URL.Path, "/api/")
	if s.unavailable(w, method) {
		return
	}
	p, err := readPayload(r)
	if err != nil {
		s.answer(w, method, http.StatusOK, reply{Error: "invalid_form_data"})
		return
	}
	switch {
	case p.token == "":
		s.answer(w, method, http.StatusOK, reply{Error: "not_authed"})
		return
	case p.token != s.token:
		s.answer(w, method, http.StatusOK, reply{Error: "invalid_auth"})
		return
	}
	switch method {
	case "auth.test":
		s.answer(w, method, http.StatusOK, reply{OK: true, URL: "https://backlash-test.slack.com/",
			Team: "backlash-test", User: "backlash", TeamID: "T0BACKLASH", UserID: "U0BACKLASH", BotID: "B0BACKLASH"})
	case "chat.postMessage":
		s.post(w, method, p, false)
	case "chat.update":
		s.update(w, method, p)
	case "conversations.list":
		s.list(w, method)
	case "conversations.history", "conversations.replies":
		s.history(w, method, p)
	default:
		s.answer(w, method, http.StatusOK, reply{Error: "unknown_method"})
	}
}

func (s *Server) webhook(w http.ResponseWriter, r *http.Request) {
	const method = "webhook"
	if r.URL.Path != WebhookPath {
		s.record(method, http.StatusNotFound, "no_service")
		http.Error(w, "no_service", http.StatusNotFound)
		return
	}
	if s.unavailable(w, method) {
		return
	}
	p, err := readJSON(r)
	if err != nil {
		s.record(method, http.StatusBadRequest, "invalid_payload")
		http.Error(w, "invalid_payload", http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	if len(s.order) == 0 {
		s.mu.Unlock()
		s.record(method, http.StatusNotFound, "channel_not_found")
		http.Error(w, "channel_not_found", http.StatusNotFound)
		return
	}
	p.channel = s.order[0]
	s.mu.Unlock()
	p.threadTS = "" // webhooks cannot thread in this stand-in
	s.post(w, method, p, true)
}

// unavailable answers for outages, rate limits and injected failures.
func (s *Server) unavailable(w http.ResponseWriter, method string) bool {
	s.mu.Lock()
	now := s.now()
	var status int
	var retryAfter time.Duration
	switch {
	case now.Before(s.downUntil):
		status = http.StatusServiceUnavailable
	case now.Before(s.rlUntil):
		status, retryAfter = http.StatusTooManyRequests, s.rlUntil.Sub(now)
	case s.failN > 0:
		s.failN--
		status = s.failStatus
		if status == http.StatusTooManyRequests {
			retryAfter = time.Second
		}
	}
	s.mu.Unlock()
	if status == 0 {
		return false
	}
	if status == http.StatusTooManyRequests {
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(retryAfter.Seconds()))))
	}
	s.record(method, status, http.StatusText(status))
	http.Error(w, http.StatusText(status), status)
	return true
}

func (s *Server) post(w http.ResponseWriter, method string, p payload, webhook bool) {
	if code := validate(p); code != "" {
		s.fail(w, method, webhook, code)
		return
	}
	s.mu.Lock()
	id, ok := s.ids[strings.TrimPrefix(p.channel, "#")]
	if !ok {
		s.mu.Unlock()
		s.fail(w, method, webhook, "channel_not_found")
		return
	}
	if p.threadTS != "" {
		parent, ok := s.byKey[id+"/"+p.threadTS]
		if !ok || parent.ThreadTS != "" {
			s.mu.Unlock()
			s.fail(w, method, webhook, "thread_not_found")
			return
		}
	}
	s.seq++
	ts := fmt.Sprintf("%d.%06d", 1700000000+s.seq, s.seq)
	m := &Message{Channel: id, ChannelName: s.names[id], TS: ts, ThreadTS: p.threadTS, Text: p.text,
		Blocks: p.blocks, Webhook: webhook, Metadata: p.metadata}
	s.msgs = append(s.msgs, m)
	s.byKey[id+"/"+ts] = m
	unreadable, slow := false, time.Duration(0)
	if !webhook {
		switch {
		case s.unreadableN > 0:
			s.unreadableN--
			unreadable = true
		case s.slowN > 0:
			s.slowN--
			slow = s.slowFor
		}
	}
	s.mu.Unlock()
	if webhook {
		s.record(method, http.StatusOK, "")
		io.WriteString(w, "ok")
		return
	}
	if unreadable {
		s.record(method, http.StatusOK, "unreadable answer")
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		io.WriteString(w, `{"ok":true,"channel":"`+id+`","ts":`)
		return
	}
	if slow > 0 {
		time.Sleep(slow)
	}
	s.answer(w, method, http.StatusOK, reply{OK: true, Channel: id, TS: ts})
}

func (s *Server) update(w http.ResponseWriter, method string, p payload) {
	if code := validate(p); code != "" {
		s.answer(w, method, http.StatusOK, reply{Error: code})
		return
	}
	s.mu.Lock()
	id, ok := s.ids[strings.TrimPrefix(p.channel, "#")]
	if !ok || id != p.channel {
		// chat.update needs the channel's id, as returned by postMessage.
		s.mu.Unlock()
		s.answer(w, method, http.StatusOK, reply{Error: "channel_not_found"})
		return
	}
	m, ok := s.byKey[id+"/"+p.ts]
	if !ok {
		s.mu.Unlock()
		s.answer(w, method, http.StatusOK, reply{Error: "message_not_found"})
		return
	}
	m.Text, m.Blocks = p.text, p.blocks
	m.Updates++
	s.mu.Unlock()
	s.answer(w, method, http.StatusOK, reply{OK: true, Channel: id, TS: p.ts, Text: p.text})
}

// list answers conversations.list with every channel, in one page.
func (s *Server) list(w http.ResponseWriter, method string) {
	s.mu.Lock()
	var chans []channelInfo
	for _, id := range s.order {
		chans = append(chans, channelInfo{ID: id, Name: s.names[id]})
	}
	s.mu.Unlock()
	s.answer(w, method, http.StatusOK, reply{OK: true, Channels: chans, ResponseMetadata: &nextCursor{}})
}

// history answers conversations.history (a channel's top-level messages,
// newest first) and conversations.replies (a thread's parent and replies,
// oldest first), paginated by limit and cursor like Slack. Both need the
// channel's id, and include metadata only when asked.
func (s *Server) history(w http.ResponseWriter, method string, p payload) {
	s.mu.Lock()
	id, ok := s.ids[strings.TrimPrefix(p.channel, "#")]
	if !ok || id != p.channel {
		s.mu.Unlock()
		s.answer(w, method, http.StatusOK, reply{Error: "channel_not_found"})
		return
	}
	var msgs []*Message
	if method == "conversations.history" {
		for i := len(s.msgs) - 1; i >= 0; i-- {
			if m := s.msgs[i]; m.Channel == id && m.ThreadTS == "" {
				msgs = append(msgs, m)
			}
		}
	} else {
		parent, ok := s.byKey[id+"/"+p.ts]
		if !ok {
			s.mu.Unlock()
			s.answer(w, method, http.StatusOK, reply{Error: "thread_not_found"})
			return
		}
		msgs = append(msgs, parent)
		for _, m := range s.msgs {
			if m.Channel == id && m.ThreadTS == p.ts {
				msgs = append(msgs, m)
			}
		}
	}
	withMeta := p.form.Get("include_all_metadata") == "1" || p.form.Get("include_all_metadata") == "true"
	limit, _ := strconv.Atoi(p.form.Get("limit"))
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	from, _ := strconv.Atoi(p.form.Get("cursor"))
	from = min(max(from, 0), len(msgs))
	to := min(from+limit, len(msgs))
	r := reply{OK: true, ResponseMetadata: &nextCursor{}}
	for _, m := range msgs[from:to] {
		mi := messageInfo{Type: "message", TS: m.TS, ThreadTS: m.ThreadTS, Text: m.Text}
		if withMeta && m.Metadata != "" {
			mi.Metadata = json.RawMessage(m.Metadata)
		}
		r.Messages = append(r.Messages, mi)
	}
	s.mu.Unlock()
	if to < len(msgs) {
		r.HasMore, r.ResponseMetadata.NextCursor = true, strconv.Itoa(to)
	}
	s.answer(w, method, http.StatusOK, r)
}

func (s *Server) fail(w http.ResponseWriter, method string, webhook bool, code string) {
	if webhook {
		status := http.StatusBadRequest
		if code == "channel_not_found" {
			status = http.StatusNotFound
		}
		s.record(method, status, code)
		http.Error(w, code, status)
		return
	}
	s.answer(w, method, http.StatusOK, reply{Error: code})
}

func (s *Server) answer(w http.ResponseWriter, method string, status int, r reply) {
	s.record(method, status, r.Error)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(r)
}

func (s *Server) record(method string, status int, code string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reqs = append(s.reqs, Request{Method: method, Status: status, Error: code})
}

func readPayload(r *http.Request) (payload, error) {
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		p, err := readJSON(r)
		p.token = bearer(r)
		return p, err
	}
	if err := r.ParseForm(); err != nil {
		return payload{}, err
	}
	f := r.PostForm
	p := payload{token: f.Get("token"), channel: f.Get("channel"), text: f.Get("text"), ts: f.Get("ts"),
		threadTS: f.Get("thread_ts"), blocks: f.Get("blocks"), metadata: f.Get("metadata"), form: f}
	if p.token == "" {
		p.token = bearer(r)
	}
	return p, nil
}

func bearer(r *http.Request) string {
	h := r.Header.Get("Authorization")
	if t, ok := strings.CutPrefix(h, "Bearer "); ok {
		return strings.TrimSpace(t)
	}
	return ""
}

func readJSON(r *http.Request) (payload, error) {
	var body struct {
		Channel  string          `json:"channel"`
		Text     string          `json:"text"`
		TS       string          `json:"ts"`
		ThreadTS string          `json:"thread_ts"`
		Blocks   json.RawMessage `json:"blocks"`
		Metadata json.RawMessage `json:"metadata"`
	}
	if err := json.NewDecoder(io.LimitReader(r.Body, 4<<20)).Decode(&body); err != nil {
		return payload{}, err
	}
	p := payload{channel: body.Channel, text: body.Text, ts: body.TS, threadTS: body.ThreadTS}
	if len(body.Blocks) > 0 && string(body.Blocks) != "null" {
		p.blocks = string(body.Blocks)
	}
	if len(body.Metadata) > 0 && string(body.Metadata) != "null" {
		p.metadata = string(body.Metadata)
	}
	return p, nil
}

// validate applies Slack's message limits; it returns an error code or "".
func validate(p payload) string {
	if utf8.RuneCountInString(p.text) > MaxTextChars {
		return "msg_too_long"
	}
	if p.blocks == "" {
		if strings.TrimSpace(p.text) == "" {
			return "no_text"
		}
		return ""
	}
	var blocks []map[string]json.RawMessage
	if err := json.Unmarshal([]byte(p.blocks), &blocks); err != nil {
		return "invalid_blocks_format"
	}
	if len(blocks) > MaxBlocks {
		return "invalid_blocks"
	}
	ids := map[string]bool{}
	for _, b := range blocks {
		var typ, id string
		_ = json.Unmarshal(b["type"], &typ)
		if raw, ok := b["block_id"]; ok {
			_ = json.Unmarshal(raw, &id)
			if ids[id] {
				return "invalid_blocks"
			}
			ids[id] = true
		}
		switch typ {
		case "header":
			t, ok := textObject(b["text"])
			if !ok || t.Type != "plain_text" || t.Text == "" || utf8.RuneCountInString(t.Text) > MaxHeaderChars {
				return "invalid_blocks"
			}
		case "section":
			var fields []json.RawMessage
			if raw, ok := b["fields"]; ok {
				if json.Unmarshal(raw, &fields) != nil || len(fields) > MaxSectionFields {
					return "invalid_blocks"
				}
			}
			raw, hasText := b["text"]
			if !hasText && len(fields) == 0 {
				return "invalid_blocks"
			}
			if hasText {
				t, ok := textObject(raw)
				if !ok || t.Text == "" || utf8.RuneCountInString(t.Text) > MaxSectionTextChars {
					return "invalid_blocks"
				}
			}
			for _, f := range fields {
				t, ok := textObject(f)
				if !ok || t.Text == "" || utf8.RuneCountInString(t.Text) > MaxFieldChars {
					return "invalid_blocks"
				}
			}
		case "context":
			var els []json.RawMessage
			if json.Unmarshal(b["elements"], &els) != nil || len(els) == 0 || len(els) > MaxContextElements {
				return "invalid_blocks"
			}
		case "divider", "actions", "image", "rich_text":
		default:
			return "invalid_blocks"
		}
	}
	return ""
}

type text struct {
	Type string `json:"type"`
	Text string `json:"text"`
}

func textObject(raw json.RawMessage) (text, bool) {
	var t text
	if len(raw) == 0 || json.Unmarshal(raw, &t) != nil {
		return t, false
	}
	return t, t.Type == "plain_text" || t.Type == "mrkdwn"
}

// ChannelNames returns the channels that exist, sorted.
func (s *Server) ChannelNames() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, 0, len(s.order))
	for _, id := range s.order {
		out = append(out, s.names[id])
	}
	sort.Strings(out)
	return out
}
