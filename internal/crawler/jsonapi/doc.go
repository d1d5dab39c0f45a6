// Package jsonapi is the json source kind: it reads posts from JSON APIs
// with gjson paths, and pages through them by cursor, page number or Link
// header.
//
// Presets fill in the paths and pagination for well-known public APIs:
// reddit (search and comment listings), hackernews (the Algolia search
// API), mastodon (hashtag timelines), bluesky (app.bsky.feed.searchPosts),
// appstore (Apple's customer-reviews feed, with ratings), lemmy (posts and
// comments), youtube (Data API comment threads, stopping on a spent
// quota), activitystreams (ActivityPub collections) and jsonapi
// (jsonapi.org documents). Any path a source sets overrides the preset's.
// A preset also knows the fields its API always sends, and reports an
// item without one as a FieldError naming the field.
//
// A field path may list alternatives separated by " || "; the first that
// yields a value wins (Reddit keeps a comment's text in body and a
// submission's in selftext).
package jsonapi
