package render

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
)

// When is a page read? As soon as it is quiet: its items are the same in
// two polls in a row and nothing it started can still change them. The
// probe, a script the browser runs in every document of a tab before the
// page's own scripts, tells what the page has started that the crawler
// does not see: its fetch and XMLHttpRequest calls from the moment they
// are made (the crawler sees a request only once the browser has paused
// it) until their bodies are read, scripts and style sheets it inserted that have not loaded, timers
// of up to a second, animation and idle callbacks that have not run, and
// the time of its last change to the DOM. The crawler adds the requests
// of the page it has paused and not answered (see tab.netQuiet).
//
// A page that is not quiet is read once its item count has not changed
// for settle and no request or timer of it is pending, or, when one stays
// pending (a long poll, a ticking timer), once the count has not changed
// for settleBusy. So a list built in batches, each asked for when the one
// before arrived, is read whole however long each request takes.

// probeTimerLimit is the longest timer the probe waits for, in ms: a page
// whose items come with a longer delay is read by the settle rule.
const probeTimerLimit = 1000

// quietGap is how long, in ms, a page must not have changed, with nothing
// pending, to be read early.
const quietGap = 50

// probeKey returns a random name under which the probe is reached, so a
// page cannot tell it from a name it knows in advance.
func probeKey() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return "__q" + hex.EncodeToString(b[:])
}

// probeScript returns the probe installed under key. window[key](sels)
// returns {n: the count of each selector (-1 for one the browser cannot
// parse), busy: requests, loads and timers pending, wait: animation and
// idle callbacks pending (plus one while the document is loading),
// since: ms since the page last changed}.
func probeScript(key string) string {
	return fmt.Sprintf(`(() => {
  const K = %q, W = window;
  if (Object.prototype.hasOwnProperty.call(W, K)) return;
  const now = () => performance.now();
  let last = now(), pending = 0;
  const touch = () => { last = now(); };
  const timers = new Set(), frames = new Set(), idles = new Set();
  const track = (set, id) => { set.add(id); touch(); };
  const wrap = (fn, set, id) => function () { set.delete(id()); try { return fn.apply(this, arguments); } finally { touch(); } };
  const st = W.setTimeout, ct = W.clearTimeout, ci = W.clearInterval;
  W.setTimeout = function setTimeout(fn, ms, ...args) {
    if (typeof fn !== 'function' || !((+ms || 0) <= %d)) return st.apply(this, arguments);
    let id;
    id = st.call(this, wrap(() => fn.apply(this, args), timers, () => id), ms);
    track(timers, id);
    return id;
  };
  W.clearTimeout = function clearTimeout(id) { timers.delete(id); return ct.apply(this, arguments); };
  W.clearInterval = function clearInterval(id) { timers.delete(id); return ci.apply(this, arguments); };
  if (W.requestAnimationFrame) {
    const raf = W.requestAnimationFrame, caf = W.cancelAnimationFrame;
    W.requestAnimationFrame = function requestAnimationFrame(fn) {
      if (typeof fn !== 'function') return raf.apply(this, arguments);
      let id;
      id = raf.call(this, wrap(fn, frames, () => id));
      track(frames, id);
      return id;
    };
    W.cancelAnimationFrame = function cancelAnimationFrame(id) { frames.delete(id); return caf.apply(this, arguments); };
  }
  if (W.requestIdleCallback) {
    const ric = W.requestIdleCallback, cic = W.cancelIdleCallback;
    W.requestIdleCallback = function requestIdleCallback(fn, opts) {
      if (typeof fn !== 'function') return ric.apply(this, arguments);
      let id;
      id = ric.call(this, wrap(fn, idles, () => id), opts);
      track(idles, id);
      return id;
    };
    W.cancelIdleCallback = function cancelIdleCallback(id) { idles.delete(id); return cic.apply(this, arguments); };
  }
  const begin = () => { pending++; touch(); };
  const end = () => { pending--; touch(); };
  if (W.fetch) {
    const f = W.fetch;
    W.fetch = function fetch() {
      begin();
      let p;
      try { p = f.apply(this, arguments); } catch (e) { end(); throw e; }
      p.then(end, end);
      return p;
    };
  }
  // A response's body is read after fetch resolves: pending until read.
  if (W.Response) {
    for (const m of ['json', 'text', 'arrayBuffer', 'blob', 'formData', 'bytes']) {
      const read = W.Response.prototype[m];
      if (typeof read !== 'function') continue;
      W.Response.prototype[m] = function () {
        begin();
        let p;
        try { p = read.apply(this, arguments); } catch (e) { end(); throw e; }
        p.then(end, end);
        return p;
      };
    }
  }
  if (W.XMLHttpRequest) {
    const send = W.XMLHttpRequest.prototype.send;
    W.XMLHttpRequest.prototype.send = function () {
      begin();
      this.addEventListener('loadend', end, {once: true});
      try { return send.apply(this, arguments); } catch (e) { this.removeEventListener('loadend', end); end(); throw e; }
    };
  }
  // A script or style sheet the page inserts once loaded is pending
  // until it has loaded (and a script has run); before, the document is
  // not complete until they have.
  const seen = new WeakSet();
  const loads = (node) => {
    if (node.nodeType !== 1 || document.readyState !== 'complete') return;
    const tag = node.tagName;
    if ((tag === 'SCRIPT' && node.src) || (tag === 'LINK' && /\bstylesheet\b/i.test(node.rel || ''))) {
      if (seen.has(node)) return;
      seen.add(node);
      begin();
      let done = false;
      const fin = () => { if (!done) { done = true; end(); } };
      node.addEventListener('load', fin, {once: true});
      node.addEventListener('error', fin, {once: true});
    }
  };
  new MutationObserver((records) => {
    touch();
    for (const r of records) for (const n of r.addedNodes) loads(n);
  }).observe(document, {childList: true, subtree: true, characterData: true});
  Object.defineProperty(W, K, {value: (sels) => ({
    n: sels.map((s) => { try { return document.querySelectorAll(s).length; } catch (e) { return -1; } }),
    busy: pending + timers.size,
    wait: frames.size + idles.size + (document.readyState === 'complete' ? 0 : 1),
    since: now() - last,
  })});
})();`, key, probeTimerLimit)
}
