package alerts

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/backlash-monitor/backlash/internal/silence"
)

// Silence mutes a topic's notifications ("*" for every topic) from now for
// dur, and returns the silence's id. Incidents are still recorded.
func Silence(ctx context.Context, st SilenceStore, topic string, dur time.Duration, reason, by string) (string, error) {
	return SilenceFrom(ctx, st, topic, time.Now(), dur, reason, by)
}

// SilenceFrom is Silence starting at start instead of now, for simulated
// clocks (the demo, backtests).
func SilenceFrom(ctx context.Context, st SilenceStore, topic string, start time.Time, dur time.Duration, reason, by string) (string, error) {
	topic = strings.TrimSpace(topic)
	if topic == "" {
		return "", fmt.Errorf("alerts: silence needs a topic (or *)")
	}
	if dur <= 0 {
		return "", fmt.Errorf("alerts: silence of %s needs a positive duration, got %s", topic, dur)
	}
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("alerts: silence id: %w", err)
	}
	now := start.UTC().Truncate(time.Second)
	sl := silence.Silence{ID: "sil-" + hex.EncodeToString(b[:]), Topic: topic, Reason: reason, CreatedBy: by,
		Starts: now, Ends: now.Add(dur), Created: now}
	if err := st.SaveSilence(ctx, sl); err != nil {
		return "", fmt.Errorf("alerts: silence %s: %w", topic, err)
	}
	return sl.ID, nil
}

// ListSilences returns the silences that have not ended, newest first;
// with all, every silence ever made.
func ListSilences(ctx context.Context, st SilenceStore, all bool) ([]silence.Silence, error) {
	sls, err := st.Silences(ctx)
	if err != nil {
		return nil, fmt.Errorf("alerts: list silences: %w", err)
	}
	if all {
		return sls, nil
	}
	now := time.Now()
	var out []silence.Silence
	for _, s := range sls {
		if !s.Expired && now.Before(s.Ends) {
			out = append(out, s)
		}
	}
	return out, nil
}

// ExpireSilence ends a silence now.
func ExpireSilence(ctx context.Context, st SilenceStore, id string) error {
	sls, err := st.Silences(ctx)
	if err != nil {
		return fmt.Errorf("alerts: expire silence %s: %w", id, err)
	}
	for _, s := range sls {
		if s.ID != id {
			continue
		}
		if s.Expired {
			return nil
		}
		s.Expired = true
		if now := time.Now().UTC().Truncate(time.Second); now.Before(s.Ends) {
			s.Ends = now
		}
		if err := st.SaveSilence(ctx, s); err != nil {
			return fmt.Errorf("alerts: expire silence %s: %w", id, err)
		}
		return nil
	}
	return fmt.Errorf("alerts: expire silence %s: %w", id, ErrNoSuchSilence)
}

// ErrNoSuchSilence is returned when expiring an unknown silence.
var ErrNoSuchSilence = fmt.Errorf("no such silence")
