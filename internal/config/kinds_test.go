package config_test

import (
	"strings"
	"testing"

	"github.com/backlash-monitor/backlash/internal/config"
	// The source kinds register their settings with the loader; the
	// tables over testdata/bad need them.
	_ "github.com/backlash-monitor/backlash/internal/crawler"
)

func TestKindsRegistered(t *testing.T) {
	if got := strings.Join(config.Kinds(), " "); got != "discourse feed html json telegram" {
		t.Fatalf("Kinds() = %q", got)
	}
}

func TestKindBlocks(t *testing.T) {
	cases := []struct {
		name, yaml, want string
	}{
		{"another kind's block", `sources:
  - name: f
    kind: feed
    urls: [https://f.example/]
    json: {preset: reddit}
`, `t.yaml:5: sources[0].json: a json block on a feed source is not read`},
		{"unknown key in a nested block", `sources:
  - name: f
    kind: feed
    urls: [https://f.example/]
    feed:
      comments:
        item: li
        text: p
        colour: red
`, `t.yaml:9: sources[0].feed.comments.colour: unknown key "colour" in html block`},
		{"bad selector in a nested block", `sources:
  - name: f
    kind: feed
    urls: [https://f.example/]
    feed:
      comments: {item: li, text: "p["}
`, `t.yaml:6: sources[0].feed.comments.text: bad CSS selector "p["`},
		{"unknown source key", `sources:
  - name: f
    kind: feed
    urls: [https://f.example/]
    colour: red
`, `t.yaml:5: sources[0].colour: unknown key "colour" in source`},
		{"missing block", `sources:
  - name: j
    kind: json
    urls: [https://j.example/]
`, `t.yaml:2: sources[0]: json source "j" needs a json block`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := config.Parse("t.yaml", []byte(c.yaml))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error\n  %v\nwant it to contain\n  %s", err, c.want)
			}
		})
	}
}

func TestKindSettingsDecoded(t *testing.T) {
	cfg, err := config.Parse("t.yaml", []byte(`sources:
  - {name: a, kind: feed, urls: ["http://a.example/"]}
  - {name: b, kind: html, urls: ["http://b.example/"], html: {item: li, text: p}}
`))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range cfg.Sources {
		if s.Settings == nil {
			t.Errorf("%s: no settings after loading", s.Name)
		}
	}
}
