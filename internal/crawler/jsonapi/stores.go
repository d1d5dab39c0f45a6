package jsonapi

import (
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/tidwall/gjson"

	"github.com/backlash-monitor/backlash/internal/post"
)

// appStoreMaxPages is how many pages Apple serves of an app's reviews
// (50 reviews each) when the feed names no last page.
const appStoreMaxPages = 10

var appStorePageRe = regexp.MustCompile(`/page=(\d+)/`)

// appStore reads Apple's customer-reviews feed in its JSON form,
// itunes.apple.com/{country}/rss/customerreviews/page={n}/id={app}/sortby=mostrecent/json.
// Every value is wrapped in {"label": ...}; a page with a single review
// has an object, not an array, as feed.entry; older feeds open page 1
// with an entry describing the app itself, which is skipped.
func appStore() preset {
	return preset{
		cfg: Settings{
			Items:      "[feed.entry]|@flatten",
			ID:         "id.label",
			Text:       "content.label",
			Title:      "title.label",
			Author:     "author.name.label",
			Time:       "updated.label",
			URL:        "link.attributes.href",
			Likes:      "im:voteSum.label",
			Rating:     "im:rating.label",
			AppVersion: "im:version.label",
		},
		required: []string{"id", "time", "author", "text", "rating"},
		check: func(root gjson.Result) error {
			if !root.Get("feed").IsObject() {
				return fmt.Errorf(`no "feed" object: not an App Store reviews feed (want itunes.apple.com/{country}/rss/customerreviews/id={app}/sortby=mostrecent/json)`)
			}
			return nil
		},
		skip: func(item gjson.Result) bool { return item.Get("im:name").Exists() },
		page: func(u *url.URL, root gjson.Result) (string, bool) {
			if u == nil || !root.Get("feed.entry").Exists() {
				return "", true
			}
			n, last := 1, appStoreMaxPages
			if m := appStorePageRe.FindStringSubmatch(u.Path); m != nil {
				n, _ = strconv.Atoi(m[1])
			}
			root.Get("feed.link").ForEach(func(_, l gjson.Result) bool {
				if l.Get("attributes.rel").String() == "last" {
					if m := appStorePageRe.FindStringSubmatch(l.Get("attributes.href").String()); m != nil {
						if v, err := strconv.Atoi(m[1]); err == nil && v > 0 {
							last = min(v, appStoreMaxPages)
						}
					}
				}
				return true
			})
			if n >= last {
				return "", true
			}
			next := *u
			if appStorePageRe.MatchString(u.Path) {
				next.Path = appStorePageRe.ReplaceAllString(u.Path, "/page="+strconv.Itoa(n+1)+"/")
			} else if i := strings.Index(u.Path, "/customerreviews/"); i >= 0 {
				next.Path = u.Path[:i] + "/customerreviews/page=" + strconv.Itoa(n+1) + "/" + u.Path[i+len("/customerreviews/"):]
			} else {
				return "", true
			}
			next.RawPath = ""
			return next.String(), false
		},
	}
}

// lemmy reads Lemmy's /api/v3/post/list and /api/v3/comment/list. Posts
// and comments are numbered separately, so ids are "internal/post/N" and
// "comment/N" (as in their ap_id links); a comment's parent is the
// comment before it in its path ("0.12.34" replies to comment 12), or
// its post.
func lemmy() preset {
	return preset{
		cfg: Settings{
			Items:     "posts || comments",
			ID:        "comment.id || post.id",
			Text:      "comment.content || post.body || post.name",
			Title:     "post.name",
			Author:    "creator.name",
			Time:      "comment.published || post.published",
			URL:       "comment.ap_id || post.ap_id",
			Likes:     "counts.upvotes || counts.score",
			Replies:   "counts.child_count || counts.comments",
			PageParam: "page",
		},
		required: []string{"id", "time", "author", "text"},
		// A removed or deleted comment keeps its place with its content
		// blanked; the text path would read its post's title in its
		// place, a second copy of the post under the comment's author.
		skip: func(item gjson.Result) bool {
			o := item.Get("post")
			if c := item.Get("comment"); c.Exists() {
				if strings.TrimSpace(c.Get("content").String()) == "" {
					return true
				}
				o = c
			}
			return o.Get("deleted").Bool() || o.Get("removed").Bool()
		},
		fix: func(p *post.Post, item, _ gjson.Result) {
			postID := item.Get("post.id").Raw
			if c := item.Get("comment"); c.Exists() {
				p.ID = "comment/" + c.Get("id").Raw
				p.Thread = "post/" + postID
				p.ParentID = p.Thread
				if parts := strings.Split(c.Get("path").String(), "."); len(parts) > 2 {
					p.ParentID = "comment/" + parts[len(parts)-2]
				}
			} else {
				p.ID = "post/" + postID
				p.Thread = p.ID
			}
			// A local name is ambiguous across the fediverse: add the
			// instance, as a mention would.
			if a, err := url.Parse(item.Get("creator.actor_id").String()); err == nil && a.Host != "" && p.Author != "" {
				p.Author += "@" + a.Host
			}
		},
	}
}

// youTube reads the Data API's commentThreads.list (part=snippet,replies):
// a thread's top-level comment and the replies it carries. Replies are
// comment resources of their own shape, read as its children. The API key
// travels in the X-Goog-Api-Key header from header_env.
func youTube() preset {
	snip := func(f string) string {
		return "snippet.topLevelComment.snippet." + f + " || snippet." + f
	}
	return preset{
		cfg: Settings{
			Items:       "items",
			ID:          "snippet.topLevelComment.id || id",
			Text:        snip("textDisplay") + " || " + snip("textOriginal"),
			Author:      snip("authorDisplayName"),
			Time:        snip("publishedAt"),
			Likes:       snip("likeCount"),
			Replies:     "snippet.totalReplyCount",
			Parent:      "snippet.parentId",
			Children:    "replies.comments",
			Cursor:      "nextPageToken",
			CursorParam: "pageToken",
			TextHTML:    true,
		},
		required: []string{"id", "time", "author", "text"},
		fix: func(p *post.Post, item, _ gjson.Result) {
			video := item.Get("snippet.videoId").String()
			if video == "" {
				video = item.Get("snippet.topLevelComment.snippet.videoId").String()
			}
			if video != "" {
				p.Thread = video
				p.URL = "https://www.youtube.com/watch?v=" + url.QueryEscape(video) + "&lc=" + url.QueryEscape(p.ID)
			}
		},
		apiError: googleAPIError,
	}
}

// googleQuota are the reasons a Google API gives when the project's quota
// or rate is spent: asking again this run only burns more of it.
var googleQuota = map[string]bool{
	"quotaExceeded": true, "dailyLimitExceeded": true, "rateLimitExceeded": true,
	"userRateLimitExceeded": true, "RATE_LIMIT_EXCEEDED": true, "RESOURCE_EXHAUSTED": true,
}

// googleAPIError reads a Google API error body:
// {"error": {"code": 403, "message": ..., "errors": [{"reason": "quotaExceeded", ...}]}}.
func googleAPIError(body []byte) (string, bool) {
	e := gjson.GetBytes(body, "error")
	if !e.IsObject() {
		return "", false
	}
	reason := e.Get("errors.0.reason").String()
	if reason == "" {
		reason = e.Get("status").String()
	}
	stop := googleQuota[reason]
	msg := stripTags(e.Get("message").String())
	if reason != "" {
		msg = reason + ": " + msg
	}
	return msg, stop
}

var tagRe = regexp.MustCompile(`<[^>]*>`)

func stripTags(s string) string { return strings.TrimSpace(tagRe.ReplaceAllString(s, "")) }

// activityStreams reads an ActivityStreams 2.0 collection (the outbox of
// an ActivityPub actor, a Note's replies): OrderedCollection or
// Collection, with its items embedded or on pages linked by first and
// next. Items are activities wrapping an object (Create of a Note) or
// objects themselves.
func activityStreams() preset {
	return preset{
		cfg: Settings{
			Items: "orderedItems || items || first.orderedItems || first.items || [orderedItems]|@flatten",
			ID:    "object.id || id",
			Text:  "object.content || content || object.summary || summary || object.name || name",
			Title: "object.name || name",
			Author: "object.attributedTo.preferredUsername || object.attributedTo.id || object.attributedTo || " +
				"attributedTo.preferredUsername || attributedTo.id || attributedTo || actor.preferredUsername || actor.id || actor",
			Time:     "object.published || published || object.updated || updated",
			URL:      "object.url.href || object.url || url.href || url || object.id || id",
			Likes:    "object.likes.totalItems || likes.totalItems",
			Replies:  "object.replies.totalItems || replies.totalItems",
			Shares:   "object.shares.totalItems || shares.totalItems",
			Parent:   "object.inReplyTo.id || object.inReplyTo || inReplyTo.id || inReplyTo",
			TextHTML: true,
		},
		required: []string{"id"},
		check: func(root gjson.Result) error {
			if !root.Get("type").Exists() {
				return fmt.Errorf(`no "type" member: not an ActivityStreams collection`)
			}
			return nil
		},
		page: func(_ *url.URL, root gjson.Result) (string, bool) {
			for _, p := range []string{"next", "first.next"} {
				if n := linkOf(root.Get(p)); n != "" {
					return n, false
				}
			}
			// A collection whose items are on its first page.
			if !root.Get("orderedItems").Exists() && !root.Get("items").Exists() {
				if f := root.Get("first"); f.Type == gjson.String {
					return f.Str, false
				}
			}
			return "", true
		},
	}
}

// linkOf reads a link that is a URL string or an object with id or href.
func linkOf(r gjson.Result) string {
	switch {
	case r.Type == gjson.String:
		return r.Str
	case r.IsObject():
		if s := r.Get("href").String(); s != "" {
			return s
		}
		return r.Get("id").String()
	}
	return ""
}

// jsonAPI reads a JSON:API document (jsonapi.org): resources in data,
// their fields in attributes, the author a relationship resolved against
// included, the next page in links.next. Attribute names vary by site,
// so the common ones are tried; set paths next to the preset for others.
func jsonAPI() preset {
	attr := func(names ...string) string {
		for i, n := range names {
			names[i] = "attributes." + n
		}
		return strings.Join(names, " || ")
	}
	return preset{
		cfg: Settings{
			Items:    "[data]|@flatten",
			ID:       "id",
			Text:     attr("body.processed", "body.value", "body", "content", "text", "message", "comment_body.processed", "comment_body.value", "description"),
			Title:    attr("title", "subject", "name"),
			Author:   attr("author", "author_name", "username"),
			Time:     attr("created", "createdAt", "created_at", "published", "publishedAt", "published_at", "date"),
			URL:      attr("url", "permalink", "path.alias") + " || links.html.href || links.html",
			Likes:    attr("likes", "likeCount", "like_count", "votes", "score"),
			Replies:  attr("replies", "replyCount", "reply_count", "commentCount", "comment_count"),
			Parent:   "relationships.parent.data.id || relationships.pid.data.id || relationships.inReplyTo.data.id || relationships.in_reply_to.data.id",
			TextHTML: true,
		},
		required: []string{"id"},
		check: func(root gjson.Result) error {
			if errs := root.Get("errors"); errs.IsArray() && !root.Get("data").Exists() {
				e := errs.Get("0")
				return fmt.Errorf("API error: %s %s", e.Get("title").String(), e.Get("detail").String())
			}
			if !root.Get("data").Exists() {
				return fmt.Errorf(`no "data" member: not a JSON:API document`)
			}
			return nil
		},
		fix: func(p *post.Post, item, root gjson.Result) {
			if p.Author != "" {
				return
			}
			for _, rel := range []string{"author", "user", "uid", "creator", "owner"} {
				ref := item.Get("relationships." + rel + ".data")
				if !ref.IsObject() {
					continue
				}
				typ, id := ref.Get("type").String(), ref.Get("id").String()
				root.Get("included").ForEach(func(_, inc gjson.Result) bool {
					if inc.Get("type").String() != typ || inc.Get("id").String() != id {
						return true
					}
					for _, f := range []string{"name", "display_name", "displayName", "username", "title"} {
						if v := inc.Get("attributes." + f).String(); v != "" {
							p.Author = v
							return false
						}
					}
					return false
				})
				if p.Author == "" {
					p.Author = typ + "/" + id
				}
				return
			}
		},
		page: func(_ *url.URL, root gjson.Result) (string, bool) {
			n := linkOf(root.Get("links.next"))
			return n, n == ""
		},
	}
}
