package kind

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/backlash-monitor/backlash/internal/config"
	"github.com/backlash-monitor/backlash/internal/crawler/fetch"
	"github.com/backlash-monitor/backlash/internal/crawler/render"
	"github.com/backlash-monitor/backlash/internal/post"
)

// Func crawls one source. It returns a non-nil error only when the crawl
// must stop: the context was cancelled, Emit failed, or ErrPageLimit; a bad
// page is reported with PageError and the walk goes on.
type Func func(ctx context.Context, r *Run) error

// funcs maps each registered kind's name to its Func. It is written only
// by Register, from the kinds' init functions.
var funcs = map[string]Func{}

// Register makes a source kind known to the configuration loader and the
// crawler: name is the value of a source's kind and the key of its
// settings block, settings returns an empty block of the kind's settings
// type (which owns its defaults and checks), and crawl walks a source of
// the kind. A kind's package calls it from init; the crawler's kinds.go
// imports the package. A second registration of a name panics.
func Register(name string, settings func() config.KindSettings, crawl Func) {
	if _, dup := funcs[name]; dup {
		panic("kind: " + name + " registered twice")
	}
	config.RegisterKind(name, settings)
	funcs[name] = crawl
}

// Lookup returns the Func of the kind registered as name.
func Lookup(name string) (Func, bool) {
	f, ok := funcs[name]
	return f, ok
}

// ErrPageLimit is returned by Run.Page when the source's max_pages is
// reached; kinds stop walking and return nil.
var ErrPageLimit = errors.New("max_pages reached")

// Run is one crawl of one source, as a kind sees it.
type Run struct {
	// Source is the source being crawled.
	Source *config.Source
	// Fetcher downloads pages for the source.
	Fetcher *fetch.Fetcher
	// Browser renders pages in headless Chromium, for sources whose posts
	// are built by JavaScript; it is shared by every source of the crawler.
	Browser *render.Browser
	// Cutoff is the incremental boundary: posts published before it were
	// stored by an earlier run. Zero on a first run.
	Cutoff time.Time
	// Cursor is the cursor a previous run left, if any.
	Cursor string
	// Now returns the fetch time.
	Now func() time.Time
	// Logger carries the source attribute.
	Logger *slog.Logger

	// EmitFunc receives each post; fresh is false when the post is older
	// than Cutoff (and was not passed on). It is set by the crawler.
	EmitFunc func(p post.Post) (fresh bool, err error)
	// PageFunc is called before each page is fetched; it returns
	// ErrPageLimit when no more pages may be fetched.
	PageFunc func(url string) error
	// ErrorFunc records a page that could not be fetched or read.
	ErrorFunc func(url string, err error)
	// CursorFunc records the newest pagination cursor.
	CursorFunc func(cursor string)
	// DroppedFunc records items found on a page but dropped because a
	// required field (the text) was empty.
	DroppedFunc func(field string, n int)
}

// NoMatchError is a page on which the source's item selector (or items
// path) matched nothing: usually a layout change.
type NoMatchError struct {
	// Selector is the item selector or items path that matched nothing.
	Selector string
	// Msg says what happened.
	Msg string
}

// Error says what matched nothing.
func (e *NoMatchError) Error() string { return e.Msg }

// Dropped records n items that were dropped for lack of field.
func (r *Run) Dropped(field string, n int) {
	if r.DroppedFunc != nil && n > 0 {
		r.DroppedFunc(field, n)
	}
}

// Emit passes a post on; fresh is false when it is older than the cutoff.
func (r *Run) Emit(p post.Post) (fresh bool, err error) { return r.EmitFunc(p) }

// Page counts a page about to be fetched; see PageFunc.
func (r *Run) Page(url string) error {
	if r.PageFunc == nil {
		return nil
	}
	return r.PageFunc(url)
}

// Fetch counts url as a page and downloads it, for kinds that walk pages
// one after another. A page that fails to download is recorded with
// PageError and Fetch returns nil, nil: the walk moves on. A non-nil error
// ends the walk: the context ended, or ErrPageLimit when max_pages is
// reached (the kind then returns nil).
func (r *Run) Fetch(ctx context.Context, url, accept string) (*fetch.Page, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := r.Page(url); err != nil {
		return nil, err
	}
	page, err := r.Fetcher.Get(ctx, url, accept)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		r.PageError(url, err)
		return nil, nil
	}
	return page, nil
}

// Explain reads the body of an API's error response: the reason it gives
// ("" when it gives none), and whether the source must stop for this run
// (a spent quota, where asking again only spends more).
type Explain func(body []byte) (reason string, stop bool)

// ErrStopped is returned by FetchAPI when the API says the source must
// stop for this run; the page error is recorded and the kind returns nil.
var ErrStopped = errors.New("the API asked to stop for this run")

// FetchAPI is Fetch for an API that explains its errors in the body: an
// error status is recorded with the reason explain reads, and a response
// that says to stop ends the walk with ErrStopped.
func (r *Run) FetchAPI(ctx context.Context, url, accept string, explain Explain) (*fetch.Page, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := r.Page(url); err != nil {
		return nil, err
	}
	page, err := r.Fetcher.Get(ctx, url, accept)
	if err == nil {
		return page, nil
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	var he *fetch.HTTPError
	if explain != nil && errors.As(err, &he) {
		if reason, stop := explain(he.Body); reason != "" {
			err = fmt.Errorf("%w: %s", err, reason)
			if stop {
				r.PageError(url, fmt.Errorf("%w; stopping this source until its next run", err))
				r.Logger.Warn("API quota or rate spent: stopping the source for this run", "url", url, "reason", reason)
				return nil, ErrStopped
			}
		}
	}
	r.PageError(url, err)
	return nil, nil
}

// PageError records a failed page; the crawl continues.
func (r *Run) PageError(url string, err error) {
	if r.ErrorFunc != nil {
		r.ErrorFunc(url, err)
	}
}

// SetCursor records a pagination cursor for the crawl's Stats.
func (r *Run) SetCursor(c string) {
	if r.CursorFunc != nil {
		r.CursorFunc(c)
	}
}

// Repeats reports whether a page's posts all were on earlier pages of its
// listing (ids holds theirs, and takes this page's): the site ignores the
// page asked for, and paging on would read the same page to max_pages.
func Repeats(posts []post.Post, ids map[string]bool) bool {
	repeat := len(posts) > 0
	for _, p := range posts {
		repeat = repeat && ids[p.ID]
		ids[p.ID] = true
	}
	return repeat
}

// Stale reports whether a page whose posts were all passed to Emit should
// end its pagination: it had posts, none was fresh, and they run newest
// first, so later pages can only be older. A thread listed oldest first
// (a forum thread whose new replies are on its last page) keeps paging.
// The order is judged on the page's top-level posts, since replies nested
// under their comment are in the thread's order, not the page's; a page
// of one comment and its replies does not tell, and paging goes on.
func Stale(posts []post.Post, fresh int) bool {
	if len(posts) == 0 || fresh > 0 {
		return false
	}
	ids := make(map[string]bool, len(posts))
	for _, p := range posts {
		ids[p.ID] = true
	}
	var first, last *post.Post
	for i := range posts {
		if ids[posts[i].ParentID] {
			continue // a reply to a post on this page
		}
		if first == nil {
			first = &posts[i]
		}
		last = &posts[i]
	}
	if first == nil || first == last && len(posts) > 1 {
		return false
	}
	return !first.Published.Before(last.Published)
}
