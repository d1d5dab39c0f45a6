package post

import (
	"net/url"
	"sort"
	"strings"
)

// trackingParams are query parameters that identify a visit, not a page.
var trackingParams = map[string]bool{
	"fbclid": true, "gclid": true, "mc_cid": true, "mc_eid": true, "ref": true, "ref_src": true, "igshid": true,
}

// CanonicalURL normalises a link so the same page reached in different
// ways compares equal: scheme and host lower-cased, a leading "www." and the
// default port dropped, the fragment and tracking parameters (utm_*, fbclid,
// gclid, ...) removed, the remaining parameters sorted, and a trailing
// slash trimmed. Text that is not an absolute http(s) URL is returned
// trimmed and otherwise unchanged.
func CanonicalURL(raw string) string {
	raw = strings.TrimSpace(raw)
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return raw
	}
	scheme := strings.ToLower(u.Scheme)
	if scheme != "http" && scheme != "https" {
		return raw
	}
	host := strings.ToLower(u.Hostname())
	host = strings.TrimPrefix(host, "www.")
	if p := u.Port(); p != "" && !(scheme == "http" && p == "80") && !(scheme == "https" && p == "443") {
		host += ":" + p
	}
	path := u.EscapedPath()
	if len(path) > 1 {
		path = strings.TrimRight(path, "/")
	}
	if path == "/" {
		path = ""
	}
	q := u.Query()
	keys := make([]string, 0, len(q))
	for k := range q {
		lk := strings.ToLower(k)
		if strings.HasPrefix(lk, "utm_") || trackingParams[lk] {
			continue
		}
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	// https and http show the same page on sites that serve both.
	b.WriteString("//")
	b.WriteString(host)
	b.WriteString(path)
	for i, k := range keys {
		vs := q[k]
		sort.Strings(vs)
		for j, v := range vs {
			if i == 0 && j == 0 {
				b.WriteByte('?')
			} else {
				b.WriteByte('&')
			}
			b.WriteString(url.QueryEscape(k))
			b.WriteByte('=')
			b.WriteString(url.QueryEscape(v))
		}
	}
	return b.String()
}
