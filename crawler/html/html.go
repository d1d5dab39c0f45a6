package html

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/PuerkitoBio/goquery"

	"github.com/backlash-monitor/backlash/crawler/kind"
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
	spec, err := Compile(r.Source.HTML)
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
// follow and next links. A thread's next page is skipped once a page of it
// holds only posts older than the run's cutoff.
func Walk(ctx context.Context, r *kind.Run, spec *Spec, jobs []Job) error {
	visited := map[string]bool{}
	for len(jobs) > 0 {
		if err := ctx.Err(); err != nil {
			return err
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
				return nil
			}
			return err
		}
		page, err := r.Fetcher.Get(ctx, j.URL, Accept)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			r.PageError(j.URL, err)
			continue
		}
		if ct := page.Header.Get("Content-Type"); ct != "" && !strings.Contains(ct, "html") && !strings.Contains(ct, "xml") && !strings.Contains(ct, "text/plain") {
			r.PageError(j.URL, fmt.Errorf("not an HTML page (Content-Type %q)", ct))
			continue
		}
		doc, err := goquery.NewDocumentFromReader(bytes.NewReader(page.Body))
		if err != nil {
			r.PageError(j.URL, fmt.Errorf("parse HTML: %w", err))
			continue
		}
		thread := j.Thread
		if thread == "" {
			thread = stripFragment(page.URL.String())
		}
		res := Extract(doc, Page{URL: page.URL, Thread: thread, ParentID: j.ParentID, Fetched: r.Now()}, spec)
		if len(res.Posts) == 0 && len(res.Follow) == 0 && res.Next == "" && j.ParentID == "" {
			r.PageError(j.URL, fmt.Errorf("no items, links or next page matched (item selector %q); the page layout may have changed", spec.Item))
			continue
		}
		fresh := 0
		for _, p := range res.Posts {
			if p.Title == "" {
				p.Title = j.Title
			}
			f, err := r.Emit(p)
			if err != nil {
				return err
			}
			if f {
				fresh++
			}
		}
		for _, u := range res.Follow {
			if !r.Fetcher.Allowed(u) {
				r.Logger.Debug("not following link off the allowed domains", "url", u)
				continue
			}
			jobs = append(jobs, Job{URL: u, ParentID: j.ParentID, Title: j.Title})
		}
		if res.Next != "" {
			if kind.Stale(res.Posts, fresh) {
				r.Logger.Debug("stopping pagination: page holds only posts already stored", "url", j.URL)
				continue
			}
			jobs = append(jobs, Job{URL: res.Next, Thread: thread, ParentID: j.ParentID, Title: j.Title})
		}
	}
	return nil
}

func stripFragment(u string) string {
	pu, err := url.Parse(u)
	if err != nil {
		return u
	}
	pu.Fragment, pu.RawFragment = "", ""
	return pu.String()
}
