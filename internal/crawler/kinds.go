package crawler

// The source kinds the crawler knows. A kind is one folder under internal/crawler/
// whose init registers its settings and its crawl function
// (kind.Register); adding a kind means adding its folder and one import
// line here.
import (
	_ "github.com/backlash-monitor/backlash/internal/crawler/discourse"
	_ "github.com/backlash-monitor/backlash/internal/crawler/feed"
	_ "github.com/backlash-monitor/backlash/internal/crawler/html"
	_ "github.com/backlash-monitor/backlash/internal/crawler/jsonapi"
	_ "github.com/backlash-monitor/backlash/internal/crawler/telegram"
)
