package config

import (
	"fmt"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"time"

	"golang.org/x/net/http/httpguts"
)

// Source is one place posts are collected from: an HTML forum or comment
// section, an RSS/Atom/JSON feed, a JSON API, or any other registered kind.
// The settings every source has are fields here; what only one kind reads
// is in Settings, the block under the kind's name, declared by the kind's
// own package (see [RegisterKind]).
type Source struct {
	// Name identifies the source in the store, logs and the dashboard.
	Name string `yaml:"name"`
	// Kind names the registered kind that crawls the source: html, feed,
	// json, ...
	Kind string `yaml:"kind"`
	// URLs are where crawling starts.
	URLs []string `yaml:"urls"`
	// Schedule is a cron expression for `backlash serve` (default every 15 min).
	Schedule string `yaml:"schedule"`
	// Topics restricts the topics this source's posts are matched against
	// (default: all topics).
	Topics []string `yaml:"topics"`
	// KeepUnmatched stores posts that match no topic.
	KeepUnmatched bool `yaml:"keep_unmatched"`
	// AllowPrivate lets the source reach loopback and private addresses.
	AllowPrivate bool `yaml:"allow_private"`
	// IgnoreRobots skips robots.txt, for sites you own.
	IgnoreRobots bool `yaml:"ignore_robots"`
	// AllowedDomains are the hosts links may be followed to (default: the
	// hosts of URLs).
	AllowedDomains []string `yaml:"allowed_domains"`
	// Delay is the pause between requests to one domain (default 1s; an
	// explicit 0s means none).
	Delay Duration `yaml:"delay"`
	// Parallelism is how many requests run at once per domain (default 1).
	Parallelism int `yaml:"parallelism"`
	// MaxPages caps the pages fetched in one run (default DefaultMaxPages).
	MaxPages int `yaml:"max_pages"`
	// Deadline bounds the source's whole crawl (default
	// crawler.source_deadline); a crawl cut at it keeps what it collected.
	Deadline Duration `yaml:"deadline"`
	// Lookback re-fetches posts this far behind the high-water mark so
	// edited counts are refreshed (default 1h).
	Lookback Duration `yaml:"lookback"`
	// Encoding forces a character set when a site declares it wrongly.
	Encoding string `yaml:"encoding"`
	// Headers are sent with every request of the source, e.g. an API
	// version or a language. Not for credentials: use HeaderEnv.
	Headers map[string]string `yaml:"headers"`
	// HeaderEnv names, per header, the environment variable holding its
	// value, for credentials such as {Authorization: REDDIT_AUTHORIZATION}
	// (the variable holding "Bearer ..."). They are sent only to the hosts
	// of URLs, never to another host a link or a redirect leads to.
	HeaderEnv map[string]SecretEnv `yaml:"header_env"`
	// Identity declares that the source shows posts other sources show
	// too, and how its ids map into their shared namespace.
	Identity *Identity `yaml:"identity"`
	// Settings is the kind's own block (the html: block of an html
	// source), of the type the kind registered. After loading it is never
	// nil for a registered kind: a missing block is an empty one.
	Settings KindSettings `yaml:"-"`

	// otherBlocks are the blocks of other kinds the file gave the source.
	otherBlocks []string
}

// sourceFields is Source without its methods, decoded inline beside the
// kinds' blocks.
type sourceFields Source

// UnmarshalYAML decodes a source's own keys and the block of each
// registered kind into that kind's settings type, strictly: an unknown key
// anywhere is an error with its line. It uses yaml.v3's older unmarshaler
// form so the decoder's strictness carries into the kind's block.
func (s *Source) UnmarshalYAML(unmarshal func(any) error) error {
	kinds := Kinds()
	fields := []reflect.StructField{{Name: "Source", Type: reflect.TypeOf(sourceFields{}), Tag: `yaml:",inline"`}}
	for i, k := range kinds {
		fields = append(fields, reflect.StructField{
			Name: fmt.Sprintf("Kind%d", i),
			Type: reflect.TypeOf(newKindSettings(k)),
			Tag:  reflect.StructTag(fmt.Sprintf("yaml:%q", k)),
		})
	}
	v := reflect.New(reflect.StructOf(fields))
	err := unmarshal(v.Interface())
	*s = Source(v.Elem().Field(0).Interface().(sourceFields))
	for i, k := range kinds {
		f := v.Elem().Field(i + 1)
		if f.IsNil() {
			continue
		}
		if k == s.Kind {
			s.Settings = f.Interface().(KindSettings)
		} else if s.otherBlocks == nil {
			s.otherBlocks = []string{k}
		} else {
			s.otherBlocks = append(s.otherBlocks, k)
		}
	}
	return err
}

// setDefaults fills unset fields; delaySet says the file set delay, so an
// explicit "0s" (a site you own) is kept.
func (s *Source) setDefaults(delaySet bool) {
	if s.Schedule == "" {
		s.Schedule = "*/15 * * * *"
	}
	if s.Delay == 0 && !delaySet {
		s.Delay = Duration(time.Second)
	}
	if s.Parallelism == 0 {
		s.Parallelism = 1
	}
	if s.MaxPages == 0 {
		s.MaxPages = DefaultMaxPages
	}
	if s.Lookback == 0 {
		s.Lookback = Duration(time.Hour)
	}
	if len(s.AllowedDomains) == 0 {
		for _, u := range s.URLs {
			if pu, err := url.Parse(u); err == nil && pu.Hostname() != "" {
				s.AllowedDomains = append(s.AllowedDomains, pu.Hostname())
			}
		}
	}
}

func (s *Source) validate(v *validator, p path, c *Config) {
	if s.Name == "" {
		v.errorf(p, "source needs a name")
	} else if !identRe.MatchString(s.Name) {
		v.errorf(append(p, "name"), "source name %q must be letters, digits, _ . or -", s.Name)
	}
	if len(s.URLs) == 0 {
		v.errorf(p, "source %q needs urls", s.Name)
	}
	for i, u := range s.URLs {
		pu, err := url.Parse(u)
		if err != nil || (pu.Scheme != "http" && pu.Scheme != "https") || pu.Host == "" {
			v.errorf(path{"sources", p[1], "urls", i}, "url %q must be an absolute http(s) URL", u)
		}
	}
	for i, d := range s.AllowedDomains {
		if d == "" || strings.ContainsAny(d, "/:@ ") && !strings.HasPrefix(d, "[") {
			v.errorf(append(append(path{}, p...), "allowed_domains", i), "allowed domain %q must be a bare host name like www.example.com", d)
		}
	}
	if len(s.AllowedDomains) > 0 {
		for i, u := range s.URLs {
			if pu, err := url.Parse(u); err == nil && pu.Hostname() != "" && !slices.Contains(s.AllowedDomains, pu.Hostname()) {
				v.errorf(append(append(path{}, p...), "urls", i), "host %q of %s is not in allowed_domains", pu.Hostname(), u)
			}
		}
	}
	if s.Delay < 0 {
		v.errorf(append(append(path{}, p...), "delay"), "delay must not be negative")
	}
	if s.Parallelism < 0 {
		v.errorf(append(append(path{}, p...), "parallelism"), "parallelism must not be negative")
	}
	if s.MaxPages < 0 {
		v.errorf(append(append(path{}, p...), "max_pages"), "max_pages must not be negative")
	}
	if s.Encoding != "" {
		if name, ok := Charset(s.Encoding); ok {
			s.Encoding = name
		} else {
			v.errorf(append(append(path{}, p...), "encoding"), "unknown encoding %q (try gbk, gb18030, big5, shift_jis, euc-kr, windows-1251)", s.Encoding)
		}
	}
	s.validateHeaders(v, p)
	if s.Identity != nil {
		s.Identity.validate(v, append(append(path{}, p...), "identity"))
	}
	for i, t := range s.Topics {
		found := false
		for _, ct := range c.Topics {
			found = found || ct.Name == t
		}
		if !found {
			v.errorf(append(append(path{}, p...), "topics", i), "unknown topic %q", t)
		}
	}
	s.validateKind(v, p)
}

// validateKind checks the source's kind and hands the kind's block to the
// kind's own Check.
func (s *Source) validateKind(v *validator, p path) {
	for _, k := range s.otherBlocks {
		v.errorf(append(append(path{}, p...), k), "a %s block on a %s source is not read (kind is %q)", k, s.Kind, s.Kind)
	}
	if s.Kind == "" {
		v.errorf(p, "source %q needs a kind (%s)", s.Name, kindList())
		return
	}
	missing := false
	if s.Settings == nil {
		if s.Settings = newKindSettings(s.Kind); s.Settings == nil {
			v.errorf(append(append(path{}, p...), "kind"), "unknown kind %q (want %s)", s.Kind, kindList())
			return
		}
		missing = !v.has(append(append(path{}, p...), s.Kind))
	}
	if d, ok := s.Settings.(KindDefaults); ok {
		d.SetDefaults()
	}
	s.Settings.Check(&KindCheck{Source: s.Name, Missing: missing, v: v,
		block: append(append(path{}, p...), s.Kind), src: p})
}

// kindList names the registered kinds for messages: "html, feed or json".
func kindList() string {
	ks := Kinds()
	if len(ks) < 2 {
		return strings.Join(ks, "")
	}
	return strings.Join(ks[:len(ks)-1], ", ") + " or " + ks[len(ks)-1]
}

// reservedHeaders are set by the crawler or the HTTP client; a source may
// not override them.
var reservedHeaders = []string{"Host", "Content-Length", "Connection", "Transfer-Encoding", "User-Agent", "Accept-Encoding"}

func (s *Source) validateHeaders(v *validator, p path) {
	check := func(key, name string) bool {
		hp := append(append(path{}, p...), key, name)
		switch {
		case !httpguts.ValidHeaderFieldName(name):
			v.errorf(hp, "%q is not a valid header name", name)
		case slices.ContainsFunc(reservedHeaders, func(r string) bool { return strings.EqualFold(r, name) }):
			v.errorf(hp, "header %s is set by the crawler and cannot be configured", name)
		default:
			return true
		}
		return false
	}
	for name, val := range s.Headers {
		if check("headers", name) && !httpguts.ValidHeaderFieldValue(val) {
			v.errorf(append(append(path{}, p...), "headers", name), "header %s has a value with control characters", name)
		}
	}
	for name := range s.HeaderEnv {
		if !check("header_env", name) {
			continue
		}
		for other := range s.Headers {
			if strings.EqualFold(other, name) {
				v.errorf(append(append(path{}, p...), "header_env", name), "header %s is set in both headers and header_env", name)
			}
		}
	}
}
