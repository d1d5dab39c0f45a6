// Package discourse is the discourse source kind: it reads a Discourse
// forum through the JSON every Discourse site serves without a login —
// the latest topics (/latest.json, a category's or a tag's listing), each
// active topic (/t/{slug}/{id}.json) and the rest of its posts by id
// (/t/{id}/posts.json?post_ids[]=…) — and emits each post with its
// author, time, like and reply counts, and the post it replies to.
//
// A post's id is "{topic}/{post number}", the forum's own address of it
// (/t/slug/101/3), so a reply's parent is exact even when the parent was
// stored by an earlier run. Topics with no post since the last run are not
// read again.
package discourse
