// Package jsonapi is the json source kind: it reads posts from JSON APIs
// with gjson paths, and pages through them by cursor, page number or Link
// header.
//
// Presets fill in the paths and pagination for well-known public APIs:
// reddit (search and comment listings), hackernews (the Algolia search
// API), mastodon (hashtag timelines) and bluesky
// (app.bsky.feed.searchPosts). Any path a source sets overrides the
// preset's.
//
// A field path may list alternatives separated by " || "; the first that
// yields a value wins (Reddit keeps a comment's text in body and a
// submission's in selftext).
package jsonapi
