package config_test

import (
	"os"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/backlash-monitor/backlash/internal/config"
)

// TestExampleMentionsEveryField walks every key the loader accepts (the
// configuration's structs and each registered source kind's block) and checks that
// internal/config/example.yaml, which README says documents every field, names it.
func TestExampleMentionsEveryField(t *testing.T) {
	text, err := os.ReadFile("example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := config.Load("example.yaml"); err != nil {
		t.Fatal(err)
	}
	keys := map[string]bool{}
	seen := map[reflect.Type]bool{}
	collectKeys(reflect.TypeOf(config.Config{}), "", keys, seen)
	for _, k := range config.Kinds() {
		collectKeys(reflect.TypeOf(config.NewKindSettings(k)), "sources[]."+k+".", keys, seen)
	}
	var missing []string
	for k := range keys {
		name := k[strings.LastIndex(k, ".")+1:]
		if !regexp.MustCompile(`(^|[\s{,#-])` + regexp.QuoteMeta(name) + `:`).Match(text) {
			missing = append(missing, k)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("example.yaml does not mention %d keys the loader accepts:\n  %s", len(missing), strings.Join(missing, "\n  "))
	}
}

// collectKeys adds the yaml keys of struct type t (and of the structs it
// holds) under prefix.
func collectKeys(t reflect.Type, prefix string, keys map[string]bool, seen map[reflect.Type]bool) {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Map {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || seen[t] {
		return
	}
	seen[t] = true
	for i := range t.NumField() {
		f := t.Field(i)
		tag := strings.Split(f.Tag.Get("yaml"), ",")[0]
		if tag == "-" || !f.IsExported() {
			continue
		}
		if tag == "" {
			if f.Anonymous {
				collectKeys(f.Type, prefix, keys, seen)
			}
			continue
		}
		keys[prefix+tag] = true
		collectKeys(f.Type, prefix+tag+".", keys, seen)
	}
}
