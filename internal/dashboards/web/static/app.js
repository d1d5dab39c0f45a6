// The backlash dashboard's pages: each reads the JSON API and draws its
// charts and tables. Data from the server is written with textContent only.
"use strict";

(function () {
  var C = window.BacklashChart;
  var app = document.getElementById("app");
  if (!app) return;

  function $(id) { return document.getElementById(id); }

  function h(tag, cls, txt) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (txt !== undefined && txt !== null) e.textContent = String(txt);
    return e;
  }

  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }

  function link(href, txt, external) {
    var a = h("a", null, txt);
    a.href = href;
    if (external) { a.rel = "noopener noreferrer"; a.target = "_blank"; }
    return a;
  }

  function topicLink(topic) { return link("/topics/" + encodeURIComponent(topic), topic); }

  function get(path) {
    return fetch(path, { headers: { Accept: "application/json" }, credentials: "same-origin" }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (body) {
        if (!r.ok) throw new Error(body.error || ("HTTP " + r.status));
        return body;
      });
    });
  }

  function showError(node, err) {
    clear(node);
    node.appendChild(h("p", "error-msg", "Could not load: " + err.message));
  }

  function int(n) { return (n || 0).toLocaleString(); }
  function pct(x) { return (x === null || x === undefined || !isFinite(x)) ? "–" : (x * 100).toFixed(x < 0.1 ? 1 : 0) + "%"; }
  function ms(s) { return new Date(s).getTime(); }
  function ago(s) {
    var d = (Date.now() - ms(s)) / 1000;
    if (d < 0) d = 0;
    if (d < 90) return Math.round(d) + " s ago";
    if (d < 5400) return Math.round(d / 60) + " min ago";
    if (d < 129600) return Math.round(d / 3600) + " h ago";
    return Math.round(d / 86400) + " days ago";
  }
  function dur(sec) {
    if (sec === null || sec === undefined) return "–";
    if (sec < 120) return Math.round(sec) + " s";
    if (sec < 7200) return Math.round(sec / 60) + " min";
    if (sec < 172800) return (sec / 3600).toFixed(1) + " h";
    return (sec / 86400).toFixed(1) + " days";
  }
  function fmt(v) { return (v === null || v === undefined) ? "–" : C.fmtTick(v); }
  function stamp() { var u = $("updated"); if (u) u.textContent = "Updated " + new Date().toLocaleTimeString(); }

  function scoreClass(s) { return s === null || s === undefined ? "" : s >= 60 ? "high" : s >= 30 ? "mid" : ""; }

  function badge(txt, cls) { return h("span", "badge " + (cls || txt || ""), txt); }

  function slackLink(inc) {
    if (inc.slack_url) return link(inc.slack_url, "Slack thread ↗", true);
    if (inc.message_ts) return h("span", "muted", "Slack message " + inc.message_ts + (inc.channel ? " in " + inc.channel : ""));
    return h("span", "muted", "not posted to Slack");
  }

  function timeline(rows) {
    var ul = h("ul", "timeline");
    rows.forEach(function (a) {
      var li = h("li", a.state);
      var t = h("time", null, C.fmtFull(ms(a.at)));
      t.dateTime = a.at;
      li.appendChild(t);
      li.appendChild(h("strong", null, a.state + " "));
      li.appendChild(document.createTextNode(a.severity + " · " + a.rule + (a.summary ? " — " + a.summary : "")));
      ul.appendChild(li);
    });
    return ul;
  }

  function incidentCard(inc, compact) {
    var card = h("article", "incident" + (inc.open ? " open" : ""));
    card.setAttribute("data-incident", inc.id);
    var head = h("div", "head");
    var h3 = h("h3");
    h3.appendChild(topicLink(inc.topic));
    h3.appendChild(document.createTextNode(" · " + inc.rule));
    head.appendChild(h3);
    head.appendChild(badge(inc.severity));
    head.appendChild(badge(inc.open ? "open" : inc.state, inc.open ? "open" : "resolved"));
    card.appendChild(head);
    var said = inc.open ? inc.summary : (inc.evidence || inc.summary);
    if (said) card.appendChild(h("p", "summary", said));
    var facts = h("div", "facts");
    facts.appendChild(h("span", null, "Opened " + C.fmtFull(ms(inc.opened)) + " (" + ago(inc.opened) + ")"));
    if (!compact) {
      facts.appendChild(h("span", null, "Last update " + ago(inc.updated)));
      facts.appendChild(h("span", null, "Observed " + fmt(inc.observed) + " vs expected " + fmt(inc.expected)));
      facts.appendChild(h("span", null, inc.timeline.length + " notification" + (inc.timeline.length === 1 ? "" : "s")));
    }
    facts.appendChild(slackLink(inc));
    card.appendChild(facts);
    if (!compact && inc.timeline.length) {
      var det = h("details");
      det.open = inc.open;
      det.appendChild(h("summary", null, "Timeline"));
      det.appendChild(timeline(inc.timeline));
      card.appendChild(det);
    }
    return card;
  }

  // ---- Overview -----------------------------------------------------------

  function overview() {
    return get("/api/overview").then(function (d) {
      var strip = $("open-incidents");
      clear(strip);
      strip.hidden = !d.open_incidents.length;
      d.open_incidents.forEach(function (inc) { strip.appendChild(incidentCard(inc, true)); });

      var box = $("topics");
      clear(box);
      if (!d.topics.length) box.appendChild(h("p", "none", "No topics are configured."));
      d.topics.forEach(function (t) {
        var card = h("article", "card" + (t.open_incidents ? " alerting" : ""));
        card.setAttribute("data-topic", t.topic);
        var head = h("div", "card-head");
        var left = h("div");
        var h2 = h("h2");
        h2.appendChild(topicLink(t.topic));
        left.appendChild(h2);
        if (t.open_incidents) left.appendChild(badge(t.open_incidents + " open incident" + (t.open_incidents > 1 ? "s" : ""), "open"));
        if (d.blind && d.blind[t.topic]) {
          var bl = badge("blind since " + C.fmtFull(ms(d.blind[t.topic])), "neg blind");
          bl.title = "Every source feeding this topic is broken: its figures show silence, not calm.";
          left.appendChild(bl);
        }
        head.appendChild(left);
        var sc = h("div", "score " + scoreClass(t.score));
        sc.appendChild(h("b", null, t.score === null ? "–" : t.score.toFixed(0)));
        sc.appendChild(h("small", null, t.score_at ? "risk · " + ago(t.score_at) : "risk · none in 24 h"));
        head.appendChild(sc);
        card.appendChild(head);

        var k = h("div", "kpis");
        var a = h("span"); a.appendChild(h("b", null, int(t.posts_24h))); a.appendChild(document.createTextNode(" posts in 24 h"));
        var b = h("span"); b.appendChild(h("b", null, pct(t.posts_24h ? t.negative_24h / t.posts_24h : null))); b.appendChild(document.createTextNode(" negative"));
        k.appendChild(a); k.appendChild(b);
        card.appendChild(k);

        var g = h("div", "sparks");
        g.appendChild(h("span"));
        g.appendChild(h("span", "hd", "24 hours"));
        g.appendChild(h("span", "hd", "7 days"));
        [["Volume", "volume", "all"], ["Negative %", "negative_share", "neg"]].forEach(function (row) {
          g.appendChild(h("span", null, row[0]));
          [["24h", 24], ["7d", 7]].forEach(function (w) {
            var cell = h("span", "spark-cell");
            var s = t[row[1] + "_" + w[0]];
            C.spark(cell, s.values, { cls: row[2], area: true, max: row[1] === "negative_share" ? 1 : 0,
              label: (row[1] === "volume" ? "Posts" : "Negative share") + " per hour, last " + w[0] + " (whole hours)" });
            g.appendChild(cell);
          });
        });
        g.appendChild(h("span", null, "Risk"));
        var rc = h("span", "spark-cell");
        C.spark(rc, t.risk_24h.values, { cls: "risk", area: true, max: 100, label: "Risk score per hour, last 24h" });
        g.appendChild(rc);
        g.appendChild(h("span"));
        card.appendChild(g);
        box.appendChild(card);
      });
    });
  }

  // ---- Topic --------------------------------------------------------------

  // drivers lists an alert's distinctive terms ("hookup · 41 posts · z 8.1
  // · 0 in the week before"; a subject as its words and what they are
  // about, "brothel, meat market (sex)") and its themes with their shares.
  function drivers(node, ds) {
    clear(node);
    if (!ds.length) { node.appendChild(h("li", "none", "No alert in this range.")); return; }
    ds.forEach(function (d) {
      var li = h("li", d.kind);
      li.appendChild(h("strong", null, d.subject ? d.text.split(" · ").join(", ") : d.text));
      if (d.subject) li.appendChild(document.createTextNode(" (" + d.subject + ")"));
      if (d.kind === "term") {
        li.appendChild(document.createTextNode(" · " + int(d.posts) + " posts · z " + d.z.toFixed(1) + " · " + int(d.baseline_posts) + " in the week before"));
      } else {
        li.appendChild(document.createTextNode(" · theme, " + pct(d.share) + " of negative posts (" + int(d.posts) + ")"));
        if (d.example) li.appendChild(h("blockquote", null, d.example));
      }
      node.appendChild(li);
    });
  }

  function hbars(node, items, opts) {
    clear(node);
    if (!items.length) { node.appendChild(h("p", "none", opts.empty || "Nothing in this range.")); return; }
    var max = 0;
    items.forEach(function (it) { if (it.total > max) max = it.total; });
    items.forEach(function (it) {
      var row = h("div", "hbar");
      var name = h("span", "name", it.name);
      name.title = it.name;
      row.appendChild(name);
      var track = h("span", "track");
      var neg = h("span", "fill-neg");
      neg.style.width = (max ? it.negative / max * 100 : 0) + "%";
      var rest = h("span", "fill-rest");
      rest.style.width = (max ? (it.total - it.negative) / max * 100 : 0) + "%";
      track.appendChild(neg); track.appendChild(rest);
      track.title = it.negative + " of " + it.total + " negative";
      row.appendChild(track);
      row.appendChild(h("span", "val", opts.value ? opts.value(it) : int(it.total)));
      node.appendChild(row);
    });
  }

  function postList(node, posts, label) {
    clear(node);
    if (!posts.length) { node.appendChild(h("li", "none", "No " + label + " posts in this range.")); return; }
    posts.forEach(function (p) {
      var li = h("li", "post " + (p.label || ""));
      var meta = h("div", "meta");
      meta.appendChild(h("span", null, p.source));
      if (p.author) meta.appendChild(h("span", null, p.author));
      meta.appendChild(h("span", null, C.fmtFull(ms(p.published))));
      meta.appendChild(h("span", null, "reach " + int(p.reach)));
      if (p.compound !== null) meta.appendChild(h("span", null, "score " + p.compound.toFixed(2)));
      if (p.url) meta.appendChild(link(p.url, "open ↗", true));
      li.appendChild(meta);
      if (p.title) li.appendChild(h("div", "title", p.title));
      li.appendChild(h("p", "text", p.text));
      if (p.terms && p.terms.length) li.appendChild(h("div", "terms", "terms: " + p.terms.slice(0, 6).join(", ")));
      node.appendChild(li);
    });
  }

  function stat(box, label, value, bad) {
    var s = h("div", "stat" + (bad ? " bad" : ""));
    s.appendChild(h("span", null, label));
    s.appendChild(h("b", null, value));
    box.appendChild(s);
  }

  function topic() {
    var name = app.getAttribute("data-topic");
    // The page checked the range; pass it on as given, so a relative range
    // moves with each refresh.
    var params = [];
    ["from", "to"].forEach(function (k) {
      var v = app.getAttribute("data-" + k);
      if (v) params.push(k + "=" + encodeURIComponent(v));
    });
    var q = "?" + params.join("&");
    var base = "/api/topics/" + encodeURIComponent(name);

    var series = get(base + "/series" + q).then(function (s) {
      var times = s.points.map(function (p) { return ms(p.t); });
      var stepMin = s.step / 60;
      var stepName = stepMin < 60 ? stepMin + " min" : (stepMin / 60) + " h";
      C.line($("volume-chart"), {
        label: "Posts per " + stepName,
        times: times,
        series: [
          { name: "All posts", cls: "all", area: true, values: s.points.map(function (p) { return p.posts; }) },
          { name: "Negative", cls: "neg", area: true, values: s.points.map(function (p) { return p.negative; }) }
        ],
        band: { name: "expected negative", lo: s.points.map(function (p) { return p.lower; }), hi: s.points.map(function (p) { return p.upper; }) },
        markers: s.alerts.map(function (a) {
          return { t: ms(a.at), cls: a.state, label: C.fmtFull(ms(a.at)) + " " + a.severity + " " + a.state + ": " + (a.summary || a.rule) };
        }),
        height: 280
      });
      C.line($("risk-chart"), {
        label: "Risk score",
        times: times,
        series: [{ name: "Risk", cls: "risk", area: true, values: s.points.map(function (p) { return p.score; }) }],
        max: 100, height: 90, format: function (v) { return v.toFixed(0); }
      });
      var total = 0, neg = 0, peak = null;
      s.points.forEach(function (p) { total += p.posts; neg += p.negative; if (p.score !== null && (peak === null || p.score > peak)) peak = p.score; });
      var box = $("stats");
      clear(box);
      if (s.blind_since) {
        var bn = h("p", "blind-banner", "Blind since " + C.fmtFull(ms(s.blind_since)) +
          ": every source feeding this topic is broken, so these figures show silence, not calm. See Sources.");
        bn.setAttribute("role", "alert");
        box.appendChild(bn);
      }
      stat(box, "Posts", int(total));
      stat(box, "Negative", int(neg), false);
      stat(box, "Negative share", pct(total ? neg / total : null), total && neg / total >= 0.4);
      stat(box, "Peak risk", peak === null ? "–" : peak.toFixed(0), peak !== null && peak >= 60);
      stat(box, "Alerts", int(s.alerts.length), s.alerts.length > 0);

      var ul = $("alerts");
      clear(ul);
      if (!s.alerts.length) ul.appendChild(h("li", "none", "No alerts in this range."));
      s.alerts.forEach(function (a) {
        var li = h("li", a.state);
        li.appendChild(h("time", null, C.fmtFull(ms(a.at))));
        li.appendChild(h("strong", null, a.severity + " " + a.state + " "));
        li.appendChild(document.createTextNode(a.summary || a.rule));
        ul.appendChild(li);
      });
    }).catch(function (e) { showError($("volume-chart"), e); });

    var breakdown = get(base + "/breakdown" + q).then(function (b) {
      C.histogram($("sentiment-chart"), b.histogram);
      var l = b.labels, parts = [];
      ["negative", "neutral", "positive", "unscored"].forEach(function (k) { if (l[k]) parts.push(int(l[k]) + " " + k); });
      $("label-counts").textContent = parts.join(" · ") || "No posts in this range.";
      hbars($("source-bars"), b.sources.map(function (s) { return { name: s.source, total: s.posts, negative: s.negative }; }),
        { value: function (it) { return int(it.total) + " · " + pct(it.total ? it.negative / it.total : null) + " neg"; } });
      hbars($("terms"), b.terms.map(function (t) { return { name: t.term, total: t.count, negative: t.negative }; }), {});
      drivers($("drivers"), b.drivers || []);
      hbars($("entities"), b.entities.map(function (t) { return { name: t.term, total: t.count, negative: t.negative }; }), { empty: "No entities extracted in this range." });
    }).catch(function (e) { showError($("sentiment-chart"), e); });

    var negs = get(base + "/posts" + q + (params.length ? "&" : "") + "label=negative&limit=5").then(function (r) { postList($("posts-negative"), r.posts, "negative"); })
      .catch(function (e) { showError($("posts-negative"), e); });
    var poss = get(base + "/posts" + q + (params.length ? "&" : "") + "label=positive&limit=5").then(function (r) { postList($("posts-positive"), r.posts, "positive"); })
      .catch(function (e) { showError($("posts-positive"), e); });
    return Promise.all([series, breakdown, negs, poss]);
  }

  // ---- Incidents ----------------------------------------------------------

  function incidents() {
    return get("/api/incidents?from=90d&limit=200").then(function (d) {
      var open = $("incidents-open"), past = $("incidents-past");
      clear(open); clear(past);
      d.incidents.forEach(function (inc) { (inc.open ? open : past).appendChild(incidentCard(inc, false)); });
      if (!open.firstChild) open.appendChild(h("p", "none", "No open incidents."));
      if (!past.firstChild) past.appendChild(h("p", "none", "No resolved incidents in the last 90 days."));
    });
  }

  // ---- Sources ------------------------------------------------------------

  function sources() {
    return get("/api/sources").then(function (d) {
      var body = $("sources-body");
      clear(body);
      d.sources.forEach(function (s) {
        var tr = h("tr", s.status === "ok" ? "" : "attention");
        tr.setAttribute("data-source", s.source);
        var name = h("td");
        name.appendChild(h("strong", null, s.source));
        if (!s.configured) name.appendChild(h("div", "muted", "no longer configured"));
        tr.appendChild(name);
        var st = h("td");
        st.appendChild(badge(s.status, s.status === "ok" ? "ok" : s.status === "never run" ? "warn" : "neg"));
        if (s.broken_since) {
          st.appendChild(h("div", "muted", "since " + C.fmtFull(ms(s.broken_since))));
          if (s.last_good) st.appendChild(h("div", "muted", "last good run " + ago(s.last_good)));
        }
        tr.appendChild(st);
        var last = h("td", null, s.last_run ? ago(s.last_run) : "never");
        if (s.last_run) last.title = C.fmtFull(ms(s.last_run));
        tr.appendChild(last);
        tr.appendChild(h("td", "num", int(s.pages)));
        tr.appendChild(h("td", "num", int(s.posts)));
        tr.appendChild(h("td", "num", int(s.new_posts)));
        tr.appendChild(h("td", "num", int(s.errors)));
        tr.appendChild(h("td", null, dur(s.lag_seconds)));
        var sp = h("td");
        if (s.recent_posts.length) C.spark(sp, s.recent_posts, { cls: "all", area: true, width: 140, label: "Posts found by each run in the last 7 days" });
        else sp.appendChild(h("span", "muted", "–"));
        tr.appendChild(sp);
        var errTd = h("td", "err");
        if (s.broken_since && s.problem_detail && s.problem_detail.length) {
          var ul = h("ul", "problems");
          s.problem_detail.forEach(function (p) { ul.appendChild(h("li", null, p)); });
          errTd.appendChild(ul);
          errTd.appendChild(h("code", null, "backlash crawl --dry-run --source " + s.source));
        } else {
          errTd.textContent = s.last_error || "";
        }
        tr.appendChild(errTd);
        body.appendChild(tr);
      });
      if (!d.sources.length) {
        var tr = h("tr"), td = h("td", "none", "No sources are configured.");
        td.colSpan = 10;
        tr.appendChild(td);
        body.appendChild(tr);
      }
    });
  }

  var pages = { overview: overview, topic: topic, incidents: incidents, sources: sources };
  var load = pages[app.getAttribute("data-page")];
  if (!load) return;
  function run() {
    load().then(stamp).catch(function (e) {
      var target = app.querySelector(".loading") ? app.querySelector(".loading").parentNode : app;
      showError(target, e);
    });
  }
  run();
  setInterval(run, 60000);
  var resizeTimer = null;
  window.addEventListener("resize", function () {
    if (app.getAttribute("data-page") !== "topic") return;
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(run, 250);
  });
})();
