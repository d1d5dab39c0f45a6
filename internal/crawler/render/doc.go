// Package render loads pages in a shared headless Chromium, for sources
// whose posts are built by JavaScript (an html source with render: true).
//
// A Browser is one browser process for the whole crawler, started on first
// use, with a bounded number of tabs. Render loads a page in a tab, waits
// until the item selector (or another) matches, optionally scrolls for
// more items, and returns the DOM as HTML for the html kind to extract
// exactly as it would a served page.
//
// The browser makes no request of its own: every request is paused
// through the DevTools Fetch domain and made by the crawl's fetcher, under
// the source's rules (allowed domains, robots.txt, pace, address guard,
// credentials only to the source's hosts, timeout, body cap). Images,
// fonts and media are not loaded.
//
// It does not parse or extract posts; the html kind does.
package render
