package config

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse loads arbitrary YAML: it must return a config or an error that
// names the file, never panic.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "bad", "*.yaml"))
	files = append(files, "example.yaml")
	for _, name := range files {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("topics: [{name: a, keywords: [a]}]\nsources: [{name: s, kind: feed, urls: ['http://x/'], delay: 0s}]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := Parse("fuzz.yaml", data)
		if err == nil && cfg == nil {
			t.Fatal("no config and no error")
		}
		if err != nil && len(err.Error()) < len("fuzz.yaml") {
			t.Fatalf("error does not name the file: %v", err)
		}
	})
}
