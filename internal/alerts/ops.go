package alerts

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/backlash-monitor/backlash/internal/alerts/notify"
	"github.com/backlash-monitor/backlash/internal/health"
	"github.com/backlash-monitor/backlash/internal/incident"
	"github.com/backlash-monitor/backlash/internal/outbox"
)

// OpsRule is the rule name of incidents about a source's health; their
// topic is OpsTopicPrefix followed by the source's name.
const (
	OpsRule        = "source-health"
	OpsTopicPrefix = "source:"
	opsSeverity    = "warn"
)

// IsOps reports whether an incident or outbox topic is about a source's
// health rather than a topic's opinion.
func IsOps(topic string) bool { return strings.HasPrefix(topic, OpsTopicPrefix) }

// EvaluateSources turns source-health verdicts into ops incidents, one per
// broken source: it opens when a source turns unhealthy, repeats every
// health.repeat_interval while it stays so, and resolves on the first
// healthy verdict. The messages go to the ops route (health.channel, or the
// console), through the same outbox, dedup and delivery as brand alerts.
func (e *Engine) EvaluateSources(ctx context.Context, vs []health.Verdict) (Report, error) {
	var rep Report
	if e.st == nil {
		return rep, fmt.Errorf("alerts: evaluate sources needs a store")
	}
	if e.opts.Health.Off || len(vs) == 0 {
		return rep, nil
	}
	now := e.now()
	st, err := e.load(ctx)
	if err != nil {
		return rep, err
	}
	vs = append([]health.Verdict(nil), vs...)
	sort.SliceStable(vs, func(i, j int) bool { return vs[i].Source < vs[j].Source })
	p := &plan{}
	for _, v := range vs {
		e.stepSource(st, p, v, now)
	}
	rep.Events = p.events
	if err := e.enqueue(ctx, p.items); err != nil {
		return rep, err
	}
	if err := e.st.RecordAlerts(ctx, p.silenced); err != nil {
		return rep, fmt.Errorf("alerts: record silenced alerts: %w", err)
	}
	if err := e.st.SaveIncidents(ctx, p.incidents); err != nil {
		return rep, fmt.Errorf("alerts: save source incidents: %w", err)
	}
	for _, ev := range p.events {
		e.log.Info("source health "+ev.Kind, "source", strings.TrimPrefix(ev.Topic, OpsTopicPrefix),
			"incident", ev.IncidentID, "problems", ev.Value, "silenced", ev.Silenced)
	}
	err = e.deliver(ctx, &rep)
	return rep, err
}

// stepSource moves one source's ops incident along.
func (e *Engine) stepSource(st *state, p *plan, v health.Verdict, now time.Time) {
	topic := OpsTopicPrefix + v.Source
	inc, has := st.incidents[topic]
	open := has && inc.State == incident.StateOpen
	var kind string
	switch {
	case !open && v.Healthy():
		return
	case !open:
		since := v.BrokenSince
		if since.IsZero() {
			since = now
		}
		inc = incident.Incident{ID: topic + "-" + now.Format("20060102T150405Z"), Topic: topic, Rule: OpsRule,
			Severity: opsSeverity, State: incident.StateOpen, Opened: now, ClearSince: since}
		kind = KindOpen
	case v.Healthy():
		inc.State, inc.Resolved = incident.StateResolved, now
		kind = KindResolve
	case e.opts.Health.RepeatInterval > 0 && now.Sub(inc.LastNotified) >= e.opts.Health.RepeatInterval.D():
		kind = KindUpdate
	}
	inc.Updated = now
	inc.Value = float64(len(v.Problems))
	inc.PeakValue = max(inc.PeakValue, inc.Value)
	if kind == "" {
		st.incidents[topic] = inc
		p.incidents = append(p.incidents, inc)
		return
	}
	inc.LastNotified = now
	muted := st.silenced(topic, now)
	kinds := []string{kind}
	if kind == KindResolve {
		kinds = append(kinds, KindParent)
	}
	for _, k := range kinds {
		inc.Seq++
		it := e.opsItem(st, inc, v, k, now)
		if muted {
			it.Status = outbox.Silenced
			if k != KindParent {
				p.silenced = append(p.silenced, alertRow(it, "silenced", now))
			}
		}
		p.items = append(p.items, it)
		if k != KindParent {
			p.events = append(p.events, Event{Kind: k, Topic: topic, IncidentID: inc.ID, Rule: OpsRule,
				Severity: inc.Severity, Value: inc.Value, Silenced: muted})
		}
	}
	st.incidents[topic] = inc
	p.incidents = append(p.incidents, inc)
}

// opsItem renders one ops message into an outbox item. An incident's
// ClearSince holds when the source broke (ops incidents have no
// hysteresis).
func (e *Engine) opsItem(st *state, inc incident.Incident, v health.Verdict, kind string, now time.Time) outbox.Item {
	r := renderSource(inc, v, kind, now, e.opts.Health.RepeatInterval.D())
	blocks, _ := json.Marshal(slack.Blocks{BlockSet: r.blocks})
	it := outbox.Item{Key: itemKey(inc.ID, kind, inc.Seq), IncidentID: inc.ID, Kind: kind, Seq: inc.Seq,
		Topic: inc.Topic, Rule: OpsRule, Severity: string(inc.Severity), AlertState: alertStates[kind], Mode: notify.ModePost,
		Text: r.text, Blocks: string(blocks), Value: inc.Value, WindowStart: inc.ClearSince, WindowEnd: now,
		Summary: sourceSummary(inc, v, kind), Status: outbox.Pending, Created: now, Updated: now}
	ch := e.opts.Health.Channel
	switch kind {
	case KindOpen:
		it.Channel, it.Key = ch, openKey(inc.ID)
		st.parents[it.Key] = it
	case KindParent:
		it.Mode, it.ParentKey, it.AlertState = notify.ModeUpdate, openKey(inc.ID), ""
		it.Channel = ch
		if pt, ok := st.parents[openKey(inc.ID)]; ok {
			it.Channel = pt.Channel
			it.Text, it.Blocks = resolvedParent(pt, r)
		}
	default:
		it.Channel, it.ParentKey = ch, openKey(inc.ID)
		if pt, ok := st.parents[openKey(inc.ID)]; ok {
			it.Channel = pt.Channel
		}
	}
	return it
}

// resolvedParent keeps what the first message said under the RESOLVED
// header, so the thread's top still says what broke.
func resolvedParent(open outbox.Item, head rendered) (text, blocks string) {
	var bs slack.Blocks
	if err := json.Unmarshal([]byte(open.Blocks), &bs); err != nil || len(bs.BlockSet) == 0 {
		b, _ := json.Marshal(slack.Blocks{BlockSet: head.blocks})
		return head.text, string(b)
	}
	rest := bs.BlockSet
	if rest[0].BlockType() == slack.MBTHeader {
		rest = rest[1:]
	}
	out := append(append([]slack.Block(nil), head.blocks...), rest...)
	b, _ := json.Marshal(slack.Blocks{BlockSet: out[:min(len(out), maxBlocks)]})
	lines := strings.SplitN(open.Text, "\n", 2)
	text = head.text
	if len(lines) == 2 {
		text += "\n" + lines[1]
	}
	return Truncate(text, maxText), string(b)
}

func sourceSummary(inc incident.Incident, v health.Verdict, kind string) string {
	src := strings.TrimPrefix(inc.Topic, OpsTopicPrefix)
	if kind == KindResolve || kind == KindParent && inc.State == incident.StateResolved {
		return fmt.Sprintf("source %s recovered after %s", src, span(inc.Resolved.Sub(inc.ClearSince)))
	}
	return fmt.Sprintf("source %s broken since %s: %s", src, clock(inc.ClearSince), strings.Join(v.Rules(), ", "))
}

// DryRunCommand is the command an operator runs to see what a source's
// crawl extracts.
func DryRunCommand(source string) string { return "backlash crawl --dry-run --source " + source }

// renderSource renders a message about a source's health.
func renderSource(inc incident.Incident, v health.Verdict, kind string, now time.Time, repeat time.Duration) rendered {
	var b builder
	src := strings.TrimPrefix(inc.Topic, OpsTopicPrefix)
	name := escapeName(src)
	problems := func() {
		var lines []string
		for _, p := range v.Problems {
			lines = append(lines, "• "+Escape(p.Detail))
		}
		if len(lines) > 0 {
			b.section("*What broke:*\n" + strings.Join(lines, "\n"))
		}
	}
	lastGood := "no good run on record"
	if !v.LastGood.IsZero() {
		lastGood = clock(v.LastGood)
		if v.LastGoodRun != "" {
			lastGood += " (run `" + escapeName(v.LastGoodRun) + "`)"
		}
	}
	diagnose := "*Diagnose:* `" + DryRunCommand(src) + "`"
	switch {
	case kind == KindOpen:
		b.header(fmt.Sprintf(":rotating_light: Source %s is broken", src))
		problems()
		b.section(fmt.Sprintf("*Since:* %s · *Last good run:* %s", clock(inc.ClearSince), lastGood))
		b.section(diagnose)
		every := "repeats every " + span(repeat) + " while broken"
		if repeat <= 0 {
			every = "sent once while broken"
		}
		b.context("Source health · for operators · " + every + ", resolves when the source recovers")
	case kind == KindUpdate:
		b.section(fmt.Sprintf(":rotating_light: *Still broken · source %s*, for %s (since %s)", name,
			span(now.Sub(inc.ClearSince)), clock(inc.ClearSince)))
		problems()
		b.section(fmt.Sprintf("*Last good run:* %s\n%s", lastGood, diagnose))
	case kind == KindResolve:
		b.section(fmt.Sprintf(":white_check_mark: *Recovered · source %s*: run `%s` was healthy; it was broken for %s (since %s).",
			name, escapeName(v.RunID), span(now.Sub(inc.ClearSince)), clock(inc.ClearSince)))
	case kind == KindParent:
		b.header(fmt.Sprintf(":white_check_mark: RESOLVED · source %s (broken %s)", src, span(now.Sub(inc.ClearSince))))
		b.section(fmt.Sprintf("*Was broken:* %s – %s", clock(inc.ClearSince), clock(now)))
	}
	return b.done()
}
