package e2e

import (
	"bytes"
	"context"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/backlash-monitor/backlash/internal/alerts/slackserver"
	"github.com/backlash-monitor/backlash/internal/store"
	"github.com/backlash-monitor/backlash/internal/store/chserver"
)

const (
	secretToken    = "xoxb-SECRET-1234567890"
	secretPassword = "chpw-SECRET-0987654321"
	passwordEnv    = "BACKLASH_E2E_CH_PASSWORD"
	secretAuth     = "Bearer fa-SECRET-1122334455"
	authEnv        = "BACKLASH_E2E_FORUM_AUTH"
)

// passwordServer runs a private ClickHouse whose default user needs
// password. chserver writes users.xml without one on every start, so the
// server is started once to lay out its directory, stopped, and run again
// here from the same config with the password added.
func passwordServer(t *testing.T, password string) (addr string) {
	t.Helper()
	dir := t.TempDir()
	srv := ownServer(t, dir, 0)
	addr = srv.Addr()
	srv.Stop()
	path := filepath.Join(dir, "users.xml")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	users := strings.Replace(string(b), "<password></password>", "<password>"+password+"</password>", 1)
	if users == string(b) {
		t.Fatalf("%s has no empty password to replace", path)
	}
	if err := os.WriteFile(path, []byte(users), 0o640); err != nil {
		t.Fatal(err)
	}
	bin, err := chserver.Binary()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin[0], append(bin[1:], "--config-file="+filepath.Join(dir, "config.xml"))...)
	cmd.Dir = dir
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
	})
	waitFor(t, 30*time.Second, "ClickHouse with a password to accept it", func() bool {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		st, err := store.Open(ctx, store.Options{Addr: []string{addr}, Database: "secrets", Username: "default",
			Password: password, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
		if err != nil {
			return false
		}
		st.Close()
		return true
	})
	// And it must refuse the empty password, or the test proves nothing.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if st, err := store.Open(ctx, store.Options{Addr: []string{addr}, Database: "secrets", Username: "default",
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}); err == nil {
		st.Close()
		t.Fatal("ClickHouse accepts the default user without the password")
	}
	return addr
}

// TestSecretsNeverPrinted runs backlash end to end at debug level with a
// Slack token, a ClickHouse password and a forum that needs an
// Authorization header, and with a wrong password, and checks none appears in anything it prints or leaves in its state
// directory.
func TestSecretsNeverPrinted(t *testing.T) {
	chAddr := passwordServer(t, secretPassword)
	bin := binary(t)

	now := time.Now().UTC()
	site := newForum(t, time.Now)
	site.Add(calmHistory("calm", now.Add(-72*time.Hour), now.Add(-2*time.Hour), 72)...)
	site.Add(burst("angry", now.Add(-time.Minute), 40*time.Minute, 12)...)
	site.Authorization = secretAuth
	slack := slackserver.New(slackserver.Options{Token: secretToken, Channels: []string{"#comms"}})
	defer slack.Close()

	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "backlash.yaml")
	yaml := configYAML(cfgOpts{StateDir: filepath.Join(dir, "state"), Addr: chAddr, DB: "secrets", ForumURL: site.URL(),
		SlackURL: slack.URL, PasswordEnv: passwordEnv, AuthEnv: authEnv})
	if err := os.WriteFile(cfgPath, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(yaml, secretToken) || strings.Contains(yaml, secretPassword) || strings.Contains(yaml, secretAuth) {
		t.Fatal("the configuration itself holds a secret")
	}

	backlash := func(password string, args ...string) (string, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, bin, args...)
		cmd.Env = append(os.Environ(), slackTokEnv+"="+secretToken, passwordEnv+"="+password, authEnv+"="+secretAuth)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		err := cmd.Run()
		return out.String(), err
	}
	var outputs []string
	check := func(name, out string) {
		t.Helper()
		outputs = append(outputs, out)
		for _, s := range []string{secretToken, secretPassword, secretAuth, "SECRET-"} {
			if strings.Contains(out, s) {
				i := strings.Index(out, s)
				t.Errorf("%s prints a secret (%q) near: %q", name, s, out[max(0, i-200):min(len(out), i+60)])
			}
		}
	}

	out, err := backlash(secretPassword, "config", "check", "--log-level", "debug", "--config", cfgPath)
	check("config check", out)
	if err != nil {
		t.Errorf("config check: %v\n%s", err, out)
	}

	out, err = backlash(secretPassword, "run", "--log-level", "debug", "--config", cfgPath)
	check("run", out)
	if err != nil {
		t.Fatalf("run: %v\n%s", err, out)
	}
	// The run must really have used every secret: posts crawled with the
	// header and stored behind the password, an alert accepted with the
	// token.
	if len(topLevel(slack.Messages())) != 1 {
		t.Errorf("the run sent %d top-level Slack messages, want 1; output:\n%s", len(topLevel(slack.Messages())), out)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	st, err := store.Open(ctx, store.Options{Addr: []string{chAddr}, Database: "secrets", Username: "default",
		Password: secretPassword, Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c := assertExactlyOnce(t, st, site.Served())

	// A wrong password and a wrong token: the errors must not echo them.
	wrong := "chpw-SECRET-wrong-5555"
	out, err = backlash(wrong, "run", "--log-level", "debug", "--config", cfgPath)
	check("run with a wrong password", out)
	if strings.Contains(out, wrong) {
		t.Errorf("run with a wrong password prints it")
	}
	if err == nil {
		t.Errorf("run with a wrong ClickHouse password succeeded")
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	t.Logf("run with a wrong password: %v; last line: %.300s", err, lines[len(lines)-1])

	// Nothing under the state directory holds a secret either.
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		b, err := os.ReadFile(p)
		if err == nil && (bytes.Contains(b, []byte(secretToken)) || bytes.Contains(b, []byte("SECRET-"))) {
			t.Errorf("%s holds a secret", p)
		}
		return nil
	})
	n := 0
	for _, o := range outputs {
		n += len(o)
	}
	t.Logf("checked %d bytes of output from config check and two debug runs; store %+v; %d Slack messages", n, c, len(slack.Messages()))
}
