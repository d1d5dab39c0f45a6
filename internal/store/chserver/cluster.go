package chserver

import (
	"fmt"
	"net"
	"sort"
	"strings"
)

// Cluster describes one entry of the server's remote_servers section: the
// shards of a cluster, each a list of replica addresses (host:port of the
// native protocol). Distributed tables and ON CLUSTER statements name it.
type Cluster struct {
	// Shards lists each shard's replicas.
	Shards [][]string
	// InternalReplication is set when the tables are Replicated*MergeTree,
	// so a Distributed insert writes to one replica per shard and lets
	// replication copy it, instead of writing to every replica itself.
	InternalReplication bool
}

// FreePort returns a TCP port on 127.0.0.1 that was free a moment ago, for
// callers that must know a server's port before starting it (the members
// of a cluster each name all the others in their config).
func FreePort() (int, error) { return freePort() }

// clusterXML renders the remote_servers and macros sections of config.xml.
func clusterXML(clusters map[string]Cluster, macros map[string]string) (string, error) {
	var b strings.Builder
	if len(clusters) > 0 {
		names := make([]string, 0, len(clusters))
		for n := range clusters {
			names = append(names, n)
		}
		sort.Strings(names)
		b.WriteString("  <remote_servers>\n")
		for _, n := range names {
			if !xmlNameOK(n) {
				return "", fmt.Errorf("chserver: cluster name %q must be letters, digits and _", n)
			}
			c := clusters[n]
			if len(c.Shards) == 0 {
				return "", fmt.Errorf("chserver: cluster %s has no shards", n)
			}
			fmt.Fprintf(&b, "    <%s>\n", n)
			for i, shard := range c.Shards {
				if len(shard) == 0 {
					return "", fmt.Errorf("chserver: cluster %s shard %d has no replicas", n, i+1)
				}
				fmt.Fprintf(&b, "      <shard>\n        <internal_replication>%t</internal_replication>\n", c.InternalReplication)
				for _, addr := range shard {
					host, port, err := net.SplitHostPort(addr)
					if err != nil {
						return "", fmt.Errorf("chserver: cluster %s shard %d: %w", n, i+1, err)
					}
					fmt.Fprintf(&b, "        <replica><host>%s</host><port>%s</port></replica>\n", xmlEscape(host), xmlEscape(port))
				}
				b.WriteString("      </shard>\n")
			}
			fmt.Fprintf(&b, "    </%s>\n", n)
		}
		b.WriteString("  </remote_servers>\n")
	}
	if len(macros) > 0 {
		keys := make([]string, 0, len(macros))
		for k := range macros {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		b.WriteString("  <macros>\n")
		for _, k := range keys {
			if !xmlNameOK(k) {
				return "", fmt.Errorf("chserver: macro name %q must be letters, digits and _", k)
			}
			fmt.Fprintf(&b, "    <%s>%s</%s>\n", k, xmlEscape(macros[k]), k)
		}
		b.WriteString("  </macros>\n")
	}
	return b.String(), nil
}

func xmlNameOK(s string) bool {
	if s == "" || (s[0] >= '0' && s[0] <= '9') {
		return false
	}
	for _, r := range s {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

func xmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&apos;").Replace(s)
}
