package jsonapi

import (
	"math"
	"net/url"
	"strings"

	"github.com/tidwall/gjson"

	"github.com/backlash-monitor/backlash/internal/crawler/kind"
	"github.com/backlash-monitor/backlash/internal/post"
)

// preset is a named set of paths plus what the API needs beyond paths.
type preset struct {
	cfg Settings
	// fix adjusts a post after its paths are read; root is the response.
	fix func(p *post.Post, item, root gjson.Result)
	// required are the fields (id, time, author, text, rating) every item
	// of the API has; an item without one is reported as a FieldError.
	required []string
	// check rejects a response that is not the API's (an error naming the
	// member that is missing or says what went wrong).
	check func(root gjson.Result) error
	// skip drops an item that is not a post (a feed's own metadata entry).
	skip func(item gjson.Result) bool
	// page finds the next page's URL in the response or the URL, for APIs
	// whose pagination is none of the configurable ones; last says the
	// response is the last page.
	page func(u *url.URL, root gjson.Result) (next string, last bool)
	// apiError reads an error response's body: the reason it gives, and
	// whether the source must stop for this run (a spent quota).
	apiError kind.Explain
	// placeholders are texts the API puts where a post's text was
	// ("[deleted]"): they count as no text, so the text path's next
	// alternative is read, or the item yields no post.
	placeholders map[string]bool
}

func intp(i int) *int { return &i }

// presets returns the built-in presets. It builds them on each call so no
// caller can change another's.
func presets() map[string]preset {
	return map[string]preset{
		"reddit": {cfg: Settings{
			Items:       "data.children || #.data.children|@flatten",
			ID:          "data.name",
			Text:        "data.body || data.selftext || data.title",
			Title:       "data.title || data.link_title",
			Author:      "data.author",
			Time:        "data.created_utc",
			URL:         "data.permalink",
			Likes:       "data.score",
			Replies:     "data.num_comments",
			Parent:      "data.parent_id",
			Children:    "data.replies.data.children",
			Cursor:      "data.after",
			CursorParam: "after",
			TextHTML:    true, // Reddit escapes &, < and > in its JSON
		},
			// A deleted or removed post keeps its place in the thread
			// with this as its body (a removed self post as its
			// selftext: its title is read instead), and a deleted
			// account's posts all have "[deleted]" as author, who is
			// nobody in particular.
			placeholders: map[string]bool{"[deleted]": true, "[removed]": true},
			fix: func(p *post.Post, item, _ gjson.Result) {
				if p.Author == "[deleted]" {
					p.Author = ""
				}
				// A comment's thread is its post (link_id); a post is
				// its own. A comment has no num_comments: its replies
				// are those it carries, and those a "more" stub counts.
				p.Thread = item.Get("data.link_id").String()
				if p.Thread == "" && strings.HasPrefix(p.ID, "t3_") {
					p.Thread = p.ID
				}
				if !item.Get("data.num_comments").Exists() {
					n := int64(0)
					item.Get("data.replies.data.children").ForEach(func(_, c gjson.Result) bool {
						switch c.Get("kind").String() {
						case "t1":
							n++
						case "more":
							n += c.Get("data.count").Int()
						}
						return true
					})
					p.Replies = uint32(min(max(n, 0), math.MaxUint32))
				}
			}},
		"hackernews": {cfg: Settings{
			Items:     "hits",
			ID:        "objectID",
			Text:      "comment_text || story_text || title",
			Title:     "title || story_title",
			Author:    "author",
			Time:      "created_at_i || created_at",
			URL:       "url",
			Likes:     "points",
			Replies:   "num_comments",
			Parent:    "parent_id",
			PageParam: "page",
			PageStart: intp(0),
			TextHTML:  true,
		}, fix: func(p *post.Post, item, _ gjson.Result) {
			if p.URL == "" || item.Get("comment_text").Exists() {
				p.URL = "https://news.ycombinator.com/item?id=" + p.ID
			}
		}},
		// A reblog (an account's statuses list them) has no text of its
		// own: the status it shares, in "reblog", is read in its place.
		// A content warning is the post's title.
		"mastodon": {cfg: Settings{
			Items:      "statuses || descendants || @this",
			ID:         "reblog.id || id",
			Text:       "reblog.content || content",
			Title:      "reblog.spoiler_text || spoiler_text",
			Author:     "reblog.account.acct || account.acct",
			Time:       "reblog.created_at || created_at",
			URL:        "reblog.url || reblog.uri || url || uri",
			Likes:      "reblog.favourites_count || favourites_count",
			Replies:    "reblog.replies_count || replies_count",
			Shares:     "reblog.reblogs_count || reblogs_count",
			Followers:  "reblog.account.followers_count || account.followers_count",
			Parent:     "reblog.in_reply_to_id || in_reply_to_id",
			LinkHeader: true,
			TextHTML:   true,
		}, fix: func(p *post.Post, item, _ gjson.Result) {
			// An account of the instance asked has no domain in its
			// acct ("rin"), one of another has ("rin@other.example"):
			// add the instance, so one person has one name whichever
			// instance a source reads.
			if p.Author == "" || strings.Contains(p.Author, "@") {
				return
			}
			st := item
			if r := item.Get("reblog"); r.IsObject() {
				st = r
			}
			for _, link := range []string{st.Get("account.url").String(), st.Get("uri").String(), st.Get("url").String()} {
				if u, err := url.Parse(link); err == nil && u.Host != "" {
					p.Author += "@" + u.Host
					return
				}
			}
		}},
		// searchPosts lists posts, getAuthorFeed, getTimeline and getFeed
		// list them under "post", getPostThread nests its post and the
		// replies under "post" and "replies".
		"bluesky": {cfg: Settings{
			Items:       "posts || feed.#.post || [thread]",
			ID:          "uri || post.uri",
			Text:        "record.text || post.record.text",
			Author:      "author.handle || post.author.handle",
			Time:        "record.createdAt || post.record.createdAt || indexedAt || post.indexedAt",
			Likes:       "likeCount || post.likeCount",
			Replies:     "replyCount || post.replyCount",
			Shares:      "repostCount || post.repostCount",
			Parent:      "record.reply.parent.uri || post.record.reply.parent.uri",
			Children:    "replies",
			Cursor:      "cursor",
			CursorParam: "cursor",
		}, fix: func(p *post.Post, _, _ gjson.Result) {
			// at://did:plc:xyz/app.bsky.feed.post/3kabc -> web link.
			if rest, ok := strings.CutPrefix(p.ID, "at://"); ok && p.URL == "" {
				parts := strings.Split(rest, "/")
				if len(parts) == 3 && parts[1] == "app.bsky.feed.post" {
					who := p.Author
					if who == "" {
						who = parts[0]
					}
					p.URL = "https://bsky.app/profile/" + who + "/post/" + parts[2]
				}
			}
		}},
		"appstore":        appStore(),
		"lemmy":           lemmy(),
		"youtube":         youTube(),
		"activitystreams": activityStreams(),
		"jsonapi":         jsonAPI(),
	}
}

// merge lays the source's own settings over a preset's.
func merge(base, over Settings) Settings {
	pick := func(a, b string) string {
		if b != "" {
			return b
		}
		return a
	}
	out := base
	out.Preset = over.Preset
	out.Items = pick(base.Items, over.Items)
	out.ID = pick(base.ID, over.ID)
	out.Text = pick(base.Text, over.Text)
	out.Title = pick(base.Title, over.Title)
	out.Author = pick(base.Author, over.Author)
	out.Time = pick(base.Time, over.Time)
	out.URL = pick(base.URL, over.URL)
	out.Likes = pick(base.Likes, over.Likes)
	out.Replies = pick(base.Replies, over.Replies)
	out.Shares = pick(base.Shares, over.Shares)
	out.Followers = pick(base.Followers, over.Followers)
	out.Parent = pick(base.Parent, over.Parent)
	out.Views = pick(base.Views, over.Views)
	out.Rating = pick(base.Rating, over.Rating)
	out.AppVersion = pick(base.AppVersion, over.AppVersion)
	out.Children = pick(base.Children, over.Children)
	out.Cursor = pick(base.Cursor, over.Cursor)
	out.CursorParam = pick(base.CursorParam, over.CursorParam)
	out.PageParam = pick(base.PageParam, over.PageParam)
	if over.PageStart != nil {
		out.PageStart = over.PageStart
	}
	out.TimeFormat = pick(base.TimeFormat, over.TimeFormat)
	out.TimeZone = pick(base.TimeZone, over.TimeZone)
	out.LinkHeader = base.LinkHeader || over.LinkHeader
	out.TextHTML = base.TextHTML || over.TextHTML
	return out
}
