package sentiment

import (
	"bytes"
	"path/filepath"
	"testing"
)

// TestModelRebuildsFromData trains the whole model from the development
// data with the shipped recipe, as `make sentiment-model` does, and checks
// that it is the embedded model byte for byte: what ships is what the one
// command makes, every part of it.
func TestModelRebuildsFromData(t *testing.T) {
	if testing.Short() {
		t.Skip("trains the whole model")
	}
	cfg := DefaultTrainConfig(filepath.Join("..", "..", "..", "..", "shared", "data", "sentiment"))
	td, err := LoadTrainData(cfg)
	if err != nil {
		t.Fatalf("development data: %v", err)
	}
	got, err := Build(cfg, td)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, modelFile) {
		t.Fatalf("the model trained from the data (%d bytes) differs from the embedded one (%d bytes): run make sentiment-model", len(got), len(modelFile))
	}
}
