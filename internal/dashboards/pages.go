package dashboards

import (
	"bytes"
	"net/http"
)

// page is what a page template is given. The browser fills in the data
// from the API; the page carries only what it needs to ask.
type page struct {
	Title   string
	Page    string
	Topic   string
	Topics  []string
	From    string
	To      string
	Presets []preset
	Error   string
}

// preset is one choice of the time-range picker.
type preset struct {
	Label, From string
	Current     bool
}

var presets = []preset{{"6 hours", "6h", false}, {"24 hours", "24h", false}, {"3 days", "3d", false},
	{"7 days", "7d", false}, {"30 days", "30d", false}, {"90 days", "90d", false}}

// render executes a template into a buffer first, so a failure becomes a
// clean 500 rather than half a page.
func (d *dashboard) render(w http.ResponseWriter, status int, name string, p page) {
	p.Topics = d.o.Topics
	var buf bytes.Buffer
	if err := d.tmpl.ExecuteTemplate(&buf, name, p); err != nil {
		d.log.Error("dashboard template failed", "template", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

func (d *dashboard) errorPage(w http.ResponseWriter, status int, msg string) {
	d.render(w, status, "error.html", page{Title: http.StatusText(status), Page: "error", Error: msg})
}

func (d *dashboard) overviewPage(w http.ResponseWriter, r *http.Request) {
	d.render(w, http.StatusOK, "overview.html", page{Title: "Overview", Page: "overview"})
}

func (d *dashboard) incidentsPage(w http.ResponseWriter, r *http.Request) {
	d.render(w, http.StatusOK, "incidents.html", page{Title: "Incidents", Page: "incidents"})
}

func (d *dashboard) sourcesPage(w http.ResponseWriter, r *http.Request) {
	d.render(w, http.StatusOK, "sources.html", page{Title: "Sources", Page: "sources"})
}

// topicPage serves /topics/{topic}?from&to; the range is checked here too
// so a bad link says why at once.
func (d *dashboard) topicPage(w http.ResponseWriter, r *http.Request) {
	topic, err := d.topicParam(r)
	if err != nil {
		d.errorPage(w, http.StatusNotFound, err.Error())
		return
	}
	v, err := query(r.URL, "from", "to")
	if err == nil {
		_, _, err = timeRange(v, d.o.Now().UTC(), defaultRange)
	}
	if err != nil {
		d.errorPage(w, http.StatusBadRequest, err.Error())
		return
	}
	from, to := v.Get("from"), v.Get("to")
	p := page{Title: topic, Page: "topic", Topic: topic, From: from, To: to}
	for _, pr := range presets {
		pr.Current = to == "" && (pr.From == from || (from == "" && pr.From == "24h"))
		p.Presets = append(p.Presets, pr)
	}
	d.render(w, http.StatusOK, "topic.html", p)
}
