package store

import (
	"context"
	"crypto/tls"
	"embed"
	"fmt"
	"io/fs"
	"log/slog"
	"math"
	"net"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Options says how to reach ClickHouse.
type Options struct {
	// Addr lists host:port of the native protocol.
	Addr []string
	// Database holds backlash's tables; it is created if missing.
	Database string
	// Username and Password log in.
	Username, Password string
	// TLS connects with TLS.
	TLS bool
	// DialTimeout bounds connecting (default 5s).
	DialTimeout time.Duration
	// Logger receives the store's logs (default slog.Default()).
	Logger *slog.Logger
	// Cluster, when set, lays the schema out over a sharded cluster whose
	// nodes Addr lists; nil is a single server.
	Cluster *Cluster
}

// Store is a connection to backlash's ClickHouse database.
type Store struct {
	conn driver.Conn
	db   string
	addr []string
	log  *slog.Logger
	// opts and cluster are kept for the per-node connections of a cluster.
	opts    Options
	cluster *Cluster
	// saveMu makes deciding which sighting of a post is counted and
	// storing it one step among the saves of this process.
	saveMu sync.Mutex
	// repostWindow: see SetRepostWindow.
	repostWindow time.Duration
	// spare is room the inserts of posts and identities sent leave for
	// the next ones.
	spare spareRoom
}

var dbNameRe = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.-]*$`)

// compression is LZ4 for servers over the network, and none for a server
// on this machine (the embedded one), where compressing every block only
// costs both ends CPU.
func compression(addrs []string) *clickhouse.Compression {
	for _, a := range addrs {
		host, _, err := net.SplitHostPort(a)
		if err != nil {
			host = a
		}
		if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
			return &clickhouse.Compression{Method: clickhouse.CompressionLZ4}
		}
	}
	return &clickhouse.Compression{Method: clickhouse.CompressionNone}
}

// Open connects to ClickHouse and creates the database if it is missing. It
// does not apply migrations; call Migrate.
func Open(ctx context.Context, o Options) (*Store, error) {
	if !dbNameRe.MatchString(o.Database) {
		return nil, fmt.Errorf("store: bad database name %q", o.Database)
	}
	if o.DialTimeout == 0 {
		o.DialTimeout = 5 * time.Second
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	opts := &clickhouse.Options{
		Addr:         o.Addr,
		Auth:         clickhouse.Auth{Username: o.Username, Password: o.Password},
		DialTimeout:  o.DialTimeout,
		Compression:  compression(o.Addr),
		MaxOpenConns: 8,
	}
	if o.TLS {
		opts.TLS = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	if o.Cluster != nil {
		if !clusterNameRe.MatchString(o.Cluster.Name) {
			return nil, fmt.Errorf("store: bad cluster name %q", o.Cluster.Name)
		}
		opts.Settings = clusterSettings()
	}
	conn, err := clickhouse.Open(opts)
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", strings.Join(o.Addr, ","), err)
	}
	if err := conn.Ping(ctx); err != nil {
		conn.Close()
		return nil, fmt.Errorf("store: connect %s: %w", strings.Join(o.Addr, ","), err)
	}
	// Only create what is missing, so a user without DDL rights (see
	// docs/security.md) can open a store that exists.
	if ok, err := exists(ctx, conn, "system.databases", "name = ?", o.Database); err != nil || !ok {
		if err == nil {
			err = conn.Exec(ctx, "CREATE DATABASE IF NOT EXISTS "+quoteIdent(o.Database))
		}
		if err != nil {
			conn.Close()
			return nil, fmt.Errorf("store: create database %s: %w", o.Database, err)
		}
	}
	return &Store{conn: retryConn{conn}, db: o.Database, addr: o.Addr, log: o.Logger, opts: o, cluster: o.Cluster,
		repostWindow: DefaultRepostWindow}, nil
}

// Close closes the connection.
func (s *Store) Close() error { return s.conn.Close() }

// Conn exposes the underlying connection for packages that run their own
// queries (the dashboard's saved queries, tests).
func (s *Store) Conn() driver.Conn { return s.conn }

// Addr is the first server address the store connects to.
func (s *Store) Addr() string { return s.addr[0] }

// DropDatabase deletes the store's database and everything in it.
func (s *Store) DropDatabase(ctx context.Context) error {
	if s.cluster != nil {
		return s.dropClusterDatabase(ctx)
	}
	if err := s.conn.Exec(ctx, "DROP DATABASE IF EXISTS "+quoteIdent(s.db)); err != nil {
		return fmt.Errorf("store: drop database %s: %w", s.db, err)
	}
	return nil
}

// Database is the database holding backlash's tables.
func (s *Store) Database() string { return s.db }

// Ping checks that the server answers.
func (s *Store) Ping(ctx context.Context) error { return s.conn.Ping(ctx) }

// Table returns a table's name qualified with the database, quoted for SQL.
func (s *Store) Table(name string) string { return quoteIdent(s.db) + "." + quoteIdent(name) }

func quoteIdent(s string) string { return "`" + strings.ReplaceAll(s, "`", "") + "`" }

// Migration is one numbered schema change.
type Migration struct {
	// Version orders migrations; it is the file name's number.
	Version int
	// Name is the file name without number and extension.
	Name string
	// SQL is the statement, with {db} standing for the database.
	SQL string
}

// Migrations returns the schema changes in order.
func Migrations() ([]Migration, error) {
	entries, err := fs.ReadDir(migrationFiles, "migrations")
	if err != nil {
		return nil, err
	}
	var ms []Migration
	for _, e := range entries {
		base := strings.TrimSuffix(e.Name(), ".sql")
		num, name, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("store: migration %s: want NNNN_name.sql", e.Name())
		}
		b, err := migrationFiles.ReadFile("migrations/" + e.Name())
		if err != nil {
			return nil, err
		}
		ms = append(ms, Migration{Version: v, Name: name, SQL: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].Version < ms[j].Version })
	for i := 1; i < len(ms); i++ {
		if ms[i].Version == ms[i-1].Version {
			return nil, fmt.Errorf("store: two migrations numbered %d", ms[i].Version)
		}
	}
	return ms, nil
}

// Migrate applies the migrations not yet recorded in schema_migrations and
// returns the names of those it applied. Running it again applies nothing.
// On a cluster it applies them as ClusterMigrations rewrites them.
func (s *Store) Migrate(ctx context.Context) ([]string, error) {
	if s.cluster != nil {
		return s.migrateCluster(ctx)
	}
	return s.migrateThrough(ctx, math.MaxInt)
}

// migrateThrough applies the pending migrations numbered up to last, on a
// single server; upgrade tests stop there to store rows as an older
// schema would.
func (s *Store) migrateThrough(ctx context.Context, last int) ([]string, error) {
	if ok, err := exists(ctx, s.conn, "system.tables", "database = ? AND name = 'schema_migrations'", s.db); err != nil || !ok {
		if err == nil {
			err = s.conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS `+s.Table("schema_migrations")+` (
    version UInt32, name String, applied_at DateTime
) ENGINE = MergeTree() ORDER BY version`)
		}
		if err != nil {
			return nil, fmt.Errorf("store: create schema_migrations: %w", err)
		}
	}
	done, err := s.appliedVersions(ctx)
	if err != nil {
		return nil, err
	}
	ms, err := Migrations()
	if err != nil {
		return nil, err
	}
	var applied []string
	for _, m := range ms {
		if done[m.Version] || m.Version > last {
			continue
		}
		stmt := strings.ReplaceAll(m.SQL, "{db}", quoteIdent(s.db))
		if err := s.conn.Exec(ctx, stmt); err != nil {
			return applied, fmt.Errorf("store: migration %04d_%s: %w", m.Version, m.Name, err)
		}
		b, err := s.conn.PrepareBatch(ctx, "INSERT INTO "+s.Table("schema_migrations")+" (version, name, applied_at)")
		if err != nil {
			return applied, fmt.Errorf("store: record migration %d: %w", m.Version, err)
		}
		if err := b.Append(uint32(m.Version), m.Name, time.Now().UTC()); err != nil {
			return applied, fmt.Errorf("store: record migration %d: %w", m.Version, err)
		}
		if err := b.Send(); err != nil {
			return applied, fmt.Errorf("store: record migration %d: %w", m.Version, err)
		}
		applied = append(applied, fmt.Sprintf("%04d_%s", m.Version, m.Name))
		s.log.Info("migration applied", "version", m.Version, "name", m.Name)
	}
	return applied, nil
}

// Pending returns how many migrations are not yet applied; /readyz uses it.
func (s *Store) Pending(ctx context.Context) (int, error) {
	done, err := s.appliedVersions(ctx)
	if err != nil {
		return 0, err
	}
	ms, err := Migrations()
	if err != nil {
		return 0, err
	}
	n := 0
	for _, m := range ms {
		if !done[m.Version] {
			n++
		}
	}
	return n, nil
}

func (s *Store) appliedVersions(ctx context.Context) (map[int]bool, error) {
	rows, err := s.conn.Query(ctx, "SELECT version FROM "+s.Table("schema_migrations"))
	if err != nil {
		return nil, fmt.Errorf("store: read schema_migrations: %w", err)
	}
	defer rows.Close()
	done := map[int]bool{}
	for rows.Next() {
		var v uint32
		if err := rows.Scan(&v); err != nil {
			return nil, fmt.Errorf("store: read schema_migrations: %w", err)
		}
		done[int(v)] = true
	}
	return done, rows.Err()
}
