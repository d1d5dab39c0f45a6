package discourse

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/backlash-monitor/backlash/internal/crawler/clean"
	"github.com/backlash-monitor/backlash/internal/crawler/kind"
	"github.com/backlash-monitor/backlash/internal/crawler/when"
	"github.com/backlash-monitor/backlash/internal/post"
)

// Accept is the Accept header sent to a forum.
const Accept = "application/json"

// chunk is how many posts Discourse returns per request of a topic.
const chunk = 20

// Crawl is the discourse kind: for each start URL (a forum, a category,
// a tag or one topic) it pages through the listing of topics by latest
// activity, reads each topic with activity since the last run, and emits
// its posts with replies linked to their parents.
func Crawl(ctx context.Context, r *kind.Run) error {
	for _, start := range r.Source.URLs {
		u, topic, err := ListingURL(start)
		if err != nil {
			r.PageError(start, err)
			continue
		}
		if topic != "" {
			if err := crawlTopic(ctx, r, u, topicRef{path: topic}); err != nil {
				return stopped(err)
			}
			continue
		}
		if err := crawlListing(ctx, r, u); err != nil {
			return stopped(err)
		}
	}
	return nil
}

// stopped turns the page limit, or a forum that asks to stop, into the
// end of a clean walk.
func stopped(err error) error {
	if errors.Is(err, kind.ErrPageLimit) || errors.Is(err, kind.ErrStopped) {
		return nil
	}
	return err
}

// explain reads Discourse's error body,
// {"errors": ["..."], "error_type": "rate_limit"}: a rate limit still in
// force after the retries stops the source for this run, since every
// further request would be refused too.
func explain(body []byte) (string, bool) {
	var e struct {
		Errors    []string `json:"errors"`
		ErrorType string   `json:"error_type"`
	}
	if json.Unmarshal(body, &e) != nil || (len(e.Errors) == 0 && e.ErrorType == "") {
		return "", false
	}
	reason := strings.Join(e.Errors, " ")
	switch e.ErrorType {
	case "invalid_access", "not_logged_in":
		reason += " (the forum, or this part of it, needs a login)"
	}
	if e.ErrorType != "" {
		reason = e.ErrorType + ": " + reason
	}
	return strings.TrimSpace(reason), e.ErrorType == "rate_limit"
}

// ListingURL maps a forum URL a user copies from the browser to its JSON:
// the site (its latest topics), /latest, a category (/c/feedback/5), a
// tag, or a topic (/t/slug/123, returned as topic, the path to read).
func ListingURL(raw string) (listing *url.URL, topic string, err error) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return nil, "", fmt.Errorf("bad forum URL %q", raw)
	}
	u.Fragment = ""
	p := strings.TrimSuffix(u.Path, "/")
	switch {
	case p == "":
		u.Path = "/latest.json"
	case strings.HasPrefix(p, "/t/"):
		// /t/slug/123, /t/slug/123/45 or /t/123: the topic, from its start.
		parts := strings.Split(strings.TrimSuffix(strings.TrimPrefix(p, "/t/"), ".json"), "/")
		for i, s := range parts {
			if _, err := strconv.Atoi(s); err == nil && i <= 1 {
				base := *u
				base.Path, base.RawQuery = "/t/"+strings.Join(parts[:i+1], "/")+".json", ""
				return &base, base.Path, nil
			}
		}
		return nil, "", fmt.Errorf("topic URL %q has no topic id", raw)
	case strings.HasSuffix(p, ".json"):
		u.Path = p
	default:
		u.Path = p + ".json"
	}
	return u, "", nil
}

// listing is the part of /latest.json (and a category's or tag's) read.
type listing struct {
	TopicList *struct {
		MoreTopicsURL string  `json:"more_topics_url"`
		Topics        []topic `json:"topics"`
	} `json:"topic_list"`
}

type topic struct {
	ID           int64  `json:"id"`
	Slug         string `json:"slug"`
	Title        string `json:"title"`
	PostsCount   int    `json:"posts_count"`
	ReplyCount   int    `json:"reply_count"`
	LikeCount    int    `json:"like_count"`
	Views        int    `json:"views"`
	CreatedAt    string `json:"created_at"`
	LastPostedAt string `json:"last_posted_at"`
	BumpedAt     string `json:"bumped_at"`
	Pinned       bool   `json:"pinned"`
}

// topicRef is a topic to read: its JSON path and what the listing said.
type topicRef struct {
	path   string
	listed *topic
}

func crawlListing(ctx context.Context, r *kind.Run, start *url.URL) error {
	seen := map[string]bool{}
	for u := start; u != nil && !seen[u.String()]; {
		seen[u.String()] = true
		page, err := r.FetchAPI(ctx, u.String(), Accept, explain)
		if err != nil || page == nil {
			return err
		}
		l, err := parseListing(page.Body)
		if err != nil {
			r.PageError(u.String(), err)
			return nil
		}
		reached := false // a topic (pinned ones aside) quiet since the last run
		for i := range l.TopicList.Topics {
			t := &l.TopicList.Topics[i]
			last := lastActivity(t, r.Now())
			if !r.Cutoff.IsZero() && last.Before(r.Cutoff) {
				reached = reached || !t.Pinned
				continue // nothing posted since the last run
			}
			ref := topicRef{path: "/t/" + strconv.FormatInt(t.ID, 10) + ".json", listed: t}
			if t.Slug != "" {
				ref.path = "/t/" + url.PathEscape(t.Slug) + "/" + strconv.FormatInt(t.ID, 10) + ".json"
			}
			if err := crawlTopic(ctx, r, page.URL, ref); err != nil {
				return err
			}
		}
		// Topics run by latest activity: once one (pinned ones aside) has
		// been quiet since the last run, so are all on later pages.
		if reached {
			r.Logger.Debug("stopping pagination: the rest of the topics are quiet since the last run", "url", u.String())
			return nil
		}
		u = nextListing(page.URL, l.TopicList.MoreTopicsURL)
	}
	return nil
}

func parseListing(body []byte) (*listing, error) {
	var l listing
	if err := decode(body, &l); err != nil {
		return nil, err
	}
	if l.TopicList == nil {
		return nil, errors.New(`no "topic_list" in the response: not a Discourse topic listing (use the forum's address, /latest, a /c/ category or a /tag/)`)
	}
	for i, t := range l.TopicList.Topics {
		if t.ID == 0 {
			return nil, fmt.Errorf("topic_list.topics[%d] has no id: the forum's format may have changed", i)
		}
	}
	return &l, nil
}

// lastActivity is when a listed topic last had a post.
func lastActivity(t *topic, now time.Time) time.Time {
	for _, s := range []string{t.LastPostedAt, t.BumpedAt, t.CreatedAt} {
		if tm, ok := when.Parse(s, when.Options{Now: now}); ok {
			return tm
		}
	}
	return now // unknown: read it
}

// nextListing turns more_topics_url ("/latest?no_definitions=true&page=1")
// into the JSON URL of the next page.
func nextListing(cur *url.URL, more string) *url.URL {
	if more == "" {
		return nil
	}
	m, err := url.Parse(more)
	if err != nil {
		return nil
	}
	next := cur.ResolveReference(m)
	if !strings.HasSuffix(next.Path, ".json") {
		next.Path += ".json"
	}
	if next.Host != cur.Host {
		return nil
	}
	return next
}

// topicPage is the part of /t/{id}.json and /t/{id}/posts.json read.
type topicPage struct {
	ID         int64  `json:"id"`
	Title      string `json:"title"`
	Slug       string `json:"slug"`
	Views      int    `json:"views"`
	PostStream *struct {
		Posts  []rawPost `json:"posts"`
		Stream []int64   `json:"stream"`
	} `json:"post_stream"`
}

type rawPost struct {
	ID                int64   `json:"id"`
	Username          string  `json:"username"`
	CreatedAt         string  `json:"created_at"`
	Cooked            string  `json:"cooked"`
	PostNumber        int     `json:"post_number"`
	PostType          int     `json:"post_type"`
	ReplyToPostNumber *int    `json:"reply_to_post_number"`
	ReplyCount        int     `json:"reply_count"`
	LikeCount         *int    `json:"like_count"`
	TopicID           int64   `json:"topic_id"`
	TopicSlug         string  `json:"topic_slug"`
	Hidden            bool    `json:"hidden"`
	DeletedAt         *string `json:"deleted_at"`
	ActionsSummary    []struct {
		ID    int `json:"id"`
		Count int `json:"count"`
	} `json:"actions_summary"`
}

// postTypeSmallAction is a post that records an action ("closed the
// topic"), not something someone wrote.
const postTypeSmallAction = 3

// likeAction is the id of a like in a post's actions_summary.
const likeAction = 2

func crawlTopic(ctx context.Context, r *kind.Run, base *url.URL, ref topicRef) error {
	tu := base.ResolveReference(&url.URL{Path: ref.path})
	page, err := r.FetchAPI(ctx, tu.String(), Accept, explain)
	if err != nil || page == nil {
		return err
	}
	tp, err := parseTopic(page.Body, true)
	if err != nil {
		r.PageError(tu.String(), err)
		return nil
	}
	now := r.Now()
	th := thread{base: page.URL, id: tp.ID, slug: tp.Slug, title: tp.Title, views: tp.Views}
	posts, err := th.posts(tp.PostStream.Posts, now)
	if err != nil {
		r.PageError(tu.String(), err)
	}
	// Posts not in the first response are fetched by id, 20 at a time,
	// newest first, until a chunk reaches back before the last run.
	have := map[int64]bool{}
	for _, p := range tp.PostStream.Posts {
		have[p.ID] = true
	}
	var missing []int64
	for _, id := range tp.PostStream.Stream {
		if !have[id] {
			missing = append(missing, id)
		}
	}
	var older [][]post.Post
	for end := len(missing); end > 0; end -= chunk {
		ids := missing[max(0, end-chunk):end]
		more, reached, err := fetchPosts(ctx, r, page.URL, th, ids, now)
		if err != nil {
			return err
		}
		older = append(older, more)
		if reached {
			break
		}
	}
	for i := len(older) - 1; i >= 0; i-- { // back in stream order
		posts = append(posts, older[i]...)
	}
	for _, p := range posts {
		if _, err := r.Emit(p); err != nil {
			return err
		}
	}
	return nil
}

// fetchPosts reads posts of a topic by id; reached says they go back past
// the run's cutoff.
func fetchPosts(ctx context.Context, r *kind.Run, base *url.URL, th thread, ids []int64, now time.Time) ([]post.Post, bool, error) {
	q := url.Values{}
	for _, id := range ids {
		q.Add("post_ids[]", strconv.FormatInt(id, 10))
	}
	pu := base.ResolveReference(&url.URL{Path: "/t/" + strconv.FormatInt(th.id, 10) + "/posts.json", RawQuery: q.Encode()})
	page, err := r.FetchAPI(ctx, pu.String(), Accept, explain)
	if err != nil || page == nil {
		return nil, false, err
	}
	tp, err := parseTopic(page.Body, false)
	if err != nil {
		r.PageError(pu.String(), err)
		return nil, false, nil
	}
	posts, err := th.posts(tp.PostStream.Posts, now)
	if err != nil {
		r.PageError(pu.String(), err)
	}
	reached := !r.Cutoff.IsZero() && len(posts) > 0 && posts[0].Published.Before(r.Cutoff)
	return posts, reached, nil
}

func parseTopic(body []byte, whole bool) (*topicPage, error) {
	var tp topicPage
	if err := decode(body, &tp); err != nil {
		return nil, err
	}
	if tp.PostStream == nil {
		return nil, errors.New(`no "post_stream" in the response: not a Discourse topic`)
	}
	if whole && tp.ID == 0 {
		return nil, errors.New(`topic has no "id": the forum's format may have changed`)
	}
	return &tp, nil
}

// thread turns a topic's raw posts into posts.
type thread struct {
	base        *url.URL
	id          int64
	slug, title string
	views       int
}

// posts maps raw posts; a post lacking a field Discourse always sends is
// reported (the first one, with how many more) and left out.
func (th thread) posts(raw []rawPost, now time.Time) ([]post.Post, error) {
	var out []post.Post
	var first error
	bad := 0
	for i, rp := range raw {
		p, skip, err := th.post(rp, now)
		if err != nil {
			if first == nil {
				first = fmt.Errorf("post_stream.posts[%d] of topic %d: %w", i, th.id, err)
			}
			bad++
			continue
		}
		if !skip {
			out = append(out, p)
		}
	}
	if bad > 1 {
		first = fmt.Errorf("%w (and %d more posts)", first, bad-1)
	}
	return out, first
}

func (th thread) post(rp rawPost, now time.Time) (post.Post, bool, error) {
	switch {
	case rp.PostNumber <= 0:
		return post.Post{}, false, errors.New(`no "post_number": the forum's format may have changed`)
	case rp.Username == "":
		return post.Post{}, false, errors.New(`no "username": the forum's format may have changed`)
	case rp.CreatedAt == "":
		return post.Post{}, false, errors.New(`no "created_at": the forum's format may have changed`)
	}
	if rp.PostType == postTypeSmallAction || rp.Hidden || rp.DeletedAt != nil {
		return post.Post{}, true, nil
	}
	text := cookedText(rp.Cooked)
	if text == "" {
		return post.Post{}, true, nil
	}
	topicID := th.id
	if topicID == 0 {
		topicID = rp.TopicID
	}
	slug := th.slug
	if slug == "" {
		slug = rp.TopicSlug
	}
	tid := strconv.FormatInt(topicID, 10)
	p := post.Post{
		ID:      tid + "/" + strconv.Itoa(rp.PostNumber),
		Thread:  tid,
		Author:  clean.OneLine(rp.Username),
		Title:   clean.OneLine(th.title),
		Text:    text,
		Fetched: now,
		Replies: uint32(max(rp.ReplyCount, 0)),
	}
	page := &url.URL{Path: "/t/" + tid + "/" + strconv.Itoa(rp.PostNumber)}
	if slug != "" {
		page.Path = "/t/" + slug + "/" + tid + "/" + strconv.Itoa(rp.PostNumber)
	}
	p.URL = th.base.ResolveReference(page).String()
	if rp.LikeCount != nil {
		p.Likes = uint32(max(*rp.LikeCount, 0))
	} else {
		for _, a := range rp.ActionsSummary {
			if a.ID == likeAction {
				p.Likes = uint32(max(a.Count, 0))
			}
		}
	}
	switch {
	case rp.PostNumber == 1:
		p.Views = uint32(max(th.views, 0)) // the topic's views are its opener's
	case rp.ReplyToPostNumber != nil && *rp.ReplyToPostNumber > 0:
		p.ParentID = tid + "/" + strconv.Itoa(*rp.ReplyToPostNumber)
	default:
		p.ParentID = tid + "/1" // a reply to the topic
	}
	if t, ok := when.Parse(rp.CreatedAt, when.Options{Now: now}); ok {
		p.Published = t
	} else {
		return post.Post{}, false, fmt.Errorf("created_at %q is not a time", rp.CreatedAt)
	}
	return p, false, nil
}

// cookedText is the readable text of a post's HTML without the posts it
// quotes (aside.quote), whose words are the quoted author's: a calm reply
// quoting an angry post is not angry. Link previews (aside.onebox: the
// linked page's site, title and summary) are the linked page's words too
// and are left out, unless the post is nothing but links, when their
// titles and summaries are its text. An uploaded image's caption (its
// file name, size and dimensions) is never text.
func cookedText(cooked string) string {
	if !strings.Contains(cooked, "<aside") && !strings.Contains(cooked, "lightbox") {
		return clean.HTML(cooked)
	}
	ctx := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	nodes, err := html.ParseFragment(strings.NewReader(cooked), ctx)
	if err != nil {
		return clean.HTML(cooked)
	}
	root := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	for _, n := range nodes {
		root.AppendChild(n)
	}
	noise := func(n *html.Node) bool {
		switch n.DataAtom {
		case atom.Aside:
			return hasClass(n, "quote")
		case atom.Div:
			return hasClass(n, "meta") && n.Parent != nil && hasClass(n.Parent, "lightbox")
		case atom.Header:
			return hasClass(n, "source") // a onebox's site name
		}
		return false
	}
	text := clean.NodeText(root, func(n *html.Node) bool {
		return noise(n) || n.DataAtom == atom.Aside && hasClass(n, "onebox")
	})
	if text == "" {
		text = clean.NodeText(root, noise)
	}
	return text
}

// hasClass says whether n's class attribute lists c.
func hasClass(n *html.Node, c string) bool {
	for _, a := range n.Attr {
		if a.Key == "class" && slices.Contains(strings.Fields(a.Val), c) {
			return true
		}
	}
	return false
}

// decode reads JSON, naming the field a type mismatch is in.
func decode(body []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return fmt.Errorf("field %q is a JSON %s, want %s: the forum's format may have changed", te.Field, te.Value, te.Type)
		}
		var se *json.SyntaxError
		if errors.As(err, &se) {
			line := 1 + bytes.Count(body[:min(int(se.Offset), len(body))], []byte("\n"))
			return fmt.Errorf("malformed JSON at line %d: %v (is this a Discourse forum?)", line, err)
		}
		return fmt.Errorf("malformed JSON: %w", err)
	}
	return nil
}
