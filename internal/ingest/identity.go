package ingest

import (
	"github.com/backlash-monitor/backlash/internal/config"
	"github.com/backlash-monitor/backlash/internal/crawler"
	"github.com/backlash-monitor/backlash/internal/post"
)

// identity gives posts the source's namespace and shared id, as its crawl
// does, so an imported post and its crawled sightings count once.
func identity(src *config.Source) (func(*post.Post), error) {
	return crawler.Identity(src)
}
