package main

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/backlash-monitor/backlash/internal/config"
	"github.com/backlash-monitor/backlash/internal/crawler/html"
	"github.com/backlash-monitor/backlash/internal/crawler/render"
)

func cmdConfig(ctx context.Context, e *env, args []string) error {
	fs, g := flagSet(e, "config", "config check [--config FILE]")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 || fs.Arg(0) != "check" {
		fs.Usage()
		return usagef("want: config check")
	}
	cfg, err := g.load()
	if err != nil {
		return err
	}
	writeSummary(e, cfg)
	for _, w := range cfg.Warnings {
		fmt.Fprintf(e.stdout, "warning: %s\n", w)
	}
	return nil
}

// writeSummary prints what the configuration sets up, without secrets.
func writeSummary(e *env, cfg *config.Config) {
	w := e.stdout
	fmt.Fprintf(w, "%s: ok\n", cfg.File)
	ch := cfg.ClickHouse
	if ch.Embedded {
		fmt.Fprintf(w, "clickhouse: embedded server in %s, database %s\n", cfg.StateDir, ch.Database)
	} else {
		pw := "no password"
		if ch.PasswordEnv != "" {
			pw = "password from $" + string(ch.PasswordEnv) + secretState(ch.PasswordEnv)
		}
		fmt.Fprintf(w, "clickhouse: %s, database %s, user %s, %s, tls %v\n", strings.Join(ch.Addr, ","), ch.Database, ch.Username, pw, ch.TLS)
	}
	fmt.Fprintf(w, "topics (%d):\n", len(cfg.Topics))
	for _, t := range cfg.Topics {
		fmt.Fprintf(w, "  %-20s %d keywords, %d regex, %d excludes\n", t.Name, len(t.Keywords), len(t.Regex), len(t.Exclude))
	}
	fmt.Fprintf(w, "sources (%d):\n", len(cfg.Sources))
	for _, s := range cfg.Sources {
		fmt.Fprintf(w, "  %-20s %-5s %-16s %s\n", s.Name, s.Kind, s.Schedule, strings.Join(s.URLs, " "))
		names := make([]string, 0, len(s.HeaderEnv))
		for name := range s.HeaderEnv {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			fmt.Fprintf(w, "  %-20s header %s from $%s%s\n", "", name, s.HeaderEnv[name], secretState(s.HeaderEnv[name]))
		}
	}
	writeBrowser(w, cfg)
	fmt.Fprintf(w, "alert rules (%d):\n", len(cfg.Alerts.Rules))
	for _, r := range cfg.Alerts.Rules {
		fmt.Fprintf(w, "  %-20s topic %s\n", r.Name, r.Topic)
	}
	if cfg.Alerts.Slack.TokenEnv != "" {
		fmt.Fprintf(w, "slack: token from $%s%s\n", cfg.Alerts.Slack.TokenEnv, secretState(cfg.Alerts.Slack.TokenEnv))
	}
	if cfg.Alerts.ConsoleEnabled() {
		fmt.Fprintln(w, "console: notifications printed to stdout")
	}
}

func secretState(env config.SecretEnv) string {
	if env.Value() == "" {
		return " (not set)"
	}
	return " (set)"
}

// writeBrowser says which browser renders the sources with render: true,
// or that none is installed.
func writeBrowser(w io.Writer, cfg *config.Config) {
	var names []string
	for i := range cfg.Sources {
		if html.Renders(&cfg.Sources[i]) {
			names = append(names, cfg.Sources[i].Name)
		}
	}
	if len(names) == 0 {
		return
	}
	path, err := render.LookPath(cfg.Crawler.Chromium)
	if err != nil {
		fmt.Fprintf(w, "chromium: NOT INSTALLED, so %s (render: true) cannot be crawled: %v\n", strings.Join(names, ", "), err)
		return
	}
	fmt.Fprintf(w, "chromium: %s renders %s, %d tabs at once, restarted past %d MB\n", path, strings.Join(names, ", "), cfg.Crawler.RenderTabs, cfg.Crawler.RenderMemoryMB)
}
