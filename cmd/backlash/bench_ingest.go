package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/backlash-monitor/backlash/internal/analyzer"
	"github.com/backlash-monitor/backlash/internal/config"
	"github.com/backlash-monitor/backlash/internal/demo"
	"github.com/backlash-monitor/backlash/internal/store"
	"github.com/backlash-monitor/backlash/internal/store/chserver"
)

// benchIngestDB is the database `bench ingest` imports into; it is dropped
// at the end.
const benchIngestDB = "backlash_bench_ingest"

// benchIngestSource is the demo source the generated posts are imported
// under.
const benchIngestSource = "microblog"

// benchIngest measures `backlash import` of n generated posts against
// clickhouse-client inserting the same rows, as TSV, into a copy of the
// posts table on the same server, in one run. The import runs as the
// command does (configuration, wiring, matching, scoring, identity,
// storing, rollups) on the embedded server, which is started first so its
// start-up is not timed. It drops its database and removes its files;
// cmdBench stops the embedded server unless it was already running.
func benchIngest(ctx context.Context, e *env, stateDir string, n int, log *slog.Logger) (err error) {
	if n < 1 {
		return usagef("--posts must be at least 1")
	}
	if _, err := chserver.Binary(); err != nil {
		return fmt.Errorf("bench ingest runs the embedded ClickHouse server: %w", err)
	}
	client, err := clickhouseClient()
	if err != nil {
		return err
	}
	stateDir, err = filepath.Abs(stateDir)
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "backlash-bench-ingest-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	sc := demo.NewScenario(demo.Options{})
	yaml := demo.Config("http://127.0.0.1:9", sc)
	yaml = regexp.MustCompile(`(?m)^state_dir: .*$`).ReplaceAll(yaml, []byte("state_dir: "+strconv.Quote(stateDir)))
	yaml = regexp.MustCompile(`(?m)^(\s+)database: .*$`).ReplaceAll(yaml, []byte("${1}database: "+benchIngestDB))
	cfgFile := filepath.Join(tmp, "backlash.yaml")
	if err := os.WriteFile(cfgFile, yaml, 0o600); err != nil {
		return err
	}
	cfg, err := config.Load(cfgFile)
	if err != nil {
		return fmt.Errorf("bench configuration: %w", err)
	}
	if cfg.ClickHouse.Database != benchIngestDB || cfg.StateDir != stateDir {
		return fmt.Errorf("bench configuration: database %q, state_dir %q", cfg.ClickHouse.Database, cfg.StateDir)
	}
	src, ok := cfg.Source(benchIngestSource)
	if !ok {
		return fmt.Errorf("the demo configuration has no %s source", benchIngestSource)
	}

	// The embedded server, running before anything is timed; cmdBench
	// stops it at the end if the benchmarks started it.
	if err := demo.ResetDatabase(ctx, cfg, log); err != nil {
		return err
	}
	srv, ok := chserver.Running(store.EmbeddedDir(stateDir))
	if !ok {
		return errors.New("the embedded ClickHouse server is not running after start")
	}
	defer func() {
		if derr := demo.ResetDatabase(context.WithoutCancel(ctx), cfg, log); derr != nil {
			err = errors.Join(err, fmt.Errorf("drop %s: %w", benchIngestDB, derr))
		}
	}()
	st, err := openStore(ctx, cfg, log) // migrated now, so the import finds the schema
	if err != nil {
		return err
	}
	st.Close()

	posts := filepath.Join(tmp, "posts.jsonl")
	if err := writeBenchPosts(posts, cfg, src, sc, n); err != nil {
		return err
	}
	load0 := loadAverage()
	var out, errb bytes.Buffer
	var mem0, mem1 runtime.MemStats
	runtime.ReadMemStats(&mem0)
	gc0 := gcCPU()
	cpu0, srv0 := processCPU(), pidCPU(srv.PID())
	t0 := time.Now()
	code := runMain(ctx, &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb},
		[]string{"import", "--config", cfgFile, "--source", benchIngestSource, "--log-level", "warn", posts})
	importSecs := time.Since(t0).Seconds()
	importCPU, importSrvCPU := (processCPU() - cpu0).Seconds(), (pidCPU(srv.PID()) - srv0).Seconds()
	runtime.ReadMemStats(&mem1)
	importGC := gcCPU() - gc0
	if code != exitOK {
		return fmt.Errorf("import exited %d: %s%s", code, out.String(), errb.String())
	}
	var stored uint64
	if err := clickhouseQuery(ctx, client, srv.Port(), nil, io.Discard, &stored, "SELECT count() FROM "+benchIngestDB+".posts"); err != nil {
		return err
	}
	if stored != uint64(n) {
		return fmt.Errorf("import stored %d rows of %d posts: %s", stored, n, strings.TrimSpace(out.String()))
	}

	// The same rows, as TSV, into a copy of the posts table.
	tsv := filepath.Join(tmp, "posts.tsv")
	f, err := os.Create(tsv)
	if err != nil {
		return err
	}
	err = clickhouseQuery(ctx, client, srv.Port(), nil, f, nil, "SELECT * FROM "+benchIngestDB+".posts FORMAT TabSeparated")
	f.Close()
	if err != nil {
		return err
	}
	if err := clickhouseQuery(ctx, client, srv.Port(), nil, io.Discard, nil,
		"CREATE TABLE "+benchIngestDB+".posts_copy AS "+benchIngestDB+".posts"); err != nil {
		return err
	}
	in, err := os.Open(tsv)
	if err != nil {
		return err
	}
	srv0 = pidCPU(srv.PID())
	t0 = time.Now()
	var clientCPU time.Duration
	err = clickhouseRun(ctx, client, srv.Port(), in, io.Discard, nil, &clientCPU, "INSERT INTO "+benchIngestDB+".posts_copy FORMAT TabSeparated")
	clientSecs := time.Since(t0).Seconds()
	clientSrvCPU := (pidCPU(srv.PID()) - srv0).Seconds()
	in.Close()
	if err != nil {
		return err
	}
	var copied uint64
	if err := clickhouseQuery(ctx, client, srv.Port(), nil, io.Discard, &copied, "SELECT count() FROM "+benchIngestDB+".posts_copy"); err != nil {
		return err
	}
	load1 := loadAverage()

	imp, cli := float64(n)/importSecs, float64(copied)/clientSecs
	fmt.Fprintf(e.stdout, "ingest  %d generated posts (demo texts), source %s, embedded ClickHouse already running\n", n, benchIngestSource)
	fmt.Fprintf(e.stdout, "  backlash import         %9.0f posts/s  (%.2fs; CPU %.2fs, server %.2fs: config, wiring, match, score, identity, store, rollups)\n", imp, importSecs, importCPU, importSrvCPU)
	fmt.Fprintf(e.stdout, "  import allocations      %9.1f a post, %.0f bytes a post, %d collections (about %.2fs of the CPU); peak RSS %d MB\n",
		float64(mem1.Mallocs-mem0.Mallocs)/float64(n), float64(mem1.TotalAlloc-mem0.TotalAlloc)/float64(n), mem1.NumGC-mem0.NumGC, importGC, peakRSS()>>20)
	fmt.Fprintf(e.stdout, "  clickhouse-client       %9.0f rows/s   (%.2fs; CPU %.2fs, server %.2fs: the same %d rows as TSV into a copy of posts)\n", cli, clientSecs, clientCPU.Seconds(), clientSrvCPU, copied)
	fmt.Fprintf(e.stdout, "  ratio                   %9.2f\n", imp/cli)
	fmt.Fprintf(e.stdout, "  load average            %s at start, %s at end, %d CPUs (figures under load are lower)\n", load0, load1, runtime.NumCPU())
	return nil
}

// writeBenchPosts writes n posts as import reads them: the demo's texts
// about its topics (each matching a topic of src, so every post is stored),
// with distinct ids, authors and times over the last four weeks.
func writeBenchPosts(path string, cfg *config.Config, src *config.Source, sc *demo.Scenario, n int) error {
	m, err := analyzer.NewMatcher(cfg.Topics)
	if err != nil {
		return err
	}
	var texts []string
	seen := map[string]bool{}
	for _, it := range sc.Items() {
		if !seen[it.Text] && len(m.Match(it.Text, src.Topics)) > 0 {
			seen[it.Text] = true
			texts = append(texts, it.Text)
		}
	}
	if len(texts) == 0 {
		return errors.New("no demo text matches a topic")
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	enc := json.NewEncoder(w)
	end := time.Now().UTC().Truncate(time.Second)
	span := 28 * 24 * time.Hour
	type rec struct {
		ID        string `json:"id"`
		Text      string `json:"text"`
		Author    string `json:"author"`
		Published string `json:"published"`
		URL       string `json:"url"`
		Likes     int    `json:"likes"`
		Replies   int    `json:"replies"`
		Shares    int    `json:"shares"`
		Followers int    `json:"followers"`
	}
	for i := 0; i < n; i++ {
		id := fmt.Sprintf("bench-%07d", i)
		at := end.Add(-span + time.Duration(int64(span)/int64(n)*int64(i)))
		if err := enc.Encode(rec{ID: id, Text: texts[i%len(texts)], Author: fmt.Sprintf("user%d", (i*7919)%(n/3+1)),
			Published: at.Format(time.RFC3339), URL: "https://social.example/p/" + id,
			Likes: i % 97, Replies: i % 13, Shares: i % 7, Followers: (i * 31) % 5000}); err != nil {
			f.Close()
			return err
		}
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// peakRSS is the most memory this process has held resident so far, in
// bytes (Linux reports it in kilobytes); 0 where unknown.
func peakRSS() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Maxrss << 10
}

// gcCPU is the runtime's estimate of the CPU time its garbage collector
// has used so far, in seconds.
func gcCPU() float64 {
	s := []metrics.Sample{{Name: "/cpu/classes/gc/total:cpu-seconds"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindFloat64 {
		return 0
	}
	return s[0].Value.Float64()
}

// clickhouseClient returns the command that runs clickhouse-client.
func clickhouseClient() ([]string, error) {
	if p, err := exec.LookPath("clickhouse-client"); err == nil {
		return []string{p}, nil
	}
	if p, err := exec.LookPath("clickhouse"); err == nil {
		return []string{p, "client"}, nil
	}
	return nil, errors.New("bench ingest compares with clickhouse-client, which is not on $PATH")
}

// clickhouseQuery runs one query with clickhouse-client against the server
// on port, reading stdin and writing stdout; with count set, it parses the
// single number the query prints instead.
func clickhouseQuery(ctx context.Context, client []string, port int, stdin io.Reader, stdout io.Writer, count *uint64, q string) error {
	return clickhouseRun(ctx, client, port, stdin, stdout, count, nil, q)
}

// clickhouseRun is clickhouseQuery that also sets cpu, when not nil, to
// the client's CPU time (user and system).
func clickhouseRun(ctx context.Context, client []string, port int, stdin io.Reader, stdout io.Writer, count *uint64, cpu *time.Duration, q string) error {
	args := append(append([]string{}, client[1:]...), "--host", "127.0.0.1", "--port", strconv.Itoa(port), "--query", q)
	cmd := exec.CommandContext(ctx, client[0], args...)
	cmd.Stdin = stdin
	var out bytes.Buffer
	if count != nil {
		cmd.Stdout = &out
	} else {
		cmd.Stdout = stdout
	}
	var errb bytes.Buffer
	cmd.Stderr = &errb
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("clickhouse-client %q: %w: %s", q, err, strings.TrimSpace(errb.String()))
	}
	if cpu != nil {
		*cpu = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	}
	if count != nil {
		v, err := strconv.ParseUint(strings.TrimSpace(out.String()), 10, 64)
		if err != nil {
			return fmt.Errorf("clickhouse-client %q: %w", q, err)
		}
		*count = v
	}
	return nil
}

// processCPU is the CPU time (user and system) this process has used so
// far.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// pidCPU is the CPU time (user and system) process pid has used so far, or
// 0 where unknown.
func pidCPU(pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// The fields after the command, which is in parentheses and may hold
	// spaces: state is the first, utime and stime the 12th and 13th.
	i := bytes.LastIndexByte(b, ')')
	f := strings.Fields(string(b[i+1:]))
	if i < 0 || len(f) < 13 {
		return 0
	}
	ut, err1 := strconv.ParseUint(f[11], 10, 64)
	st, err2 := strconv.ParseUint(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0
	}
	return time.Duration(ut+st) * time.Second / clockTicks
}

// clockTicks is the kernel's USER_HZ, the unit of /proc's CPU times: 100
// on every Linux platform Go supports.
const clockTicks = 100

// loadAverage is the one-minute load average, or "?" where unknown.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); err == nil && len(f) > 0 {
		return f[0]
	}
	return "?"
}
