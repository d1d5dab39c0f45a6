package config

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// baseYAML is a valid configuration; each case of TestRefusesBadSettings
// inserts one bad setting at a marker.
const baseYAML = `state_dir: /tmp/backlash
clickhouse:
  addr: ["127.0.0.1:9000"]
#CH
crawler:
  user_agent: test
#CRAWLER
topics:
  - name: t
    keywords: [x]
sources:
  - name: forum
    kind: html
    urls: ["https://forum.example/"]
#SOURCE
    html: {item: .post, text: .body}
alerts:
#ALERTS
  rules:
    - name: r
      topic: t
      metric: risk
      threshold: 40
#RULE
`

// TestRefusesBadSettings loads configurations with one bad setting each,
// as found by trying hostile and mistaken files: each is refused with its
// file, line and key, and a value that may be a secret is never printed.
func TestRefusesBadSettings(t *testing.T) {
	for _, tc := range []struct {
		name, marker, line string
		want               string // "line: key: part of the message"
	}{
		{"negative lookback", "#SOURCE", "    lookback: -1h", "15: sources[0].lookback: must not be negative"},
		{"negative timeout", "#CRAWLER", "  timeout: -5s", "7: crawler.timeout: must be positive"},
		{"zero timeout", "#CRAWLER", "  timeout: 0s", "7: crawler.timeout: must be positive"},
		{"negative concurrency", "#CRAWLER", "  concurrency: -2", "7: crawler.concurrency: must be at least 1"},
		{"zero concurrency", "#CRAWLER", "  concurrency: 0", "7: crawler.concurrency: must be at least 1"},
		{"negative retries", "#CRAWLER", "  retries: -1", "7: crawler.retries: must not be negative"},
		{"huge body cap", "#CRAWLER", "  max_body_bytes: 999000000000000", "7: crawler.max_body_bytes: must be between"},
		{"zero body cap", "#CRAWLER", "  max_body_bytes: 0", "7: crawler.max_body_bytes: must be between"},
		{"zero source deadline", "#CRAWLER", "  source_deadline: 0s", "7: crawler.source_deadline: must be positive"},
		{"negative run deadline", "#CRAWLER", "  run_deadline: -1m", "7: crawler.run_deadline: must be positive"},
		{"negative deadline", "#SOURCE", "    deadline: -1m", "15: sources[0].deadline: must be positive"},
		{"zero dial timeout", "#CH", "  dial_timeout: 0s", "4: clickhouse.dial_timeout: must be positive"},
		{"negative dial timeout", "#CH", "  dial_timeout: -1s", "4: clickhouse.dial_timeout: must be positive"},
		{"negative retention", "#CH", "  retention: -1d", "4: clickhouse.retention: must not be negative"},
		{"short retention", "#CH", "  retention: 3d", "4: clickhouse.retention: keep at least 15d"},
		{"zero max_wait", "#ALERTS", "  retry: {max_wait: 0s}", "18: alerts.retry.max_wait: must be positive"},
		{"negative max_wait", "#ALERTS", "  retry: {max_wait: -1s}", "18: alerts.retry.max_wait: must be positive"},
		{"zero slack timeout", "#ALERTS", "  slack: {token_env: SLACK_TOKEN, channel: \"#c\", timeout: 0s}", "18: alerts.slack.timeout: must be positive"},
		{"cron in words", "#SOURCE", "    schedule: every 15 minutes", "15: sources[0].schedule: bad schedule"},
		{"html under feed", "#SOURCE", "    feed: {}", "15: sources[0].feed: a feed block on a html source is not read"},
		{"endless for", "#RULE", "      for: 99999999999d", "24: alerts.rules[0].for: bad duration \"99999999999d\": too long"},
		{"pasted secret", "#SOURCE", "    header_env:\n      Authorization: Hunter2SuperSecretPw", "16: sources[0].header_env.Authorization: want the name of an environment variable"},
		{"lower-case variable", "#CH", "  password_env: ch_password", "4: clickhouse.password_env: want the name of an environment variable"},
		{"tab", "#SOURCE", "    max_pages: 5\n\tlookback: 1h", "16: sources[0].lookback: found a tab character"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			yaml := strings.Replace(baseYAML, tc.marker, tc.line, 1)
			_, err := Parse("bad.yaml", []byte(yaml))
			if err == nil {
				t.Fatalf("accepted:\n%s", yaml)
			}
			if want := "bad.yaml:" + tc.want; !strings.Contains(err.Error(), want) {
				t.Fatalf("error\n  %v\nwant it to contain\n  %s", err, want)
			}
			for _, secret := range []string{"Hunter2SuperSecretPw", "ch_password"} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("error echoes the refused value %q: %v", secret, err)
				}
			}
			var es Errors
			if !errors.As(err, &es) || es[0].Line == 0 {
				t.Errorf("error %v does not carry a line", err)
			}
		})
	}
	if _, err := Parse("base.yaml", []byte(baseYAML)); err != nil {
		t.Fatalf("the base configuration is refused: %v", err)
	}
}

// TestRefusesHugeFile refuses a file over the size cap before decoding it.
func TestRefusesHugeFile(t *testing.T) {
	big := baseYAML + "# " + strings.Repeat("x", MaxFileBytes) + "\n"
	_, err := Parse("big.yaml", []byte(big))
	if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("big.yaml: larger than %d bytes", MaxFileBytes)) {
		t.Fatalf("a %d-byte file: err %v", len(big), err)
	}
}

// TestWarnsAboutRulesThatCannotFire: a valid file whose rules can never
// fire, or that has none, loads with warnings naming line and key.
func TestWarnsAboutRulesThatCannotFire(t *testing.T) {
	for _, tc := range []struct {
		name, from, to, want string
	}{
		{"no rules", "  rules:\n    - name: r\n      topic: t\n      metric: risk\n      threshold: 40\n#RULE\n", "  console: true\n",
			"17: alerts.rules: no alert rules"},
		{"risk above 100", "threshold: 40", "threshold: 140", "23: alerts.rules[0].threshold: risk is at most 100"},
		{"too many sources", "#RULE", "      min_sources: 3", "24: alerts.rules[0].min_sources: needs posts from 3 sources but at most 1"},
		{"for across a slow schedule", "#RULE", "      for: 15m", "24: alerts.rules[0].for: under serve, its sources are crawled every 24h0m0s"},
		{"a loopback site", "https://forum.example/", "http://127.0.0.1:8765/forum", "14: sources[0].urls[0]: 127.0.0.1 is a loopback address: the crawl refuses it unless the source sets allow_private: true"},
		{"a private site", "https://forum.example/", "http://10.1.2.3/forum", "14: sources[0].urls[0]: 10.1.2.3 is a private address"},
		{"localhost", "https://forum.example/", "http://localhost:8080/", "14: sources[0].urls[0]: localhost is a loopback address"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			yaml := strings.Replace(baseYAML, tc.from, tc.to, 1)
			if tc.name == "for across a slow schedule" {
				yaml = strings.Replace(yaml, "#SOURCE", "    schedule: \"@daily\"", 1)
			}
			cfg, err := Parse("warn.yaml", []byte(yaml))
			if err != nil {
				t.Fatalf("refused: %v", err)
			}
			if want := "warn.yaml:" + tc.want; !strings.Contains(cfg.Warnings.Error(), want) {
				t.Fatalf("warnings\n  %v\nwant them to contain\n  %s", cfg.Warnings, want)
			}
		})
	}
	cfg, err := Parse("base.yaml", []byte(baseYAML))
	if err != nil || len(cfg.Warnings) != 0 {
		t.Fatalf("the base configuration: err %v, warnings %v", err, cfg.Warnings)
	}
}

// TestTypeMismatchSaysWhatIsWanted: a value of the wrong shape is named
// in the file's terms, not Go's.
func TestTypeMismatchSaysWhatIsWanted(t *testing.T) {
	for _, tc := range []struct {
		name, from, to, want string
	}{
		{"one URL without brackets", `urls: ["https://forum.example/"]`, `urls: https://forum.example/`,
			`14: sources[0].urls: want a list ([a, b] or one "- item" a line), not a text`},
		{"a word for a number", "#SOURCE", "    max_pages: lots", "15: sources[0].max_pages: want a number, not a text (lots)"},
		{"a phrase for a flag", "#SOURCE", "    allow_private: yes please", "15: sources[0].allow_private: want true or false, not a text (yes please)"},
		{"a list for a mapping", "#SOURCE", "    headers: [a, b]", "15: sources[0].headers: want a mapping (key: value), not a list"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("t.yaml", []byte(strings.Replace(baseYAML, tc.from, tc.to, 1)))
			if err == nil || !strings.Contains(err.Error(), "t.yaml:"+tc.want) {
				t.Fatalf("err %v\nwant it to contain t.yaml:%s", err, tc.want)
			}
		})
	}
}
