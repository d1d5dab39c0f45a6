package dashboards_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"
)

// grafanaDashboard is the part of a Grafana dashboard the test checks.
type grafanaDashboard struct {
	UID        string `json:"uid"`
	Title      string `json:"title"`
	Templating struct {
		List []struct {
			Name       string `json:"name"`
			Query      string `json:"query"`
			Datasource struct {
				Type string `json:"type"`
				UID  string `json:"uid"`
			} `json:"datasource"`
		} `json:"list"`
	} `json:"templating"`
	Panels []struct {
		Title   string `json:"title"`
		Type    string `json:"type"`
		Targets []struct {
			RawSQL     string `json:"rawSql"`
			Format     int    `json:"format"`
			Datasource struct {
				Type string `json:"type"`
				UID  string `json:"uid"`
			} `json:"datasource"`
		} `json:"targets"`
	} `json:"panels"`
}

// grafanaSQL expands the macros and variables the dashboards use the way
// the ClickHouse plugin does, for a range of the last 7 days.
func grafanaSQL(q string, now time.Time) string {
	from, to := now.Add(-7*24*time.Hour).Unix(), now.Unix()
	q = regexp.MustCompile(`\$__timeFilter\(([a-z_]+)\)`).ReplaceAllString(q,
		fmt.Sprintf("$1 >= toDateTime(%d) AND $1 <= toDateTime(%d)", from, to))
	return strings.NewReplacer(
		"$__fromTime", fmt.Sprintf("toDateTime(%d)", from),
		"$__toTime", fmt.Sprintf("toDateTime(%d)", to),
		"$__interval_s", "3600",
		"${topic:singlequote}", "'payments-social','checkout'",
		"${topic}", "payments-social",
		"${source:singlequote}", "'forum','reviews','broken-forum'",
	).Replace(q)
}

func TestGrafanaProvisioning(t *testing.T) {
	var ds struct {
		APIVersion  int `yaml:"apiVersion"`
		Datasources []struct {
			UID      string         `yaml:"uid"`
			Type     string         `yaml:"type"`
			JSONData map[string]any `yaml:"jsonData"`
		} `yaml:"datasources"`
	}
	readYAML(t, "grafana/provisioning/datasources/backlash.yaml", &ds)
	if len(ds.Datasources) != 1 || ds.Datasources[0].Type != "grafana-clickhouse-datasource" || ds.Datasources[0].UID == "" {
		t.Fatalf("datasource provisioning = %+v", ds)
	}
	if db := ds.Datasources[0].JSONData["defaultDatabase"]; db != "backlash" {
		t.Errorf("defaultDatabase = %v; the panels use unqualified table names", db)
	}
	uid := ds.Datasources[0].UID
	var prov struct {
		Providers []struct {
			Type    string `yaml:"type"`
			Options struct {
				Path string `yaml:"path"`
			} `yaml:"options"`
		} `yaml:"providers"`
	}
	readYAML(t, "grafana/provisioning/dashboards/backlash.yaml", &prov)
	if len(prov.Providers) != 1 || prov.Providers[0].Type != "file" || prov.Providers[0].Options.Path == "" {
		t.Errorf("dashboard provider = %+v", prov)
	}

	files, _ := filepath.Glob("grafana/dashboards/*.json")
	if len(files) < 4 {
		t.Fatalf("dashboards: %v", files)
	}
	db := scenarioDB(t)
	now := time.Now()
	vars := map[string]bool{}
	uids := map[string]bool{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var d grafanaDashboard
		if err := json.Unmarshal(b, &d); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if d.UID == "" || d.Title == "" || uids[d.UID] || len(d.Panels) == 0 {
			t.Errorf("%s: uid %q title %q panels %d", f, d.UID, d.Title, len(d.Panels))
		}
		uids[d.UID] = true
		for _, v := range d.Templating.List {
			vars[d.UID+"/"+v.Name] = true
			if v.Datasource.UID != uid {
				t.Errorf("%s: variable %s uses data source %q, want %q", f, v.Name, v.Datasource.UID, uid)
			}
			if n := countRows(t, db, f+" variable "+v.Name, grafanaSQL(v.Query, now)); n == 0 {
				t.Errorf("%s: variable %s has no values", f, v.Name)
			}
		}
		for _, p := range d.Panels {
			if len(p.Targets) == 0 {
				t.Errorf("%s: panel %q has no query", f, p.Title)
			}
			for _, tg := range p.Targets {
				if tg.Datasource.Type != "grafana-clickhouse-datasource" || tg.Datasource.UID != uid {
					t.Errorf("%s: panel %q uses data source %+v", f, p.Title, tg.Datasource)
				}
				name := fmt.Sprintf("%s: panel %q", f, p.Title)
				if n := countRows(t, db, name, grafanaSQL(tg.RawSQL, now)); n == 0 {
					t.Errorf("%s found nothing in the scenario", name)
				}
			}
		}
	}
	for _, v := range []string{"backlash-topic/topic", "backlash-topic/source", "backlash-incidents/topic", "backlash-sources/source"} {
		if !vars[v] {
			t.Errorf("template variable %s missing", v)
		}
	}
}

func readYAML(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}
