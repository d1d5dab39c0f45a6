package crawler

import (
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"

	"github.com/backlash-monitor/backlash/internal/config"
)

// Shard returns the sources worker i of n crawls (0 ≤ i < n). Sources are
// assigned by a hash of their name (of their identity namespace when they
// have one, so sources that show the same posts share a worker), so the
// split is the same on every machine and adding a source does not move the
// others.
func Shard(sources []config.Source, i, n int) []config.Source {
	if n <= 1 {
		return sources
	}
	var out []config.Source
	for _, s := range sources {
		// Sources that show the same posts stay in one shard, so one
		// process decides which of their sightings of a post is counted.
		key := s.Name
		if s.Identity != nil && s.Identity.Namespace != "" {
			key = "identity:" + s.Identity.Namespace
		}
		h := fnv.New32a()
		h.Write([]byte(key))
		if int(h.Sum32()%uint32(n)) == i {
			out = append(out, s)
		}
	}
	return out
}

// ParseShard reads "i/n" as given to --shard: worker i (0-based) of n.
func ParseShard(s string) (i, n int, err error) {
	a, b, ok := strings.Cut(strings.TrimSpace(s), "/")
	if !ok {
		return 0, 0, fmt.Errorf("shard %q: want i/n, e.g. 0/4", s)
	}
	i, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	if err1 != nil || err2 != nil {
		return 0, 0, fmt.Errorf("shard %q: want i/n with whole numbers, e.g. 0/4", s)
	}
	if n < 1 || i < 0 || i >= n {
		return 0, 0, fmt.Errorf("shard %q: want 0 <= i < n", s)
	}
	return i, n, nil
}
