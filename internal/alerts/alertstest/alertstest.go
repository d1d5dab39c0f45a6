// Package alertstest gives the alert engine's tests an in-memory store: a
// real implementation of alerts.IncidentStore that keeps incidents,
// conditions, the outbox, silences and the alerts table in maps, with the
// semantics of the ClickHouse store (latest version wins, times kept to
// the second, the same orderings), so every lifecycle rule can be tested
// without a database. Tests assert on what it holds, as Telegraf's tests
// assert on testutil.Accumulator.
package alertstest

import (
	"context"
	"sort"
	"sync"
	"time"

	"github.com/backlash-monitor/backlash/internal/incident"
	"github.com/backlash-monitor/backlash/internal/outbox"
	"github.com/backlash-monitor/backlash/internal/silence"
)

// Store is an in-memory alerts.IncidentStore. The zero value is not
// usable; call New. It is safe for concurrent use.
type Store struct {
	mu         sync.Mutex
	incidents  map[string]incident.Incident
	conditions map[[3]string]incident.Condition
	outbox     map[string]outbox.Item
	silences   map[string]silence.Silence
	alerts     []incident.AlertRow
	// err, when set by Fail, is returned by every method.
	err error
}

// New returns an empty store.
func New() *Store {
	return &Store{incidents: map[string]incident.Incident{}, conditions: map[[3]string]incident.Condition{},
		outbox: map[string]outbox.Item{}, silences: map[string]silence.Silence{}}
}

// Fail makes every later call return err, as a store outage would; nil
// heals it.
func (s *Store) Fail(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.err = err
}

// sec keeps a time as a ClickHouse DateTime does: UTC, whole seconds, the
// zero time kept zero.
func sec(t time.Time) time.Time {
	if t.IsZero() || t.Unix() <= 0 {
		return time.Time{}
	}
	return t.UTC().Truncate(time.Second)
}

// SaveIncidents stores a new version of each incident.
func (s *Store) SaveIncidents(_ context.Context, incs []incident.Incident) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return s.err
	}
	for _, in := range incs {
		in.Opened, in.Updated, in.Resolved = sec(in.Opened), sec(in.Updated), sec(in.Resolved)
		in.LastNotified, in.ClearSince = sec(in.LastNotified), sec(in.ClearSince)
		s.incidents[in.ID] = in
	}
	return nil
}

// LatestIncidents returns, per topic, the most recently opened incident in
// its latest version, ordered by topic.
func (s *Store) LatestIncidents(context.Context) ([]incident.Incident, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return nil, s.err
	}
	latest := map[string]incident.Incident{}
	for _, in := range s.incidents {
		if cur, ok := latest[in.Topic]; !ok || in.Opened.After(cur.Opened) || in.Opened.Equal(cur.Opened) && in.ID > cur.ID {
			latest[in.Topic] = in
		}
	}
	out := make([]incident.Incident, 0, len(latest))
	for _, in := range latest {
		out = append(out, in)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Topic < out[j].Topic })
	return out, nil
}

// Incidents returns the latest version of every incident, oldest first.
func (s *Store) Incidents() []incident.Incident {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]incident.Incident, 0, len(s.incidents))
	for _, in := range s.incidents {
		out = append(out, in)
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].Opened.Equal(out[j].Opened) {
			return out[i].Opened.Before(out[j].Opened)
		}
		return out[i].ID < out[j].ID
	})
	return out
}

// SaveConditions stores a new version of each condition.
func (s *Store) SaveConditions(_ context.Context, cs []incident.Condition) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return s.err
	}
	for _, c := range cs {
		c.Since, c.Seen = sec(c.Since), sec(c.Seen)
		s.conditions[[3]string{c.Topic, c.Rule, string(c.Severity)}] = c
	}
	return nil
}

// Conditions returns the latest version of every condition.
func (s *Store) Conditions(context.Context) ([]incident.Condition, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return nil, s.err
	}
	out := make([]incident.Condition, 0, len(s.conditions))
	for _, c := range s.conditions {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Topic != b.Topic {
			return a.Topic < b.Topic
		}
		if a.Rule != b.Rule {
			return a.Rule < b.Rule
		}
		return a.Severity < b.Severity
	})
	return out, nil
}

// PutOutbox stores a new version of each item.
func (s *Store) PutOutbox(_ context.Context, items []outbox.Item) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return s.err
	}
	for _, it := range items {
		it.WindowStart, it.WindowEnd = sec(it.WindowStart), sec(it.WindowEnd)
		it.Created, it.Updated = sec(it.Created), sec(it.Updated)
		s.outbox[it.Key] = it
	}
	return nil
}

// OutboxItems returns the latest version of the items with the given keys.
func (s *Store) OutboxItems(_ context.Context, keys []string) (map[string]outbox.Item, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return nil, s.err
	}
	out := map[string]outbox.Item{}
	for _, k := range keys {
		if it, ok := s.outbox[k]; ok {
			out[k] = it
		}
	}
	return out, nil
}

// PendingOutbox returns the items not yet delivered, oldest first.
func (s *Store) PendingOutbox(context.Context) ([]outbox.Item, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return nil, s.err
	}
	var out []outbox.Item
	for _, it := range s.outbox {
		if it.Status == outbox.Pending {
			out = append(out, it)
		}
	}
	sortOutbox(out)
	return out, nil
}

// Outbox returns every item in its latest version, oldest first.
func (s *Store) Outbox() []outbox.Item {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]outbox.Item, 0, len(s.outbox))
	for _, it := range s.outbox {
		out = append(out, it)
	}
	sortOutbox(out)
	return out
}

// sortOutbox orders items as the ClickHouse store reads them: by created,
// incident, sequence and key.
func sortOutbox(items []outbox.Item) {
	sort.Slice(items, func(i, j int) bool {
		a, b := items[i], items[j]
		switch {
		case !a.Created.Equal(b.Created):
			return a.Created.Before(b.Created)
		case a.IncidentID != b.IncidentID:
			return a.IncidentID < b.IncidentID
		case a.Seq != b.Seq:
			return a.Seq < b.Seq
		}
		return a.Key < b.Key
	})
}

// RecordAlerts appends rows to the alerts table.
func (s *Store) RecordAlerts(_ context.Context, rows []incident.AlertRow) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return s.err
	}
	for _, r := range rows {
		r.At, r.WindowStart, r.WindowEnd = sec(r.At), sec(r.WindowStart), sec(r.WindowEnd)
		s.alerts = append(s.alerts, r)
	}
	return nil
}

// Alerts returns a topic's alert rows in [from, to), oldest first; empty
// topic means every topic. It reads like the ClickHouse store's Alerts.
func (s *Store) Alerts(_ context.Context, topic string, from, to time.Time) ([]incident.AlertRow, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return nil, s.err
	}
	var out []incident.AlertRow
	for _, r := range s.alerts {
		if (topic == "" || r.Topic == topic) && !r.At.Before(from) && r.At.Before(to) {
			out = append(out, r)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].At.Equal(out[j].At) {
			return out[i].At.Before(out[j].At)
		}
		return out[i].AlertID < out[j].AlertID
	})
	return out, nil
}

// SaveSilence stores a new version of a silence; its Created is the first
// version's.
func (s *Store) SaveSilence(_ context.Context, sl silence.Silence) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return s.err
	}
	sl.Starts, sl.Ends, sl.Created = sec(sl.Starts), sec(sl.Ends), sec(sl.Created)
	if old, ok := s.silences[sl.ID]; ok && old.Created.Before(sl.Created) {
		sl.Created = old.Created
	}
	s.silences[sl.ID] = sl
	return nil
}

// Silences returns the latest version of every silence, newest first.
func (s *Store) Silences(context.Context) ([]silence.Silence, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return nil, s.err
	}
	out := make([]silence.Silence, 0, len(s.silences))
	for _, sl := range s.silences {
		out = append(out, sl)
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].Created.Equal(out[j].Created) {
			return out[i].Created.After(out[j].Created)
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}
