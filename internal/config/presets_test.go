package config_test

import (
	"strings"
	"testing"

	"github.com/backlash-monitor/backlash/internal/config"
)

// TestShortSources: an app's reviews or a forum take at most five lines of
// YAML, and a key under a block that has none is refused by name.
func TestShortSources(t *testing.T) {
	cfg, err := config.Parse("t.yaml", []byte(`sources:
  - name: appstore-acme-notes-us
    kind: json
    urls: ["https://itunes.apple.com/us/rss/customerreviews/id=1545678901/sortby=mostrecent/json"]
    json: {preset: appstore}
  - name: acme-community
    kind: discourse
    urls: [https://community.acme.example]
  - name: acmenews
    kind: telegram
    urls: [https://t.me/s/acmenews]
`))
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Sources) != 3 || cfg.Sources[1].AllowedDomains[0] != "community.acme.example" || cfg.Sources[2].Kind != "telegram" {
		t.Fatalf("sources %+v", cfg.Sources)
	}
	_, err = config.Parse("t.yaml", []byte(`sources:
  - name: acme-community
    kind: discourse
    urls: [https://community.acme.example]
    discourse: {category: feedback}
`))
	if err == nil || !strings.Contains(err.Error(), "t.yaml:5") || !strings.Contains(err.Error(), "category") {
		t.Fatalf("err = %v, want the unknown key named with its line", err)
	}
}
