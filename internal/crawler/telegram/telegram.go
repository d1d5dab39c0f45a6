package telegram

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/backlash-monitor/backlash/internal/crawler/clean"
	"github.com/backlash-monitor/backlash/internal/crawler/html"
	"github.com/backlash-monitor/backlash/internal/crawler/kind"
	"github.com/backlash-monitor/backlash/internal/crawler/when"
	"github.com/backlash-monitor/backlash/internal/post"
)

// Accept is the Accept header sent for the preview pages.
const Accept = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"

// Crawl is the telegram kind: for each channel it reads the newest page
// of its web preview and pages back through older messages until it
// reaches those an earlier run stored.
func Crawl(ctx context.Context, r *kind.Run) error {
	for _, start := range r.Source.URLs {
		u, err := PreviewURL(start)
		if err != nil {
			r.PageError(start, err)
			continue
		}
		seen := map[string]bool{}
		for next := u.String(); next != "" && !seen[next]; {
			seen[next] = true
			page, err := r.Fetch(ctx, next, Accept)
			if errors.Is(err, kind.ErrPageLimit) {
				return nil
			}
			if err != nil {
				return err
			}
			if page == nil {
				break
			}
			res, err := Extract(page.Body, page.URL, r.Now())
			if err != nil {
				r.PageError(next, err)
				if len(res.Posts) == 0 {
					break
				}
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
			// Older pages hold older messages: a page that reaches back to
			// messages an earlier run stored ends the walk.
			if fresh < len(res.Posts) {
				r.Logger.Debug("stopping pagination: page holds only posts already stored", "url", next)
				break
			}
			next = res.Older
		}
	}
	return nil
}

// PreviewURL maps a channel's address (t.me/name, t.me/s/name, with a
// ?q= search or a ?before= position) to its web preview, t.me/s/name.
func PreviewURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("bad channel URL %q", raw)
	}
	parts := strings.Split(strings.Trim(u.Path, "/"), "/")
	if len(parts) > 0 && parts[0] == "s" {
		parts = parts[1:]
	}
	if len(parts) == 0 || parts[0] == "" {
		return nil, fmt.Errorf("channel URL %q names no channel (want https://t.me/s/<channel>)", raw)
	}
	out := *u
	out.Path, out.RawPath, out.Fragment = "/s/"+parts[0], "", ""
	return &out, nil
}

// Page is what one preview page yields.
type Page struct {
	// Posts are the page's messages with text, oldest first as shown.
	Posts []post.Post
	// Older is the URL of the page of older messages, "" at the start of
	// the channel.
	Older string
}

// Extract reads a preview page's messages. A message without its id or
// time is reported in the error (the layout changed) and the others are
// kept.
func Extract(body []byte, base *url.URL, now time.Time) (Page, error) {
	var res Page
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		return res, fmt.Errorf("parse page: %w", err)
	}
	msgs := doc.Find(".tgme_widget_message")
	if msgs.Length() == 0 {
		if doc.Find(".tgme_channel_history").Length() > 0 {
			return res, nil // a channel with no messages (yet)
		}
		return res, errors.New("no messages (.tgme_widget_message) on the page: the channel is private, does not exist, or its preview is off")
	}
	followers := subscribers(doc)
	var first error
	bad := 0
	msgs.Each(func(i int, m *goquery.Selection) {
		p, ok, err := message(m, base, now)
		if err != nil {
			if first == nil {
				first = fmt.Errorf("message %d: %w", i, err)
			}
			bad++
			return
		}
		if ok {
			p.Followers = followers
			res.Posts = append(res.Posts, p)
		}
	})
	if bad > 1 {
		first = fmt.Errorf("%w (and %d more messages)", first, bad-1)
	}
	if more, ok := doc.Find("a.tme_messages_more[data-before]").Attr("data-before"); ok && base != nil {
		if _, err := strconv.Atoi(more); err == nil {
			older := *base
			q := older.Query()
			q.Set("before", more)
			q.Del("after")
			older.RawQuery = q.Encode()
			res.Older = older.String()
		}
	}
	return res, first
}

// message reads one message; ok is false for one that is not a post (a
// service message, a photo without a caption).
func message(m *goquery.Selection, base *url.URL, now time.Time) (post.Post, bool, error) {
	id, _ := m.Attr("data-post")
	id = strings.TrimSpace(id)
	if id == "" || !strings.Contains(id, "/") {
		return post.Post{}, false, errors.New(`no data-post="<channel>/<id>": the preview's layout may have changed`)
	}
	if m.HasClass("service_message") {
		return post.Post{}, false, nil
	}
	stamp, _ := m.Find(".tgme_widget_message_date time").Attr("datetime")
	if strings.TrimSpace(stamp) == "" {
		return post.Post{}, false, fmt.Errorf(`%s has no time (.tgme_widget_message_date time[datetime]): the preview's layout may have changed`, id)
	}
	published, ok := when.Parse(stamp, when.Options{Now: now})
	if !ok {
		return post.Post{}, false, fmt.Errorf("%s: time %q is not a time", id, stamp)
	}
	// The text of the message itself, not of the message it replies to.
	body := m.Find(".tgme_widget_message_text").FilterFunction(func(_ int, s *goquery.Selection) bool {
		return s.ParentsFiltered(".tgme_widget_message_reply").Length() == 0
	}).First()
	if body.Length() == 0 {
		body = m.Find(".tgme_widget_message_poll_question").First()
	}
	var text string
	if body.Length() > 0 {
		text = clean.NodeText(body.Nodes[0], nil)
	}
	if text == "" {
		return post.Post{}, false, nil
	}
	p := post.Post{
		ID:        id,
		Text:      text,
		Published: published,
		Fetched:   now,
		Views:     clean.Count(m.Find(".tgme_widget_message_views").First().Text()),
	}
	p.Author = clean.OneLine(m.Find(".tgme_widget_message_from_author").First().Text())
	if p.Author == "" {
		p.Author = clean.OneLine(m.Find(".tgme_widget_message_owner_name").First().Text())
	}
	if p.Author == "" {
		p.Author, _, _ = strings.Cut(id, "/")
	}
	if href, ok := m.Find("a.tgme_widget_message_date").Attr("href"); ok {
		p.URL = html.Resolve(base, strings.TrimSpace(href))
	}
	if p.URL == "" {
		p.URL = "https://t.me/" + id
	}
	if href, ok := m.Find("a.tgme_widget_message_reply").Attr("href"); ok {
		p.ParentID = postID(href)
	}
	m.Find(".tgme_widget_message_reactions .tgme_reaction").Each(func(_ int, r *goquery.Selection) {
		c := r.Clone()
		c.Find("b, i").Remove() // the emoji
		p.Likes += clean.Count(c.Text())
	})
	return p, true, nil
}

// subscribers reads the channel's subscriber count from its header.
func subscribers(doc *goquery.Document) uint32 {
	var n uint32
	doc.Find(".tgme_channel_info_counter").Each(func(_ int, c *goquery.Selection) {
		if strings.TrimSpace(c.Find(".counter_type").Text()) == "subscribers" {
			n = clean.Count(c.Find(".counter_value").Text())
		}
	})
	return n
}

// postID turns a message link (https://t.me/acmenews/810) into its id.
func postID(href string) string {
	u, err := url.Parse(href)
	if err != nil {
		return ""
	}
	parts := strings.Split(strings.Trim(u.Path, "/"), "/")
	if len(parts) >= 2 && parts[0] == "s" {
		parts = parts[1:]
	}
	if len(parts) < 2 {
		return ""
	}
	if _, err := strconv.Atoi(parts[len(parts)-1]); err != nil {
		return ""
	}
	return parts[0] + "/" + parts[len(parts)-1]
}
