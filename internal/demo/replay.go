package demo

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/backlash-monitor/backlash/internal/alerts"
	"github.com/backlash-monitor/backlash/internal/config"
	"github.com/backlash-monitor/backlash/internal/pipeline"
)

// Runner runs one crawl-analyse-alert cycle as of a simulated time;
// *pipeline.Job is one.
type Runner interface {
	Run(ctx context.Context, runID string, sources []config.Source, now time.Time) (pipeline.RunResult, error)
}

// ReplayOptions paces a replay.
type ReplayOptions struct {
	// Step is the simulated time between runs (default 15m).
	Step time.Duration
	// Until ends the replay early (default: the scenario's end).
	Until time.Time
	// Pace is the wall time to wait between runs (default 0: flat out).
	Pace time.Duration
	// SetClock, when set, is told each run's simulated time before the run,
	// for the crawler's and the alert engine's clocks.
	SetClock func(time.Time)
	// OnStep, when set, sees every run's result.
	OnStep func(at time.Time, res pipeline.RunResult, err error)
}

// Alert is one incident event seen during a replay.
type Alert struct {
	// At is the simulated time of the run that raised it.
	At time.Time
	alerts.Event
}

// Summary is what a replay did, measured against the scenario's ground
// truth.
type Summary struct {
	// Onset is the ground-truth start of the backlash.
	Onset time.Time
	// Backlash and Calm are the two topics.
	Backlash, Calm string
	// Events are every incident event, in order.
	Events []Alert
	// FirstAlert is the first incident opened on the backlash topic at or
	// after the onset (zero if none).
	FirstAlert time.Time
	// FalseAlerts are incidents opened on the calm topic or before the onset.
	FalseAlerts []Alert
	// Escalated and Resolved say whether the backlash incident escalated
	// and resolved.
	Escalated, Resolved bool
	// OpsAlerts are the source-health incident events: none in a replay of
	// sources that keep working.
	OpsAlerts []Alert
	// Posts is how many posts were stored for the first time; Runs how many
	// runs the replay made; Errors how many of them failed.
	Posts, Runs, Errors int
	// Wall is the replay's wall time; Simulated the simulated span.
	Wall, Simulated time.Duration
}

// DetectionDelay is the first alert's delay after the onset, or -1 when
// nothing fired.
func (s Summary) DetectionDelay() time.Duration {
	if s.FirstAlert.IsZero() {
		return -1
	}
	return s.FirstAlert.Sub(s.Onset)
}

// WallPerSimDay is the wall time a simulated day took.
func (s Summary) WallPerSimDay() time.Duration {
	if s.Simulated <= 0 {
		return 0
	}
	return time.Duration(float64(s.Wall) * float64(24*time.Hour) / float64(s.Simulated))
}

// PostsPerSecond is posts stored per wall second through the whole
// pipeline: crawl, score, store, roll up, assess and alert.
func (s Summary) PostsPerSecond() float64 {
	if s.Wall <= 0 {
		return 0
	}
	return float64(s.Posts) / s.Wall.Seconds()
}

// Replay moves the site's clock from the scenario's start to its end in
// steps and runs job over sources at each one, as a cron would, and returns
// how detection went against the ground truth.
func Replay(ctx context.Context, sc *Scenario, site *Site, job Runner, sources []config.Source, o ReplayOptions) (Summary, error) {
	if o.Step <= 0 {
		o.Step = 15 * time.Minute
	}
	backlash, calm := sc.Topics()
	sum := Summary{Onset: sc.Onset(), Backlash: backlash, Calm: calm}
	started := time.Now()
	end := sc.End()
	if !o.Until.IsZero() && o.Until.Before(end) {
		end = o.Until
	}
	var at time.Time
	for at = sc.Start().Add(o.Step); !at.After(end); at = at.Add(o.Step) {
		if err := ctx.Err(); err != nil {
			sum.Wall = time.Since(started)
			return sum, err
		}
		site.SetNow(at)
		if o.SetClock != nil {
			o.SetClock(at)
		}
		res, err := job.Run(ctx, fmt.Sprintf("demo-%s", at.Format("20060102T1504")), sources, at)
		sum.Runs++
		if err != nil {
			sum.Errors++
		}
		sum.add(at, res)
		if o.OnStep != nil {
			o.OnStep(at, res, err)
		}
		if o.Pace > 0 {
			select {
			case <-time.After(o.Pace):
			case <-ctx.Done():
			}
		}
	}
	sum.Wall = time.Since(started)
	sum.Simulated = at.Add(-o.Step).Sub(sc.Start())
	return sum, nil
}

func (s *Summary) add(at time.Time, res pipeline.RunResult) {
	for _, r := range res.Sources {
		s.Posts += r.New
	}
	for _, ev := range res.OpsAlerts.Events {
		s.OpsAlerts = append(s.OpsAlerts, Alert{At: at, Event: ev})
	}
	for _, ev := range res.Alerts.Events {
		a := Alert{At: at, Event: ev}
		s.Events = append(s.Events, a)
		opened := ev.Kind == alerts.KindOpen || ev.Kind == alerts.KindReopen
		real := ev.Topic == s.Backlash && !at.Before(s.Onset)
		switch {
		case opened && real && s.FirstAlert.IsZero():
			s.FirstAlert = at
		case opened && !real:
			s.FalseAlerts = append(s.FalseAlerts, a)
		}
		if real && ev.Kind == alerts.KindEscalate {
			s.Escalated = true
		}
		if real && ev.Kind == alerts.KindResolve {
			s.Resolved = true
		}
	}
}

// Write prints the summary for people.
func (s Summary) Write(w io.Writer) {
	fmt.Fprintf(w, "summary\n")
	fmt.Fprintf(w, "  backlash began (ground truth):  %s\n", s.Onset.Format("Mon 2 Jan 15:04"))
	for _, a := range s.Events {
		if a.Kind == alerts.KindUpdate {
			continue
		}
		fmt.Fprintf(w, "  %s  %-8s %s  %s  (%s %.1f, threshold %.1f)\n", a.At.Format("Mon 15:04"), a.Kind, a.Topic,
			a.Severity, a.Rule, a.Value, a.Threshold)
	}
	if d := s.DetectionDelay(); d < 0 {
		fmt.Fprintf(w, "  first alert:                    none\n")
	} else {
		fmt.Fprintf(w, "  first alert:                    %s, %s after the onset\n", s.FirstAlert.Format("Mon 15:04"), d)
	}
	fmt.Fprintf(w, "  escalated / resolved:           %v / %v\n", s.Escalated, s.Resolved)
	if len(s.FalseAlerts) == 0 {
		fmt.Fprintf(w, "  false alerts:                   none (the calm topic %s and the calm days stayed quiet)\n", s.Calm)
	} else {
		fmt.Fprintf(w, "  false alerts:                   %d\n", len(s.FalseAlerts))
		for _, a := range s.FalseAlerts {
			fmt.Fprintf(w, "    %s %s %s\n", a.At.Format("Mon 15:04"), a.Topic, a.Severity)
		}
	}
	if len(s.OpsAlerts) == 0 {
		fmt.Fprintf(w, "  source health:                  no ops alert (every source kept being seen)\n")
	} else {
		fmt.Fprintf(w, "  source health:                  %d ops alert events\n", len(s.OpsAlerts))
		for _, a := range s.OpsAlerts {
			fmt.Fprintf(w, "    %s %s %s\n", a.At.Format("Mon 15:04"), a.Kind, a.Topic)
		}
	}
	fmt.Fprintf(w, "  posts stored:                   %d in %d runs (%d failed)\n", s.Posts, s.Runs, s.Errors)
	fmt.Fprintf(w, "  wall time:                      %s (%s per simulated day, %.0f posts/s end to end)\n",
		s.Wall.Round(time.Millisecond), s.WallPerSimDay().Round(time.Millisecond), s.PostsPerSecond())
}
