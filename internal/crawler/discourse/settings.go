package discourse

import (
	"github.com/backlash-monitor/backlash/internal/config"
	"github.com/backlash-monitor/backlash/internal/crawler/kind"
)

// Name is the kind's name: a source's kind and the key of its block.
const Name = "discourse"

func init() {
	kind.Register(Name, func() config.KindSettings { return new(Settings) }, Crawl)
}

// Settings is a discourse source's block. A forum needs none: its address
// in urls is all (the block exists so a key written under it is refused
// by name rather than ignored).
type Settings struct{}

// Check accepts the empty block.
func (*Settings) Check(*config.KindCheck) {}
