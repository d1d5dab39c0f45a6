package demo

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/backlash-monitor/backlash/internal/config"
)

// allowedKeys lists every key path the demo configuration may use; "[]"
// stands for any element of a list.
func allowedKeys() map[string]bool {
	keys := []string{
		"state_dir", "clickhouse", "clickhouse.embedded", "clickhouse.database",
		"crawler", "crawler.user_agent", "crawler.timeout",
		"topics", "topics[].name", "topics[].keywords", "topics[].exclude",
		"sources", "sources[].name", "sources[].kind", "sources[].urls", "sources[].allow_private",
		"sources[].delay", "sources[].max_pages", "sources[].lookback", "sources[].html", "sources[].json",
		"alerts", "alerts.rules", "alerts.rules[].name", "alerts.rules[].topic", "alerts.rules[].metric",
		"alerts.rules[].threshold", "alerts.rules[].severity", "alerts.rules[].window", "alerts.rules[].baseline",
		"alerts.rules[].min_posts", "alerts.rules[].min_authors", "alerts.rules[].min_sources",
		"alerts.rules[].resolve_after", "alerts.rules[].severities", "alerts.rules[].severities.watch",
		"alerts.rules[].severities.warn", "alerts.rules[].severities.page",
	}
	for _, k := range []string{"item", "id", "parent", "text", "author", "time", "url", "likes", "next"} {
		keys = append(keys, "sources[].html."+k)
	}
	for _, k := range []string{"items", "id", "text", "author", "followers", "time", "url", "likes", "shares", "replies", "cursor", "cursor_param"} {
		keys = append(keys, "sources[].json."+k)
	}
	m := map[string]bool{}
	for _, k := range keys {
		m[k] = true
	}
	return m
}

// walkKeys calls fn with the path of every mapping key under n.
func walkKeys(n *yaml.Node, prefix string, fn func(path string, line int)) {
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			walkKeys(c, prefix, fn)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			p := n.Content[i].Value
			if prefix != "" {
				p = prefix + "." + p
			}
			fn(p, n.Content[i].Line)
			walkKeys(n.Content[i+1], p, fn)
		}
	case yaml.SequenceNode:
		for _, c := range n.Content {
			walkKeys(c, prefix+"[]", fn)
		}
	}
}

func TestConfigUsesOnlyKnownKeys(t *testing.T) {
	s := NewScenario(Options{Scale: 0.1})
	out := Config("http://127.0.0.1:8080/", s)
	var root yaml.Node
	if err := yaml.Unmarshal(out, &root); err != nil {
		t.Fatalf("config does not parse: %v\n%s", err, out)
	}
	allowed := allowedKeys()
	seen := map[string]bool{}
	walkKeys(&root, "", func(p string, line int) {
		seen[p] = true
		if !allowed[p] {
			t.Errorf("line %d: unexpected key %s", line, p)
		}
	})
	for _, k := range []string{"sources[].html.item", "sources[].json.cursor_param", "alerts.rules[].min_authors", "topics[].exclude"} {
		if !seen[k] {
			t.Errorf("key %s missing", k)
		}
	}
	var cfg struct {
		Topics []struct {
			Name     string
			Keywords []string
		}
		Sources []struct {
			Name string
			Kind string
			URLs []string `yaml:"urls"`
			HTML map[string]string
			JSON map[string]string
		}
	}
	if err := yaml.Unmarshal(out, &cfg); err != nil {
		t.Fatal(err)
	}
	if len(cfg.Topics) != 2 || cfg.Topics[0].Name != BacklashTopic || cfg.Topics[1].Name != CalmTopic {
		t.Errorf("topics %+v", cfg.Topics)
	}
	kinds := map[string]string{}
	for _, src := range cfg.Sources {
		kinds[src.Name] = src.Kind
		for _, u := range src.URLs {
			pu, err := url.Parse(u)
			if err != nil || pu.Host != "127.0.0.1:8080" || strings.Contains(pu.Path, "//") {
				t.Errorf("source %s: url %q", src.Name, u)
			}
		}
	}
	if fmt.Sprint(kinds) != "map[forum:html microblog:json news:feed]" {
		t.Errorf("sources %v", kinds)
	}
	if cfg.Sources[0].HTML["next"] != "a[rel=next]@href" || cfg.Sources[2].JSON["cursor"] != "cursor" {
		t.Errorf("selectors %v %v", cfg.Sources[0].HTML, cfg.Sources[2].JSON)
	}
}

// The project's own strict loader accepts the configuration.
func TestConfigLoads(t *testing.T) {
	s := NewScenario(Options{Scale: 0.1})
	cfg, err := config.Parse("demo.yaml", Config("http://127.0.0.1:8080", s))
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Sources) != 3 || len(cfg.Topics) != 2 || len(cfg.Alerts.Rules) != 1 {
		t.Errorf("loaded %d sources, %d topics, %d rules", len(cfg.Sources), len(cfg.Topics), len(cfg.Alerts.Rules))
	}
}
