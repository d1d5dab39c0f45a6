package store

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"

	"github.com/backlash-monitor/backlash/internal/config"
	"github.com/backlash-monitor/backlash/internal/store/chserver"
)

// OpenConfig opens the store the configuration names. With
// clickhouse.embedded it first starts (or reuses) the private server under
// stateDir/clickhouse, which keeps running after the process exits so
// analysts can query it; `backlash clickhouse stop` ends it.
func OpenConfig(ctx context.Context, ch config.ClickHouse, stateDir string, log *slog.Logger) (*Store, error) {
	addr := ch.Addr
	if ch.Embedded {
		srv, err := chserver.Start(ctx, chserver.Options{Dir: EmbeddedDir(stateDir), Detach: true})
		if err != nil {
			return nil, fmt.Errorf("embedded ClickHouse: %w", err)
		}
		addr = []string{srv.Addr()}
	}
	return Open(ctx, Options{Addr: addr, Database: ch.Database, Username: ch.Username,
		Password: ch.PasswordEnv.Value().Reveal(), TLS: ch.TLS, DialTimeout: ch.DialTimeout.D(), Logger: log,
		Cluster: ClusterFromConfig(ch)})
}

// EmbeddedDir is where the embedded server keeps its files.
func EmbeddedDir(stateDir string) string { return filepath.Join(stateDir, "clickhouse") }
