package sentiment

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"
)

//go:embed lexicon/brand.yaml
var brandYAML []byte

// yamlLexicon is the on-disk form of a project or deployment lexicon.
type yamlLexicon struct {
	Version string      `yaml:"version"`
	Entries []yamlEntry `yaml:"entries"`
}

// yamlEntry is one term with its valence on VADER's -4..4 scale.
type yamlEntry struct {
	Term    string   `yaml:"term"`
	Valence *float64 `yaml:"valence"`
	Why     string   `yaml:"why"`
	// Role is "sentiment" (the default), "booster" (valence is added to
	// the next sentiment word, e.g. 0.293), "negator" (flips the
	// sentiment words after it; valence is not needed) or "subject" (the
	// term only names what a post is about, given by About, and has no
	// valence: it scores nothing, and a valence other lexicons give the
	// same word is kept).
	Role string `yaml:"role"`
	// Exact keeps a word of a romanized language (Hindi) from matching
	// other spellings of it (see langLexicon.skel): "kamaal", wonderful,
	// would otherwise also match Kamal, a name.
	Exact bool `yaml:"exact"`
	// About, when set, names what the term is about rather than how the
	// writer feels ("leaving", "privacy", "sex"): such a term is a subject
	// of complaint, so the drivers of an alert may name it (the scorer's
	// other words never are). It does not change any score.
	About string `yaml:"about"`
}

// subjectOnly reports whether the entry only names a subject (role
// "subject") and so takes no part in scoring.
func (e yamlEntry) subjectOnly() bool { return e.Role == "subject" }

func (e yamlEntry) role() role {
	switch e.Role {
	case "booster":
		return roleBooster
	case "negator":
		return roleNegator
	}
	return roleSentiment
}

var errNoVersion = errors.New("missing top-level version")

// parseLexicon decodes and validates a YAML lexicon. name is used in errors.
func parseLexicon(name string, data []byte) (yamlLexicon, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return yamlLexicon{}, fmt.Errorf("lexicon %s: %w", name, err)
	}
	if len(root.Content) == 0 || root.Content[0].Kind != yaml.MappingNode {
		return yamlLexicon{}, fmt.Errorf("lexicon %s line %d: expected a mapping with version and entries", name, root.Line)
	}
	doc := root.Content[0]
	var lex yamlLexicon
	for i := 0; i+1 < len(doc.Content); i += 2 {
		key, val := doc.Content[i], doc.Content[i+1]
		switch key.Value {
		case "version":
			lex.Version = strings.TrimSpace(val.Value)
		case "entries":
			if val.Kind != yaml.SequenceNode {
				return yamlLexicon{}, fmt.Errorf("lexicon %s line %d: entries must be a list", name, val.Line)
			}
			for n, item := range val.Content {
				e, err := decodeEntry(item)
				if err != nil {
					return yamlLexicon{}, fmt.Errorf("lexicon %s line %d: entry %d %q: %w", name, item.Line, n+1, e.Term, err)
				}
				lex.Entries = append(lex.Entries, e)
			}
		default:
			return yamlLexicon{}, fmt.Errorf("lexicon %s line %d: unknown key %q", name, key.Line, key.Value)
		}
	}
	if lex.Version == "" {
		return yamlLexicon{}, fmt.Errorf("lexicon %s line %d: %w", name, doc.Line, errNoVersion)
	}
	return lex, nil
}

func decodeEntry(n *yaml.Node) (yamlEntry, error) {
	var e yamlEntry
	if n.Kind != yaml.MappingNode {
		return e, errors.New("entry must be a mapping with term, valence and why")
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		switch k := n.Content[i].Value; k {
		case "term", "valence", "why", "role", "exact", "about":
		default:
			return e, fmt.Errorf("unknown field %q", k)
		}
	}
	if err := n.Decode(&e); err != nil {
		return e, err
	}
	switch {
	case strings.TrimSpace(e.Term) == "":
		return e, errors.New("empty term")
	case e.Role != "" && e.Role != "sentiment" && e.Role != "booster" && e.Role != "negator" && e.Role != "subject":
		return e, fmt.Errorf("role %q is not sentiment, booster, negator or subject", e.Role)
	case e.subjectOnly() && strings.TrimSpace(e.About) == "":
		return e, errors.New("role subject needs about")
	case e.subjectOnly() && e.Valence != nil:
		return e, errors.New("role subject takes no valence: it names what a post is about, not how it feels")
	case e.subjectOnly() && strings.TrimSpace(e.Why) == "":
		return e, errors.New("missing why")
	case e.subjectOnly():
	case e.Valence == nil && e.Role == "negator":
		e.Valence = new(float64)
	case e.Valence == nil:
		return e, errors.New("missing valence")
	case math.IsNaN(*e.Valence) || *e.Valence < -4 || *e.Valence > 4:
		return e, fmt.Errorf("valence %v outside -4..4", *e.Valence)
	case strings.TrimSpace(e.Why) == "":
		return e, errors.New("missing why")
	}
	return e, nil
}

// apply adds the entries to lx, and those with an About to about (their
// normalised term: a word or a phrase).
func (y yamlLexicon) apply(lx *lexicon, about map[string]string) {
	for _, e := range y.Entries {
		if !e.subjectOnly() {
			lx.addTerm(e.Term, *e.Valence, e.role())
		}
		if e.About != "" {
			about[normalizeTerm(e.Term)] = e.About
		}
	}
}

// versionTag names a user lexicon in Scorer.Version: its base name, declared
// version and a short content hash, so edits without a version bump still
// change the scorer version.
func versionTag(path string, y yamlLexicon, data []byte) string {
	h := fnv.New32a()
	h.Write(bytes.TrimSpace(data))
	base := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	return fmt.Sprintf("%s-%s.%06x", base, y.Version, h.Sum32()&0xffffff)
}
