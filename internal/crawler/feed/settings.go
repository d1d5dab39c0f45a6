package feed

import (
	"github.com/backlash-monitor/backlash/internal/config"
	"github.com/backlash-monitor/backlash/internal/crawler/html"
	"github.com/backlash-monitor/backlash/internal/crawler/kind"
)

// Name is the kind's name: a source's kind and the key of its block.
const Name = "feed"

func init() {
	kind.Register(Name, func() config.KindSettings { return new(Settings) }, Crawl)
}

// Settings is a feed source's block, which is optional.
type Settings struct {
	// Comments, when set, follows each item's link and extracts comments
	// with the html kind's selectors.
	Comments *html.Settings `yaml:"comments"`
}

// Check validates the comments selectors, when given.
func (f *Settings) Check(c *config.KindCheck) {
	if f.Comments != nil {
		f.Comments.Check(c.Under("comments"))
	}
}

// settings returns the feed block of src, nil when it has none.
func settings(src *config.Source) *Settings {
	s, _ := src.Settings.(*Settings)
	return s
}

// FieldSelectors names the selectors of the comment pages, if any, for
// source-health messages.
func (f *Settings) FieldSelectors() map[string]string {
	if f.Comments == nil {
		return nil
	}
	return f.Comments.FieldSelectors()
}
