// Package feed is the feed source kind: RSS 0.9x and 2.0, Atom and JSON
// Feed, read with gofeed from pages fetched through the crawler's polite,
// guarded fetcher.
//
// Each entry becomes a post (title, text from its content or description
// with markup removed, author, time, link). With feed.comments configured,
// each entry's link is also fetched and its comment section read with the
// html kind's selectors; comments get the entry as their parent.
package feed
