package jsonapi

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/backlash-monitor/backlash/crawler/fetch"
	"github.com/backlash-monitor/backlash/crawler/kind"
)

// Accept is the Accept header sent to APIs.
const Accept = "application/json, application/activity+json;q=0.9, */*;q=0.5"

// Crawl is the json kind: for each start URL it follows the API's
// pagination until it runs out, reaches max_pages, or reaches posts an
// earlier run stored.
func Crawl(ctx context.Context, r *kind.Run) error {
	spec, err := Compile(settings(r.Source))
	if err != nil {
		return err
	}
	for _, start := range r.Source.URLs {
		seen := map[string]bool{}
		for u := start; u != "" && !seen[u]; {
			seen[u] = true
			page, err := fetchPage(ctx, r, spec, u)
			if errors.Is(err, kind.ErrPageLimit) || errors.Is(err, errStop) {
				return nil
			}
			if err != nil {
				return err
			}
			if page == nil {
				break
			}
			res, err := Extract(page.Body, page.URL, spec, r.Now())
			var fe *FieldError
			if err != nil && !errors.As(err, &fe) {
				r.PageError(u, err)
				break
			}
			if fe != nil {
				// The whole items are kept; the page is reported so a
				// changed format is seen.
				r.PageError(u, fe)
			}
			fresh := 0
			for _, p := range res.Posts {
				f, err := r.Emit(p)
				if err != nil {
					return err
				}
				if f {
					fresh++
				}
			}
			if res.Cursor != "" {
				r.SetCursor(res.Cursor)
			}
			if kind.Stale(res.Posts, fresh) {
				r.Logger.Debug("stopping pagination: page holds only posts already stored", "url", u)
				break
			}
			next := spec.nextPage(page.URL, res, nextLink(page.Header.Values("Link")))
			if next != "" {
				if nu, err := url.Parse(next); err != nil || nu.Host == "" {
					r.PageError(u, fmt.Errorf("bad next-page URL %q", next))
					break
				}
			}
			u = next
		}
	}
	return nil
}

// errStop ends a source's crawl for this run without an error of its own
// (the page error was recorded): the API's quota is spent.
var errStop = errors.New("stop")

// fetchPage is kind.Run.Fetch with the API's own error reading: an error
// status is reported with the reason the body gives, and a spent quota
// stops the source for this run instead of spending more requests.
func fetchPage(ctx context.Context, r *kind.Run, spec *Spec, u string) (*fetch.Page, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := r.Page(u); err != nil {
		return nil, err
	}
	page, err := r.Fetcher.Get(ctx, u, Accept)
	if err == nil {
		return page, nil
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	var he *fetch.HTTPError
	if spec.preset.apiError != nil && errors.As(err, &he) {
		if reason, stop := spec.preset.apiError(he.Body); reason != "" {
			err = fmt.Errorf("%w: %s", err, reason)
			if stop {
				r.PageError(u, fmt.Errorf("%w; stopping this source until its next run", err))
				r.Logger.Warn("API quota spent: stopping the source for this run", "url", u, "reason", reason)
				return nil, errStop
			}
		}
	}
	r.PageError(u, err)
	return nil, nil
}

var linkRe = regexp.MustCompile(`<([^>]*)>\s*((?:;\s*[^;,]+)*)`)

// nextLink finds the rel="next" target in Link headers.
func nextLink(headers []string) string {
	for _, h := range headers {
		for _, m := range linkRe.FindAllStringSubmatch(h, -1) {
			for _, param := range strings.Split(m[2], ";") {
				k, v, ok := strings.Cut(strings.TrimSpace(param), "=")
				if !ok || !strings.EqualFold(strings.TrimSpace(k), "rel") {
					continue
				}
				for _, rel := range strings.Fields(strings.Trim(strings.TrimSpace(v), `"`)) {
					if strings.EqualFold(rel, "next") {
						return m[1]
					}
				}
			}
		}
	}
	return ""
}
