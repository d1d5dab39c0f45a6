package demo

import (
	"bytes"
	"net/url"
	"strings"

	"gopkg.in/yaml.v3"
)

// The configuration's shape, limited to the keys the demo sets. Field order
// is the order they are written in.
type (
	demoConfig struct {
		StateDir   string         `yaml:"state_dir"`
		ClickHouse demoClickHouse `yaml:"clickhouse"`
		Crawler    demoCrawler    `yaml:"crawler"`
		Topics     []demoTopic    `yaml:"topics"`
		Sources    []demoSource   `yaml:"sources"`
		Alerts     demoAlerts     `yaml:"alerts"`
	}
	demoClickHouse struct {
		Embedded bool   `yaml:"embedded"`
		Database string `yaml:"database"`
	}
	demoCrawler struct {
		UserAgent string `yaml:"user_agent"`
		Timeout   string `yaml:"timeout"`
	}
	demoTopic struct {
		Name     string   `yaml:"name"`
		Keywords []string `yaml:"keywords,flow"`
		Exclude  []string `yaml:"exclude,flow,omitempty"`
	}
	demoSource struct {
		Name         string     `yaml:"name"`
		Kind         string     `yaml:"kind"`
		URLs         []string   `yaml:"urls,flow"`
		AllowPrivate bool       `yaml:"allow_private"`
		Delay        string     `yaml:"delay,omitempty"`
		MaxPages     int        `yaml:"max_pages,omitempty"`
		Lookback     string     `yaml:"lookback,omitempty"`
		HTML         *yaml.Node `yaml:"html,omitempty"`
		JSON         *yaml.Node `yaml:"json,omitempty"`
	}
	demoAlerts struct {
		Rules []demoRule `yaml:"rules"`
	}
	demoRule struct {
		Name         string             `yaml:"name"`
		Topic        string             `yaml:"topic"`
		Metric       string             `yaml:"metric"`
		Severities   map[string]float64 `yaml:"severities"`
		MinPosts     int                `yaml:"min_posts"`
		MinAuthors   int                `yaml:"min_authors"`
		MinSources   int                `yaml:"min_sources"`
		ResolveAfter string             `yaml:"resolve_after"`
	}
)

// flowMap builds a one-line YAML mapping from alternating keys and values,
// in that order.
func flowMap(kv ...string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.MappingNode, Style: yaml.FlowStyle}
	for _, s := range kv {
		n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s})
	}
	return n
}

// SearchQuery is the microblog search query the English demo configuration
// crawls: the app's name, the feature's and the travel card's.
const SearchQuery = "paywise OR moments OR travel card"

// Config returns a complete backlash.yaml for the demo, crawling the site at
// baseURL (e.g. "http://127.0.0.1:8080"): the two topics with their
// keywords, one source per channel with the selectors and paths the site
// needs, and a negative-surge alert rule.
func Config(baseURL string, s *Scenario) []byte {
	base := strings.TrimRight(baseURL, "/")
	bt, ct := s.Topics()
	bk, bx := s.Keywords(bt)
	ck, _ := s.Keywords(ct)
	// No politeness pause is needed for the local demo site, so every
	// source sets delay: 0s explicitly (unset would mean the 1s default).
	cfg := demoConfig{
		StateDir:   ".backlash",
		ClickHouse: demoClickHouse{Embedded: true, Database: "backlash_demo"},
		Crawler:    demoCrawler{UserAgent: "backlash-demo/1", Timeout: "10s"},
		Topics: []demoTopic{
			{Name: bt, Keywords: bk, Exclude: bx},
			{Name: ct, Keywords: ck},
		},
		Sources: []demoSource{
			{
				Name: "forum", Kind: "html", URLs: []string{base + "/forum/latest"}, AllowPrivate: true,
				Delay: "0s", MaxPages: 200, Lookback: "10m",
				HTML: flowMap("item", "article.post", "id", "@data-id", "parent", "@data-parent",
					"text", ".body", "author", ".author", "time", "time@datetime",
					"url", "a.permalink@href", "likes", ".likes", "next", "a[rel=next]@href"),
			},
			{Name: "news", Kind: "feed", URLs: []string{base + "/news/rss.xml"}, AllowPrivate: true, Delay: "0s"},
			{
				Name: "microblog", Kind: "json", AllowPrivate: true, Delay: "0s",
				URLs: []string{base + "/api/search?q=" + url.QueryEscape(s.SearchQuery())},
				JSON: flowMap("items", "posts", "id", "id", "text", "text", "author", "author.handle",
					"followers", "author.followers", "time", "created_at", "url", "url",
					"likes", "like_count", "shares", "repost_count", "replies", "reply_count",
					"cursor", "cursor", "cursor_param", "cursor"),
			},
		},
		Alerts: demoAlerts{Rules: []demoRule{{
			Name: "brand-risk", Topic: "*", Metric: "risk",
			Severities: map[string]float64{"watch": 40, "warn": 55, "page": 70},
			MinPosts:   12, MinAuthors: 5, MinSources: 2, ResolveAfter: "3h",
		}}},
	}
	var b bytes.Buffer
	b.WriteString("# backlash configuration for the built-in demo world at " + base + ".\n" +
		"# The site replays a fictional backlash in simulated time; see demo/README.md.\n")
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(cfg); err != nil {
		panic(err) // the value above always encodes
	}
	enc.Close()
	return b.Bytes()
}
