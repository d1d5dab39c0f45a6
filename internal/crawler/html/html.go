package html

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/backlash-monitor/backlash/internal/crawler/fetch"
	"github.com/backlash-monitor/backlash/internal/crawler/kind"
	"github.com/backlash-monitor/backlash/internal/crawler/render"
)

// Accept is the Accept header sent for web pages.
const Accept = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"

// Job is a page waiting to be fetched.
type Job struct {
	// URL is the page to fetch.
	URL string
	// Thread is the first page of the thread the page belongs to; empty
	// means the page starts its own thread.
	Thread string
	// ParentID is given to the page's top-level items.
	ParentID string
	// Title is used for items without one of their own.
	Title string
}

// Crawl is the html kind: it walks the source's URLs, their follow links
// and next pages.
func Crawl(ctx context.Context, r *kind.Run) error {
	spec, err := Compile(settings(r.Source))
	if err != nil {
		return err
	}
	jobs := make([]Job, len(r.Source.URLs))
	for i, u := range r.Source.URLs {
		jobs[i] = Job{URL: u}
	}
	return Walk(ctx, r, spec, jobs)
}

// Walk fetches jobs breadth-first, emitting their posts and queueing their
// follow and next links. Up to the source's parallelism pages are fetched
// and parsed at once; posts are emitted from the calling goroutine only. A
// listing's next page is skipped once a page of it holds only posts older
// than the run's cutoff and runs newest first.
func Walk(ctx context.Context, r *kind.Run, spec *Spec, jobs []Job) error {
	workers := max(r.Source.Parallelism, 1)
	results := make(chan pageResult, workers)
	visited := map[string]bool{}
	inflight := 0
	var stop error
	full := false                            // max_pages reached
	warnedTime := false                      // a time not read was reported
	listings := map[string]map[string]bool{} // per thread, its pages' post ids
	for {
		for stop == nil && !full && inflight < workers && len(jobs) > 0 {
			if err := ctx.Err(); err != nil {
				stop = err
				break
			}
			j := jobs[0]
			jobs = jobs[1:]
			key := stripFragment(j.URL)
			if visited[key] {
				continue
			}
			visited[key] = true
			if err := r.Page(j.URL); err != nil {
				if errors.Is(err, kind.ErrPageLimit) {
					full = true
					break
				}
				stop = err
				break
			}
			inflight++
			go func(j Job, now time.Time) { results <- fetchPage(ctx, r, spec, j, now) }(j, r.Now())
		}
		if inflight == 0 {
			return stop
		}
		res := <-results
		inflight--
		if stop != nil {
			continue // drain the workers still running
		}
		next, err := emitPage(ctx, r, spec, res, listings)
		if err != nil {
			stop = err
			continue
		}
		if t := res.res.UnreadTime; t != "" && !warnedTime {
			warnedTime = true
			r.Logger.Warn("time not read: posts get the fetch time; set the source's time_format, or point time at the date alone",
				"url", res.job.URL, "time", t)
		}
		jobs = append(jobs, next...)
	}
}

// pageResult is one page's outcome, from a worker.
type pageResult struct {
	job Job
	res Result
	err error
}

// fetchPage fetches, parses and extracts one page.
func fetchPage(ctx context.Context, r *kind.Run, spec *Spec, j Job, now time.Time) pageResult {
	var (
		body    []byte
		pageURL *url.URL
		refused []string
		status  = 200 // a rendered page's status is not known
	)
	if spec.Render {
		if r.Browser == nil {
			return pageResult{job: j, err: errors.New("render: true needs the crawler's headless browser")}
		}
		var links []string
		for _, f := range []Field{spec.Follow, spec.Next} {
			if f.Sel != "" {
				links = append(links, f.Sel)
			}
		}
		res, err := r.Browser.Render(ctx, render.Request{
			URL: j.URL, Accept: Accept, Fetcher: r.Fetcher,
			Items: spec.Item, Wait: spec.RenderWait, Links: strings.Join(links, ", "), Scroll: spec.RenderScroll,
		})
		if err != nil {
			return pageResult{job: j, err: fmt.Errorf("render: %w", err)}
		}
		if res.Truncated {
			r.Logger.Warn("rendered page truncated at max_body_bytes", "url", j.URL)
		}
		body, pageURL, refused = res.HTML, res.URL, res.Refused
	} else {
		page, err := r.Fetcher.Get(ctx, j.URL, Accept)
		if err != nil {
			return pageResult{job: j, err: err}
		}
		if ct := page.Header.Get("Content-Type"); ct != "" && !strings.Contains(ct, "html") && !strings.Contains(ct, "xml") && !strings.Contains(ct, "text/plain") {
			return pageResult{job: j, err: fmt.Errorf("not an HTML page (Content-Type %q)", ct)}
		}
		body, pageURL, status = page.Body, page.URL, page.Status
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		return pageResult{job: j, err: fmt.Errorf("parse HTML: %w", err)}
	}
	if j.Thread == "" {
		j.Thread = stripFragment(pageURL.String())
	}
	res := Extract(doc, Page{URL: pageURL, Thread: j.Thread, ParentID: j.ParentID, Fetched: now}, spec)
	if len(res.Posts) == 0 && len(res.Follow) == 0 && res.Next == "" && j.ParentID == "" && res.NoText == 0 {
		if marker := fetch.Challenge(status, body); marker != "" {
			return pageResult{job: j, err: &fetch.ChallengeError{Status: status, Marker: marker}}
		}
		msg := fmt.Sprintf("no items, links or next page matched (item selector %q); the page layout may have changed", spec.Item)
		if spec.Render {
			msg = fmt.Sprintf("no items, links or next page matched in the rendered page (item selector %q); the page layout may have changed", spec.Item)
			if len(refused) > 0 {
				msg += "; requests the page made were refused (" + strings.Join(refused, ", ") + "): add hosts it needs to allowed_domains"
			}
		}
		return pageResult{job: j, err: &kind.NoMatchError{Selector: spec.Item, Msg: msg}}
	}
	if len(refused) > 0 {
		r.Logger.Debug("rendered page: requests refused", "url", j.URL, "refused", strings.Join(refused, ", "))
	}
	return pageResult{job: j, res: res}
}

// emitPage passes a page's posts on and returns the pages it leads to.
// listings holds, per thread, the ids of the posts its pages showed.
func emitPage(ctx context.Context, r *kind.Run, spec *Spec, f pageResult, listings map[string]map[string]bool) ([]Job, error) {
	j := f.job
	if f.err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		r.PageError(j.URL, f.err)
		return nil, nil
	}
	r.Dropped("text", f.res.NoText)
	fresh := 0
	for _, p := range f.res.Posts {
		if p.Title == "" {
			p.Title = j.Title
		}
		ok, err := r.Emit(p)
		if err != nil {
			return nil, err
		}
		if ok {
			fresh++
		}
	}
	var next []Job
	for _, u := range f.res.Follow {
		if !r.Fetcher.Allowed(u) {
			r.Logger.Debug("not following link off the allowed domains", "url", u)
			continue
		}
		next = append(next, Job{URL: u, ParentID: j.ParentID, Title: j.Title})
	}
	thread := j.Thread
	if thread == "" && len(f.res.Posts) > 0 {
		thread = f.res.Posts[0].Thread
	}
	ids := listings[thread]
	if ids == nil {
		ids = map[string]bool{}
		listings[thread] = ids
	}
	repeats := kind.Repeats(f.res.Posts, ids)
	if f.res.Next != "" {
		switch {
		case kind.Stale(f.res.Posts, fresh):
			r.Logger.Debug("stopping pagination: page holds only posts already stored", "url", j.URL)
		case repeats:
			// A site that ignores the page asked for (?page=2 showing
			// the first) would be read to max_pages.
			r.Logger.Warn("stopping pagination: the page repeats posts of earlier pages", "url", j.URL)
		default:
			next = append(next, Job{URL: f.res.Next, Thread: j.Thread, ParentID: j.ParentID, Title: j.Title})
		}
	}
	return next, nil
}

func stripFragment(u string) string {
	pu, err := url.Parse(u)
	if err != nil {
		return u
	}
	pu.Fragment, pu.RawFragment = "", ""
	return pu.String()
}
