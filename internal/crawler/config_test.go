package crawler

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/backlash-monitor/backlash/internal/config"
	"github.com/backlash-monitor/backlash/internal/crawler/feed"
	"github.com/backlash-monitor/backlash/internal/crawler/html"
	"github.com/backlash-monitor/backlash/internal/crawler/jsonapi"
)

// TestReadmeSamples keeps the sample configs in README.md loadable.
func TestReadmeSamples(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```yaml\n(.*?)```").FindAllStringSubmatch(string(readme), -1)
	if len(blocks) < 10 {
		t.Fatalf("found %d yaml blocks", len(blocks))
	}
	for _, b := range blocks {
		cfg, err := config.Parse("README.md", []byte(b[1]))
		if err != nil {
			t.Errorf("sample does not load: %v\n%s", err, b[1])
			continue
		}
		for _, src := range cfg.Sources {
			switch set := src.Settings.(type) {
			case *html.Settings:
				_, err = html.Compile(set)
			case *feed.Settings:
				if set.Comments != nil {
					_, err = html.Compile(set.Comments)
				}
			case *jsonapi.Settings:
				_, err = jsonapi.Compile(set)
			}
			if err != nil {
				t.Errorf("%s: %v", src.Name, err)
			}
		}
	}
}

func TestSourceValidation(t *testing.T) {
	cases := []struct {
		yaml string
		want []string
	}{
		{`sources:
  - name: f
    kind: html
    urls: [https://f.example/]
    html:
      item: "div["
      text: ".body"
      time: "time[@datetime"
      time_zone: Mars/Olympus
`, []string{`t.yaml:6: sources[0].html.item: bad CSS selector "div["`, `t.yaml:8: sources[0].html.time: bad CSS selector`, `t.yaml:9: sources[0].html.time_zone: unknown time zone`}},
		{`sources:
  - name: j
    kind: json
    urls: [https://j.example/]
    encoding: klingon
    json:
      preset: redit
      cursor: after
      page_param: page
`, []string{`t.yaml:5: sources[0].encoding: unknown encoding "klingon"`, `t.yaml:7: sources[0].json.preset: unknown preset "redit"`,
			`t.yaml:9: sources[0].json.page_param: use either cursor or page_param`}},
		{`sources:
  - name: j
    kind: json
    urls: [https://j.example/]
    json: {text: body, cursor_param: after}
`, []string{`sources[0].json.cursor_param: cursor_param needs cursor, the path of the cursor in a response`}},
		{`sources:
  - name: k
    kind: json
    urls: [https://k.example/]
    max_pages: -1
    json: {items: data}
`, []string{`sources[0].max_pages: max_pages must not be negative`, `sources[0].json: json source "k" needs a preset or a text path`}},
		{`sources:
  - name: d
    kind: feed
    urls: [https://news.example/rss]
    allowed_domains: [https://news.example, cdn.example]
`, []string{`t.yaml:5: sources[0].allowed_domains[0]: allowed domain "https://news.example" must be a bare host name`,
			`t.yaml:4: sources[0].urls[0]: host "news.example" of https://news.example/rss is not in allowed_domains`}},
		{`sources:
  - name: q
    kind: html
    urls: [https://q.example/]
    html:
      item: div.msg
      text: ""
      time: ":scope"
      quote: "blockquote["
`, []string{`sources[0].html: missing selector: text (":scope" reads the item's own text)`,
			`t.yaml:8: sources[0].html.time: ":scope" alone is only for text; "@name" reads an attribute of the item`,
			`t.yaml:9: sources[0].html.quote: bad CSS selector "blockquote["`}},
		{`sources:
  - name: q
    kind: html
    urls: [https://q.example/]
    html: {item: div.msg, text: ":scope", quote: .bbcode_quote, keep_quotes: true}
`, []string{`sources[0].html.quote: quote and keep_quotes: true contradict each other`}},
	}
	for _, c := range cases {
		_, err := config.Parse("t.yaml", []byte(c.yaml))
		if err == nil {
			t.Errorf("no error for\n%s", c.yaml)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("error lacks %q:\n%v", w, err)
			}
		}
	}
}
