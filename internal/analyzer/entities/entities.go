package entities

import (
	"fmt"
	"sort"
	"strings"

	"github.com/jdkato/prose/v2"
)

// Entity is a named entity aggregated over a set of posts.
type Entity struct {
	Text  string // the most frequent spelling seen
	Label string // "PERSON", "ORG" or "GPE"
	Count int    // number of mentions across the posts
}

// Extractor runs named-entity recognition with a model loaded once.
// It is safe for concurrent use: prose's tagger and classifier only read the
// shared model, and each call builds its own documents.
type Extractor struct {
	model *prose.Model
}

// kept reports whether an entity label is one Extract returns; prose may
// emit others.
func kept(label string) bool { return label == "PERSON" || label == "ORG" || label == "GPE" }

// NewExtractor loads prose's built-in English tagger and NER model.
// It takes on the order of a second and tens of megabytes; build one per
// process and reuse it.
func NewExtractor() *Extractor {
	return &Extractor{model: prose.ModelFromData("en")}
}

// Extract finds PERSON, ORG and GPE entities in texts and returns the
// limit most mentioned (all if limit <= 0), by count then text. Mentions
// are merged case-insensitively per label.
func (x *Extractor) Extract(texts []string, limit int) []Entity {
	type agg struct {
		label    string
		count    int
		spelling map[string]int
	}
	byKey := map[string]*agg{}
	for _, t := range texts {
		ents, err := x.entities(t)
		if err != nil {
			continue // prose reports no errors today; a bad post must not sink the alert
		}
		for _, e := range ents {
			if !kept(e.Label) {
				continue
			}
			text := strings.TrimSpace(e.Text)
			if text == "" {
				continue
			}
			key := e.Label + "\x00" + strings.ToLower(text)
			a := byKey[key]
			if a == nil {
				a = &agg{label: e.Label, spelling: map[string]int{}}
				byKey[key] = a
			}
			a.count++
			a.spelling[text]++
		}
	}
	out := make([]Entity, 0, len(byKey))
	for _, a := range byKey {
		out = append(out, Entity{Text: mostFrequent(a.spelling), Label: a.label, Count: a.count})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		if out[i].Text != out[j].Text {
			return out[i].Text < out[j].Text
		}
		return out[i].Label < out[j].Label
	})
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out
}

// entities tags text and groups runs of proper nouns that prose labelled as
// part of an entity. It chunks tokens itself because prose v2's chunker
// drops an entity that ends the text ("... fined in Paris") and keeps
// common nouns it mislabels ("Nothing to see here").
func (x *Extractor) entities(text string) ([]prose.Entity, error) {
	doc, err := prose.NewDocument(text,
		prose.UsingModel(x.model),
		prose.WithSegmentation(false))
	if err != nil {
		return nil, fmt.Errorf("entities: %w", err)
	}
	var out []prose.Entity
	var run []prose.Token
	flush := func() {
		if len(run) > 0 {
			out = append(out, chunk(run))
			run = run[:0]
		}
	}
	for _, tk := range doc.Tokens() {
		if tk.Label != "O" && tk.Label != "" && (tk.Tag == "NNP" || tk.Tag == "NNPS") {
			run = append(run, tk)
			continue
		}
		flush()
	}
	flush()
	return out, nil
}

// chunk joins a run of tokens into one entity, labelled by majority with
// PERSON winning two-token names, as prose does.
func chunk(run []prose.Token) prose.Entity {
	words := make([]string, len(run))
	votes := map[string]int{}
	for i, tk := range run {
		words[i] = tk.Text
		votes[strings.TrimPrefix(strings.TrimPrefix(tk.Label, "B-"), "I-")]++
	}
	label, best := "", 0
	for _, l := range []string{"PERSON", "ORG", "GPE"} {
		if votes[l] > best {
			label, best = l, votes[l]
		}
	}
	if len(run) == 2 && votes["PERSON"] > 0 {
		label = "PERSON"
	}
	return prose.Entity{Text: strings.Join(words, " "), Label: label}
}

func mostFrequent(m map[string]int) string {
	best, n := "", -1
	for s, c := range m {
		if c > n || c == n && s < best {
			best, n = s, c
		}
	}
	return best
}
