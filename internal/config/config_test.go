package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestBadConfigs(t *testing.T) {
	tests := []struct {
		file string
		want string // file:line: key: message, or a part of it
	}{
		{"unknown_key.yaml", `unknown_key.yaml:11: sources[0].html.colour: unknown key "colour"`},
		{"bad_duration.yaml", `bad_duration.yaml:8: sources[0].delay: bad duration "5 parsecs"`},
		{"missing_selector.yaml", `missing_selector.yaml:8: sources[0].html: missing selector: text`},
		{"duplicate_source.yaml", `duplicate_source.yaml:8: sources[1].name: duplicate source name "forum"`},
		{"unknown_topic_key.yaml", `unknown_topic_key.yaml:3: topics[0].keyword: unknown key "keyword"`},
		{"bad_regex.yaml", `bad_regex.yaml:3: topics[0].regex[0]: bad regular expression`},
		{"bad_url.yaml", `bad_url.yaml:7: sources[0].urls[0]: url "ftp://news.example/feed" must be an absolute http(s) URL`},
		{"unknown_kind.yaml", `unknown_kind.yaml:6: sources[0].kind: unknown kind "carrier-pigeon"`},
		{"not_yaml.yaml", `not_yaml.yaml:1: topics: did not find expected`},
		{"source_unknown_topic.yaml", `source_unknown_topic.yaml:8: sources[0].topics[0]: unknown topic "payy"`},
		{"secret_header_value.yaml", `secret_header_value.yaml:10: sources[0].header_env.Authorization: want the name of an environment variable`},
		{"secret_in_env_field.yaml", `secret_in_env_field.yaml:3: clickhouse.password_env: want the name of an environment variable`},
		{"reserved_header.yaml", `reserved_header.yaml:11: sources[0].headers.Host: header Host is set by the crawler`},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join("testdata", "bad", tt.file)
			_, err := Load(path)
			if err == nil {
				t.Fatalf("Load(%s) succeeded, want an error", path)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error\n  %v\nwant it to contain\n  %s", err, tt.want)
			}
			for _, secret := range []string{"abc123", "p@ssw0rd"} {
				if strings.Contains(err.Error(), secret) {
					t.Fatalf("error %v echoes a secret from the file", err)
				}
			}
			var es Errors
			if !errors.As(err, &es) || es[0].Line == 0 {
				t.Fatalf("error %v does not carry a line", err)
			}
		})
	}
}

func TestExampleIsValid(t *testing.T) {
	cfg, err := Load("example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Sources) != 4 || len(cfg.Topics) != 2 || len(cfg.Alerts.Rules) != 1 {
		t.Fatalf("example parsed to %d sources, %d topics, %d rules", len(cfg.Sources), len(cfg.Topics), len(cfg.Alerts.Rules))
	}
	if cfg.Sources[0].Delay.D().Seconds() != 2 || cfg.Sources[1].Schedule != "@hourly" {
		t.Fatalf("example values not read: %+v", cfg.Sources[0])
	}
}

func TestDefaults(t *testing.T) {
	cfg, err := Parse("min.yaml", []byte("topics: [{name: pay, keywords: [pay]}]\n"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.ClickHouse.Database != "backlash" || cfg.StateDir != ".backlash" || cfg.Serve.Listen != "127.0.0.1:8080" ||
		cfg.Analyzer.NegativeCutoff != -0.05 || cfg.Crawler.Concurrency != 4 {
		t.Fatalf("defaults not set: %+v", cfg)
	}
}

func TestExplicitZeroDelayKept(t *testing.T) {
	cfg, err := Parse("d.yaml", []byte(`topics: [{name: pay, keywords: [pay]}]
sources:
  - {name: a, kind: feed, urls: ["http://a.example/"], delay: 0s}
  - {name: b, kind: feed, urls: ["http://b.example/"]}
`))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Sources[0].Delay != 0 || cfg.Sources[1].Delay.D().Seconds() != 1 {
		t.Fatalf("delays = %v, %v; want 0s (explicit) and 1s (default)", cfg.Sources[0].Delay.D(), cfg.Sources[1].Delay.D())
	}
}

func TestSecretNeverPrints(t *testing.T) {
	t.Setenv("BACKLASH_TEST_SECRET", "hunter2")
	s := SecretEnv("BACKLASH_TEST_SECRET").Value()
	for _, got := range []string{s.String(), s.GoString()} {
		if strings.Contains(got, "hunter2") {
			t.Fatalf("secret printed: %s", got)
		}
	}
	if s.Reveal() != "hunter2" {
		t.Fatal("Reveal lost the secret")
	}
	if b, _ := s.MarshalText(); strings.Contains(string(b), "hunter2") {
		t.Fatal("secret marshalled")
	}
}

func TestPath(t *testing.T) {
	t.Setenv(EnvPath, "")
	os.Unsetenv(EnvPath)
	if Path("") != DefaultPath || Path("x.yaml") != "x.yaml" {
		t.Fatal("Path without env")
	}
	t.Setenv(EnvPath, "/etc/backlash.yaml")
	if Path("") != "/etc/backlash.yaml" || Path("x.yaml") != "x.yaml" {
		t.Fatal("Path with env")
	}
}

func TestUserAgentHeader(t *testing.T) {
	c := Crawler{UserAgent: "backlash/1", ContactURL: "https://acme.example/bot"}
	if got := c.UserAgentHeader(); got != "backlash/1 (+https://acme.example/bot)" {
		t.Errorf("with contact: %q", got)
	}
	c.ContactURL = ""
	if got := c.UserAgentHeader(); got != "backlash/1" {
		t.Errorf("without contact: %q", got)
	}
}
