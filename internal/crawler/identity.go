package crawler

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/backlash-monitor/backlash/internal/config"
	"github.com/backlash-monitor/backlash/internal/post"
)

// identity maps a source's posts into the namespace it shares with the
// other sources that show the same posts.
type identity struct {
	namespace string
	template  string
	match     *regexp.Regexp
}

// newIdentity compiles a source's identity; nil when it declares none.
func newIdentity(c *config.Identity) (*identity, error) {
	if c == nil || c.Namespace == "" {
		return nil, nil
	}
	id := &identity{namespace: c.Namespace, template: c.Template()}
	if c.Match != "" {
		re, err := regexp.Compile(c.Match)
		if err != nil {
			return nil, fmt.Errorf("identity.match: %w", err)
		}
		id.match = re
	}
	return id, nil
}

// apply sets the post's namespace and its id there. A post whose expanded
// template the match does not fit, or that expands to nothing, gets no
// shared id; the store then recognises it by thread, author and text.
func (i *identity) apply(p *post.Post) {
	if i == nil {
		return
	}
	p.Namespace = i.namespace
	p.SharedID = i.sharedID(p)
}

func (i *identity) sharedID(p *post.Post) string {
	if i.template == "" {
		return ""
	}
	s := i.template
	if strings.Contains(s, "{") {
		s = strings.NewReplacer("{id}", p.ID, "{url}", post.CanonicalURL(p.URL),
			"{thread}", post.CanonicalURL(p.Thread), "{parent}", p.ParentID).Replace(s)
	}
	if i.match != nil {
		m := i.match.FindStringSubmatch(s)
		switch {
		case m == nil:
			return ""
		case len(m) > 1:
			s = m[1]
		default:
			s = m[0]
		}
	}
	return strings.TrimSpace(s)
}

// Identity returns the function that gives a source's posts their
// namespace and shared id, as a crawl of the source does; it does nothing
// when the source declares no identity. Posts that enter by another way
// than a crawl (an import) go through it so they meet their crawled
// sightings.
func Identity(src *config.Source) (func(*post.Post), error) {
	id, err := newIdentity(src.Identity)
	if err != nil {
		return nil, fmt.Errorf("source %s: %w", src.Name, err)
	}
	return id.apply, nil
}
