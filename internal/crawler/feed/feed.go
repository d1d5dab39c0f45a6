package feed

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/backlash-monitor/backlash/internal/crawler/clean"
	"github.com/backlash-monitor/backlash/internal/crawler/html"
	"github.com/backlash-monitor/backlash/internal/crawler/kind"
	"github.com/backlash-monitor/backlash/internal/crawler/when"
	"github.com/backlash-monitor/backlash/internal/post"
)

// Accept is the Accept header sent for feeds.
const Accept = "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"

// Crawl is the feed kind.
func Crawl(ctx context.Context, r *kind.Run) error {
	var comments *html.Spec
	if fs := settings(r.Source); fs != nil && fs.Comments != nil {
		var err error
		if comments, err = html.Compile(fs.Comments); err != nil {
			return fmt.Errorf("feed.comments: %w", err)
		}
	}
	for _, u := range r.Source.URLs {
		page, err := r.Fetch(ctx, u, Accept)
		if errors.Is(err, kind.ErrPageLimit) {
			return nil
		}
		if err != nil {
			return err
		}
		if page == nil {
			continue
		}
		posts, err := Parse(page.Body, page.URL.String(), r.Now())
		if err != nil {
			r.PageError(u, err)
			if len(posts) == 0 {
				continue
			}
		}
		var jobs []html.Job
		for _, p := range posts {
			if _, err := r.Emit(p); err != nil {
				return err
			}
			// Every entry the feed lists is read for comments, not only
			// the new ones: comments come after their entry, and once a
			// comment moved the high-water mark past the newest entry no
			// entry would be new again. Comments already stored are
			// behind the mark and not emitted twice; max_pages bounds
			// the pages.
			if comments != nil && p.URL != "" {
				if !r.Fetcher.Allowed(p.URL) {
					r.Logger.Debug("not following item link off the allowed domains", "url", p.URL)
					continue
				}
				jobs = append(jobs, html.Job{URL: p.URL, Thread: p.URL, ParentID: p.ID, Title: p.Title})
			}
		}
		if len(jobs) > 0 {
			if err := html.Walk(ctx, r, comments, jobs); err != nil {
				return err
			}
		}
	}
	return nil
}

var lineRe = regexp.MustCompile(`[Ll]ine:? (\d+)`)

// Parse reads a feed document into posts. The error of a malformed feed
// names the line when the parser reports one.
func Parse(body []byte, feedURL string, fetched time.Time) ([]post.Post, error) {
	f, err := gofeed.NewParser().Parse(bytes.NewReader(body))
	if err != nil {
		msg := err.Error()
		var se *json.SyntaxError
		if bytes.HasPrefix(bytes.TrimSpace(body), []byte("{")) && errors.As(json.Unmarshal(body, new(any)), &se) {
			off := min(int(se.Offset), len(body))
			return nil, fmt.Errorf("malformed JSON feed at line %d: %w", 1+bytes.Count(body[:off], []byte("\n")), err)
		}
		if m := lineRe.FindStringSubmatch(msg); m != nil {
			if n, _ := strconv.Atoi(m[1]); n > 0 {
				return nil, fmt.Errorf("malformed feed at line %d: %w", n, err)
			}
		}
		return nil, fmt.Errorf("malformed feed: %w", err)
	}
	out := make([]post.Post, 0, len(f.Items))
	for _, it := range f.Items {
		p := post.Post{
			Thread:  feedURL,
			URL:     strings.TrimSpace(it.Link),
			Title:   clean.OneLine(clean.HTML(it.Title)),
			Fetched: fetched,
		}
		body := it.Content
		if strings.TrimSpace(clean.HTML(body)) == "" {
			body = it.Description
		}
		p.Text = clean.HTML(body)
		if p.Text == "" {
			p.Text = p.Title
		}
		if p.Text == "" {
			continue
		}
		switch {
		case len(it.Authors) > 0 && it.Authors[0] != nil:
			p.Author = it.Authors[0].Name
			if p.Author == "" {
				p.Author = it.Authors[0].Email
			}
		case it.DublinCoreExt != nil && len(it.DublinCoreExt.Creator) > 0:
			p.Author = it.DublinCoreExt.Creator[0]
		}
		p.Author = clean.OneLine(p.Author)
		switch {
		case it.PublishedParsed != nil:
			p.Published = *it.PublishedParsed
		case it.UpdatedParsed != nil:
			p.Published = *it.UpdatedParsed
		case it.Published != "":
			t, ok := when.Parse(it.Published, when.Options{Now: fetched})
			p.Published, p.TimeGuessed = t, !ok
			if !ok {
				p.Published = fetched
			}
		default:
			p.Published, p.TimeGuessed = fetched, true
		}
		p.ID = strings.TrimSpace(it.GUID)
		if p.ID == "" {
			p.ID = p.URL
		}
		if p.ID == "" {
			p.ID = post.DeriveID(feedURL, p.Author, it.Published, p.Text)
		}
		if p.URL == "" {
			p.URL = feedURL
		}
		out = append(out, p)
	}
	return out, nil
}
