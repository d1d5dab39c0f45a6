package config

import (
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"
)

// KindSettings is a source kind's own settings: the block of a source
// under the kind's name (html:, feed:, json:). Each kind declares its
// struct, defaults and checks in its own package, as a Telegraf plugin
// owns its struct and checks it in Init, and registers it with
// [RegisterKind]. The struct is decoded strictly, like the rest of the file.
type KindSettings interface {
	// Check validates the block; it reports every problem through c, with
	// the key it concerns.
	Check(c *KindCheck)
}

// KindDefaults is implemented by settings that fill in their own
// defaults; SetDefaults runs after decoding, before Check.
type KindDefaults interface {
	SetDefaults()
}

// kindRegistry holds the kinds registered at start-up. It is written only
// by RegisterKind from the kinds' init functions.
var kindRegistry = struct {
	sync.RWMutex
	settings map[string]func() KindSettings
}{settings: map[string]func() KindSettings{}}

// RegisterKind makes a source kind known to the loader: name is the value
// of a source's kind and the key of its settings block; newSettings returns
// an empty block whose type is what the block decodes into (a pointer to a
// struct). Kinds call it from init (internal/crawler/kind.Register does); a second
// registration of a name panics.
func RegisterKind(name string, newSettings func() KindSettings) {
	if t := reflect.TypeOf(newSettings()); t == nil || t.Kind() != reflect.Pointer || t.Elem().Kind() != reflect.Struct {
		panic(fmt.Sprintf("config: kind %q: settings must be a pointer to a struct, not %v", name, t))
	}
	if !identRe.MatchString(name) || strings.ContainsAny(name, ".") {
		panic(fmt.Sprintf("config: kind name %q must be letters, digits, _ or -", name))
	}
	if slices.Contains(sourceKeys(), name) {
		panic(fmt.Sprintf("config: kind name %q is a source setting", name))
	}
	kindRegistry.Lock()
	defer kindRegistry.Unlock()
	if _, dup := kindRegistry.settings[name]; dup {
		panic(fmt.Sprintf("config: kind %q registered twice", name))
	}
	kindRegistry.settings[name] = newSettings
}

// Kinds returns the names of the registered source kinds, sorted.
func Kinds() []string {
	kindRegistry.RLock()
	defer kindRegistry.RUnlock()
	out := make([]string, 0, len(kindRegistry.settings))
	for k := range kindRegistry.settings {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// NewKindSettings returns an empty settings block for kind, or nil when no
// such kind is registered; tools and tests read a kind's keys from it.
func NewKindSettings(kind string) KindSettings { return newKindSettings(kind) }

// newKindSettings returns an empty settings block for kind, or nil when no
// such kind is registered.
func newKindSettings(kind string) KindSettings {
	kindRegistry.RLock()
	defer kindRegistry.RUnlock()
	if f, ok := kindRegistry.settings[kind]; ok {
		return f()
	}
	return nil
}

// KindCheck is what a kind's Check reports its problems to; each one is
// located by file, line and key like every other configuration error.
type KindCheck struct {
	// Source is the name of the source being checked, for messages.
	Source string
	// Missing is true when the file has no block for the kind: the
	// settings are an empty block. A kind that needs settings says so.
	Missing bool

	v     *validator
	block path // the block's path, e.g. sources[2].html
	src   path // the source's path, e.g. sources[2]
}

// Errorf reports a problem with key, a dotted path under the kind's block
// ("item", "comments.text"); "" is the block itself, or the source when
// the block is missing.
func (c *KindCheck) Errorf(key string, format string, args ...any) {
	p := append(path{}, c.block...)
	if c.Missing && key == "" {
		p = append(path{}, c.src...)
	}
	if key != "" {
		for _, k := range strings.Split(key, ".") {
			p = append(p, k)
		}
	}
	c.v.errorf(p, format, args...)
}

// Under returns a check for a nested block, e.g. a feed's comments block
// checked by the html kind's settings.
func (c *KindCheck) Under(key string) *KindCheck {
	sub := *c
	sub.block = append(append(path{}, c.block...), key)
	sub.Missing = false
	return &sub
}

// sourceKeys returns the YAML keys of the settings every source has.
func sourceKeys() []string {
	var keys []string
	t := reflect.TypeOf(sourceFields{})
	for i := range t.NumField() {
		if k, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ","); k != "" && k != "-" {
			keys = append(keys, k)
		}
	}
	return keys
}
