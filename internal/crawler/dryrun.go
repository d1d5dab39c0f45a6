package crawler

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/backlash-monitor/backlash/internal/config"
	"github.com/backlash-monitor/backlash/internal/crawler/clean"
	"github.com/backlash-monitor/backlash/internal/post"
)

var errEnough = errors.New("enough posts")

// DryRun crawls src without storing anything and prints its first n posts
// as an aligned table, for checking a source's selectors or paths. Page
// errors are listed after the table.
func DryRun(ctx context.Context, c *Crawler, src *config.Source, n int, w io.Writer) error {
	if n <= 0 {
		n = 20
	}
	var posts []post.Post
	stats, err := c.Crawl(ctx, src, State{}, func(p post.Post) error {
		posts = append(posts, p)
		if len(posts) >= n {
			return errEnough
		}
		return nil
	})
	if err != nil && !errors.Is(err, errEnough) {
		return err
	}
	// Views and ratings get a column when a source gives them.
	views, rated := false, false
	for _, p := range posts {
		views = views || p.Views > 0
		rated = rated || p.Rating > 0
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	head := "PUBLISHED\tAUTHOR\tID\tPARENT\tLIKES\tREPLIES"
	if views {
		head += "\tVIEWS"
	}
	if rated {
		head += "\tRATING"
	}
	fmt.Fprintln(tw, head+"\tTEXT")
	for _, p := range posts {
		when := p.Published.UTC().Format(time.DateTime)
		if p.TimeGuessed {
			when += "?"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t", when, cut(p.Author, 20), cut(p.ID, 24), cut(p.ParentID, 24),
			strconv.Itoa(int(p.Likes)), strconv.Itoa(int(p.Replies)))
		if views {
			fmt.Fprintf(tw, "%d\t", p.Views)
		}
		if rated {
			r := "-"
			if p.Rating > 0 {
				r = strconv.Itoa(int(p.Rating)) + "★"
				if p.AppVersion != "" {
					r += " v" + p.AppVersion
				}
			}
			fmt.Fprintf(tw, "%s\t", r)
		}
		fmt.Fprintf(tw, "%s\n", cut(clean.OneLine(p.Text), 70))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "\n%d posts shown from %d pages, %d page errors (? = no usable time from the site: the fetch time is shown)\n", len(posts), stats.Pages, stats.Errors)
	if stats.LastError != "" {
		fmt.Fprintf(w, "last error: %s\n", stats.LastError)
	}
	return nil
}

// cut shortens s to n runes, marking the cut.
func cut(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
