package store_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/backlash-monitor/backlash/internal/post"
	"github.com/backlash-monitor/backlash/internal/store"
	"github.com/backlash-monitor/backlash/internal/store/chserver"
)

// TestClusterMigrationsRewritable keeps every migration file rewritable for
// a cluster, in each layout, and checks the shape of what comes out.
func TestClusterMigrationsRewritable(t *testing.T) {
	ms, err := store.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	for _, replicated := range []bool{false, true} {
		for _, onCluster := range []bool{false, true} {
			c := store.Cluster{Name: "prod", Replicated: replicated, OnCluster: onCluster}
			cms, err := store.ClusterMigrations(c, "backlash")
			if err != nil {
				t.Fatalf("%+v: %v", c, err)
			}
			if len(cms) != len(ms) {
				t.Fatalf("%+v: %d migrations rewritten, want %d", c, len(cms), len(ms))
			}
			for _, m := range cms {
				if len(m.Statements) == 0 {
					t.Errorf("%+v: %04d_%s has no statements", c, m.Version, m.Name)
				}
				create := regexp.MustCompile(`(?m)^CREATE TABLE IF NOT EXISTS {db}\.(\w+)`).FindStringSubmatch(m.SQL)
				for _, st := range m.Statements {
					if strings.Contains(st.SQL, "{db}") {
						t.Errorf("%04d: database left unfilled: %s", m.Version, st.SQL)
					}
					if onCluster != strings.Contains(st.SQL, " ON CLUSTER `prod`") && !st.Once {
						t.Errorf("%+v %04d: ON CLUSTER wrong in %s", c, m.Version, st.SQL)
					}
				}
				if create == nil {
					continue
				}
				name := create[1]
				if len(m.Statements) != 2 {
					t.Fatalf("%04d: CREATE TABLE %s gave %d statements, want local and distributed", m.Version, name, len(m.Statements))
				}
				local, dist := m.Statements[0].SQL, m.Statements[1].SQL
				if !strings.Contains(local, "`backlash`.`"+name+"_local`") || !strings.Contains(local, "MergeTree(") {
					t.Errorf("%04d: local table: %s", m.Version, local)
				}
				if replicated && !strings.Contains(local, "ENGINE = Replicated") {
					t.Errorf("%04d: local table not replicated: %s", m.Version, local)
				}
				if replicated && !strings.Contains(local, "('/clickhouse/tables/{shard}/backlash/"+name+"_local', '{replica}'") {
					t.Errorf("%04d: replica path: %s", m.Version, local)
				}
				if !strings.Contains(dist, "ENGINE = Distributed('prod', 'backlash', '"+name+"_local', sipHash64(") {
					t.Errorf("%04d: distributed table: %s", m.Version, dist)
				}
			}
		}
	}
	cms, _ := store.ClusterMigrations(store.Cluster{Name: "prod", Replicated: true}, "backlash")
	all := ""
	for _, m := range cms {
		for _, st := range m.Statements {
			all += st.SQL + ";\n"
		}
	}
	for _, want := range []string{
		"Distributed('prod', 'backlash', 'posts_local', sipHash64(source, id))",
		"Distributed('prod', 'backlash', 'topic_rollup_5m_local', sipHash64(topic))",
		"Distributed('prod', 'backlash', 'topic_risk_local', sipHash64(topic))",
		"ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/backlash/posts_local', '{replica}', version)",
		"ReplicatedSummingMergeTree('/clickhouse/tables/{shard}/backlash/topic_rollup_5m_local', '{replica}')",
		"TO `backlash`.`topic_rollup_5m_local` AS",
		"FROM `backlash`.posts_local",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("cluster schema lacks %s", want)
		}
	}
}

// TestClusterRewriteShapes covers the statement shapes future migrations
// may use, and that unknown shapes are refused rather than run as they are.
func TestClusterRewriteShapes(t *testing.T) {
	base, err := store.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	c := store.Cluster{Name: "prod"}
	try := func(sql string) ([]store.ClusterStatement, error) {
		ms := append(append([]store.Migration{}, base...), store.Migration{Version: 9999, Name: "x", SQL: sql})
		cms, err := store.RewriteForCluster(c, "db", ms)
		if err != nil {
			return nil, err
		}
		return cms[len(cms)-1].Statements, nil
	}
	for _, tc := range []struct {
		sql  string
		want []string
		once bool
	}{
		{"-- a comment\nALTER TABLE {db}.posts ADD COLUMN IF NOT EXISTS lang2 String DEFAULT ''",
			[]string{"ALTER TABLE `db`.`posts_local` ADD COLUMN IF NOT EXISTS lang2 String DEFAULT ''",
				"ALTER TABLE `db`.`posts` ADD COLUMN IF NOT EXISTS lang2 String DEFAULT ''"}, false},
		{"ALTER TABLE {db}.posts ADD INDEX ix_author author TYPE bloom_filter GRANULARITY 4, MODIFY COLUMN label String DEFAULT 'x, y'",
			[]string{"ALTER TABLE `db`.`posts_local` ADD INDEX ix_author author TYPE bloom_filter GRANULARITY 4, MODIFY COLUMN label String DEFAULT 'x, y'",
				"ALTER TABLE `db`.`posts` MODIFY COLUMN label String DEFAULT 'x, y'"}, false},
		{"ALTER TABLE {db}.alerts DELETE WHERE at < '2020-01-01 00:00:00'",
			[]string{"ALTER TABLE `db`.`alerts_local` DELETE WHERE at < '2020-01-01 00:00:00'"}, false},
		{"DROP TABLE IF EXISTS {db}.topic_risk",
			[]string{"DROP TABLE IF EXISTS `db`.`topic_risk`", "DROP TABLE IF EXISTS `db`.`topic_risk_local`"}, false},
		{"DROP TABLE {db}.topic_rollup_5m_mv", []string{"DROP TABLE `db`.`topic_rollup_5m_mv`"}, false},
		{"INSERT INTO {db}.alerts (alert_id) SELECT incident_id FROM {db}.incidents",
			[]string{"INSERT INTO `db`.alerts (alert_id) SELECT incident_id FROM `db`.incidents"}, true},
		{"CREATE TABLE {db}.ev (at DateTime, k String) ENGINE = ReplacingMergeTree PARTITION BY toYYYYMM(at) ORDER BY toDate(at)",
			[]string{"CREATE TABLE `db`.`ev_local`\n(at DateTime, k String)\nENGINE = ReplacingMergeTree()\nPARTITION BY toYYYYMM(at) ORDER BY toDate(at)",
				"CREATE TABLE `db`.`ev`\n(at DateTime, k String)\nENGINE = Distributed('prod', 'db', 'ev_local', sipHash64(toDate(at)))"}, false},
		{"CREATE TABLE IF NOT EXISTS {db}.kv (k String, v String) ENGINE = MergeTree ORDER BY (k, v) SETTINGS index_granularity = 8192",
			[]string{"CREATE TABLE IF NOT EXISTS `db`.`kv_local`\n(k String, v String)\nENGINE = MergeTree()\nORDER BY (k, v) SETTINGS index_granularity = 8192",
				"CREATE TABLE IF NOT EXISTS `db`.`kv`\n(k String, v String)\nENGINE = Distributed('prod', 'db', 'kv_local', sipHash64(k, v))"}, false},
	} {
		got, err := try(tc.sql)
		if err != nil {
			t.Errorf("%s: %v", tc.sql, err)
			continue
		}
		var sqls []string
		for _, st := range got {
			sqls = append(sqls, st.SQL)
			if st.Once != tc.once {
				t.Errorf("%s: once = %v", tc.sql, st.Once)
			}
		}
		if strings.Join(sqls, ";\n") != strings.Join(tc.want, ";\n") {
			t.Errorf("%s:\ngot  %q\nwant %q", tc.sql, sqls, tc.want)
		}
	}
	for _, bad := range []string{
		"RENAME TABLE {db}.posts TO {db}.posts2",
		"CREATE TABLE {db}.mem (a String) ENGINE = Memory",
		"CREATE TABLE {db}.posts (a String) ENGINE = MergeTree ORDER BY a",
		"CREATE MATERIALIZED VIEW {db}.mv ENGINE = MergeTree ORDER BY a AS SELECT a FROM {db}.posts",
		"CREATE MATERIALIZED VIEW {db}.mv TO {db}.alerts AS SELECT * FROM {db}.nowhere",
		"ALTER TABLE {db}.nowhere ADD COLUMN a String",
		"CREATE TABLE {db}.nokey (a String) ENGINE = MergeTree PARTITION BY a",
	} {
		if _, err := try(bad); err == nil {
			t.Errorf("%s: rewritten, want an error", bad)
		}
	}
	if _, err := store.ClusterMigrations(store.Cluster{Name: "bad name"}, "db"); err == nil {
		t.Error("bad cluster name accepted")
	}
}

const testCluster = "backlash_test"

// startShards runs n private servers that are the n shards of testCluster.
func startShards(t *testing.T, n int) []*chserver.Server {
	t.Helper()
	if _, err := chserver.Binary(); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("ClickHouse is required under CI: %v", err)
		}
		t.Skipf("skipping: needs a ClickHouse server: %v", err)
	}
	for attempt := 0; ; attempt++ {
		ports := make([]int, n)
		shards := make([][]string, n)
		for i := range ports {
			p, err := chserver.FreePort()
			if err != nil {
				t.Fatal(err)
			}
			ports[i] = p
			shards[i] = []string{net.JoinHostPort("127.0.0.1", strconv.Itoa(p))}
		}
		srvs := make([]*chserver.Server, n)
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range srvs {
			dir := t.TempDir()
			wg.Add(1)
			go func() {
				defer wg.Done()
				ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
				defer cancel()
				srvs[i], errs[i] = chserver.Start(ctx, chserver.Options{Dir: dir, Port: ports[i],
					Clusters: map[string]chserver.Cluster{testCluster: {Shards: shards}},
					Macros:   map[string]string{"shard": strconv.Itoa(i + 1), "replica": "r1"}})
			}()
		}
		wg.Wait()
		err := errors.Join(errs...)
		if err == nil {
			t.Cleanup(func() {
				for _, s := range srvs {
					s.Stop()
				}
			})
			return srvs
		}
		for _, s := range srvs {
			if s != nil {
				s.Stop()
			}
		}
		if attempt == 2 {
			t.Fatalf("start shards: %v", err)
		}
	}
}

func nodeConn(t *testing.T, addr string) driver.Conn {
	t.Helper()
	c, err := clickhouse.Open(&clickhouse.Options{Addr: []string{addr}, Auth: clickhouse.Auth{Username: "default"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func count(t *testing.T, c driver.Conn, q string, args ...any) uint64 {
	t.Helper()
	var n uint64
	if err := c.QueryRow(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// TestClusterPipeline runs the store on two servers that are two shards of
// one cluster: the schema is created node by node, posts are stored twice
// (a crawl and a re-crawl) through the Distributed tables, and the series,
// window and top-post figures must be those of one server.
func TestClusterPipeline(t *testing.T) {
	srvs := startShards(t, 2)
	ctx := context.Background()
	addrs := []string{srvs[0].Addr(), srvs[1].Addr()}
	const db = "bl_cluster"
	openOn := func(addrs []string) *store.Store {
		t.Helper()
		s, err := store.Open(ctx, store.Options{Addr: addrs, Database: db, Username: "default",
			Cluster: &store.Cluster{Name: testCluster},
			Logger:  slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	ms, _ := store.Migrations()
	// The first node alone, then both: the second node is like one added
	// later and gets every migration; the first gets none again.
	first := openOn(addrs[:1])
	if applied, err := first.Migrate(ctx); err != nil || len(applied) != len(ms) {
		t.Fatalf("first node: applied %d migrations, %v; want %d", len(applied), err, len(ms))
	}
	first.Close()
	s := openOn(addrs)
	defer s.Close()
	start := time.Now()
	applied, err := s.Migrate(ctx)
	if err != nil {
		t.Fatalf("migrate: %v", err)
	}
	if len(applied) != len(ms) {
		t.Fatalf("applied %d migrations, want %d", len(applied), len(ms))
	}
	if again, err := s.Migrate(ctx); err != nil || len(again) != 0 {
		t.Fatalf("second migrate applied %v, %v; want nothing", again, err)
	}
	t.Logf("cluster schema on 2 nodes in %s", time.Since(start).Round(time.Millisecond))
	nodes := []driver.Conn{nodeConn(t, addrs[0]), nodeConn(t, addrs[1])}
	for i, n := range nodes {
		if got := count(t, n, "SELECT count() FROM `"+db+"`.schema_migrations"); int(got) != len(ms) {
			t.Fatalf("node %d records %d migrations, want %d", i, got, len(ms))
		}
		var engine string
		if err := n.QueryRow(ctx, "SELECT engine FROM system.tables WHERE database = ? AND name = 'posts'", db).Scan(&engine); err != nil || engine != "Distributed" {
			t.Fatalf("node %d: posts engine %q, %v", i, engine, err)
		}
		if err := n.QueryRow(ctx, "SELECT engine FROM system.tables WHERE database = ? AND name = 'posts_local'", db).Scan(&engine); err != nil || engine != "ReplacingMergeTree" {
			t.Fatalf("node %d: posts_local engine %q, %v", i, engine, err)
		}
	}

	// A crawl of many sources and topics, then a re-crawl of the same
	// posts with more engagement and drifted relative times.
	const nPosts, nSources = 3000, 40
	topics := []string{"pay", "login", "app", "price", "support", "ads"}
	t0 := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	type want struct{ posts, neg, reach uint64 }
	wants := map[string]*want{}
	for _, tp := range topics {
		wants[tp] = &want{}
	}
	authors, sources := map[string]map[string]bool{}, map[string]map[string]bool{}
	var batch []post.Post
	for i := 0; i < nPosts; i++ {
		c, label := 0.4, "positive"
		if i%4 == 0 {
			c, label = -0.7, "negative"
		}
		tps := []string{topics[i%len(topics)]}
		if i%5 == 0 {
			tps = append(tps, topics[(i+1)%len(topics)])
		}
		p := post.Post{Source: fmt.Sprintf("src%02d", i%nSources), ID: fmt.Sprintf("p%05d", i),
			Author: fmt.Sprintf("u%03d", i%97), Text: fmt.Sprintf("post %d", i),
			Published: t0.Add(time.Duration(i) * 2 * time.Second), Fetched: t0.Add(2 * time.Hour),
			Likes: uint32(i % 7), Topics: tps, Language: "en",
			Sentiment: &post.Sentiment{Compound: c, Label: label}}
		batch = append(batch, p)
	}
	save := func(wantNew, wantUpdated int) {
		t.Helper()
		var got store.SaveResult
		for i := 0; i < len(batch); i += 1000 {
			r, err := s.SavePosts(ctx, batch[i:min(i+1000, len(batch))])
			if err != nil {
				t.Fatal(err)
			}
			got.New += r.New
			got.Updated += r.Updated
		}
		if got.New != wantNew || got.Updated != wantUpdated {
			t.Fatalf("save = %+v, want %d new and %d updated", got, wantNew, wantUpdated)
		}
	}
	start = time.Now()
	save(nPosts, 0)
	for i := range batch {
		batch[i].Likes += 10
		batch[i].Published = batch[i].Published.Add(90 * time.Second)
		p := batch[i]
		for _, tp := range p.Topics {
			w := wants[tp]
			w.posts++
			w.reach += uint64(p.Likes)
			if p.Sentiment.Label == "negative" {
				w.neg++
			}
			if authors[tp] == nil {
				authors[tp], sources[tp] = map[string]bool{}, map[string]bool{}
			}
			authors[tp][p.Author] = true
			sources[tp][p.Source] = true
		}
	}
	save(0, nPosts)
	t.Logf("2 × %d posts stored through the Distributed table in %s", nPosts, time.Since(start).Round(time.Millisecond))

	// Each post's versions live on one shard, and both shards hold posts.
	var perNode []uint64
	for i, n := range nodes {
		rows := count(t, n, "SELECT count() FROM `"+db+"`.posts_local")
		uniq := count(t, n, "SELECT count() FROM `"+db+"`.posts_local FINAL")
		if rows == 0 || uniq == 0 {
			t.Fatalf("node %d holds no posts", i)
		}
		perNode = append(perNode, uniq)
	}
	if perNode[0]+perNode[1] != nPosts {
		t.Fatalf("shards hold %v distinct posts, want %d in all (a post on two shards?)", perNode, nPosts)
	}
	t.Logf("posts per shard: %v", perNode)
	if got := count(t, s.Conn(), "SELECT count() FROM "+s.Table("posts")+" FINAL"); got != nPosts {
		t.Fatalf("count() FROM posts FINAL = %d, want %d", got, nPosts)
	}
	if got := count(t, s.Conn(), "SELECT uniqExact(source, id) FROM "+s.Table("posts")); got != nPosts {
		t.Fatalf("distinct posts = %d, want %d", got, nPosts)
	}
	var mentions uint64
	for _, w := range wants {
		mentions += w.posts
	}
	if got := count(t, s.Conn(), "SELECT sum(posts) FROM "+s.Table("topic_rollup_5m")); got != mentions {
		t.Fatalf("rollup counts %d topic mentions, want %d (re-crawl counted twice?)", got, mentions)
	}
	for _, n := range nodes {
		if count(t, n, "SELECT count() FROM `"+db+"`.topic_rollup_5m_local") == 0 {
			t.Fatal("a shard has no rollup rows: the view does not run per shard")
		}
	}

	from, to := t0.Add(-time.Hour), t0.Add(4*time.Hour)
	for _, tp := range topics {
		w := wants[tp]
		series, err := s.Series(ctx, tp, "", from, to)
		if err != nil {
			t.Fatal(err)
		}
		var posts, neg uint64
		for _, b := range series {
			posts += b.Posts
			neg += b.Negative
		}
		if posts != w.posts || neg != w.neg || len(series) != 60 {
			t.Fatalf("%s series: %d posts, %d negative in %d buckets; want %d, %d in 60", tp, posts, neg, len(series), w.posts, w.neg)
		}
		win, err := s.Window(ctx, tp, from, to)
		if err != nil {
			t.Fatal(err)
		}
		if win.Posts != w.posts || win.Negative != w.neg || win.Reach != w.reach ||
			win.Authors != uint64(len(authors[tp])) || win.Sources != uint64(len(sources[tp])) {
			t.Fatalf("%s window = %+v; want posts %d negative %d reach %d authors %d sources %d",
				tp, win, w.posts, w.neg, w.reach, len(authors[tp]), len(sources[tp]))
		}
		top, err := s.TopPosts(ctx, tp, "negative", from, to, 5)
		if err != nil || len(top) != 5 {
			t.Fatalf("%s top = %d posts, %v", tp, len(top), err)
		}
		if r := top[0].Reach(); r != 16 {
			t.Fatalf("%s top post reach %d, want 16 (likes after the re-crawl)", tp, r)
		}
		if !sort.SliceIsSorted(top, func(i, j int) bool { return top[i].Reach() > top[j].Reach() }) {
			t.Fatalf("%s top posts not by reach", tp)
		}
		for _, p := range top {
			if p.Sentiment == nil || p.Sentiment.Label != "negative" {
				t.Fatalf("%s top post %s/%s is not negative", tp, p.Source, p.ID)
			}
		}
	}

	// The ON CLUSTER and Replicated variants cannot run without Keeper,
	// but the server must parse them: any error is about Keeper or the
	// missing database, never syntax.
	for _, c := range []store.Cluster{{Name: testCluster, Replicated: true, OnCluster: true}, {Name: testCluster, Replicated: true}} {
		cms, err := store.ClusterMigrations(c, "bl_syntax")
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range cms {
			for _, st := range m.Statements {
				err := nodes[0].Exec(ctx, st.SQL)
				var ex *clickhouse.Exception
				if errors.As(err, &ex) && ex.Code == 62 {
					t.Errorf("%+v %04d: server cannot parse %s: %v", c, m.Version, st.SQL, err)
				}
			}
		}
	}

	// Crawl state goes through its Distributed table too.
	hw := t0.Add(3 * time.Hour)
	if err := s.SetState(ctx, "src07", store.SourceState{HighWater: hw, Cursor: "c"}); err != nil {
		t.Fatal(err)
	}
	if st, err := s.State(ctx, "src07"); err != nil || !st.HighWater.Equal(hw) || st.Cursor != "c" {
		t.Fatalf("state = %+v, %v", st, err)
	}

	if err := s.DropDatabase(ctx); err != nil {
		t.Fatal(err)
	}
	for i, n := range nodes {
		if got := count(t, n, "SELECT count() FROM system.databases WHERE name = ?", db); got != 0 {
			t.Errorf("node %d keeps the database after DropDatabase", i)
		}
	}
}

// TestLeastPrivilegeUsersOldServer installs the users.xml snippet of
// docs/security.md on a server and checks each user can do its job and no
// more, so the document stays true.
func TestLeastPrivilegeUsersOldServer(t *testing.T) {
	if _, err := chserver.Binary(); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("ClickHouse is required under CI: %v", err)
		}
		t.Skipf("skipping: needs a ClickHouse server: %v", err)
	}
	doc, err := os.ReadFile("../../docs/security.md")
	if err != nil {
		t.Fatal(err)
	}
	var users string
	for _, m := range regexp.MustCompile("(?s)```xml\n(.*?)```").FindAllStringSubmatch(string(doc), -1) {
		if strings.Contains(m[1], "<backlash_writer>") {
			users = m[1]
		}
	}
	if users == "" {
		t.Fatal("docs/security.md has no users.xml snippet with backlash_writer")
	}
	const password = "s3cret"
	sum := sha256.Sum256([]byte(password))
	users = strings.ReplaceAll(users, "REPLACE_WITH_SHA256_HEX", hex.EncodeToString(sum[:]))
	users = regexp.MustCompile(`<ip>[^<]*</ip>`).ReplaceAllString(users, "<ip>127.0.0.1</ip>")
	dir := t.TempDir()
	if err := os.MkdirAll(dir+"/users.d", 0o750); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dir+"/users.d/backlash.xml", []byte(users), 0o640); err != nil {
		t.Fatal(err)
	}
	sctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	srv, err := chserver.Start(sctx, chserver.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Stop() })
	ctx := context.Background()
	open := func(user string) (*store.Store, error) {
		return store.Open(ctx, store.Options{Addr: []string{srv.Addr()}, Database: "backlash", Username: user, Password: password,
			Logger: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))})
	}
	conn := func(user string) driver.Conn {
		c, err := clickhouse.Open(&clickhouse.Options{Addr: []string{srv.Addr()}, Auth: clickhouse.Auth{Username: user, Password: password}})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		return c
	}

	mig, err := open("backlash_migrator")
	if err != nil {
		t.Fatalf("migrator: %v", err)
	}
	if _, err := mig.Migrate(ctx); err != nil {
		t.Fatalf("migrator: migrate: %v", err)
	}
	mig.Close()

	w, err := open("backlash_writer")
	if err != nil {
		t.Fatalf("writer: open: %v", err)
	}
	defer w.Close()
	if applied, err := w.Migrate(ctx); err != nil || len(applied) != 0 {
		t.Fatalf("writer: migrate = %v, %v; want nothing to do", applied, err)
	}
	t0 := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	ps := []post.Post{{Source: "forum", ID: "1", Text: "broken", Published: t0, Topics: []string{"pay"},
		Sentiment: &post.Sentiment{Compound: -0.5, Label: "negative"}}}
	for i := 0; i < 2; i++ {
		if _, err := w.SavePosts(ctx, ps); err != nil {
			t.Fatalf("writer: save posts: %v", err)
		}
	}
	if err := w.SetState(ctx, "forum", store.SourceState{HighWater: t0}); err != nil {
		t.Fatalf("writer: set state: %v", err)
	}
	if series, err := w.Series(ctx, "pay", "", t0, t0.Add(time.Hour)); err != nil || series[0].Posts != 1 {
		t.Fatalf("writer: series = %v, %v", series, err)
	}
	wc := conn("backlash_writer")
	for _, q := range []string{
		"DROP TABLE backlash.crawl_runs",
		"TRUNCATE TABLE backlash.posts",
		"ALTER TABLE backlash.posts DROP PARTITION 202603",
		"CREATE TABLE backlash.junk (a String) ENGINE = Memory",
		"SELECT count() FROM default.nothing",
	} {
		if err := wc.Exec(ctx, q); err == nil {
			t.Errorf("writer may run %s", q)
		}
	}

	for _, user := range []string{"backlash_reader", "analyst_jane"} {
		c := conn(user)
		if got := count(t, c, "SELECT count() FROM backlash.posts"); got != 2 {
			t.Errorf("%s reads %d post rows, want 2", user, got)
		}
		if err := c.Exec(ctx, "INSERT INTO backlash.crawl_runs (run_id) SELECT 'x'"); err == nil {
			t.Errorf("%s may insert", user)
		}
		if err := c.Exec(ctx, "DROP TABLE backlash.crawl_runs"); err == nil {
			t.Errorf("%s may drop a table", user)
		}
	}
	// The analyst may set query limits; the reader may not.
	if err := conn("analyst_jane").Exec(ctx, "SELECT count() FROM backlash.posts SETTINGS max_threads = 1"); err != nil {
		t.Errorf("analyst cannot set a query limit: %v", err)
	}
	if err := conn("backlash_reader").Exec(ctx, "SELECT count() FROM backlash.posts SETTINGS max_threads = 1"); err == nil {
		t.Error("reader may change settings")
	}
	// It can open the existing store and see nothing is pending.
	r, err := open("backlash_reader")
	if err != nil {
		t.Fatalf("reader: open: %v", err)
	}
	defer r.Close()
	if n, err := r.Pending(ctx); err != nil || n != 0 {
		t.Errorf("reader: pending = %d, %v", n, err)
	}
}
