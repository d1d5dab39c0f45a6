// Package kind is the contract between the crawler and its source kinds
// (html, feed, jsonapi, discourse, telegram): a kind is a Func that walks a source's pages with
// the Run it is given, emitting posts and reporting page errors. Register
// makes a kind known to the configuration loader (its settings block) and
// to the crawler (its Func); each kind calls it from init.
//
// The crawler owns everything shared: deduplication, the incremental
// cutoff, page limits, statistics and logs. A kind owns only how its pages
// are walked and read.
package kind
