// Package clean turns what sites show into the plain values a post holds:
// readable text from HTML (scripts, styles and navigation dropped, entities
// decoded, whitespace normalised) and counts from labels like "1.2k" or
// "3,456 likes".
//
// It knows nothing about sources or selectors; the html, feed and jsonapi
// kinds call it on what they extract.
package clean
