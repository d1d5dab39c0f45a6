package config

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Error is one problem in a configuration file, located by line and key.
type Error struct {
	// File is the configuration file's path.
	File string
	// Line is the 1-based line of the offending key, or 0 when unknown.
	Line int
	// Key is the dotted path of the key, e.g. "sources[2].html.item".
	Key string
	// Msg says what is wrong.
	Msg string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	if e.Key != "" {
		fmt.Fprintf(&b, ": %s", e.Key)
	}
	fmt.Fprintf(&b, ": %s", e.Msg)
	return b.String()
}

// Errors is every problem found in one file.
type Errors []*Error

func (es Errors) Error() string {
	msgs := make([]string, len(es))
	for i, e := range es {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "\n")
}

// lineError is returned by custom unmarshalers so the decoder's error keeps
// the line.
type lineError struct {
	line int
	msg  string
}

func (e *lineError) Error() string { return fmt.Sprintf("line %d: %s", e.line, e.msg) }

var (
	unknownFieldRe = regexp.MustCompile(`^line (\d+): field (\S+) not found in type ([\w.]+)`)
	lineRe         = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)
)

// decodeError turns yaml.v3's decoding errors into Errors naming file, line
// and key.
func decodeError(file string, data []byte, root *yaml.Node, err error) error {
	var te *yaml.TypeError
	var lines []string
	if errors.As(err, &te) {
		lines = te.Errors
	} else {
		lines = []string{err.Error()}
	}
	var out Errors
	for _, l := range lines {
		l = strings.TrimPrefix(l, "yaml: ")
		if m := unknownFieldRe.FindStringSubmatch(l); m != nil {
			n, _ := strconv.Atoi(m[1])
			section := sectionName(m[3])
			key := keyAtLine(root, n).String()
			if key == "" {
				key = m[2]
			}
			out = append(out, &Error{File: file, Line: n, Key: key, Msg: fmt.Sprintf("unknown key %q in %s", m[2], section)})
			continue
		}
		if m := lineRe.FindStringSubmatch(l); m != nil {
			n, _ := strconv.Atoi(m[1])
			msg := m[2]
			// yaml.v3 repeats "line N:" when a custom unmarshaler returned one.
			if mm := lineRe.FindStringSubmatch(msg); mm != nil {
				n, _ = strconv.Atoi(mm[1])
				msg = mm[2]
			}
			msg = typeMismatch(msg)
			if strings.Contains(msg, "tab character") {
				n = tabLine(data, n)
				msg += " (indent with spaces)"
			}
			key := keyAtLine(root, n).String()
			if key == "" {
				key = textKey(data, n)
			}
			out = append(out, &Error{File: file, Line: n, Key: key, Msg: msg})
			continue
		}
		out = append(out, &Error{File: file, Msg: l})
	}
	return out
}

// mismatchRe is yaml.v3's message for a value of the wrong shape.
var mismatchRe = regexp.MustCompile("^cannot unmarshal !!(\\w+)(?: `(.*)`)? into (\\S+)$")

// typeMismatch says in the file's terms what yaml.v3 says in Go's: "want
// a list ([a, b]), not a single value" for urls: https://... written
// without brackets.
func typeMismatch(msg string) string {
	m := mismatchRe.FindStringSubmatch(msg)
	if m == nil {
		return msg
	}
	got := map[string]string{"str": "a text", "int": "a number", "float": "a number", "bool": "true or false",
		"seq": "a list", "map": "a mapping", "null": "nothing", "timestamp": "a date"}[m[1]]
	var want string
	switch t := m[3]; {
	case strings.HasPrefix(t, "[]"):
		want = "a list ([a, b] or one \"- item\" a line)"
	case strings.HasPrefix(t, "map["):
		want = "a mapping (key: value)"
	case t == "string":
		want = "a text"
	case t == "bool":
		want = "true or false"
	case strings.HasPrefix(t, "int"), strings.HasPrefix(t, "uint"), strings.HasPrefix(t, "float"):
		want = "a number"
	}
	if got == "" || want == "" {
		return msg
	}
	if m[2] == "" {
		return fmt.Sprintf("want %s, not %s", want, got)
	}
	return fmt.Sprintf("want %s, not %s (%s)", want, got, m[2])
}

// sectionName names the part of the file a decoded type stands for: the
// lower-cased type for config's own ("source", "slack"), "<kind> block"
// for a kind's settings, "source" for the type a source decodes through.
func sectionName(typ string) string {
	if typ == "struct" {
		return "source"
	}
	if t, ok := strings.CutPrefix(typ, "config."); ok {
		return strings.ToLower(t)
	}
	for _, k := range Kinds() {
		if reflect.TypeOf(newKindSettings(k)).Elem().String() == typ {
			return k + " block"
		}
	}
	return strings.ToLower(typ)
}

// path addresses a node: strings are mapping keys, ints sequence indexes.
type path []any

func (p path) String() string {
	var b strings.Builder
	for _, e := range p {
		switch e := e.(type) {
		case int:
			fmt.Fprintf(&b, "[%d]", e)
		default:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			fmt.Fprint(&b, e)
		}
	}
	return b.String()
}

// validator collects semantic errors and finds their lines in the YAML tree.
type validator struct {
	file string
	root *yaml.Node
	errs Errors
}

func (v *validator) errorf(p path, format string, args ...any) {
	v.errs = append(v.errs, &Error{File: v.file, Line: v.line(p), Key: p.String(), Msg: fmt.Sprintf(format, args...)})
}

func (v *validator) err() error {
	if len(v.errs) == 0 {
		return nil
	}
	return v.errs
}

// has reports whether the file sets the key at p.
func (v *validator) has(p path) bool {
	_, found := v.walk(p)
	return found
}

// line returns the line of the deepest node along p that exists.
func (v *validator) line(p path) int {
	line, _ := v.walk(p)
	return line
}

// walk follows p from the root and returns the line of the deepest key or
// item it reached, and whether it reached the end of p.
func (v *validator) walk(p path) (line int, found bool) {
	n := v.root
	if n == nil {
		return 0, false
	}
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	line = n.Line
	for _, e := range p {
		var next *yaml.Node
		switch e := e.(type) {
		case int:
			if n.Kind == yaml.SequenceNode && e < len(n.Content) {
				next = n.Content[e]
				line = next.Line
			}
		case string:
			if n.Kind == yaml.MappingNode {
				for i := 0; i+1 < len(n.Content); i += 2 {
					if n.Content[i].Value == e {
						line = n.Content[i].Line
						next = n.Content[i+1]
						break
					}
				}
			}
		}
		if next == nil {
			return line, false
		}
		n = next
	}
	return line, true
}

// keyAtLine finds the path of the key on the given line, if any.
func keyAtLine(root *yaml.Node, line int) path {
	if root == nil {
		return nil
	}
	var walk func(n *yaml.Node, p path) path
	walk = func(n *yaml.Node, p path) path {
		switch n.Kind {
		case yaml.DocumentNode:
			for _, c := range n.Content {
				if r := walk(c, p); r != nil {
					return r
				}
			}
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, val := n.Content[i], n.Content[i+1]
				kp := append(append(path{}, p...), k.Value)
				if k.Line == line || (val.Line == line && val.Kind == yaml.ScalarNode) {
					return kp
				}
				if r := walk(val, kp); r != nil {
					return r
				}
			}
		case yaml.SequenceNode:
			for i, c := range n.Content {
				ip := append(append(path{}, p...), i)
				if c.Kind == yaml.ScalarNode && c.Line == line {
					return ip
				}
				if r := walk(c, ip); r != nil {
					return r
				}
			}
		}
		return nil
	}
	return walk(root, nil)
}

// textKey names the key at line from the indentation of the lines up to
// it, for a file too broken for the YAML parser to give a tree (a tab in
// the indentation, an unclosed quote).
func textKey(data []byte, line int) string {
	type frame struct {
		indent int
		elem   any
	}
	var stack []frame
	items := map[string]int{} // path of a sequence -> items seen
	cur := func() path {
		p := make(path, len(stack))
		for i, f := range stack {
			p[i] = f.elem
		}
		return p
	}
	pop := func(indent int) {
		for len(stack) > 0 && stack[len(stack)-1].indent >= indent {
			stack = stack[:len(stack)-1]
		}
	}
	lines := strings.Split(string(data), "\n")
	prev := 0
	for i := 0; i < line && i < len(lines); i++ {
		l := lines[i]
		text := strings.TrimLeft(l, " \t")
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		indent := len(l) - len(text)
		if strings.Contains(l[:indent], "\t") {
			// A tab has no width in YAML: take the line for a sibling of
			// the one before, which is what it most often is meant to be.
			indent = prev
		}
		prev = indent
		pop(indent)
		if rest, ok := strings.CutPrefix(text, "- "); ok || text == "-" {
			// A sequence item: the indent of its parent's key or deeper.
			parent := cur().String()
			n := items[parent]
			items[parent] = n + 1
			stack = append(stack, frame{indent, n})
			text, indent = strings.TrimLeft(rest, " "), indent+2
		}
		if k, _, ok := strings.Cut(text, ":"); ok && k != "" && !strings.ContainsAny(k, "{[\"'") {
			stack = append(stack, frame{indent, strings.TrimSpace(k)})
		}
	}
	return cur().String()
}

// tabLine returns the first line from line on whose indentation has a tab:
// the YAML parser reports a tab on the line before it.
func tabLine(data []byte, line int) int {
	lines := strings.Split(string(data), "\n")
	for i := max(line-1, 0); i < len(lines); i++ {
		l := lines[i]
		if strings.Contains(l[:len(l)-len(strings.TrimLeft(l, " \t"))], "\t") {
			return i + 1
		}
	}
	return line
}
