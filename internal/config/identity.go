package config

import (
	"regexp"
	"strings"
)

// Identity says that a source shows the same posts as the other sources
// with the same namespace (a forum's pages, its feed and its API), so a post
// seen through several of them is counted once.
type Identity struct {
	// Namespace names the shared id space; sources that show the same
	// posts use the same namespace.
	Namespace string `yaml:"namespace"`
	// ID is a template for the post's id in the namespace, built from
	// {id}, {url} (canonicalised), {thread} and {parent} (default "{id}").
	// "none" gives the source's posts no id there (a feed whose item ids
	// name threads, not posts): they are recognised by thread, author and
	// text.
	ID string `yaml:"id"`
	// Match, when set, is a regular expression applied to the expanded ID:
	// its first group (or the whole match) is the id in the namespace. A
	// post it does not match has no id in the namespace and is recognised
	// by its thread, author and text instead.
	Match string `yaml:"match"`
}

// IdentityFields are the placeholders Identity.ID may use.
var IdentityFields = []string{"id", "url", "thread", "parent"}

var placeholderRe = regexp.MustCompile(`\{([^{}]*)\}`)

// Template is the ID template with its default filled in; "" for none.
func (i *Identity) Template() string {
	switch strings.TrimSpace(i.ID) {
	case "":
		return "{id}"
	case "none":
		return ""
	}
	return i.ID
}

func (i *Identity) validate(v *validator, p path) {
	if i.Namespace == "" {
		v.errorf(p, "identity needs a namespace")
	} else if !identRe.MatchString(i.Namespace) {
		v.errorf(append(append(path{}, p...), "namespace"), "namespace %q must be letters, digits, _ . or -", i.Namespace)
	}
	for _, m := range placeholderRe.FindAllStringSubmatch(i.Template(), -1) {
		known := false
		for _, f := range IdentityFields {
			known = known || m[1] == f
		}
		if !known {
			v.errorf(append(append(path{}, p...), "id"), "unknown placeholder {%s} (want {%s})", m[1], strings.Join(IdentityFields, "}, {"))
		}
	}
	if i.Match != "" {
		re, err := regexp.Compile(i.Match)
		switch {
		case err != nil:
			v.errorf(append(append(path{}, p...), "match"), "bad regular expression %q: %v", i.Match, err)
		case re.NumSubexp() > 1:
			v.errorf(append(append(path{}, p...), "match"), "regular expression %q has %d groups; want at most one (the id)", i.Match, re.NumSubexp())
		}
	}
}
