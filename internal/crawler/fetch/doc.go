// Package fetch downloads pages for the crawler, politely and safely.
//
// A Fetcher wraps one colly collector per crawl. It obeys robots.txt
// (including Crawl-delay), keeps to the source's allowed domains, spaces
// requests to a host by the source's delay, sends an honest User-Agent,
// caps body size and request time, retries timeouts, 429 and 5xx responses
// with exponential backoff and jitter (honouring Retry-After), and decodes
// legacy character sets (GBK, Big5, Shift-JIS, ...) to UTF-8.
//
// Its dialer refuses loopback, private, link-local, CGNAT, unspecified and
// cloud metadata addresses unless the source sets allow_private. The check
// runs when a connection is dialled, after DNS resolution and on every
// redirect, so neither can be used to reach an internal service.
//
// It does not parse pages; the source kinds do.
package fetch
