package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math"
	"math/rand"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"sort"
	"time"

	"github.com/backlash-monitor/backlash/internal/analyzer/detect"
	"github.com/backlash-monitor/backlash/internal/analyzer/sentiment"
	"github.com/backlash-monitor/backlash/internal/config"
	"github.com/backlash-monitor/backlash/internal/crawler"
	"github.com/backlash-monitor/backlash/internal/demo"
	"github.com/backlash-monitor/backlash/internal/pipeline"
	"github.com/backlash-monitor/backlash/internal/post"
	"github.com/backlash-monitor/backlash/internal/store"
	"github.com/backlash-monitor/backlash/internal/store/chserver"
)

// benchRuns is how many times each measurement repeats; figures are medians.
const benchRuns = 5

func cmdBench(ctx context.Context, e *env, args []string) error {
	fs, g := flagSet(e, "bench", "bench [score|detect|crawl|render|ingest|e2e ...]   (default: score detect crawl e2e)")
	dur := fs.Duration("time", 2*time.Second, "time per run of a measurement")
	stateDir := fs.String("state-dir", ".backlash", "where the embedded ClickHouse keeps its files (e2e, ingest)")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the benchmarks to this file")
	seeds := fs.Int("seeds", 1, "detection: replay the scenario with N seeds from --first-seed and report each")
	firstSeed := fs.Int("first-seed", 0, "detection: the first seed replayed")
	parallel := fs.Int("parallel", 4, "detection: seeds replayed at once, each on its own database (1: one after another)")
	pageSize := fs.Int("page-size", 500, "throughput: items per page the demo site serves")
	oneDB := fs.Bool("one-database", false, "throughput: replay on one database, dropped before each replay (shows what a drop costs)")
	renderPages := fs.Int("render-pages", 500, "render: thread pages of the local single-page site to render")
	renderTabs := fs.Int("render-tabs", 2, "render: pages rendered at once")
	renderMemory := fs.Int("render-memory-mb", 450, "render: the browser's memory limit")
	ingestPosts := fs.Int("posts", 300000, "ingest: posts to generate and import")
	chromium := fs.String("chromium", "", "render: the browser (default: Chromium's headless shell, else /usr/bin/chromium; see crawler.chromium)")
	langData := fs.String("lang-data", filepath.Join("..", "shared", "data", "sentiment"), "score: labelled posts per language (umsab/<lang>-train.jsonl, zh-reviews-train.jsonl) for per-language figures")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *seeds < 1 {
		return usagef("--seeds must be at least 1")
	}
	if *parallel < 1 {
		return usagef("--parallel must be at least 1")
	}
	if *oneDB {
		*parallel = 1 // replays at once cannot share one database
	}
	if *pageSize < 1 {
		return usagef("--page-size must be at least 1")
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return usageError{err}
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	which := fs.Args()
	if len(which) == 0 {
		which = []string{"score", "detect", "crawl", "e2e"}
	}
	r := &demo.Replayer{StateDir: *stateDir, OneDB: *oneDB}
	// What a benchmark starts, the command stops: the databases it made
	// first, then the embedded server if it was not running before.
	_, wasRunning := chserver.Running(store.EmbeddedDir(*stateDir))
	defer func() {
		r.DropAll(context.WithoutCancel(ctx), g.logger(e))
		if slices.ContainsFunc(which, usesServer) {
			stopBenchServer(e.stdout, *stateDir, wasRunning)
		}
	}()
	for _, w := range which {
		var err error
		switch w {
		case "score":
			err = benchScore(e.stdout, *dur, *langData)
		case "detect":
			err = benchDetect(e.stdout, *dur)
		case "crawl":
			err = benchCrawl(ctx, e.stdout, g.logger(e))
		case "render":
			err = benchRender(ctx, e.stdout, g.logger(e), *renderPages, *renderTabs, *renderMemory, *chromium)
		case "ingest":
			err = benchIngest(ctx, e, *stateDir, *ingestPosts, g.logger(e))
		case "e2e":
			if err = benchDetection(ctx, e, r, *firstSeed, *seeds, *parallel); err == nil {
				err = benchThroughput(ctx, e, r, *pageSize)
			}
		case "detection":
			err = benchDetection(ctx, e, r, *firstSeed, *seeds, *parallel)
		case "throughput":
			err = benchThroughput(ctx, e, r, *pageSize)
		default:
			return usagef("unknown benchmark %q (want score, detect, crawl, render, ingest, e2e, detection or throughput)", w)
		}
		if err != nil {
			return fmt.Errorf("bench %s: %w", w, err)
		}
	}
	return nil
}

// usesServer says whether benchmark w runs on the embedded ClickHouse.
func usesServer(w string) bool {
	switch w {
	case "ingest", "e2e", "detection", "throughput":
		return true
	}
	return false
}

// stopBenchServer stops the embedded server in stateDir unless it was
// running before the benchmarks began, in which case it is left running
// and the line says how to stop it.
func stopBenchServer(w io.Writer, stateDir string, wasRunning bool) {
	srv, ok := chserver.Running(store.EmbeddedDir(stateDir))
	if !ok {
		return
	}
	if wasRunning {
		fmt.Fprintf(w, "the embedded ClickHouse was already running and is left running (pid %d); stop it with: backlash clickhouse stop --state-dir %s\n", srv.PID(), stateDir)
		return
	}
	if err := srv.Stop(); err != nil {
		fmt.Fprintf(w, "the embedded ClickHouse (pid %d) did not stop: %v; stop it with: backlash clickhouse stop --state-dir %s\n", srv.PID(), err, stateDir)
	}
}

func median(xs []float64) float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	if len(s) == 0 {
		return math.NaN()
	}
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// demoTexts returns the built-in demo scenario's posts in lang ("" for
// English): realistic short social posts, so benchmarks measure what
// production sees.
func demoTexts(lang string) []string {
	items := demo.NewScenario(demo.Options{Lang: lang}).Items()
	texts := make([]string, len(items))
	for i, it := range items {
		texts[i] = it.Text
	}
	return texts
}

// benchDemoScore compares the scorer with govader on the demo scenario's
// posts in lang. posts/cpu-s counts the scoring thread's CPU time only, so
// load from other processes does not lower it; govader's garbage
// collection on other threads is left out of it, which favours govader.
func benchDemoScore(w io.Writer, d time.Duration, lang, what string) {
	texts := demoTexts(lang)
	var ours, vader, ratio, oursCPU, vaderCPU, ratioCPU, oursAllocs, vaderAllocs []float64
	for i := 0; i < benchRuns; i++ {
		r := sentiment.Bench(texts, d)
		ours = append(ours, r.Ours.PostsPerSec)
		vader = append(vader, r.Vader.PostsPerSec)
		ratio = append(ratio, r.Speedup)
		oursCPU = append(oursCPU, r.Ours.PostsPerCPUSec)
		vaderCPU = append(vaderCPU, r.Vader.PostsPerCPUSec)
		ratioCPU = append(ratioCPU, r.CPUSpeedup)
		oursAllocs = append(oursAllocs, r.Ours.AllocsPerPost)
		vaderAllocs = append(vaderAllocs, r.Vader.AllocsPerPost)
	}
	fmt.Fprintf(w, "score   %d %s, one goroutine, median of %d runs\n", len(texts), what, benchRuns)
	fmt.Fprintf(w, "  %-8s %12s %12s %12s\n", "", "posts/s", "posts/cpu-s", "allocs/post")
	fmt.Fprintf(w, "  %-8s %12.0f %12.0f %12.2f\n", "backlash", median(ours), median(oursCPU), median(oursAllocs))
	fmt.Fprintf(w, "  %-8s %12.0f %12.0f %12.2f\n", "govader", median(vader), median(vaderCPU), median(vaderAllocs))
	fmt.Fprintf(w, "  %-8s %11.2fx %11.2fx\n", "ratio", median(ratio), median(ratioCPU))
}

func benchScore(w io.Writer, d time.Duration, langData string) error {
	benchDemoScore(w, d, "", "demo posts")
	benchDemoScore(w, d, "zh", "Chinese demo posts (microblog, forum, news)")
	langTexts, err := sentiment.ReadLangBenchTexts(langData, 1000)
	if err != nil {
		return err
	}
	if len(langTexts) == 0 {
		fmt.Fprintf(w, "  per language: no labelled posts under %s (--lang-data)\n", langData)
		return nil
	}
	rows := make(map[string][]sentiment.LangBench)
	var order []string
	for i := 0; i < benchRuns; i++ {
		bs, err := sentiment.BenchLangs(langTexts, d)
		if err != nil {
			return err
		}
		for _, b := range bs {
			if i == 0 {
				order = append(order, b.Language)
			}
			rows[b.Language] = append(rows[b.Language], b)
		}
	}
	fmt.Fprintf(w, "score per language, up to 1000 posts each from %s, one goroutine, median of %d runs\n", langData, benchRuns)
	fmt.Fprintf(w, "  %-4s %12s %12s %8s %12s %12s %8s  %s\n", "lang", "posts/s", "govader", "ratio",
		"posts/cpu-s", "govader", "ratio", "target 100,000 posts/cpu-s")
	for _, l := range order {
		var ours, vdr, rat, oursCPU, vdrCPU, ratCPU []float64
		for _, b := range rows[l] {
			ours, vdr = append(ours, b.PostsPerSec), append(vdr, b.VaderPostsPerSec)
			rat = append(rat, b.PostsPerSec/b.VaderPostsPerSec)
			oursCPU, vdrCPU = append(oursCPU, b.PostsPerCPUSec), append(vdrCPU, b.VaderPostsPerCPUSec)
			ratCPU = append(ratCPU, b.PostsPerCPUSec/b.VaderPostsPerCPUSec)
		}
		met := "not met"
		if median(oursCPU) >= 100_000 {
			met = "met"
		}
		fmt.Fprintf(w, "  %-4s %12.0f %12.0f %7.2fx %12.0f %12.0f %7.2fx  %s\n", l, median(ours), median(vdr), median(rat),
			median(oursCPU), median(vdrCPU), median(ratCPU), met)
	}
	return nil
}

// syntheticSeries is n 5-minute buckets of a daily cycle with Poisson-like
// noise and a few bursts.
func syntheticSeries(n int) ([]time.Time, []float64) {
	rng := rand.New(rand.NewSource(1))
	start := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	ts := make([]time.Time, n)
	vs := make([]float64, n)
	for i := range ts {
		ts[i] = start.Add(time.Duration(i) * 5 * time.Minute)
		h := float64(ts[i].Hour()) + float64(ts[i].Minute())/60
		mean := 20 + 15*math.Sin((h-8)/24*2*math.Pi)
		v := mean + rng.NormFloat64()*math.Sqrt(mean)
		if rng.Intn(5000) == 0 {
			v *= 6
		}
		vs[i] = math.Max(0, math.Round(v))
	}
	return ts, vs
}

func benchDetect(w io.Writer, d time.Duration) error {
	ts, vs := syntheticSeries(200_000)
	var rates []float64
	for i := 0; i < benchRuns; i++ {
		points := 0
		start := time.Now()
		for time.Since(start) < d {
			det := detect.New(detect.DefaultConfig())
			for j := range ts {
				det.Update(ts[j], vs[j])
			}
			points += len(ts)
		}
		rates = append(rates, float64(points)/time.Since(start).Seconds())
	}
	fmt.Fprintf(w, "detect  %d-point 5-minute series, one goroutine, median of %d runs\n", len(ts), benchRuns)
	fmt.Fprintf(w, "  %10.0f points/s\n", median(rates))
	return nil
}

// benchCrawl crawls the demo site's forum, feed and API with every post
// visible, without storing, and reports pages and posts per second.
func benchCrawl(ctx context.Context, w io.Writer, log *slog.Logger) error {
	sc := demo.NewScenario(demo.Options{})
	site := demo.NewSite(sc)
	site.SetNow(sc.End())
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: site, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	defer srv.Close()
	cfg, err := config.Parse("built-in demo configuration", demo.Config("http://"+ln.Addr().String(), sc))
	if err != nil {
		return err
	}
	c := pipeline.NewCrawler(cfg, slog.New(slog.DiscardHandler), nil, nil)
	for _, src := range cfg.Sources {
		src := src
		src.MaxPages = 1000
		var pps, ips []float64
		pages, posts := 0, 0
		for i := 0; i < benchRuns; i++ {
			n := 0
			start := time.Now()
			st, err := c.Crawl(ctx, &src, crawler.State{}, func(post.Post) error { n++; return nil })
			if err != nil {
				return err
			}
			el := time.Since(start).Seconds()
			pps = append(pps, float64(st.Pages)/el)
			ips = append(ips, float64(n)/el)
			pages, posts = st.Pages, n
		}
		fmt.Fprintf(w, "crawl   %-9s %-4s %4d pages %6d posts: %8.0f pages/s %9.0f posts/s (median of %d)\n",
			src.Name, src.Kind, pages, posts, median(pps), median(ips), benchRuns)
	}
	return nil
}

// seedRun is one seed's replay for benchDetection.
type seedRun struct {
	det   demo.Summary
	risks []demo.AssessedRisk
	err   error
}

// benchDetection replays the demo at its own volume in 15-minute runs and
// measures detection against the ground truth, for each of seeds
// scenarios, parallel of them at once. Each replay is the whole pipeline
// (crawl over HTTP, scoring, ClickHouse, rollups, assessment, alerting) on
// a database of its own; replays at once share only the ClickHouse server,
// so what each measures is what it measures alone, and its wall time per
// simulated day is longer.
func benchDetection(ctx context.Context, e *env, r *demo.Replayer, firstSeed, seeds, parallel int) error {
	w := e.stdout
	parallel = max(1, min(parallel, seeds))
	finished := make(chan int)
	runs := make([]seedRun, seeds)
	next := make(chan int)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	for range parallel {
		go func() {
			for seed := range next {
				sr := &runs[seed]
				sr.det, sr.err = r.Replay(ctx, demo.Options{Scale: 5, Seed: int64(firstSeed + seed)}, 15*time.Minute, demo.PageSize,
					func(at time.Time, res pipeline.RunResult, _ error) {
						for _, a := range res.Assessments {
							sr.risks = append(sr.risks, demo.AssessedRisk{At: at, Topic: a.Topic, Risk: a.Risk.Total, Velocity: a.Risk.Velocity})
						}
					})
				select {
				case finished <- seed:
				case <-ctx.Done():
				}
			}
		}()
	}
	go func() {
		defer close(next)
		for seed := range seeds {
			select {
			case next <- seed:
			case <-ctx.Done():
				return
			}
		}
	}()
	var delays []time.Duration
	var at15, at30, calmPeaks []float64
	falseAlerts, missed := 0, 0
	// Seeds are reported as they finish, so a sweep cut short still
	// shows every seed it completed.
	for range seeds {
		var seed int
		select {
		case seed = <-finished:
		case <-ctx.Done():
			return ctx.Err()
		}
		det, risks, err := runs[seed].det, runs[seed].risks, runs[seed].err
		if err != nil {
			return fmt.Errorf("seed %d: %w", firstSeed+seed, err)
		}
		m := demo.RiskMargins(risks, det.Onset, det.Backlash)
		at15, at30, calmPeaks = append(at15, m.At15), append(at30, m.At30), append(calmPeaks, m.Calm.Risk)
		d := det.DetectionDelay()
		if d < 0 {
			missed++
		} else {
			delays = append(delays, d)
		}
		falseAlerts += len(det.FalseAlerts)
		if seeds > 1 {
			delay := "none: no alert fired"
			if d >= 0 {
				delay = d.String()
			}
			fmt.Fprintf(w, "e2e detection  seed %d: delay %s, %d false alerts, escalated / resolved %v / %v, %s per sim. day\n",
				firstSeed+seed, delay, len(det.FalseAlerts), det.Escalated, det.Resolved, det.WallPerSimDay().Round(time.Millisecond))
			fmt.Fprintf(w, "                 risk %.1f at +15m, %.1f at +30m; calm peak %.1f (%.1f of it velocity) at %s on %s; margins %+.1f / %+.1f\n",
				m.At15, m.At30, m.Calm.Risk, m.Calm.Velocity, m.Calm.At.Format("Mon 2 Jan 15:04"), m.Calm.Topic, m.At15-m.Calm.Risk, m.At30-m.Calm.Risk)
			for _, fa := range det.FalseAlerts {
				fmt.Fprintf(w, "                 false alert %s %s %s at %s: %s %.1f >= %.1f\n", fa.Kind, fa.Topic, fa.Severity,
					fa.At.Format("Mon 2 Jan 15:04"), fa.Rule, fa.Value, fa.Threshold)
			}
			continue
		}
		fmt.Fprintf(w, "e2e detection  demo scenario at scale 5, seed %d, 15-minute runs, %d runs over %s simulated\n", firstSeed, det.Runs, det.Simulated)
		if d < 0 {
			fmt.Fprintf(w, "  detection delay         none: no alert fired\n")
		} else {
			fmt.Fprintf(w, "  detection delay         %s simulated after the ground-truth onset\n", d)
		}
		fmt.Fprintf(w, "  false alerts            %d (calm topic and calm days)\n", len(det.FalseAlerts))
		fmt.Fprintf(w, "  escalated / resolved    %v / %v\n", det.Escalated, det.Resolved)
		fmt.Fprintf(w, "  risk at +15m / +30m     %.1f / %.1f; calm peak %.1f (%.1f of it velocity) at %s on %s; margins %+.1f / %+.1f\n",
			m.At15, m.At30, m.Calm.Risk, m.Calm.Velocity, m.Calm.At.Format("Mon 2 Jan 15:04"), m.Calm.Topic, m.At15-m.Calm.Risk, m.At30-m.Calm.Risk)
		for _, fa := range det.FalseAlerts {
			fmt.Fprintf(w, "  false alert             %s %s %s at %s: %s %.1f >= %.1f\n", fa.Kind, fa.Topic, fa.Severity,
				fa.At.Format("Mon 2 Jan 15:04"), fa.Rule, fa.Value, fa.Threshold)
		}
		fmt.Fprintf(w, "  wall time per sim. day  %s\n", det.WallPerSimDay().Round(time.Millisecond))
	}
	if seeds > 1 {
		sort.Slice(delays, func(i, j int) bool { return delays[i] < delays[j] })
		spread := "none"
		if len(delays) > 0 {
			spread = fmt.Sprintf("%s to %s", delays[0], delays[len(delays)-1])
		}
		fmt.Fprintf(w, "e2e detection  %d seeds (%d at once): delay %s, %d missed, %d false alerts in all\n", seeds, parallel, spread, missed, falseAlerts)
		fmt.Fprintf(w, "               backlash risk %s at +15m and %s at +30m; calm peaks %s\n",
			spanOf(at15), spanOf(at30), spanOf(calmPeaks))
	}
	return nil
}

// spanOf writes the range of xs as "lo-hi".
func spanOf(xs []float64) string {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	return fmt.Sprintf("%.1f-%.1f", s[0], s[len(s)-1])
}

// throughputScale multiplies the demo's volume when measuring throughput.
const throughputScale = 40

// benchThroughput replays the demo at throughputScale times its volume in
// daily runs and measures posts per second through crawl, score,
// ClickHouse, rollup and alerting. The demo site serves pageSize items a
// page (500 by default: large pages, as busy forums and APIs serve, so the
// local site's per-request cost does not stand in for the pipeline's).
func benchThroughput(ctx context.Context, e *env, r *demo.Replayer, pageSize int) error {
	var rates []float64
	var thr demo.Summary
	for i := 0; i < benchRuns; i++ {
		var err error
		if thr, err = r.Replay(ctx, demo.Options{Scale: throughputScale}, 24*time.Hour, pageSize, nil); err != nil {
			return err
		}
		rates = append(rates, thr.PostsPerSecond())
	}
	fmt.Fprintf(e.stdout, "e2e throughput demo scenario at scale %g, daily runs, %d-item pages: %d posts in %d runs\n", float64(throughputScale), pageSize, thr.Posts, thr.Runs)
	sort.Float64s(rates)
	fmt.Fprintf(e.stdout, "  pipeline                %.0f posts/s median of %d (%.0f-%.0f); crawl -> score -> ClickHouse -> rollup -> alert\n",
		median(rates), len(rates), rates[0], rates[len(rates)-1])
	return nil
}
