// A small SVG chart kit for the backlash dashboard: line charts with an
// expected band and alert markers, sparklines, and stacked histograms.
// Data is only ever written with textContent and SVG attributes.
"use strict";

(function () {
  var NS = "http://www.w3.org/2000/svg";

  function el(name, attrs, parent) {
    var e = document.createElementNS(NS, name);
    for (var k in attrs) {
      if (Object.prototype.hasOwnProperty.call(attrs, k)) e.setAttribute(k, String(attrs[k]));
    }
    if (parent) parent.appendChild(e);
    return e;
  }

  function text(parent, x, y, s, anchor) {
    var t = el("text", { x: x, y: y, "text-anchor": anchor || "start" }, parent);
    t.textContent = s;
    return t;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  function isNum(v) {
    return typeof v === "number" && isFinite(v);
  }

  // niceMax rounds a maximum up to 1, 2, 2.5 or 5 times a power of ten.
  function niceMax(v) {
    if (!(v > 0)) return 1;
    var p = Math.pow(10, Math.floor(Math.log10(v)));
    var steps = [1, 2, 2.5, 5, 10];
    for (var i = 0; i < steps.length; i++) {
      if (v <= steps[i] * p) return steps[i] * p;
    }
    return 10 * p;
  }

  function fmtTick(v) {
    if (v >= 1e6) return (v / 1e6).toFixed(v % 1e6 ? 1 : 0) + "M";
    if (v >= 1e3) return (v / 1e3).toFixed(v % 1e3 ? 1 : 0) + "k";
    if (v < 1 && v > 0) return v.toFixed(2).replace(/0+$/, "");
    return String(Math.round(v * 100) / 100);
  }

  var DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function fmtTime(ms, spanMs) {
    var d = new Date(ms);
    if (spanMs <= 36 * 3600e3) return pad(d.getHours()) + ":" + pad(d.getMinutes());
    if (spanMs <= 8 * 86400e3) {
      return d.getHours() === 0 ? DAYS[d.getDay()] + " " + d.getDate() : pad(d.getHours()) + ":00";
    }
    return d.toLocaleDateString(undefined, { month: "short", day: "numeric" });
  }
  function fmtFull(ms) {
    var d = new Date(ms);
    return d.toLocaleDateString(undefined, { month: "short", day: "numeric" }) + " " + pad(d.getHours()) + ":" + pad(d.getMinutes());
  }

  // timeTicks returns round times in [t0, t1]: every 5, 15 or 30 minutes,
  // 1 to 12 hours, or days, as many as fit in room.
  var STEPS = [5, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10080].map(function (m) { return m * 60e3; });
  function timeTicks(t0, t1, room) {
    var step = STEPS[STEPS.length - 1];
    for (var i = 0; i < STEPS.length; i++) {
      if ((t1 - t0) / STEPS[i] <= room) { step = STEPS[i]; break; }
    }
    // Align to local midnight so hours and days land on round values.
    var d = new Date(t0);
    var midnight = new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
    var first = midnight + Math.ceil((t0 - midnight) / step) * step;
    var out = [];
    for (var t = first; t <= t1; t += step) out.push(t);
    return out;
  }

  // pathFor draws values as a line, breaking it at missing values; it
  // returns the path and how many points it drew.
  function pathFor(xs, ys, x, y) {
    var d = "", n = 0, pen = false;
    for (var i = 0; i < ys.length; i++) {
      if (!isNum(ys[i])) { pen = false; continue; }
      d += (pen ? "L" : "M") + x(xs[i]).toFixed(1) + "," + y(ys[i]).toFixed(1);
      pen = true;
      n++;
    }
    return { d: d, n: n };
  }

  function areaFor(xs, lo, hi, x, y) {
    var d = "", n = 0, i, start = -1;
    function close(from, to) {
      if (from < 0 || to < from) return;
      var s = "M" + x(xs[from]).toFixed(1) + "," + y(hi[from]).toFixed(1);
      for (var j = from + 1; j <= to; j++) s += "L" + x(xs[j]).toFixed(1) + "," + y(hi[j]).toFixed(1);
      for (var k = to; k >= from; k--) s += "L" + x(xs[k]).toFixed(1) + "," + y(lo[k]).toFixed(1);
      d += s + "Z";
      n += to - from + 1;
    }
    for (i = 0; i < xs.length; i++) {
      var ok = isNum(lo[i]) && isNum(hi[i]);
      if (ok && start < 0) start = i;
      if (!ok && start >= 0) { close(start, i - 1); start = -1; }
    }
    if (start >= 0) close(start, xs.length - 1);
    return { d: d, n: n };
  }

  function width(node, fallback) {
    return Math.max(240, Math.floor(node.clientWidth || fallback || 800));
  }

  // line draws a time-series chart into node.
  //   spec.times   x values (ms)
  //   spec.series  [{name, values, cls, area}]
  //   spec.band    {lo: [], hi: [], name} optional
  //   spec.markers [{t, label, cls}] optional
  //   spec.height, spec.max (fixed y maximum), spec.format(v)
  function line(node, spec) {
    clear(node);
    var W = width(node), H = spec.height || 260;
    var m = { l: 44, r: 12, t: 14, b: 26 };
    var xs = spec.times;
    if (!xs.length) {
      var p = document.createElement("p");
      p.className = "empty";
      p.textContent = "No data in this range.";
      node.appendChild(p);
      return;
    }
    var t0 = xs[0], t1 = xs[xs.length - 1];
    if (t1 === t0) t1 = t0 + 1;
    var max = 0;
    spec.series.forEach(function (s) { s.values.forEach(function (v) { if (isNum(v) && v > max) max = v; }); });
    if (spec.band) spec.band.hi.forEach(function (v) { if (isNum(v) && v > max) max = v; });
    max = spec.max || niceMax(max * 1.05);
    var x = function (t) { return m.l + (t - t0) / (t1 - t0) * (W - m.l - m.r); };
    var y = function (v) { return m.t + (1 - v / max) * (H - m.t - m.b); };
    var svg = el("svg", { viewBox: "0 0 " + W + " " + H, width: W, height: H, role: "img", "class": "line-chart" });
    if (spec.label) el("title", {}, svg).textContent = spec.label;

    var ticks = H < 150 ? 2 : 4;
    for (var i = 0; i <= ticks; i++) {
      var v = max * i / ticks, yy = y(v);
      el("line", { x1: m.l, x2: W - m.r, y1: yy, y2: yy, "class": i ? "gridline" : "axis" }, svg);
      text(svg, m.l - 6, yy + 4, (spec.format || fmtTick)(v), "end");
    }
    var span = t1 - t0, room = Math.max(2, Math.floor((W - m.l - m.r) / 90));
    timeTicks(t0, t1, room).forEach(function (tt) {
      var tx = x(tt);
      el("line", { x1: tx, x2: tx, y1: H - m.b, y2: H - m.b + 4, "class": "axis" }, svg);
      text(svg, tx, H - 6, fmtTime(tt, span), "middle");
    });

    if (spec.band) {
      var a = areaFor(xs, spec.band.lo, spec.band.hi, x, y);
      if (a.n) el("path", { d: a.d, "class": "band", "data-points": a.n }, svg);
    }
    spec.series.forEach(function (s) {
      var pth = pathFor(xs, s.values, x, y);
      if (s.area && pth.n) {
        var zero = s.values.map(function (v) { return isNum(v) ? 0 : null; });
        var ar = areaFor(xs, zero, s.values, x, y);
        el("path", { d: ar.d, "class": "area " + s.cls }, svg);
      }
      el("path", { d: pth.d, "class": "line " + s.cls, "data-series": s.name, "data-points": pth.n }, svg);
    });
    (spec.markers || []).forEach(function (mk) {
      if (mk.t < t0 || mk.t > t1) return;
      var g = el("g", { "class": "marker " + (mk.cls || ""), "data-marker": "alert" }, svg);
      var mx = x(mk.t);
      el("line", { x1: mx, x2: mx, y1: m.t, y2: H - m.b }, g);
      el("path", { d: "M" + (mx - 5) + "," + (m.t - 8) + "h10l-5,7z" }, g);
      el("title", {}, g).textContent = mk.label;
    });

    // Hover readout: a vertical line and the values of the nearest step.
    var hover = el("line", { x1: 0, x2: 0, y1: m.t, y2: H - m.b, "class": "hover" }, svg);
    var tip = document.createElement("div");
    tip.className = "tip";
    var catcher = el("rect", { x: m.l, y: m.t, width: Math.max(1, W - m.l - m.r), height: H - m.t - m.b, fill: "transparent" }, svg);
    catcher.addEventListener("mousemove", function (ev) {
      var r = svg.getBoundingClientRect();
      var px = (ev.clientX - r.left) * (W / r.width);
      var t = t0 + (px - m.l) / (W - m.l - m.r) * (t1 - t0);
      var best = 0;
      for (var k = 1; k < xs.length; k++) if (Math.abs(xs[k] - t) < Math.abs(xs[best] - t)) best = k;
      var hx = x(xs[best]);
      hover.setAttribute("x1", hx);
      hover.setAttribute("x2", hx);
      hover.style.opacity = 1;
      clear(tip);
      var head = document.createElement("div");
      head.className = "t";
      head.textContent = fmtFull(xs[best]);
      tip.appendChild(head);
      spec.series.forEach(function (s) {
        var row = document.createElement("div");
        var v = s.values[best];
        row.textContent = s.name + ": " + (isNum(v) ? (spec.format || fmtTick)(v) : "–");
        tip.appendChild(row);
      });
      if (spec.band && isNum(spec.band.lo[best])) {
        var b = document.createElement("div");
        b.textContent = (spec.band.name || "expected") + ": " + fmtTick(spec.band.lo[best]) + "–" + fmtTick(spec.band.hi[best]);
        tip.appendChild(b);
      }
      tip.style.opacity = 1;
      var left = hx / W * r.width + 12;
      if (left > r.width - 180) left = hx / W * r.width - 180;
      tip.style.left = left + "px";
    });
    catcher.addEventListener("mouseleave", function () { hover.style.opacity = 0; tip.style.opacity = 0; });
    node.appendChild(svg);
    node.appendChild(tip);
  }

  // spark draws a tiny line; values may hold nulls for gaps.
  function spark(node, values, opts) {
    opts = opts || {};
    clear(node);
    var W = opts.width || 120, H = opts.height || 30;
    var max = opts.max || 0;
    if (!max) values.forEach(function (v) { if (isNum(v) && v > max) max = v; });
    if (!(max > 0)) max = 1;
    var n = Math.max(values.length - 1, 1);
    var x = function (i) { return 1 + i / n * (W - 2); };
    var y = function (v) { return 2 + (1 - v / max) * (H - 4); };
    var svg = el("svg", { viewBox: "0 0 " + W + " " + H, width: W, height: H, "class": "spark", role: "img" });
    if (opts.label) el("title", {}, svg).textContent = opts.label;
    var idx = values.map(function (_, i) { return i; });
    if (opts.area) {
      var zero = values.map(function (v) { return isNum(v) ? 0 : null; });
      var a = areaFor(idx, zero, values, x, y);
      if (a.n) el("path", { d: a.d, "class": "area " + (opts.cls || "all") }, svg);
    }
    var p = pathFor(idx, values, x, y);
    el("path", { d: p.d, "class": "line " + (opts.cls || "all"), "data-points": p.n }, svg);
    // Mark the newest point so the current level is easy to read.
    for (var i = values.length - 1; i >= 0; i--) {
      if (isNum(values[i])) {
        el("circle", { cx: x(i), cy: y(values[i]), r: 2, "class": "dot" }, svg);
        break;
      }
    }
    node.appendChild(svg);
  }

  // histogram draws stacked bars: bins = [{from, negative, neutral, positive}].
  function histogram(node, bins, opts) {
    opts = opts || {};
    clear(node);
    var W = width(node, 500), H = opts.height || 180;
    var m = { l: 36, r: 8, t: 8, b: 22 };
    var max = 0;
    bins.forEach(function (b) { var s = b.negative + b.neutral + b.positive; if (s > max) max = s; });
    max = niceMax(max);
    var bw = (W - m.l - m.r) / bins.length;
    var y = function (v) { return m.t + (1 - v / max) * (H - m.t - m.b); };
    var svg = el("svg", { viewBox: "0 0 " + W + " " + H, width: W, height: H, role: "img", "class": "hist" });
    el("title", {}, svg).textContent = "Posts by sentiment score, from -1 (most negative) to 1 (most positive)";
    for (var i = 0; i <= 2; i++) {
      var v = max * i / 2;
      el("line", { x1: m.l, x2: W - m.r, y1: y(v), y2: y(v), "class": i ? "gridline" : "axis" }, svg);
      text(svg, m.l - 6, y(v) + 4, fmtTick(v), "end");
    }
    var drawn = 0;
    bins.forEach(function (b, k) {
      var base = 0;
      [["negative", "bar-neg"], ["neutral", "bar-neu"], ["positive", "bar-pos"]].forEach(function (part) {
        var n = b[part[0]];
        if (!n) return;
        var r = el("rect", { x: m.l + k * bw + 1, y: y(base + n), width: Math.max(1, bw - 2), height: y(base) - y(base + n), "class": part[1] }, svg);
        el("title", {}, r).textContent = n + " " + part[0] + " posts scoring " + b.from.toFixed(1) + " to " + (b.from + 0.1).toFixed(1);
        base += n;
        drawn++;
      });
    });
    svg.setAttribute("data-points", drawn);
    [[-1, "start"], [0, "middle"], [1, "end"]].forEach(function (t) {
      text(svg, m.l + (t[0] + 1) / 2 * (W - m.l - m.r), H - 6, t[0] === 0 ? "0" : (t[0] > 0 ? "+1 positive" : "−1 negative"), t[1]);
    });
    node.appendChild(svg);
  }

  window.BacklashChart = { line: line, spark: spark, histogram: histogram, fmtTick: fmtTick, fmtFull: fmtFull };
})();
