package demo_test

import (
	"fmt"
	"net/http/httptest"
	"time"

	"github.com/backlash-monitor/backlash/internal/demo"
)

// The default scenario's ground-truth timeline.
func ExampleNewScenario() {
	s := demo.NewScenario(demo.Options{})
	const layout = "Mon 02 Jan 15:04"
	fmt.Println("launch:     ", s.Launch().Format(layout))
	fmt.Println("onset:      ", s.Onset().Format(layout))
	fmt.Println("peak:       ", s.Peak().Format(layout))
	fmt.Println("state media:", s.StateMedia().Format(layout))
	fmt.Println("apology:    ", s.Apology().Format(layout))
	fmt.Println("removal:    ", s.Removal().Format(layout))
	fmt.Println("end:        ", s.End().Format(layout))
	// Output:
	// launch:      Mon 02 Mar 09:00
	// onset:       Fri 06 Mar 11:00
	// peak:        Fri 06 Mar 20:00
	// state media: Sat 07 Mar 09:00
	// apology:     Sat 07 Mar 14:00
	// removal:     Sat 07 Mar 20:00
	// end:         Wed 11 Mar 00:00
}

// Serving the demo world and replaying it: start a server, write the
// configuration that crawls it, and advance simulated time between crawls.
func ExampleNewSite() {
	s := demo.NewScenario(demo.Options{Seed: 1})
	site := demo.NewSite(s)
	srv := httptest.NewServer(site)
	defer srv.Close()

	cfg := demo.Config(srv.URL, s) // write this out as backlash.yaml
	_ = cfg

	for now := s.Start(); now.Before(s.End()); now = now.Add(15 * time.Minute) {
		site.SetNow(now)
		// crawl, analyse and alert here, then compare alerts with s.Onset()
	}
	fmt.Println(site.Now().Equal(s.End().Add(-15 * time.Minute)))
	// Output: true
}
