package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// EnvPath is the environment variable that names the configuration file when
// no --config flag is given.
const EnvPath = "BACKLASH_CONFIG"

// DefaultPath is the configuration file used when neither --config nor
// BACKLASH_CONFIG is set.
const DefaultPath = "backlash.yaml"

// Config is the whole validated configuration.
type Config struct {
	// File is the path the configuration was loaded from.
	File string `yaml:"-"`
	// Warnings are what is valid but probably not meant: no alert rules,
	// rules that can never fire. `config check` prints them.
	Warnings Errors `yaml:"-"`
	// StateDir holds local state: locks, spools, the embedded ClickHouse.
	StateDir string `yaml:"state_dir"`
	// ClickHouse says where the store lives.
	ClickHouse ClickHouse `yaml:"clickhouse"`
	// Crawler holds settings shared by every source.
	Crawler Crawler `yaml:"crawler"`
	// Sources are the places posts are collected from.
	Sources []Source `yaml:"sources"`
	// Topics are what the posts are about: a feature, a product, a brand.
	Topics []Topic `yaml:"topics"`
	// Analyzer configures sentiment scoring.
	Analyzer Analyzer `yaml:"analyzer"`
	// Alerts holds the rules and notification channels.
	Alerts Alerts `yaml:"alerts"`
	// Serve configures the long-running daemon and its dashboard.
	Serve Serve `yaml:"serve"`
	// Health configures the source-health rules and the operators' route.
	Health Health `yaml:"health"`
}

// ClickHouse is the store's connection.
type ClickHouse struct {
	// Embedded starts a private ClickHouse server under StateDir (the
	// clickhouse-server binary from PATH) instead of connecting to Addr.
	Embedded bool `yaml:"embedded"`
	// Addr is host:port of the native protocol (default 127.0.0.1:9000).
	Addr []string `yaml:"addr"`
	// Database holds backlash's tables (default "backlash").
	Database string `yaml:"database"`
	// Username to log in as (default "default").
	Username string `yaml:"username"`
	// PasswordEnv names the environment variable holding the password.
	PasswordEnv SecretEnv `yaml:"password_env"`
	// TLS connects with TLS.
	TLS bool `yaml:"tls"`
	// Cluster, when set, names the cluster (from the servers'
	// remote_servers) the schema is sharded over: a local table and a
	// Distributed table for every table. See docs/scaling.md.
	Cluster string `yaml:"cluster"`
	// Replicated uses Replicated*MergeTree local tables; every server must
	// define the {shard} and {replica} macros. Needs Cluster.
	Replicated bool `yaml:"replicated"`
	// OnCluster runs schema changes once with ON CLUSTER, which needs
	// ZooKeeper or ClickHouse Keeper (default true when Cluster is set).
	// false runs each statement on every node listed in Addr instead.
	OnCluster *bool `yaml:"on_cluster"`
	// DialTimeout bounds connecting (default 5s).
	DialTimeout Duration `yaml:"dial_timeout"`
	// Retention drops monthly partitions older than this (0 keeps all).
	Retention Duration `yaml:"retention"`
}

// OnClusterEnabled reports whether schema changes run with ON CLUSTER: as
// set, or true when a cluster is configured.
func (ch ClickHouse) OnClusterEnabled() bool {
	if ch.OnCluster != nil {
		return *ch.OnCluster
	}
	return ch.Cluster != ""
}

// Crawl defaults, in one place: the loader fills them in, and the crawler
// falls back on them when built without a configuration.
const (
	// DefaultUserAgent is sent when crawler.user_agent is not set.
	DefaultUserAgent = "backlash/1 (public opinion monitor)"
	// DefaultTimeout bounds each request when crawler.timeout is not set.
	DefaultTimeout = 20 * time.Second
	// DefaultMaxBodyBytes caps a response body when
	// crawler.max_body_bytes is not set.
	DefaultMaxBodyBytes = 10 << 20
	// DefaultMaxPages caps the pages of one run when a source's max_pages
	// is not set.
	DefaultMaxPages = 50
)

// Crawler holds crawl settings shared by every source.
type Crawler struct {
	// UserAgent is sent with every request; it should name a contact.
	UserAgent string `yaml:"user_agent"`
	// ContactURL is appended to the User-Agent so site owners can reach you.
	ContactURL string `yaml:"contact_url"`
	// Concurrency is how many sources are crawled at once (default 4).
	Concurrency int `yaml:"concurrency"`
	// Timeout bounds each request (default DefaultTimeout, 20s).
	Timeout Duration `yaml:"timeout"`
	// MaxBodyBytes caps a response body (default DefaultMaxBodyBytes,
	// 10 MiB).
	MaxBodyBytes int `yaml:"max_body_bytes"`
	// Retries is how many times a failed request is retried (default 3).
	Retries int `yaml:"retries"`
	// SourceDeadline bounds one source's whole crawl, every page and retry
	// included (default 5m; a source's deadline overrides it). A source cut
	// at its deadline keeps what it collected.
	SourceDeadline Duration `yaml:"source_deadline"`
	// RunDeadline bounds the crawling of one `backlash run` (default 10m),
	// so a run ends before the next cron run begins; what was collected is
	// still assessed and alerted.
	RunDeadline Duration `yaml:"run_deadline"`
	// Chromium is the headless browser that renders sources with render:
	// true (default: Chromium's headless shell when installed, else
	// /usr/bin/chromium, else chromium, chromium-browser or google-chrome
	// on $PATH; see render.LookPath).
	Chromium string `yaml:"chromium"`
	// RenderTabs is how many pages the browser renders at once, across
	// all sources (default 2).
	RenderTabs int `yaml:"render_tabs"`
	// RenderMemoryMB is the browser's memory past which it is restarted
	// once its open tabs finish (default 450).
	RenderMemoryMB int `yaml:"render_memory_mb"`
}

// UserAgentHeader is the User-Agent the crawler sends: UserAgent, with
// ContactURL appended when set so site owners can reach the operator.
func (c Crawler) UserAgentHeader() string {
	if c.ContactURL != "" {
		return c.UserAgent + " (+" + c.ContactURL + ")"
	}
	return c.UserAgent
}

// Topic is something the company cares about: posts that match it are
// counted in its series and can raise its alerts.
type Topic struct {
	// Name identifies the topic in series, alerts and the dashboard.
	Name string `yaml:"name"`
	// Keywords and phrases that mark a post as about the topic.
	Keywords []string `yaml:"keywords"`
	// Regex are regular expressions that mark a post as about the topic.
	Regex []string `yaml:"regex"`
	// Exclude are keywords that veto a match (e.g. an unrelated homonym).
	Exclude []string `yaml:"exclude"`
}

// Analyzer configures scoring.
type Analyzer struct {
	// Lexicons are extra lexicon files layered over the built-in ones.
	Lexicons []string `yaml:"lexicons"`
	// PositiveCutoff and NegativeCutoff split compound scores into labels
	// (defaults 0.05 and -0.05).
	PositiveCutoff float64 `yaml:"positive_cutoff"`
	NegativeCutoff float64 `yaml:"negative_cutoff"`
	// RepostWindow is how close in time the same author's posts with the
	// same text must be to count as one post (default 24h).
	RepostWindow Duration `yaml:"repost_window"`
}

// Serve configures `backlash serve`.
type Serve struct {
	// Listen is the dashboard's address (default 127.0.0.1:8080).
	Listen string `yaml:"listen"`
	// PublicURL is how people reach the dashboard; alerts link to it.
	PublicURL string `yaml:"public_url"`
	// TokenEnv names the environment variable holding a bearer token that
	// the dashboard requires; needed to listen beyond loopback.
	TokenEnv SecretEnv `yaml:"token_env"`
}

// Duration is a time.Duration written in YAML as "90s", "5m", "2h" or "3d".
type Duration time.Duration

// D returns d as a time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }

// UnmarshalYAML parses a duration string.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	v, err := ParseDuration(n.Value)
	if err != nil {
		return &lineError{line: n.Line, msg: fmt.Sprintf("bad duration %q: %v", n.Value, err)}
	}
	*d = Duration(v)
	return nil
}

// MarshalYAML writes the duration as a string.
func (d Duration) MarshalYAML() (any, error) { return time.Duration(d).String(), nil }

// ParseDuration is time.ParseDuration that also accepts days ("3d").
func ParseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if strings.HasSuffix(s, "d") {
		n, err := strconv.ParseFloat(strings.TrimSuffix(s, "d"), 64)
		if err != nil {
			return 0, fmt.Errorf("want a number before d")
		}
		if math.IsNaN(n) || math.Abs(n) > maxDays {
			return 0, fmt.Errorf("too long (at most %dd)", maxDays)
		}
		return time.Duration(n * float64(24*time.Hour)), nil
	}
	d, err := time.ParseDuration(s)
	if err != nil && strings.Contains(err.Error(), "invalid duration") && overflowRe.MatchString(s) {
		return 0, fmt.Errorf("too long (at most %dd)", maxDays)
	}
	return d, err
}

// maxDays is the longest duration a file may give, in days: far beyond any
// sensible setting, far below time.Duration's limit of about 292 years.
const maxDays = 36500

// overflowRe matches a well-formed duration whose number is too large for
// time.ParseDuration.
var overflowRe = regexp.MustCompile(`^[-+]?([0-9]*(\.[0-9]*)?[a-zµμ]+)+$`)

// SecretEnv names an environment variable that holds a secret.
type SecretEnv string

// envNameRe is what an environment variable's name may be here: upper
// case, as variables are by convention, so a pasted secret (which is
// rarely all capitals) is refused rather than taken for a name.
var envNameRe = regexp.MustCompile(`^[A-Z_][A-Z0-9_]*$`)

// UnmarshalYAML accepts only a variable's name, so a secret pasted into the
// file where its variable's name belongs is refused, not used.
func (e *SecretEnv) UnmarshalYAML(n *yaml.Node) error {
	if n.Value != "" && !envNameRe.MatchString(n.Value) {
		// The value is not echoed: it may be the secret itself.
		return &lineError{line: n.Line, msg: "want the name of an environment variable (capital letters, digits and _, like SLACK_BOT_TOKEN); the secret itself comes from the environment, never the file"}
	}
	*e = SecretEnv(n.Value)
	return nil
}

// Value reads the secret from the environment.
func (e SecretEnv) Value() Secret {
	if e == "" {
		return ""
	}
	return Secret(os.Getenv(string(e)))
}

// Secret is a value that must never be printed or logged.
type Secret string

// String hides the secret.
func (Secret) String() string { return "<secret>" }

// GoString hides the secret from %#v.
func (Secret) GoString() string { return "<secret>" }

// MarshalText hides the secret from encoders.
func (Secret) MarshalText() ([]byte, error) { return []byte("<secret>"), nil }

// Reveal returns the secret itself, for handing to a client library.
func (s Secret) Reveal() string { return string(s) }

// Path returns the configuration path to use: the flag if set, else
// BACKLASH_CONFIG, else DefaultPath.
func Path(flag string) string {
	if flag != "" {
		return flag
	}
	if p := os.Getenv(EnvPath); p != "" {
		return p
	}
	return DefaultPath
}

// MaxFileBytes caps a configuration file: a real one is a few kilobytes,
// and decoding a huge one takes seconds and gigabytes.
const MaxFileBytes = 1 << 20

// Load reads, decodes, defaults and validates the configuration file.
func Load(path string) (*Config, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	return Parse(path, data)
}

// Parse decodes, defaults and validates configuration bytes; name is used in
// error messages.
func Parse(name string, data []byte) (*Config, error) {
	if len(data) > MaxFileBytes {
		return nil, Errors{{File: name, Msg: fmt.Sprintf("larger than %d bytes: not a configuration file", MaxFileBytes)}}
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, decodeError(name, data, nil, err)
	}
	cfg := &Config{}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(cfg); err != nil && !errors.Is(err, errEOF(err)) {
		return nil, decodeError(name, data, &root, err)
	}
	cfg.File = name
	v := &validator{file: name, root: &root}
	cfg.setDefaults(v)
	cfg.validate(v)
	if err := v.err(); err != nil {
		return nil, err
	}
	cfg.Warnings = cfg.warn(v)
	return cfg, nil
}

func errEOF(err error) error {
	if err != nil && err.Error() == "EOF" {
		return err
	}
	return errors.New("not eof")
}

// setDefaults fills what the file left out; v tells set from unset where
// zero is a meaningful value.
func (c *Config) setDefaults(v *validator) {
	if c.StateDir == "" {
		c.StateDir = ".backlash"
	}
	ch := &c.ClickHouse
	if len(ch.Addr) == 0 {
		ch.Addr = []string{"127.0.0.1:9000"}
	}
	if ch.Database == "" {
		ch.Database = "backlash"
	}
	if ch.Username == "" {
		ch.Username = "default"
	}
	if ch.DialTimeout == 0 {
		ch.DialTimeout = Duration(5 * time.Second)
	}
	cr := &c.Crawler
	if cr.UserAgent == "" {
		cr.UserAgent = DefaultUserAgent
	}
	if cr.Concurrency == 0 {
		cr.Concurrency = 4
	}
	if cr.Timeout == 0 {
		cr.Timeout = Duration(DefaultTimeout)
	}
	if cr.MaxBodyBytes == 0 {
		cr.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if !v.has(path{"crawler", "retries"}) {
		cr.Retries = retriesDefault
	}
	if cr.SourceDeadline == 0 {
		cr.SourceDeadline = Duration(5 * time.Minute)
	}
	if cr.RunDeadline == 0 {
		cr.RunDeadline = Duration(10 * time.Minute)
	}
	if cr.RenderTabs == 0 {
		cr.RenderTabs = 2
	}
	if cr.RenderMemoryMB == 0 {
		cr.RenderMemoryMB = 450
	}
	if c.Analyzer.PositiveCutoff == 0 {
		c.Analyzer.PositiveCutoff = 0.05
	}
	if c.Analyzer.NegativeCutoff == 0 {
		c.Analyzer.NegativeCutoff = -0.05
	}
	if c.Analyzer.RepostWindow == 0 {
		c.Analyzer.RepostWindow = Duration(24 * time.Hour)
	}
	if c.Serve.Listen == "" {
		c.Serve.Listen = "127.0.0.1:8080"
	}
	for i := range c.Sources {
		c.Sources[i].setDefaults(v.has(path{"sources", i, "delay"}))
		if c.Sources[i].Deadline == 0 {
			c.Sources[i].Deadline = cr.SourceDeadline
		}
	}
	c.Alerts.setDefaults()
	c.Health.setDefaults()
}

var identRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]*$`)

var clusterRe = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]*$`)

func (c *Config) validate(v *validator) {
	if !c.ClickHouse.Embedded {
		for i, a := range c.ClickHouse.Addr {
			if !strings.Contains(a, ":") {
				v.errorf(path{"clickhouse", "addr", i}, "address %q needs host:port", a)
			}
		}
	}
	if c.ClickHouse.Cluster != "" {
		if !clusterRe.MatchString(c.ClickHouse.Cluster) {
			v.errorf(path{"clickhouse", "cluster"}, "cluster %q must be letters, digits, _ or -, not starting with a digit or -", c.ClickHouse.Cluster)
		}
		if c.ClickHouse.Embedded {
			v.errorf(path{"clickhouse", "cluster"}, "cluster needs the nodes' addresses in addr, not embedded: true")
		}
	} else {
		if c.ClickHouse.Replicated {
			v.errorf(path{"clickhouse", "replicated"}, "replicated needs clickhouse.cluster")
		}
		if c.ClickHouse.OnCluster != nil {
			v.errorf(path{"clickhouse", "on_cluster"}, "on_cluster needs clickhouse.cluster")
		}
	}
	if !identRe.MatchString(c.ClickHouse.Database) {
		v.errorf(path{"clickhouse", "database"}, "database %q must be letters, digits, _ . or -", c.ClickHouse.Database)
	}
	if c.Analyzer.RepostWindow < 0 {
		v.errorf(path{"analyzer", "repost_window"}, "repost_window must not be negative")
	}
	if c.Crawler.RenderTabs < 0 {
		v.errorf(path{"crawler", "render_tabs"}, "render_tabs must be at least 1")
	}
	if c.Crawler.RenderMemoryMB < 0 {
		v.errorf(path{"crawler", "render_memory_mb"}, "render_memory_mb must be positive")
	}
	if c.Analyzer.NegativeCutoff >= c.Analyzer.PositiveCutoff {
		v.errorf(path{"analyzer", "negative_cutoff"}, "negative_cutoff must be below positive_cutoff")
	}
	seen := map[string]int{}
	for i, t := range c.Topics {
		p := path{"topics", i}
		if t.Name == "" {
			v.errorf(p, "topic needs a name")
		} else if !identRe.MatchString(t.Name) {
			v.errorf(append(p, "name"), "topic name %q must be letters, digits, _ . or -", t.Name)
		} else if j, dup := seen[t.Name]; dup {
			v.errorf(append(p, "name"), "duplicate topic name %q (first at topics[%d])", t.Name, j)
		}
		seen[t.Name] = i
		if len(t.Keywords) == 0 && len(t.Regex) == 0 {
			v.errorf(p, "topic %q needs keywords or regex", t.Name)
		}
		for j, r := range t.Regex {
			if _, err := regexp.Compile(r); err != nil {
				v.errorf(path{"topics", i, "regex", j}, "bad regular expression: %v", err)
			}
		}
	}
	names := map[string]int{}
	for i := range c.Sources {
		s := &c.Sources[i]
		p := path{"sources", i}
		if s.Name != "" {
			if j, dup := names[s.Name]; dup {
				v.errorf(append(p, "name"), "duplicate source name %q (first at sources[%d])", s.Name, j)
			}
			names[s.Name] = i
		}
		s.validate(v, p, c)
	}
	c.Alerts.validate(v, c)
	c.checkLimits(v)
	c.Health.validate(v)
	if c.Serve.PublicURL != "" && !strings.HasPrefix(c.Serve.PublicURL, "http") {
		v.errorf(path{"serve", "public_url"}, "public_url must start with http:// or https://")
	}
}

// TopicNames returns the names of the configured topics.
func (c *Config) TopicNames() []string {
	out := make([]string, len(c.Topics))
	for i, t := range c.Topics {
		out[i] = t.Name
	}
	return out
}

// Source returns the source with the given name.
func (c *Config) Source(name string) (*Source, bool) {
	for i := range c.Sources {
		if c.Sources[i].Name == name {
			return &c.Sources[i], true
		}
	}
	return nil, false
}
