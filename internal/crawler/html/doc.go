// Package html is the html source kind: it reads posts out of forum
// threads, comment sections and other web pages with CSS selectors.
//
// A source names a selector for the repeating item (one post or comment)
// and, relative to it, selectors for the id, text, title, author, time,
// URL, counts and parent. "sel@attr" reads an attribute of the first match,
// "@attr" an attribute of the item itself, and a bare selector the match's
// cleaned text. Follow links lead from an index to thread pages, and a next
// link pages through a listing or thread until max_pages or, on a later run,
// until a page holds only posts the store already has.
//
// Replies nested inside their parent's element keep the link to it: the
// parent selector when given, else the id of the nearest enclosing item. A
// parent's text never includes its replies, and scripts, styles and
// navigation are never text.
package html
