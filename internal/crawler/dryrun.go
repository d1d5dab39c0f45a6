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
// errors are listed after the table. A crawl that showed nothing and met
// page errors (every page failed, or an index was read and every thread
// it links to failed) returns an error saying so after the table: a dry run is how a source is checked, and a script or a person
// reading only the exit status must not take a broken source for a quiet
// one.
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
	if len(posts) == 0 && stats.Errors > 0 {
		return &FailedError{Source: src.Name, Pages: stats.Pages, Errors: stats.Errors, Last: stats.LastError}
	}
	return nil
}

// FailedError is a dry run that read no post and met page errors.
type FailedError struct {
	// Source is the source's name.
	Source string
	// Pages is how many pages were requested, Errors how many failed.
	Pages, Errors int
	// Last is the last page error.
	Last string
}

// Error says that nothing could be read and why.
func (e *FailedError) Error() string {
	return fmt.Sprintf("source %q: no posts read, %d of %d pages failed (last: %s)", e.Source, e.Errors, e.Pages, e.Last)
}

// cut shortens s to n runes, marking the cut.
func cut(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
