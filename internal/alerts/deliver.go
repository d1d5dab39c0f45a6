package alerts

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/slack-go/slack"

	"github.com/backlash-monitor/backlash/internal/alerts/notify"
	"github.com/backlash-monitor/backlash/internal/incident"
	"github.com/backlash-monitor/backlash/internal/outbox"
)

// Flush delivers the notifications earlier runs left in the outbox. Call it
// at the start of each run.
func (e *Engine) Flush(ctx context.Context) error {
	if e.st == nil {
		return fmt.Errorf("alerts: flush needs a store")
	}
	var rep Report
	return e.deliver(ctx, &rep)
}

// deliver sends the pending outbox items in order. An item is marked sent
// (or failed) right after its attempt; replies wait for their thread's first
// message; a retryable failure ends the run's delivery and leaves the rest
// for the next run.
func (e *Engine) deliver(ctx context.Context, rep *Report) error {
	items, err := e.st.PendingOutbox(ctx)
	if err != nil {
		return fmt.Errorf("alerts: read outbox: %w", err)
	}
	if len(items) == 0 {
		return nil
	}
	var parentKeys []string
	for _, it := range items {
		if it.ParentKey != "" {
			parentKeys = append(parentKeys, it.ParentKey)
		}
	}
	known, err := e.st.OutboxItems(ctx, parentKeys)
	if err != nil {
		return fmt.Errorf("alerts: read outbox threads: %w", err)
	}
	pipe, ops := e.pipeline(), e.opsPipeline()
	waiting := map[string]bool{} // incidents whose earlier message is still pending
	for i, it := range items {
		if waiting[it.IncidentID] && it.IncidentID != "" {
			rep.Pending++
			continue
		}
		m, ok := e.message(it, known)
		if !ok {
			waiting[it.IncidentID] = true
			rep.Pending++
			continue
		}
		if m == nil { // nothing to do: an update of a message that was never posted
			it.Status, it.Updated = outbox.Sent, e.now()
			it.LastError = "skipped: the thread's first message has no ts to update"
			if err := e.st.PutOutbox(ctx, []outbox.Item{it}); err != nil {
				return fmt.Errorf("alerts: mark %s: %w", it.Key, err)
			}
			known[it.Key] = it
			continue
		}
		to := pipe
		if IsOps(it.Topic) {
			to = ops
		}
		retry, nerr := to.Notify(ctx, m)
		it.Attempts++
		it.Updated = e.now()
		switch {
		case nerr == nil:
			it.Status, it.SentChannel, it.SentTS, it.LastError = outbox.Sent, m.SentChannel, m.SentTS, ""
		case retry:
			it.LastError = nerr.Error()
		default:
			it.Status, it.LastError = outbox.Failed, nerr.Error()
		}
		if err := e.st.PutOutbox(ctx, []outbox.Item{it}); err != nil {
			return fmt.Errorf("alerts: mark %s %s: %w", it.Key, it.Status, err)
		}
		known[it.Key] = it
		switch it.Status {
		case outbox.Sent:
			rep.Sent = append(rep.Sent, it.Key)
			e.log.Info("alert sent", "key", it.Key, "topic", it.Topic, "channel", it.SentChannel, "ts", it.SentTS)
			if it.AlertState != "" {
				if err := e.st.RecordAlerts(ctx, []incident.AlertRow{alertRow(it, it.AlertState, it.Created)}); err != nil {
					return fmt.Errorf("alerts: record alert %s: %w", it.Key, err)
				}
			}
		case outbox.Failed:
			rep.Failed = append(rep.Failed, it.Key)
			e.log.Error("alert refused", "key", it.Key, "topic", it.Topic, "err", nerr)
		default:
			rep.Pending += len(items) - i
			e.log.Warn("alert delivery deferred to the next run", "key", it.Key, "topic", it.Topic,
				"attempts", it.Attempts, "left", len(items)-i, "err", nerr)
			return nil
		}
	}
	return nil
}

// message turns an outbox item into a message. It returns ok=false while
// the item must wait for its thread's first message, and a nil message when
// there is nothing to send.
func (e *Engine) message(it outbox.Item, known map[string]outbox.Item) (*notify.Message, bool) {
	// An earlier attempt that failed may still have been delivered; a
	// receiver that can look for it does so before posting again.
	m := &notify.Message{Key: it.Key, Kind: it.Kind, Mode: it.Mode, Channel: it.Channel, Text: it.Text,
		MaybeSent: it.Attempts > 0}
	if it.Blocks != "" {
		var bs slack.Blocks
		if err := json.Unmarshal([]byte(it.Blocks), &bs); err != nil {
			e.log.Error("alert blocks unreadable; sending text only", "key", it.Key, "err", err)
		} else {
			m.Blocks = bs.BlockSet
		}
	}
	if it.ParentKey == "" {
		return m, true
	}
	parent, ok := known[it.ParentKey]
	if ok && parent.Status == outbox.Pending {
		return nil, false
	}
	sent := ok && parent.Status == outbox.Sent && parent.SentTS != ""
	if it.Mode == notify.ModeUpdate {
		if !sent {
			return nil, true
		}
		m.UpdateChannel, m.UpdateTS = parent.SentChannel, parent.SentTS
		return m, true
	}
	if sent {
		m.ThreadTS = parent.SentTS
		if notify.InChannel(parent.SentChannel) {
			m.Channel = parent.SentChannel
		}
	}
	return m, true
}
