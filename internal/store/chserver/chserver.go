// Package chserver runs a private ClickHouse server for backlash: the
// embedded default of the demo and single-machine installs, and the real
// server the test suite runs against.
//
// It writes its own config, data directory and ports, so it never touches a
// system-wide ClickHouse. It does not create tables; that is the store's job.
package chserver

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// ErrNoBinary is returned when no ClickHouse server binary can be found.
var ErrNoBinary = errors.New("no clickhouse-server binary found (on Debian: apt-get install -y clickhouse-server clickhouse-client)")

// Options says where and how to run the server.
type Options struct {
	// Dir holds the server's config, data and logs. It is created if needed.
	Dir string
	// Port is the native-protocol TCP port; 0 picks a free one.
	Port int
	// Detach leaves the server running after the calling process exits (it
	// gets its own session and a pid file in Dir). Without it the server is a
	// child that Stop (or the parent's exit) ends.
	Detach bool
	// StartTimeout bounds waiting for the server to accept connections
	// (default 30s).
	StartTimeout time.Duration
	// Clusters, keyed by name, are written to the config's remote_servers
	// section so the server can be one node of a sharded cluster.
	Clusters map[string]Cluster
	// Macros are written to the config's macros section ({shard},
	// {replica}) for Replicated*MergeTree paths.
	Macros map[string]string
}

// Server is a running ClickHouse server.
type Server struct {
	dir  string
	port int
	pid  int
	// done is closed when a child server has been reaped; nil for a
	// detached server found running.
	done chan struct{}
}

// Binary returns the command that starts a ClickHouse server: the path of
// clickhouse-server, or of the single clickhouse binary with "server".
func Binary() ([]string, error) {
	if p, err := exec.LookPath("clickhouse-server"); err == nil {
		return []string{p}, nil
	}
	for _, p := range []string{"/usr/sbin/clickhouse-server", "/usr/bin/clickhouse-server"} {
		if _, err := os.Stat(p); err == nil {
			return []string{p}, nil
		}
	}
	if p, err := exec.LookPath("clickhouse"); err == nil {
		return []string{p, "server"}, nil
	}
	return nil, ErrNoBinary
}

// Start runs a server in opts.Dir, or, with Detach, reuses the one already
// running there.
func Start(ctx context.Context, opts Options) (*Server, error) {
	if opts.Dir == "" {
		return nil, errors.New("chserver: Dir is required")
	}
	dir, err := filepath.Abs(opts.Dir)
	if err != nil {
		return nil, fmt.Errorf("chserver: %w", err)
	}
	if opts.StartTimeout == 0 {
		opts.StartTimeout = 30 * time.Second
	}
	if opts.Detach {
		if s, ok := running(dir); ok {
			return s, nil
		}
	}
	bin, err := Binary()
	if err != nil {
		return nil, err
	}
	for _, d := range []string{"data", "tmp", "user_files", "format_schemas", "log"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o750); err != nil {
			return nil, fmt.Errorf("chserver: %w", err)
		}
	}
	var lastErr error
	for attempt := 0; attempt < 3; attempt++ {
		port := opts.Port
		if port == 0 && attempt == 0 && opts.Detach {
			// The port of the last start, so clickhouse-client lines and
			// dashboards written down keep working across restarts.
			port = lastPort(dir)
		}
		if port == 0 {
			if port, err = freePort(); err != nil {
				return nil, fmt.Errorf("chserver: %w", err)
			}
		}
		s, err := start(ctx, bin, dir, port, opts)
		if err == nil {
			return s, nil
		}
		lastErr = err
		if opts.Port != 0 {
			break
		}
	}
	return nil, lastErr
}

func start(ctx context.Context, bin []string, dir string, port int, opts Options) (*Server, error) {
	httpPort, err := freePort()
	if err != nil {
		return nil, fmt.Errorf("chserver: %w", err)
	}
	extra, err := clusterXML(opts.Clusters, opts.Macros)
	if err != nil {
		return nil, err
	}
	if err := writeConfig(dir, port, httpPort, extra); err != nil {
		return nil, err
	}
	args := append(append([]string{}, bin[1:]...), "--config-file="+filepath.Join(dir, "config.xml"))
	cmd := exec.Command(bin[0], args...)
	cmd.Dir = dir
	out, err := os.OpenFile(filepath.Join(dir, "log", "stdout.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o640)
	if err != nil {
		return nil, fmt.Errorf("chserver: %w", err)
	}
	defer out.Close()
	cmd.Stdout, cmd.Stderr = out, out
	if opts.Detach {
		cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	} else {
		cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("chserver: start %s: %w", bin[0], err)
	}
	s := &Server{dir: dir, port: port, pid: cmd.Process.Pid, done: make(chan struct{})}
	exited := make(chan error, 1)
	go func() {
		err := cmd.Wait()
		close(s.done)
		exited <- err
	}()
	deadline := time.Now().Add(opts.StartTimeout)
	for {
		c, err := net.DialTimeout("tcp", s.Addr(), 200*time.Millisecond)
		if err == nil {
			c.Close()
			break
		}
		select {
		case err := <-exited:
			return nil, fmt.Errorf("chserver: server exited during start-up (%v); see %s", err, s.ErrorLog())
		case <-ctx.Done():
			s.Stop()
			return nil, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			s.Stop()
			return nil, fmt.Errorf("chserver: server did not listen on %s within %s; see %s", s.Addr(), opts.StartTimeout, s.ErrorLog())
		}
	}
	if opts.Detach {
		if err := os.WriteFile(filepath.Join(dir, "server.pid"), []byte(fmt.Sprintf("%d %d\n", s.pid, port)), 0o640); err != nil {
			return nil, fmt.Errorf("chserver: %w", err)
		}
		if err := os.WriteFile(filepath.Join(dir, "port"), []byte(strconv.Itoa(port)+"\n"), 0o640); err != nil {
			return nil, fmt.Errorf("chserver: %w", err)
		}
	}
	return s, nil
}

// lastPort returns the port recorded by the last detached start in dir
// when it is free now, else 0.
func lastPort(dir string) int {
	b, err := os.ReadFile(filepath.Join(dir, "port"))
	if err != nil {
		return 0
	}
	port, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || port <= 0 || port > 65535 {
		return 0
	}
	l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		return 0
	}
	l.Close()
	return port
}

// Running returns the detached server recorded in dir, if it is alive and
// listening.
func Running(dir string) (*Server, bool) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, false
	}
	return running(abs)
}

// PID is the server's process id.
func (s *Server) PID() int { return s.pid }

// Dir is the server's directory: config, data and logs.
func (s *Server) Dir() string { return s.dir }

// running returns the detached server recorded in dir's pid file, if it is
// still alive and listening.
func running(dir string) (*Server, bool) {
	b, err := os.ReadFile(filepath.Join(dir, "server.pid"))
	if err != nil {
		return nil, false
	}
	f := strings.Fields(string(b))
	if len(f) != 2 {
		return nil, false
	}
	pid, err1 := strconv.Atoi(f[0])
	port, err2 := strconv.Atoi(f[1])
	if err1 != nil || err2 != nil || syscall.Kill(pid, 0) != nil {
		return nil, false
	}
	s := &Server{dir: dir, port: port, pid: pid}
	c, err := net.DialTimeout("tcp", s.Addr(), time.Second)
	if err != nil {
		return nil, false
	}
	c.Close()
	return s, true
}

// Addr is the native protocol's host:port.
func (s *Server) Addr() string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(s.port)) }

// Port is the native protocol's port.
func (s *Server) Port() int { return s.port }

// ErrorLog is the path of the server's error log.
func (s *Server) ErrorLog() string { return filepath.Join(s.dir, "log", "server.err.log") }

// Kill stops the server at once with SIGKILL, as a crash would.
func (s *Server) Kill() error {
	err := syscall.Kill(s.pid, syscall.SIGKILL)
	s.waitGone(10 * time.Second)
	return err
}

// Stop ends the server gracefully, killing it if it lingers.
func (s *Server) Stop() error {
	if s == nil {
		return nil
	}
	_ = syscall.Kill(s.pid, syscall.SIGTERM)
	if !s.waitGone(15 * time.Second) {
		_ = syscall.Kill(s.pid, syscall.SIGKILL)
		s.waitGone(5 * time.Second)
	}
	_ = os.Remove(filepath.Join(s.dir, "server.pid"))
	return nil
}

// StopDir stops the detached server recorded in dir, if one is running.
func StopDir(dir string) (bool, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return false, err
	}
	s, ok := running(abs)
	if !ok {
		return false, nil
	}
	return true, s.Stop()
}

func (s *Server) waitGone(d time.Duration) bool {
	if s.done != nil {
		select {
		case <-s.done:
			return true
		case <-time.After(d):
			return false
		}
	}
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		if syscall.Kill(s.pid, 0) != nil {
			return true
		}
		time.Sleep(50 * time.Millisecond)
	}
	return false
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func writeConfig(dir string, port, httpPort int, extra string) error {
	cfg := fmt.Sprintf(`<?xml version="1.0"?>
<yandex>
  <logger>
    <level>warning</level>
    <log>%[1]s/log/server.log</log>
    <errorlog>%[1]s/log/server.err.log</errorlog>
    <size>50M</size>
    <count>2</count>
  </logger>
  <tcp_port>%[2]d</tcp_port>
  <http_port>%[3]d</http_port>
  <listen_host>127.0.0.1</listen_host>
  <path>%[1]s/data/</path>
  <tmp_path>%[1]s/tmp/</tmp_path>
  <user_files_path>%[1]s/user_files/</user_files_path>
  <format_schema_path>%[1]s/format_schemas/</format_schema_path>
  <users_config>users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <mark_cache_size>268435456</mark_cache_size>
  <uncompressed_cache_size>268435456</uncompressed_cache_size>
  <max_concurrent_queries>200</max_concurrent_queries>
  <mlock_executable>false</mlock_executable>
%[4]s</yandex>
`, dir, port, httpPort, extra)
	users := `<?xml version="1.0"?>
<yandex>
  <profiles>
    <default><max_memory_usage>4000000000</max_memory_usage></default>
    <readonly><readonly>1</readonly></readonly>
  </profiles>
  <users>
    <default>
      <password></password>
      <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
      <profile>default</profile>
      <quota>default</quota>
    </default>
  </users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
`
	if err := os.WriteFile(filepath.Join(dir, "config.xml"), []byte(cfg), 0o640); err != nil {
		return fmt.Errorf("chserver: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "users.xml"), []byte(users), 0o640); err != nil {
		return fmt.Errorf("chserver: %w", err)
	}
	return nil
}
