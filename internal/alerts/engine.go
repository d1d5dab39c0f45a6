package alerts

import (
	"context"
	"encoding/json"
	"fmt"
	"github.com/backlash-monitor/backlash/internal/analyzer/drivers"
	"log/slog"
	"sort"
	"time"

	"github.com/slack-go/slack"

	"github.com/backlash-monitor/backlash/internal/alerts/notify"
	"github.com/backlash-monitor/backlash/internal/config"
	"github.com/backlash-monitor/backlash/internal/incident"
	"github.com/backlash-monitor/backlash/internal/outbox"
	"github.com/backlash-monitor/backlash/internal/silence"
)

// Alert states written to the alerts table.
var alertStates = map[string]string{
	KindOpen: incident.AlertFiring, KindReopen: incident.AlertFiring, KindEscalate: incident.AlertEscalated,
	KindRoute: incident.AlertEscalated, KindUpdate: incident.AlertUpdate, KindResolve: incident.AlertResolved,
}

// Engine evaluates rules on signals, keeps incidents and delivers their
// notifications.
type Engine struct {
	cfg  config.Alerts
	st   IncidentStore
	ev   Evidence
	n    Notifier
	opts Options
	log  *slog.Logger
	// baseline keeps each topic's term counts for drivers (nil without a
	// Tokenizer).
	baseline *drivers.Baseline
}

// NewEngine returns an engine keeping state in st, quoting posts from ev and
// delivering through n.
func NewEngine(cfg config.Alerts, st IncidentStore, ev Evidence, n Notifier, opts Options) *Engine {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	e := &Engine{cfg: cfg, st: st, ev: ev, n: n, opts: opts, log: opts.Logger}
	if opts.Tokenizer != nil {
		src, ok := ev.(drivers.Source)
		if !ok {
			src = evidenceSource{ev}
		}
		e.baseline = drivers.NewBaseline(opts.Tokenizer, src, drivers.BaselineOptions{})
	}
	return e
}

func (e *Engine) now() time.Time { return e.opts.Now().UTC().Truncate(time.Second) }

// pipeline wraps the notifier in the retry stage; one per run, so the
// run's waiting budget starts afresh.
func (e *Engine) pipeline() Notifier { return e.retry(e.n) }

// opsPipeline is pipeline for the ops route.
func (e *Engine) opsPipeline() Notifier {
	if e.opts.Ops == nil {
		return e.pipeline()
	}
	return e.retry(e.opts.Ops)
}

func (e *Engine) retry(n Notifier) Notifier {
	r := e.cfg.Retry
	return &notify.Retry{Next: n, Attempts: r.Attempts, MaxWait: r.MaxWait.D(), Sleep: e.opts.Sleep,
		Backoff: notify.Backoff{Initial: r.InitialBackoff.D(), Max: r.MaxBackoff.D()}}
}

// state is what an evaluation starts from.
type state struct {
	incidents  map[string]incident.Incident
	conditions map[string]incident.Condition
	silences   []silence.Silence
	parents    map[string]outbox.Item
}

func condKey(topic, rule string, sev incident.Severity) string {
	return topic + "\x00" + rule + "\x00" + string(sev)
}

func (e *Engine) load(ctx context.Context) (*state, error) {
	s := &state{incidents: map[string]incident.Incident{}, conditions: map[string]incident.Condition{},
		parents: map[string]outbox.Item{}}
	if e.st == nil {
		return s, nil
	}
	incs, err := e.st.LatestIncidents(ctx)
	if err != nil {
		return nil, fmt.Errorf("alerts: load incidents: %w", err)
	}
	var keys []string
	for _, in := range incs {
		s.incidents[in.Topic] = in
		keys = append(keys, openKey(in.ID))
	}
	if s.parents, err = e.st.OutboxItems(ctx, keys); err != nil {
		return nil, fmt.Errorf("alerts: load incident threads: %w", err)
	}
	cs, err := e.st.Conditions(ctx)
	if err != nil {
		return nil, fmt.Errorf("alerts: load rule conditions: %w", err)
	}
	for _, c := range cs {
		s.conditions[condKey(c.Topic, c.Rule, c.Severity)] = c
	}
	if s.silences, err = e.st.Silences(ctx); err != nil {
		return nil, fmt.Errorf("alerts: load silences: %w", err)
	}
	return s, nil
}

// silenced reports whether a silence mutes the topic at t.
func (s *state) silenced(topic string, t time.Time) bool {
	for _, sl := range s.silences {
		if (sl.Topic == topic || sl.Topic == "*") && sl.Active(t) {
			return true
		}
	}
	return false
}

func openKey(id string) string { return id + ":" + KindOpen + ":1" }

func itemKey(id, kind string, seq uint32) string { return fmt.Sprintf("%s:%s:%d", id, kind, seq) }

// candidate is a rule level that fires.
type candidate struct {
	rule  *config.Rule
	level config.Level
	value float64
	sig   Signal // the view the rule was evaluated on
}

// plan is what an evaluation decided: state to save and messages to queue.
type plan struct {
	events     []Event
	items      []outbox.Item
	incidents  []incident.Incident
	conditions []incident.Condition
	silenced   []incident.AlertRow
}

// metric returns the value a rule watches.
func metric(name string, s Signal) float64 {
	switch name {
	case "risk":
		return s.Risk
	case "negative_ratio":
		return s.NegativeRatio
	case "deviation":
		return s.Deviation
	default:
		return s.Components[name]
	}
}

func (e *Engine) ruleByName(name string) *config.Rule {
	for i := range e.cfg.Rules {
		if e.cfg.Rules[i].Name == name {
			return &e.cfg.Rules[i]
		}
	}
	return nil
}

// decide runs the rules on the signals against st.
func (e *Engine) decide(ctx context.Context, st *state, sigs []Signal, now time.Time) (*plan, error) {
	p := &plan{}
	sigs = append([]Signal(nil), sigs...)
	sort.SliceStable(sigs, func(i, j int) bool { return sigs[i].Topic < sigs[j].Topic })
	for lo := 0; lo < len(sigs); {
		hi := lo + 1
		for hi < len(sigs) && sigs[hi].Topic == sigs[lo].Topic {
			hi++
		}
		views := sigs[lo:hi]
		lo = hi
		sig := views[0]
		var best *candidate
		anyHold := false
		for i := range e.cfg.Rules {
			r := &e.cfg.Rules[i]
			if r.Topic != "*" && r.Topic != sig.Topic {
				continue
			}
			sig := ruleView(r, views)
			val := metric(r.Metric, sig)
			enough := sig.Negative >= r.MinPosts && sig.NegativeAuthors >= r.MinAuthors && sig.Sources >= r.MinSources
			for _, l := range r.Levels() {
				holds := val >= l.Threshold
				anyHold = anyHold || holds
				k := condKey(sig.Topic, r.Name, l.Severity)
				c, had := st.conditions[k]
				if had && sig.Window > 0 && now.Sub(c.Seen) > sig.Window {
					// Evaluations more than a window apart are not
					// consecutive: the condition starts over.
					c.Since = time.Time{}
				}
				c.Topic, c.Rule, c.Severity, c.Seen = sig.Topic, r.Name, l.Severity, now
				if holds && enough {
					if c.Since.IsZero() {
						c.Since = now
					}
				} else {
					c.Since = time.Time{}
				}
				if had || !c.Since.IsZero() {
					st.conditions[k] = c
					p.conditions = append(p.conditions, c)
				}
				if c.Since.IsZero() || now.Sub(c.Since) < r.For.D() {
					continue
				}
				cand := &candidate{rule: r, level: l, value: val, sig: sig}
				if best == nil || better(cand, best) {
					best = cand
				}
			}
		}
		if best != nil {
			sig = best.sig
		}
		if err := e.step(ctx, st, p, sig, best, anyHold, now); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// ruleView returns the topic's signal assessed over the rule's window and
// baseline; the first signal (the topic's standard assessment) when none
// matches. A signal without a Baseline matches any baseline.
func ruleView(r *config.Rule, views []Signal) Signal {
	for _, s := range views {
		if s.Window == r.Window.D() && (s.Baseline == 0 || s.Baseline == r.Baseline.D()) {
			return s
		}
	}
	return views[0]
}

func better(a, b *candidate) bool {
	ra, rb := SeverityRank(a.level.Severity), SeverityRank(b.level.Severity)
	if ra != rb {
		return ra > rb
	}
	return a.value/a.level.Threshold > b.value/b.level.Threshold
}

// step moves one topic's incident along.
func (e *Engine) step(ctx context.Context, st *state, p *plan, sig Signal, best *candidate, anyHold bool, now time.Time) error {
	inc, has := st.incidents[sig.Topic]
	open := has && inc.State == incident.StateOpen
	prevRisk, hasPrev := inc.Risk, has
	prevSev := inc.Severity
	var kinds []string
	switch {
	case !open && best == nil:
		return nil
	case !open:
		if has && now.Sub(inc.Resolved) < best.rule.Cooldown.D() {
			inc.State, inc.Resolved = incident.StateOpen, time.Time{}
			kinds = append(kinds, KindReopen)
		} else {
			inc = incident.Incident{ID: sig.Topic + "-" + now.Format("20060102T150405Z"), Topic: sig.Topic,
				State: incident.StateOpen, Opened: now}
			hasPrev = false
			kinds = append(kinds, KindOpen)
		}
		inc.Rule, inc.Severity, inc.Value, inc.Threshold = best.rule.Name, best.level.Severity, best.value, best.level.Threshold
		inc.ClearSince = time.Time{}
	default:
		rule := e.ruleByName(inc.Rule)
		resolveAfter, repeat := e.cfg.ResolveAfter.D(), e.cfg.RepeatInterval.D()
		if rule != nil {
			resolveAfter, repeat = rule.ResolveAfter.D(), rule.RepeatInterval.D()
		}
		if best != nil && SeverityRank(best.level.Severity) > SeverityRank(inc.Severity) {
			inc.Rule, inc.Severity, inc.Value, inc.Threshold = best.rule.Name, best.level.Severity, best.value, best.level.Threshold
			kinds = append(kinds, KindEscalate)
			if ChannelFor(e.cfg.Slack, inc.Severity) != e.threadChannel(st, inc, prevSev) {
				kinds = append(kinds, KindRoute)
			}
		} else if best != nil && best.rule.Name == inc.Rule {
			inc.Value = best.value
		} else if rule != nil {
			inc.Value = metric(rule.Metric, sig)
		}
		if anyHold {
			inc.ClearSince = time.Time{}
		} else if inc.ClearSince.IsZero() {
			inc.ClearSince = now
		}
		switch {
		case !anyHold && now.Sub(inc.ClearSince) >= resolveAfter:
			inc.State, inc.Resolved = incident.StateResolved, now
			kinds = append(kinds, KindResolve)
		case len(kinds) == 0 && repeat > 0 && now.Sub(inc.LastNotified) >= repeat:
			kinds = append(kinds, KindUpdate)
		}
	}
	inc.Updated = now
	inc.PeakValue = max(inc.PeakValue, inc.Value)
	if len(kinds) == 0 {
		inc.Risk = sig.Risk
		st.incidents[sig.Topic] = inc
		p.incidents = append(p.incidents, inc)
		return nil
	}
	inc.LastNotified = now
	muted := st.silenced(sig.Topic, now)
	rule := e.ruleByName(inc.Rule)
	var ev found
	if needsEvidence(kinds) {
		var err error
		if ev, err = e.evidence(ctx, sig, inc.Opened); err != nil {
			return err
		}
		e.saveDrivers(ctx, inc, sig, ev)
	}
	for _, kind := range kinds {
		inc.Seq++
		v := view{kind: kind, inc: inc, sig: sig, rule: rule, prevSev: prevSev, prevRisk: prevRisk, hasPrev: hasPrev,
			posts: ev.posts, entities: ev.entities, terms: ev.terms, themes: ev.themes, drivers: ev.drivers, negative: ev.negative, dash: e.opts.DashboardURL, now: now}
		it := e.item(st, v)
		p.items = append(p.items, it)
		p.events = append(p.events, Event{Kind: kind, Topic: inc.Topic, IncidentID: inc.ID, Rule: inc.Rule,
			Severity: inc.Severity, Value: inc.Value, Threshold: inc.Threshold, Silenced: muted})
		if muted {
			p.silenced = append(p.silenced, alertRow(it, incident.AlertSilenced, now))
		}
	}
	if kinds[0] != KindOpen && !muted {
		// Show the current severity (or the resolution) on the thread's
		// first message.
		inc.Seq++
		v := view{kind: KindParent, inc: inc, sig: sig, rule: rule, prevRisk: prevRisk, hasPrev: hasPrev,
			dash: e.opts.DashboardURL, now: now}
		p.items = append(p.items, e.item(st, v))
	}
	if muted {
		for i := range p.items {
			if p.items[i].IncidentID == inc.ID && p.items[i].Status == outbox.Pending {
				p.items[i].Status = outbox.Silenced
			}
		}
	}
	inc.Risk = sig.Risk
	st.incidents[sig.Topic] = inc
	p.incidents = append(p.incidents, inc)
	return nil
}

func needsEvidence(kinds []string) bool {
	for _, k := range kinds {
		if k != KindResolve {
			return true
		}
	}
	return false
}

// threadChannel is the channel of the incident's thread: where its first
// message went.
func (e *Engine) threadChannel(st *state, inc incident.Incident, openSev incident.Severity) string {
	if it, ok := st.parents[openKey(inc.ID)]; ok {
		return it.Channel
	}
	return ChannelFor(e.cfg.Slack, openSev)
}

// evidence reads the top negative posts of the signal's window and, when
// a tokenizer is configured, what drives them against the topic's week
// before the incident that opened at opened.
func (e *Engine) evidence(ctx context.Context, sig Signal, opened time.Time) (found, error) {
	if e.ev == nil || e.cfg.Evidence == 0 {
		return found{}, nil
	}
	var f found
	if e.opts.Tokenizer != nil {
		var err error
		if f, err = e.driversEvidence(ctx, sig, opened, e.cfg.Evidence); err != nil {
			return f, err
		}
	} else {
		posts, err := e.ev.TopPosts(ctx, sig.Topic, "negative", sig.At.Add(-sig.Window), sig.At, e.cfg.Evidence)
		if err != nil {
			return f, fmt.Errorf("alerts: evidence for %s: %w", sig.Topic, err)
		}
		f.posts = posts
	}
	if e.opts.Entities != nil && len(f.posts) > 0 {
		texts := make([]string, len(f.posts))
		for i, p := range f.posts {
			// A post's own words: a thread's title is not what a reply
			// says.
			texts[i] = p.Text
		}
		f.entities = e.opts.Entities(texts)
		if e.opts.Tokenizer != nil {
			f.entities = goodEntities(f.entities, texts, append([]string{sig.Topic}, e.opts.TopicNames[sig.Topic]...))
		}
	}
	return f, nil
}

// item renders a view into an outbox item.
func (e *Engine) item(st *state, v view) outbox.Item {
	r := renderIncident(v)
	blocks, _ := json.Marshal(slack.Blocks{BlockSet: r.blocks})
	it := outbox.Item{Key: itemKey(v.inc.ID, v.kind, v.inc.Seq), IncidentID: v.inc.ID, Kind: v.kind, Seq: v.inc.Seq,
		Topic: v.inc.Topic, Rule: v.inc.Rule, Severity: string(v.inc.Severity), AlertState: alertStates[v.kind],
		Mode: notify.ModePost, Text: r.text, Blocks: string(blocks), Value: v.inc.Value, Threshold: v.inc.Threshold,
		Observed: v.sig.Observed, Expected: v.sig.Expected, WindowStart: v.sig.At.Add(-v.sig.Window), WindowEnd: v.sig.At,
		Summary: summary(v), Status: outbox.Pending, Created: v.now, Updated: v.now}
	thread := e.threadChannel(st, v.inc, v.inc.Severity)
	switch v.kind {
	case KindOpen:
		it.Channel = ChannelFor(e.cfg.Slack, v.inc.Severity)
		it.Key = openKey(v.inc.ID)
		st.parents[it.Key] = it
	case KindRoute:
		it.Channel = ChannelFor(e.cfg.Slack, v.inc.Severity)
	case KindParent:
		it.Mode, it.Channel, it.ParentKey = notify.ModeUpdate, thread, openKey(v.inc.ID)
	default:
		it.Channel, it.ParentKey = thread, openKey(v.inc.ID)
	}
	return it
}

func summary(v view) string {
	return fmt.Sprintf("%s %s %s: risk %.0f, %s %s (threshold %s), %d negative posts vs %.1f expected",
		v.inc.Topic, v.kind, v.inc.Severity, v.sig.Risk, metricName(v.rule), formatValue(v.rule, v.inc.Value),
		formatValue(v.rule, v.inc.Threshold), int(v.sig.Observed), v.sig.Expected)
}

func alertRow(it outbox.Item, state string, at time.Time) incident.AlertRow {
	return incident.AlertRow{AlertID: it.Key, IncidentID: it.IncidentID, Rule: it.Rule, Topic: it.Topic,
		Severity: it.Severity, State: state, At: at, WindowStart: it.WindowStart, WindowEnd: it.WindowEnd,
		Value: it.Value, Threshold: it.Threshold, Observed: it.Observed, Expected: it.Expected, Summary: it.Summary,
		Channel: it.SentChannel, MessageTS: it.SentTS}
}

// Evaluate runs the rules on the signals, moves incidents along, queues
// their notifications in the outbox and delivers what it can.
func (e *Engine) Evaluate(ctx context.Context, sigs []Signal) (Report, error) {
	var rep Report
	if e.st == nil {
		return rep, fmt.Errorf("alerts: evaluate needs a store")
	}
	now := e.now()
	st, err := e.load(ctx)
	if err != nil {
		return rep, err
	}
	p, err := e.decide(ctx, st, sigs, now)
	if err != nil {
		return rep, err
	}
	rep.Events = p.events
	if err := e.enqueue(ctx, p.items); err != nil {
		return rep, err
	}
	if err := e.st.RecordAlerts(ctx, p.silenced); err != nil {
		return rep, fmt.Errorf("alerts: record silenced alerts: %w", err)
	}
	if err := e.st.SaveConditions(ctx, p.conditions); err != nil {
		return rep, fmt.Errorf("alerts: save rule conditions: %w", err)
	}
	if err := e.st.SaveIncidents(ctx, p.incidents); err != nil {
		return rep, fmt.Errorf("alerts: save incidents: %w", err)
	}
	for _, ev := range p.events {
		e.log.Info("alert "+ev.Kind, "topic", ev.Topic, "incident", ev.IncidentID, "rule", ev.Rule,
			"severity", ev.Severity, "value", ev.Value, "threshold", ev.Threshold, "silenced", ev.Silenced)
	}
	err = e.deliver(ctx, &rep)
	return rep, err
}

// enqueue writes items to the outbox, skipping keys already there so a
// re-run after a crash never queues a message twice.
func (e *Engine) enqueue(ctx context.Context, items []outbox.Item) error {
	if len(items) == 0 {
		return nil
	}
	keys := make([]string, len(items))
	for i, it := range items {
		keys[i] = it.Key
	}
	have, err := e.st.OutboxItems(ctx, keys)
	if err != nil {
		return fmt.Errorf("alerts: check outbox: %w", err)
	}
	var fresh []outbox.Item
	for _, it := range items {
		if _, dup := have[it.Key]; dup {
			e.log.Info("alert already queued", "key", it.Key)
			continue
		}
		fresh = append(fresh, it)
	}
	if err := e.st.PutOutbox(ctx, fresh); err != nil {
		return fmt.Errorf("alerts: queue notifications: %w", err)
	}
	return nil
}
