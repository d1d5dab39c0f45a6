package jsonapi

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/backlash-monitor/backlash/internal/crawler/fetch"
	"github.com/backlash-monitor/backlash/internal/crawler/kind"
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
		ids := map[string]bool{} // the posts of this listing's pages so far
		for u := start; u != "" && !seen[u]; {
			seen[u] = true
			page, err := r.FetchAPI(ctx, u, Accept, spec.preset.apiError)
			if errors.Is(err, kind.ErrPageLimit) || errors.Is(err, kind.ErrStopped) {
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
				if marker := fetch.Challenge(page.Status, page.Body); marker != "" {
					err = &fetch.ChallengeError{Status: page.Status, Marker: marker}
				}
				r.PageError(u, err)
				break
			}
			if fe != nil {
				// The whole items are kept; the page is reported so a
				// changed format is seen.
				r.PageError(u, fe)
			}
			r.Dropped("text", res.NoText)
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
			if kind.Repeats(res.Posts, ids) {
				// An API that ignores the page parameter (or a cursor that
				// goes round) serves the same posts to max_pages.
				r.Logger.Warn("stopping pagination: the page repeats posts of earlier pages; the API may ignore the page parameter", "url", u)
				break
			}
			next := spec.nextPage(page.URL, res, nextLink(page.Header.Values("Link")))
			if next != "" {
				if nu, err := url.Parse(next); err != nil || nu.Host == "" {
					if len(spec.Cursor) > 0 && spec.CursorParam == "" {
						r.PageError(u, fmt.Errorf("cursor %q is not a URL: set cursor_param to the query parameter it goes back in", next))
					} else {
						r.PageError(u, fmt.Errorf("bad next-page URL %q", next))
					}
					break
				}
			}
			u = next
		}
	}
	return nil
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
