package store

import (
	"context"
	"crypto/tls"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/backlash-monitor/backlash/internal/config"
)

// Cluster says how the schema is laid out over a sharded ClickHouse
// cluster. Every table X of the single-node schema becomes a local table
// X_local on each node and a Distributed table X over them, so the store's
// queries and inserts, which name X, work unchanged.
type Cluster struct {
	// Name is the cluster as defined in the servers' remote_servers.
	Name string
	// Replicated creates the local tables with Replicated*MergeTree engines
	// at /clickhouse/tables/{shard}/<database>/X_local, replica '{replica}';
	// every server must define the shard and replica macros.
	Replicated bool
	// OnCluster runs each schema statement once with ON CLUSTER, which needs
	// ZooKeeper or ClickHouse Keeper. Without it the statements are run on
	// every address of Options.Addr in turn, one connection per node.
	OnCluster bool
}

// ClusterFromConfig returns the cluster layout the configuration asks for,
// or nil for a single server.
func ClusterFromConfig(ch config.ClickHouse) *Cluster {
	if ch.Cluster == "" {
		return nil
	}
	return &Cluster{Name: ch.Cluster, Replicated: ch.Replicated, OnCluster: ch.OnClusterEnabled()}
}

// LocalSuffix ends the name of a table's per-node part.
const LocalSuffix = "_local"

// shardingKey returns the Distributed table's sharding expression for a
// table. A key must send every row that a ReplacingMergeTree or
// SummingMergeTree would merge to the same shard, so it is always built
// from a prefix of the table's ORDER BY. Tables not listed are sharded by
// their whole ORDER BY key.
func shardingKey(table string) (string, bool) {
	switch table {
	case "posts":
		// A post's versions land on one shard, so ReplacingMergeTree and
		// FINAL see them together; hashing the id as well spreads a busy
		// source.
		return "sipHash64(source, id)", true
	case "topic_rollup_5m":
		// Direct inserts only; the materialized view writes the rollup rows
		// on the shard that holds the posts, and the readers sum over
		// shards.
		return "sipHash64(topic)", true
	case "topic_risk", "incidents", "alerts", "alert_conditions":
		// A topic's scores, incidents, alerts and rule states sit together.
		return "sipHash64(topic)", true
	case "crawl_runs", "source_state":
		// A source's runs and its crawl state sit together.
		return "sipHash64(source)", true
	case "alert_outbox":
		// One notification's versions.
		return "sipHash64(dedup_key)", true
	case "alert_silences":
		// One silence's versions.
		return "sipHash64(silence_id)", true
	}
	return "", false
}

// ClusterStatement is one statement of a migration rewritten for a cluster.
type ClusterStatement struct {
	// SQL is ready to run: the database is filled in and, with OnCluster,
	// the statement carries ON CLUSTER.
	SQL string
	// Once marks a data statement (INSERT ... SELECT) that goes through the
	// Distributed tables and so must run on one node only.
	Once bool
}

// ClusterMigration is a migration as applied to a cluster.
type ClusterMigration struct {
	// Migration is the single-server migration rewritten.
	Migration
	// Statements replace Migration.SQL, in order.
	Statements []ClusterStatement
}

// ClusterMigrations rewrites every migration for the cluster layout c with
// the given database: CREATE TABLE becomes a local table and a Distributed
// table, a materialized view reads and writes the local tables of its
// node, ALTER TABLE changes both tables. It fails on a statement it does not
// know how to rewrite, so a new migration cannot silently break clusters.
func ClusterMigrations(c Cluster, db string) ([]ClusterMigration, error) {
	ms, err := Migrations()
	if err != nil {
		return nil, err
	}
	return RewriteForCluster(c, db, ms)
}

// RewriteForCluster rewrites the given migrations, in order, as
// ClusterMigrations does; it is how a migration can be checked before it is
// added.
func RewriteForCluster(c Cluster, db string, ms []Migration) ([]ClusterMigration, error) {
	if !clusterNameRe.MatchString(c.Name) {
		return nil, fmt.Errorf("store: bad cluster name %q", c.Name)
	}
	if !dbNameRe.MatchString(db) {
		return nil, fmt.Errorf("store: bad database name %q", db)
	}
	r := &rewriter{c: c, db: db, kinds: map[string]objectKind{}}
	out := make([]ClusterMigration, 0, len(ms))
	for _, m := range ms {
		stmts, err := r.rewrite(m.SQL)
		if err != nil {
			return nil, fmt.Errorf("store: migration %04d_%s on a cluster: %w", m.Version, m.Name, err)
		}
		out = append(out, ClusterMigration{Migration: m, Statements: stmts})
	}
	return out, nil
}

var clusterNameRe = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]*$`)

type objectKind int

const (
	kindTable objectKind = iota + 1 // a local table and a Distributed table
	kindView                        // a materialized view on each node
)

// rewriter turns single-node statements into cluster statements. It
// remembers what earlier migrations created, so a view's source or an ALTER's
// target is known to be a sharded table.
type rewriter struct {
	c     Cluster
	db    string
	kinds map[string]objectKind
}

var (
	createTableRe = regexp.MustCompile(`(?is)^CREATE\s+TABLE\s+(IF\s+NOT\s+EXISTS\s+)?\{db\}\.(\w+)\s*\(`)
	createMVRe    = regexp.MustCompile(`(?is)^CREATE\s+MATERIALIZED\s+VIEW\s+(IF\s+NOT\s+EXISTS\s+)?\{db\}\.(\w+)\s+TO\s+\{db\}\.(\w+)\s+AS\s+(SELECT\b.*)$`)
	alterRe       = regexp.MustCompile(`(?is)^ALTER\s+TABLE\s+\{db\}\.(\w+)\s+(.+)$`)
	dropRe        = regexp.MustCompile(`(?is)^DROP\s+(TABLE|VIEW)\s+(IF\s+EXISTS\s+)?\{db\}\.(\w+)$`)
	insertRe      = regexp.MustCompile(`(?is)^INSERT\s+INTO\s+\{db\}\.(\w+)\b.*\bSELECT\b`)
	dbRefRe       = regexp.MustCompile(`\{db\}\.(\w+)`)
	engineRe      = regexp.MustCompile(`(?is)^ENGINE\s*=\s*(\w+)\s*`)
	columnCmdRe   = regexp.MustCompile(`(?is)^(ADD|DROP|MODIFY|RENAME|COMMENT)\s+COLUMN\b`)
	clauseRe      = regexp.MustCompile(`(?is)\b(PARTITION\s+BY|ORDER\s+BY|PRIMARY\s+KEY|SAMPLE\s+BY|TTL|SETTINGS)\b`)
)

func (r *rewriter) rewrite(sql string) ([]ClusterStatement, error) {
	stmt := strings.TrimSuffix(strings.TrimSpace(stripComments(sql)), ";")
	stmt = strings.TrimSpace(stmt)
	switch {
	case createTableRe.MatchString(stmt):
		return r.createTable(stmt)
	case createMVRe.MatchString(stmt):
		return r.createView(stmt)
	case alterRe.MatchString(stmt):
		return r.alter(stmt)
	case dropRe.MatchString(stmt):
		return r.drop(stmt)
	case insertRe.MatchString(stmt):
		if err := r.checkRefs(stmt); err != nil {
			return nil, err
		}
		return []ClusterStatement{{SQL: r.fill(stmt), Once: true}}, nil
	}
	return nil, fmt.Errorf("cannot rewrite %.60q: want CREATE TABLE, CREATE MATERIALIZED VIEW ... TO, ALTER TABLE, DROP TABLE or INSERT ... SELECT", stmt)
}

// createTable splits CREATE TABLE into the local MergeTree table and the
// Distributed table in front of it.
func (r *rewriter) createTable(stmt string) ([]ClusterStatement, error) {
	m := createTableRe.FindStringSubmatch(stmt)
	ifNot, name := m[1], m[2]
	if r.kinds[name] != 0 {
		return nil, fmt.Errorf("table %s created twice", name)
	}
	open := len(m[0]) - 1
	end, err := matchParen(stmt, open)
	if err != nil {
		return nil, fmt.Errorf("table %s: %w", name, err)
	}
	columns := stmt[open : end+1]
	rest := strings.TrimSpace(stmt[end+1:])
	em := engineRe.FindStringSubmatch(rest)
	if em == nil {
		return nil, fmt.Errorf("table %s: want ENGINE = ... after the columns", name)
	}
	engine := em[1]
	rest = rest[len(em[0]):]
	var args string
	if strings.HasPrefix(rest, "(") {
		e, err := matchParen(rest, 0)
		if err != nil {
			return nil, fmt.Errorf("table %s engine: %w", name, err)
		}
		args = strings.TrimSpace(rest[1:e])
		rest = rest[e+1:]
	}
	rest = strings.TrimSpace(rest)
	if !strings.HasSuffix(engine, "MergeTree") || strings.HasPrefix(engine, "Replicated") {
		return nil, fmt.Errorf("table %s: engine %s is not a plain MergeTree-family engine", name, engine)
	}
	orderBy := clause(rest, "ORDER BY")
	if orderBy == "" {
		return nil, fmt.Errorf("table %s: want ORDER BY (the sharding key is drawn from it)", name)
	}
	key, ok := shardingKey(name)
	if !ok {
		cols := orderBy
		if e, err := matchParen(cols, 0); strings.HasPrefix(cols, "(") && err == nil && e == len(cols)-1 {
			cols = strings.TrimSpace(cols[1:e])
		}
		key = "sipHash64(" + cols + ")"
		if strings.EqualFold(strings.ReplaceAll(orderBy, " ", ""), "tuple()") {
			key = "rand()"
		}
	}
	local := name + LocalSuffix
	if r.c.Replicated {
		path := "'/clickhouse/tables/{shard}/" + r.db + "/" + local + "'"
		rargs := path + ", '{replica}'"
		if args != "" {
			rargs += ", " + args
		}
		engine, args = "Replicated"+engine, rargs
	}
	r.kinds[name] = kindTable
	localSQL := fmt.Sprintf("CREATE TABLE %s%s%s\n%s\nENGINE = %s(%s)\n%s",
		ifNot, r.ident(local), r.onCluster(), columns, engine, args, rest)
	distSQL := fmt.Sprintf("CREATE TABLE %s%s%s\n%s\nENGINE = Distributed(%s, %s, %s, %s)",
		ifNot, r.ident(name), r.onCluster(), columns, quoteString(r.c.Name), quoteString(r.db), quoteString(local), key)
	return []ClusterStatement{{SQL: r.fill(localSQL)}, {SQL: r.fill(distSQL)}}, nil
}

// createView makes a materialized view that, on each node, reads the rows
// inserted into the node's local tables and writes to its local target.
func (r *rewriter) createView(stmt string) ([]ClusterStatement, error) {
	m := createMVRe.FindStringSubmatch(stmt)
	ifNot, name, to, sel := m[1], m[2], m[3], m[4]
	if r.kinds[name] != 0 {
		return nil, fmt.Errorf("view %s created twice", name)
	}
	if r.kinds[to] != kindTable {
		return nil, fmt.Errorf("view %s writes to %s, which no earlier migration creates as a table", name, to)
	}
	var bad error
	sel = dbRefRe.ReplaceAllStringFunc(sel, func(ref string) string {
		t := dbRefRe.FindStringSubmatch(ref)[1]
		if r.kinds[t] != kindTable {
			bad = fmt.Errorf("view %s reads %s, which no earlier migration creates as a table", name, t)
			return ref
		}
		return "{db}." + t + LocalSuffix
	})
	if bad != nil {
		return nil, bad
	}
	r.kinds[name] = kindView
	sql := fmt.Sprintf("CREATE MATERIALIZED VIEW %s%s%s TO %s AS\n%s", ifNot, r.ident(name), r.onCluster(), r.ident(to+LocalSuffix), sel)
	return []ClusterStatement{{SQL: r.fill(sql)}}, nil
}

// alter applies the change to the local table and, for column changes, to
// the Distributed table too, so both keep the same columns. Other commands
// (indexes, mutations, partitions) only make sense on the local table.
func (r *rewriter) alter(stmt string) ([]ClusterStatement, error) {
	m := alterRe.FindStringSubmatch(stmt)
	name, cmds := m[1], m[2]
	switch r.kinds[name] {
	case kindView:
		return []ClusterStatement{{SQL: r.fill("ALTER TABLE " + r.ident(name) + r.onCluster() + " " + cmds)}}, nil
	case kindTable:
	default:
		return nil, fmt.Errorf("ALTER of %s, which no earlier migration creates", name)
	}
	if err := r.checkRefs(cmds); err != nil {
		return nil, err
	}
	var colCmds []string
	for _, c := range splitTop(cmds, ',') {
		if columnCmdRe.MatchString(c) {
			colCmds = append(colCmds, c)
		}
	}
	out := []ClusterStatement{{SQL: r.fill("ALTER TABLE " + r.ident(name+LocalSuffix) + r.onCluster() + " " + cmds)}}
	if len(colCmds) > 0 {
		out = append(out, ClusterStatement{SQL: r.fill("ALTER TABLE " + r.ident(name) + r.onCluster() + " " + strings.Join(colCmds, ", "))})
	}
	return out, nil
}

// drop removes a view, or a Distributed table and then its local table.
func (r *rewriter) drop(stmt string) ([]ClusterStatement, error) {
	m := dropRe.FindStringSubmatch(stmt)
	kw, ifExists, name := strings.ToUpper(m[1]), m[2], m[3]
	kind := r.kinds[name]
	delete(r.kinds, name)
	switch kind {
	case kindTable:
		return []ClusterStatement{
			{SQL: r.fill("DROP TABLE " + ifExists + r.ident(name) + r.onCluster())},
			{SQL: r.fill("DROP TABLE " + ifExists + r.ident(name+LocalSuffix) + r.onCluster())},
		}, nil
	case kindView:
		return []ClusterStatement{{SQL: r.fill("DROP " + kw + " " + ifExists + r.ident(name) + r.onCluster())}}, nil
	}
	return nil, fmt.Errorf("DROP of %s, which no earlier migration creates", name)
}

// checkRefs makes sure a statement names only tables the migrations made.
func (r *rewriter) checkRefs(stmt string) error {
	for _, m := range dbRefRe.FindAllStringSubmatch(stmt, -1) {
		if r.kinds[m[1]] == 0 {
			return fmt.Errorf("statement names %s, which no earlier migration creates", m[1])
		}
	}
	return nil
}

func (r *rewriter) ident(name string) string { return "{db}." + quoteIdent(name) }

func (r *rewriter) onCluster() string {
	if !r.c.OnCluster {
		return ""
	}
	return " ON CLUSTER " + quoteIdent(r.c.Name)
}

func (r *rewriter) fill(sql string) string { return strings.ReplaceAll(sql, "{db}", quoteIdent(r.db)) }

func quoteString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

// stripComments removes -- comments outside string literals.
func stripComments(sql string) string {
	var b strings.Builder
	var quote byte
	for i := 0; i < len(sql); i++ {
		c := sql[i]
		switch {
		case quote != 0:
			b.WriteByte(c)
			if c == '\\' && i+1 < len(sql) {
				i++
				b.WriteByte(sql[i])
			} else if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"' || c == '`':
			quote = c
			b.WriteByte(c)
		case c == '-' && i+1 < len(sql) && sql[i+1] == '-':
			for i < len(sql) && sql[i] != '\n' {
				i++
			}
			b.WriteByte('\n')
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// scanCode walks s from start, skipping string literals, and calls visit
// with each byte outside them and the parenthesis depth after it (a '('
// counts as its own depth, a ')' as the depth outside it). visit returns
// false to stop.
func scanCode(s string, start int, visit func(i int, c byte, depth int) bool) {
	depth := 0
	var quote byte
	for i := start; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == '\\' {
				i++
			} else if c == quote {
				quote = 0
			}
			continue
		case c == '\'' || c == '"' || c == '`':
			quote = c
			continue
		case c == '(':
			depth++
		case c == ')':
			depth--
		}
		if !visit(i, c, depth) {
			return
		}
	}
}

// matchParen returns the index of the parenthesis closing the one at open,
// skipping string literals.
func matchParen(s string, open int) (int, error) {
	end := -1
	scanCode(s, open, func(i int, c byte, depth int) bool {
		if c == ')' && depth == 0 {
			end = i
			return false
		}
		return true
	})
	if end < 0 {
		return 0, fmt.Errorf("unbalanced parentheses")
	}
	return end, nil
}

// splitTop splits s at sep outside parentheses and string literals.
func splitTop(s string, sep byte) []string {
	var parts []string
	start := 0
	scanCode(s, 0, func(i int, c byte, depth int) bool {
		if c == sep && depth == 0 {
			parts = append(parts, strings.TrimSpace(s[start:i]))
			start = i + 1
		}
		return true
	})
	return append(parts, strings.TrimSpace(s[start:]))
}

// clause returns the expression after a table clause keyword such as
// ORDER BY, up to the next clause.
func clause(rest, kw string) string {
	locs := clauseRe.FindAllStringSubmatchIndex(rest, -1)
	for i, l := range locs {
		if !strings.EqualFold(strings.Join(strings.Fields(rest[l[2]:l[3]]), " "), kw) {
			continue
		}
		end := len(rest)
		if i+1 < len(locs) {
			end = locs[i+1][0]
		}
		return strings.TrimSpace(rest[l[1]:end])
	}
	return ""
}

// clusterSettings make an insert into a Distributed table return only once
// every shard has stored its rows, so a re-crawl right after a crawl sees
// the posts already stored and does not count them again.
func clusterSettings() clickhouse.Settings {
	return clickhouse.Settings{"insert_distributed_sync": 1}
}

// nodeConns opens one connection per address, for statements that must run
// on every node.
func (s *Store) nodeConns(ctx context.Context) ([]driver.Conn, error) {
	var conns []driver.Conn
	for _, a := range s.addr {
		opts := &clickhouse.Options{
			Addr:        []string{a},
			Auth:        clickhouse.Auth{Username: s.opts.Username, Password: s.opts.Password},
			DialTimeout: s.opts.DialTimeout,
			Compression: &clickhouse.Compression{Method: clickhouse.CompressionLZ4},
			Settings:    clusterSettings(),
		}
		if s.opts.TLS {
			opts.TLS = &tls.Config{MinVersion: tls.VersionTLS12}
		}
		c, err := clickhouse.Open(opts)
		if err == nil {
			err = c.Ping(ctx)
			if err != nil {
				c.Close()
			}
		}
		if err != nil {
			for _, c := range conns {
				c.Close()
			}
			return nil, fmt.Errorf("store: connect to node %s: %w", a, err)
		}
		conns = append(conns, c)
	}
	return conns, nil
}

const schemaMigrationsColumns = `(
    version UInt32, name String, applied_at DateTime
) ENGINE = MergeTree() ORDER BY version`

// migrateCluster applies the rewritten migrations. schema_migrations is a
// plain local table on every node and records what each node has applied.
// With OnCluster a statement is run once, through the first node; without
// it, on every node that lacks the migration.
func (s *Store) migrateCluster(ctx context.Context) ([]string, error) {
	cms, err := ClusterMigrations(*s.cluster, s.db)
	if err != nil {
		return nil, err
	}
	nodes, err := s.nodeConns(ctx)
	if err != nil {
		return nil, err
	}
	defer func() {
		for _, n := range nodes {
			n.Close()
		}
	}()
	on := ""
	if s.cluster.OnCluster {
		on = " ON CLUSTER " + quoteIdent(s.cluster.Name)
	}
	setup := []struct{ table, where, sql string }{
		{"system.databases", "name = ?", "CREATE DATABASE IF NOT EXISTS " + quoteIdent(s.db) + on},
		{"system.tables", "database = ? AND name = 'schema_migrations'",
			"CREATE TABLE IF NOT EXISTS " + s.Table("schema_migrations") + on + " " + schemaMigrationsColumns},
	}
	// Create only what is missing, so users without DDL rights can run
	// once the schema exists. With ON CLUSTER the first node creates it
	// everywhere.
	for _, st := range setup {
		for i, n := range nodes {
			ok, err := exists(ctx, n, st.table, st.where, s.db)
			if err == nil && !ok {
				if s.cluster.OnCluster {
					n = nodes[0]
				}
				err = n.Exec(ctx, st.sql)
			}
			if err != nil {
				return nil, fmt.Errorf("store: node %s: %s: %w", s.addr[i], firstLine(st.sql), err)
			}
		}
	}
	done := make([]map[int]bool, len(nodes))
	for i, n := range nodes {
		if done[i], err = readApplied(ctx, n, s.Table("schema_migrations")); err != nil {
			return nil, fmt.Errorf("store: node %s: %w", s.addr[i], err)
		}
	}
	// A node added after the ON CLUSTER run gets the statements run on it
	// alone, so the node-by-node rewrite is needed too.
	perNode := cms
	if s.cluster.OnCluster {
		c := *s.cluster
		c.OnCluster = false
		if perNode, err = ClusterMigrations(c, s.db); err != nil {
			return nil, err
		}
	}
	var applied []string
	for k, m := range cms {
		ran, onCluster := false, false
		for i, n := range nodes {
			if done[i][m.Version] {
				continue
			}
			var stmts []ClusterStatement
			switch {
			case s.cluster.OnCluster && i == 0:
				// Reaches every node; the others only record it.
				stmts, onCluster = m.Statements, true
			case onCluster:
			default:
				for _, st := range perNode[k].Statements {
					// Data statements go through the Distributed tables:
					// once, on the first node, the first time.
					if !st.Once || (i == 0 && !done[0][m.Version]) {
						stmts = append(stmts, st)
					}
				}
			}
			for _, st := range stmts {
				if err := n.Exec(ctx, st.SQL); err != nil {
					return applied, fmt.Errorf("store: migration %04d_%s on %s: %s: %w", m.Version, m.Name, s.addr[i], firstLine(st.SQL), err)
				}
			}
			if err := recordMigration(ctx, n, s.Table("schema_migrations"), m.Migration); err != nil {
				return applied, fmt.Errorf("store: node %s: %w", s.addr[i], err)
			}
			ran = true
			s.log.Info("migration applied", "version", m.Version, "name", m.Name, "node", s.addr[i], "cluster", s.cluster.Name)
		}
		if ran {
			applied = append(applied, fmt.Sprintf("%04d_%s", m.Version, m.Name))
		}
	}
	return applied, nil
}

// dropClusterDatabase drops the database on every node: with ON CLUSTER
// through the first, otherwise node by node.
func (s *Store) dropClusterDatabase(ctx context.Context) error {
	nodes, err := s.nodeConns(ctx)
	if err != nil {
		return err
	}
	defer func() {
		for _, n := range nodes {
			n.Close()
		}
	}()
	q := "DROP DATABASE IF EXISTS " + quoteIdent(s.db)
	if s.cluster.OnCluster {
		q += " ON CLUSTER " + quoteIdent(s.cluster.Name)
		nodes = nodes[:1]
	}
	for i, n := range nodes {
		if err := n.Exec(ctx, q); err != nil {
			return fmt.Errorf("store: drop database %s on %s: %w", s.db, s.addr[i], err)
		}
	}
	return nil
}

// exists reports whether a system table has a row matching where.
func exists(ctx context.Context, c driver.Conn, table, where string, args ...any) (bool, error) {
	var n uint64
	if err := c.QueryRow(ctx, "SELECT count() FROM "+table+" WHERE "+where, args...).Scan(&n); err != nil {
		return false, fmt.Errorf("look up %s: %w", table, err)
	}
	return n > 0, nil
}

func readApplied(ctx context.Context, c driver.Conn, table string) (map[int]bool, error) {
	rows, err := c.Query(ctx, "SELECT version FROM "+table)
	if err != nil {
		return nil, fmt.Errorf("read schema_migrations: %w", err)
	}
	defer rows.Close()
	done := map[int]bool{}
	for rows.Next() {
		var v uint32
		if err := rows.Scan(&v); err != nil {
			return nil, fmt.Errorf("read schema_migrations: %w", err)
		}
		done[int(v)] = true
	}
	return done, rows.Err()
}

func recordMigration(ctx context.Context, c driver.Conn, table string, m Migration) error {
	b, err := c.PrepareBatch(ctx, "INSERT INTO "+table+" (version, name, applied_at)")
	if err != nil {
		return fmt.Errorf("record migration %d: %w", m.Version, err)
	}
	if err := b.Append(uint32(m.Version), m.Name, time.Now().UTC()); err != nil {
		return fmt.Errorf("record migration %d: %w", m.Version, err)
	}
	if err := b.Send(); err != nil {
		return fmt.Errorf("record migration %d: %w", m.Version, err)
	}
	return nil
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}
