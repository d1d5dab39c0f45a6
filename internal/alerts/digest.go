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
	"github.com/backlash-monitor/backlash/internal/outbox"
)

// Digest sends the day's digest to the digest channel: each topic's volume,
// negative share, risk and notable posts, even when nothing fired. It is
// sent once per day: a second call for the same day does nothing.
func (e *Engine) Digest(ctx context.Context, sigs []Signal, day time.Time) error {
	if e.st == nil {
		return fmt.Errorf("alerts: digest needs a store")
	}
	day = day.UTC().Truncate(24 * time.Hour)
	key := "digest:" + day.Format("2006-01-02")
	have, err := e.st.OutboxItems(ctx, []string{key})
	if err != nil {
		return fmt.Errorf("alerts: digest %s: %w", key, err)
	}
	if _, done := have[key]; !done {
		r, err := e.renderDigest(ctx, sigs, day)
		if err != nil {
			return err
		}
		blocks, _ := json.Marshal(slack.Blocks{BlockSet: r.blocks})
		now := e.now()
		it := outbox.Item{Key: key, Kind: KindDigest, Mode: notify.ModePost, Channel: DigestChannel(e.cfg),
			Text: r.text, Blocks: string(blocks), Status: outbox.Pending, Created: now, Updated: now,
			WindowStart: day, WindowEnd: day.Add(24 * time.Hour), Summary: "daily digest " + day.Format("2006-01-02")}
		if err := e.st.PutOutbox(ctx, []outbox.Item{it}); err != nil {
			return fmt.Errorf("alerts: queue digest: %w", err)
		}
	}
	var rep Report
	return e.deliver(ctx, &rep)
}

func (e *Engine) renderDigest(ctx context.Context, sigs []Signal, day time.Time) (rendered, error) {
	sigs = append([]Signal(nil), sigs...)
	sort.SliceStable(sigs, func(i, j int) bool {
		if sigs[i].Risk != sigs[j].Risk {
			return sigs[i].Risk > sigs[j].Risk
		}
		return sigs[i].Topic < sigs[j].Topic
	})
	var b builder
	b.header(fmt.Sprintf(":newspaper: Daily opinion digest · %s", day.Format("Mon Jan 2, 2006")))
	if line, err := e.sourcesLine(ctx); err != nil {
		return rendered{}, err
	} else if line != "" {
		b.section(line)
	}
	if len(sigs) == 0 {
		b.section("No topic had posts in the last day.")
	}
	const perTopic = 3 // blocks per topic, to stay within Slack's 50
	shown := 0
	for _, s := range sigs {
		if len(b.blocks)+perTopic+1 > maxBlocks {
			break
		}
		shown++
		neg := 0.0
		if s.Posts > 0 {
			neg = 100 * float64(s.Negative) / float64(s.Posts)
		}
		b.divider()
		b.section(fmt.Sprintf("*%s* · risk %.0f/100 · %d posts, %d negative (%.0f%%) vs %.1f expected · %d authors · %d sources · reach %s",
			escapeName(s.Topic), s.Risk, s.Posts, s.Negative, neg, s.Expected, s.Authors, s.Sources, thousands(s.Reach)))
		var posts []string
		if e.ev != nil && e.cfg.Digest.Posts > 0 {
			from := s.At.Add(-s.Window)
			neg, err := e.ev.TopPosts(ctx, s.Topic, "negative", from, s.At, e.cfg.Digest.Posts)
			if err != nil {
				return rendered{}, fmt.Errorf("alerts: digest posts of %s: %w", s.Topic, err)
			}
			for _, p := range neg {
				posts = append(posts, quotePost(p))
			}
			if len(neg) == 0 {
				pos, err := e.ev.TopPosts(ctx, s.Topic, "", from, s.At, 1)
				if err != nil {
					return rendered{}, fmt.Errorf("alerts: digest posts of %s: %w", s.Topic, err)
				}
				for _, p := range pos {
					posts = append(posts, quotePost(p))
				}
			}
		}
		if len(posts) > 0 {
			b.section(joinLines(posts))
		}
		if u := dashboardURL(e.opts.DashboardURL, s.Topic, s.At.Add(-s.Window), s.At); u != "" {
			b.context("<" + linkURL(u) + "|Open " + escapeName(s.Topic) + " in the dashboard>")
		}
	}
	if shown < len(sigs) {
		b.context(fmt.Sprintf("…and %d more topics in the dashboard", len(sigs)-shown))
	}
	return b.done(), nil
}

// sourcesLine says how many sources are healthy and names the broken ones
// with what broke and since when: "12 of 12 sources healthy".
func (e *Engine) sourcesLine(ctx context.Context) (string, error) {
	if e.opts.SourceHealth == nil || len(e.opts.Sources) == 0 || e.opts.Health.Off {
		return "", nil
	}
	latest, err := e.opts.SourceHealth.LatestSourceHealth(ctx)
	if err != nil {
		return "", fmt.Errorf("alerts: digest source health: %w", err)
	}
	var broken []string
	for _, name := range e.opts.Sources {
		if h, ok := latest[name]; ok && !h.Healthy() {
			broken = append(broken, fmt.Sprintf("%s (%s since %s)", escapeName(name),
				escapeName(strings.Join(h.Rules(), ", ")), clock(h.BrokenSince)))
		}
	}
	n := len(e.opts.Sources)
	if len(broken) == 0 {
		return fmt.Sprintf(":white_check_mark: *%d of %d sources healthy*", n, n), nil
	}
	return fmt.Sprintf(":rotating_light: *%d of %d sources healthy* · broken: %s", n-len(broken), n,
		strings.Join(broken, "; ")), nil
}

func joinLines(xs []string) string {
	out := ""
	for i, x := range xs {
		if i > 0 {
			out += "\n"
		}
		out += x
	}
	return out
}
