package alerts

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
)

// dryMessage is one message a dry run would send.
type dryMessage struct {
	Key      string          `json:"key"`
	Kind     string          `json:"kind"`
	Mode     string          `json:"mode"`
	Channel  string          `json:"channel"`
	ThreadOf string          `json:"thread_of,omitempty"`
	Silenced bool            `json:"silenced,omitempty"`
	Text     string          `json:"text"`
	Blocks   json.RawMessage `json:"blocks"`
}

// DryRun evaluates the signals like Evaluate, reading but never writing the
// store and sending nothing, and writes the messages it would send as a JSON
// array of {key, kind, mode, channel, thread_of, silenced, text, blocks},
// blocks being Slack's Block Kit JSON.
func (e *Engine) DryRun(ctx context.Context, sigs []Signal, w io.Writer) error {
	return e.DryRunNotes(ctx, sigs, w, nil)
}

// DryRunNotes is DryRun that also writes to notes (when not nil) one line
// per pending condition: a rule whose threshold holds but whose for: has
// not yet passed, so it fires only if a later evaluation still finds it
// holding. A first run of a rule with for: can only make it pending.
func (e *Engine) DryRunNotes(ctx context.Context, sigs []Signal, w, notes io.Writer) error {
	st, err := e.load(ctx)
	if err != nil {
		return err
	}
	now := e.now()
	p, err := e.decide(ctx, st, sigs, now)
	if err != nil {
		return err
	}
	if notes != nil {
		for _, c := range p.conditions {
			r := e.ruleByName(c.Rule)
			if r == nil || c.Since.IsZero() || now.Sub(c.Since) >= r.For.D() {
				continue
			}
			fmt.Fprintf(notes, "pending: %s rule %s (%s) holds since %s; it fires if it still holds at %s (for: %s)\n",
				c.Topic, c.Rule, c.Severity, c.Since.UTC().Format("2006-01-02 15:04 UTC"),
				c.Since.Add(r.For.D()).UTC().Format("15:04 UTC"), r.For.D())
		}
	}
	out := make([]dryMessage, 0, len(p.items))
	for _, it := range p.items {
		out = append(out, dryMessage{Key: it.Key, Kind: it.Kind, Mode: it.Mode, Channel: it.Channel,
			ThreadOf: it.ParentKey, Silenced: it.Status != "pending", Text: it.Text, Blocks: json.RawMessage(it.Blocks)})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("alerts: dry run: %w", err)
	}
	return nil
}
