// handbook search: queries the chunked index under <base-url>search/ (written by src/search/).
// Loaded by handbook.js on first use. It downloads the manifest and the page table once, then
// only the term shards a query's words fall in and the fragments of the results it shows.
// Words are split as src/search/tokens.rs splits them; the file format is described in
// src/search/encode.rs. Results are built with textContent: nothing from the content is ever
// parsed as HTML.
(function () {
  "use strict";
  var box = document.getElementById("hb-search");
  var input = document.getElementById("hb-search-input");
  var panel = document.getElementById("hb-search-panel");
  if (!box || !input || !panel || box.dataset.ready) return; // (file:// is handled by handbook.js)
  box.dataset.ready = "1";

  var FORMAT = 1;
  var SHOWN = 10; // results per screen; "More results" adds as many again
  var FEW = 20; // below this many results, common words' tails are fetched too
  var CHIPS = 12; // facet values shown per facet (the ones with most results)
  var STOP = " an and are as at be but by for from has have if in into is it its of on or so than that the their then there these this to was were which with ";
  var base = box.dataset.base || "/";
  var root = base + "search/";

  var index = null; // {manifest, docFw, docDim}
  var shards = {}; // shard number -> Promise of [{term, df, tail, docs, weights}]
  var tails = {};
  var fragments = {};
  var filter = { fw: 0, dim: 0 }; // 1-based facet values, 0: any
  var state = { seq: 0, results: [], shown: SHOWN, active: -1, marks: [] };

  // ---- the panel ----------------------------------------------------------------------------
  var status = el("p", "search-status");
  status.id = "hb-search-status";
  status.setAttribute("role", "status");
  var chips = el("div", "search-chips");
  var list = el("ul", "search-results");
  list.id = "hb-search-results";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", "Search results");
  var more = el("button", "search-more");
  more.type = "button";
  more.textContent = "More results";
  more.hidden = true;
  panel.appendChild(status);
  panel.appendChild(chips);
  panel.appendChild(list);
  panel.appendChild(more);
  input.setAttribute("aria-controls", list.id);
  input.setAttribute("aria-describedby", status.id);

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }
  function open() {
    panel.hidden = false;
    input.setAttribute("aria-expanded", "true");
  }
  function close() {
    panel.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }
  function say(text) {
    status.textContent = text;
  }

  // ---- loading ------------------------------------------------------------------------------
  function get(path, kind) {
    var v = index ? "?v=" + index.manifest.version : "";
    return fetch(root + path + v, index ? {} : { cache: "no-cache" }).then(function (r) {
      if (!r.ok) throw new Error(path + ": HTTP " + r.status);
      return kind === "json" ? r.json() : r.arrayBuffer();
    });
  }
  var ready = null;
  function load() {
    if (ready) return ready;
    ready = get("manifest.json", "json").then(function (manifest) {
      if (manifest.format !== FORMAT) throw new Error("index format " + manifest.format);
      index = { manifest: manifest };
      return get("pages.bin");
    }).then(function (buffer) {
      readPages(new Uint8Array(buffer));
    });
    ready.catch(function () {}); // reported by the query that awaits it
    return ready;
  }
  function varints(bytes) {
    var at = 0;
    return {
      next: function () {
        var n = 0, mul = 1, b;
        do { b = bytes[at++]; n += (b & 127) * mul; mul *= 128; } while (b & 128);
        return n;
      },
      byte: function () { return bytes[at++]; },
      bytes: function (n) { var s = bytes.subarray(at, at + n); at += n; return s; },
      done: function () { return at >= bytes.length; },
    };
  }
  function readPages(bytes) {
    var docs = index.manifest.docs;
    var fw = new Uint16Array(docs), dim = new Uint16Array(docs);
    var r = varints(bytes), doc = 0;
    while (!r.done()) {
      var n = r.next(), f = r.next(), d = r.next();
      for (var i = 0; i < n; i++, doc++) { fw[doc] = f; dim[doc] = d; }
    }
    index.docFw = fw;
    index.docDim = dim;
  }
  var utf8 = new TextDecoder();
  function readPostings(r) {
    var n = r.next(), docs = new Uint32Array(n), weights = new Uint8Array(n), doc = 0;
    for (var i = 0; i < n; i++) { doc += r.next(); docs[i] = doc; weights[i] = r.byte(); }
    return { docs: docs, weights: weights };
  }
  function shard(n) {
    if (!shards[n]) {
      shards[n] = get("t/" + n + ".bin").then(function (buffer) {
        var r = varints(new Uint8Array(buffer)), terms = [], previous = new Uint8Array(0);
        while (!r.done()) {
          var shared = r.next(), rest = r.bytes(r.next());
          var bytes = new Uint8Array(shared + rest.length);
          bytes.set(previous.subarray(0, shared));
          bytes.set(rest, shared);
          var df = r.next(), tail = r.next(), p = readPostings(r);
          terms.push({ term: utf8.decode(bytes), df: df, tail: tail, docs: p.docs, weights: p.weights });
          previous = bytes;
        }
        return terms;
      });
    }
    return shards[n];
  }
  function tail(entry) {
    var n = entry.tail - 1;
    if (!tails[n]) {
      tails[n] = get("x/" + n + ".bin").then(function (buffer) {
        return readPostings(varints(new Uint8Array(buffer)));
      });
    }
    return tails[n];
  }
  function fragment(doc) {
    var n = Math.floor(doc / index.manifest.fragment_docs);
    if (!fragments[n]) fragments[n] = get("f/" + n + ".json", "json");
    return fragments[n].then(function (rows) { return rows[doc % index.manifest.fragment_docs]; });
  }
  // The terms from `lo` up to (not including) `hi`, from the shards that hold them.
  function range(lo, hi) {
    var first = index.manifest.shards, from = 0, to = first.length - 1;
    while (from < to && first[from + 1] <= lo) from++;
    var wanted = [];
    for (var i = from; i < first.length && (i === from || first[i] < hi); i++) wanted.push(shard(i));
    return Promise.all(wanted).then(function (parts) {
      var out = [];
      parts.forEach(function (terms) {
        terms.forEach(function (t) { if (t.term >= lo && t.term < hi) out.push(t); });
      });
      return out;
    });
  }

  // ---- matching -----------------------------------------------------------------------------
  function words(text) {
    return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) || []).filter(function (w) {
      return w.length > 1 && w.length <= 32 && STOP.indexOf(" " + w + " ") < 0;
    });
  }
  // Whether `a` is within one edit (insertion, deletion, substitution) of `b`, or of the start
  // of `b`, when `prefix` is set: the word being typed may be a misspelt beginning.
  function near(a, b, prefix) {
    if (prefix && b.length > a.length + 1) b = b.slice(0, a.length + 1);
    var m = a.length, n = b.length;
    if (Math.abs(m - n) > 1 && !prefix) return false;
    var prev = [], cur = [];
    for (var j = 0; j <= n; j++) prev[j] = j;
    for (var i = 1; i <= m; i++) {
      cur = [i];
      var best = i;
      for (j = 1; j <= n; j++) {
        cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        if (cur[j] < best) best = cur[j];
      }
      if (best > 1) return false;
      prev = cur;
    }
    if (!prefix) return prev[n] <= 1;
    for (j = Math.max(0, m - 1); j <= n; j++) if (prev[j] <= 1) return true;
    return false;
  }
  // The terms a query word stands for, each with how well it matches: the word itself, words it
  // begins (three letters or more), else, from five letters, words one typo away.
  function candidates(word) {
    var prefix = word.length >= 3;
    var hi = prefix ? word + "\uffff" : word + "\u0000";
    return range(word, hi).then(function (found) {
      var out = found.map(function (t) { return { entry: t, quality: t.term === word ? 1 : 0.7 }; });
      if (out.length || word.length < 5) return out;
      var stem = word.slice(0, 2);
      return range(stem, stem + "\uffff").then(function (near2) {
        return near2.filter(function (t) { return near(word, t.term, true); }).map(function (t) {
          return { entry: t, quality: near(word, t.term, false) ? 0.5 : 0.4 };
        });
      });
    }).then(function (out) {
      // A short prefix may begin hundreds of words: keep the most frequent few.
      out.sort(function (a, b) { return b.quality - a.quality || b.entry.df - a.entry.df; });
      return out.slice(0, 40);
    });
  }
  function postingsOf(c, withTails) {
    if (!withTails || !c.entry.tail) return Promise.resolve([c.entry]);
    return tail(c.entry).then(function (t) { return [c.entry, t]; });
  }
  // Scores every document that matches every word; `truncated` says whether a common word's
  // lighter postings were left out.
  function score(perWord, withTails) {
    var docs = index.manifest.docs;
    return Promise.all(perWord.map(function (cands) {
      return Promise.all(cands.map(function (c) { return postingsOf(c, withTails); }));
    })).then(function (loaded) {
      var total = null, truncated = false;
      loaded.forEach(function (lists, w) {
        var best = new Map();
        lists.forEach(function (parts, ci) {
          var c = perWord[w][ci];
          if (c.entry.tail && !withTails) truncated = true;
          var factor = c.quality * Math.log(1 + docs / c.entry.df);
          parts.forEach(function (p) {
            for (var i = 0; i < p.docs.length; i++) {
              var s = p.weights[i] * factor, d = p.docs[i];
              if (!(best.get(d) >= s)) best.set(d, s);
            }
          });
        });
        if (total === null) { total = best; return; }
        var next = new Map();
        total.forEach(function (s, d) { var t = best.get(d); if (t !== undefined) next.set(d, s + t); });
        total = next;
      });
      return { scores: total || new Map(), truncated: truncated };
    });
  }

  // ---- a query ------------------------------------------------------------------------------
  function search() {
    var query = input.value;
    var seq = ++state.seq;
    state.query = query;
    var qwords = words(query);
    if (!qwords.length) {
      list.textContent = "";
      chips.textContent = "";
      more.hidden = true;
      say(query.trim() ? "Type a longer word to search." : "");
      if (!query.trim()) close(); else open();
      return;
    }
    open();
    load().then(function () {
      return Promise.all(qwords.map(candidates));
    }).then(function (perWord) {
      if (seq !== state.seq) return null;
      if (perWord.some(function (c) { return !c.length; })) return { perWord: perWord, scores: new Map() };
      return score(perWord, false).then(function (r) {
        var count = filtered(r.scores).length;
        if (!r.truncated || count >= FEW) return { perWord: perWord, scores: r.scores, truncated: r.truncated };
        return score(perWord, true).then(function (all) { return { perWord: perWord, scores: all.scores }; });
      });
    }).then(function (r) {
      if (!r || seq !== state.seq) return;
      state.scores = r.scores;
      state.truncated = r.truncated;
      state.marks = [];
      r.perWord.forEach(function (cands) { cands.forEach(function (c) { state.marks.push(c.entry.term); }); });
      state.prefixes = qwords.filter(function (w) { return w.length >= 3; });
      show(seq);
    }).catch(function (e) {
      if (seq !== state.seq) return;
      list.textContent = "";
      chips.textContent = "";
      more.hidden = true;
      list.dataset.query = query;
      say("Search is unavailable: its index could not be loaded (" + e.message + ").");
    });
  }
  function filtered(scores, ignore) {
    var out = [];
    scores.forEach(function (s, d) {
      if (filter.fw && ignore !== "fw" && index.docFw[d] !== filter.fw) return;
      if (filter.dim && ignore !== "dim" && index.docDim[d] !== filter.dim) return;
      out.push([d, s]);
    });
    return out;
  }
  function show(seq) {
    var results = filtered(state.scores);
    results.sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; });
    state.results = results;
    state.shown = SHOWN;
    drawChips();
    drawResults(seq);
  }
  function drawResults(seq) {
    var results = state.results, n = results.length;
    var count = n === 0 ? "Nothing matched “" + input.value.trim() + "”" + (filter.fw || filter.dim ? " with these filters." : ".")
      : (n === 1 ? "1 result" : n.toLocaleString("en") + (state.truncated ? "+" : "") + " results");
    var top = results.slice(0, state.shown);
    Promise.all(top.map(function (r) { return fragment(r[0]); })).then(function (rows) {
      if (seq !== state.seq) return;
      say(count);
      list.textContent = "";
      list.dataset.query = state.query; // which query the list answers (tests, benchmarks)
      state.active = -1;
      input.removeAttribute("aria-activedescendant");
      rows.forEach(function (row, i) { list.appendChild(result(row, top[i][0], i)); });
      more.hidden = n <= state.shown;
    });
  }
  function result(row, doc, i) {
    // The option is a real link (an `a` may take the option role): readers can middle-click
    // it, open it in a new tab or copy it. The item around it is only a list item; the input
    // keeps the focus and the arrows move the active option, as before.
    var li = el("li");
    li.setAttribute("role", "none");
    var option = el("a", "search-result");
    option.href = base + row[0];
    option.tabIndex = -1;
    option.id = "hb-search-result-" + i;
    option.setAttribute("role", "option");
    option.setAttribute("aria-selected", "false");
    option.dataset.href = option.getAttribute("href");
    li.appendChild(option);
    var title = el("span", "search-result-title");
    highlight(title, row[1]);
    if (row[2]) {
      title.appendChild(document.createTextNode(" › "));
      highlight(title, row[2]);
    }
    option.appendChild(title);
    var facets = [facetTitle("frameworks", index.docFw[doc]), facetTitle("dimensions", index.docDim[doc])].filter(Boolean);
    if (facets.length) option.appendChild(el("span", "search-result-facets", facets.join(" · ")));
    if (row[3]) {
      var p = el("span", "search-result-excerpt");
      highlight(p, excerpt(row[3]));
      option.appendChild(p);
    }
    option.addEventListener("click", function (e) {
      // With a modifier key the browser opens the link as it would any other.
      if (e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
      e.preventDefault();
      go(option);
    });
    option.addEventListener("mousemove", function () { activate(i); });
    return li;
  }
  function go(option) {
    close();
    location.href = option.dataset.href;
  }
  function facetTitle(kind, n) {
    return n ? index.manifest[kind][n - 1][1] : "";
  }
  function matches(word) {
    var w = word.toLowerCase();
    if (state.marks.indexOf(w) >= 0) return true;
    return state.prefixes.some(function (p) { return w.lastIndexOf(p, 0) === 0; });
  }
  // About 180 characters of `text` around its first matched word.
  function excerpt(text) {
    var re = /[\p{L}\p{N}]+/gu, m, at = -1;
    while ((m = re.exec(text))) { if (matches(m[0])) { at = m.index; break; } }
    if (at < 60) return text.length > 180 ? text.slice(0, 180).replace(/\s\S*$/, "") + " …" : text;
    var start = text.lastIndexOf(" ", at - 40) + 1;
    var out = text.slice(start, start + 180);
    if (start + 180 < text.length) out = out.replace(/\s\S*$/, "") + " …";
    return "… " + out;
  }
  // Appends `text` to `node`, its matched words in <mark>.
  function highlight(node, text) {
    var re = /[\p{L}\p{N}]+/gu, m, last = 0;
    while ((m = re.exec(text))) {
      if (!matches(m[0])) continue;
      if (m.index > last) node.appendChild(document.createTextNode(text.slice(last, m.index)));
      node.appendChild(el("mark", null, m[0]));
      last = m.index + m[0].length;
    }
    if (last < text.length) node.appendChild(document.createTextNode(text.slice(last)));
  }

  // ---- facets -------------------------------------------------------------------------------
  function drawChips() {
    chips.textContent = "";
    [["fw", "frameworks", "Framework", index.docFw], ["dim", "dimensions", "Dimension", index.docDim]].forEach(function (f) {
      var counts = new Map();
      filtered(state.scores, f[0]).forEach(function (r) {
        var v = f[3][r[0]];
        if (v) counts.set(v, (counts.get(v) || 0) + 1);
      });
      if (filter[f[0]] && !counts.has(filter[f[0]])) counts.set(filter[f[0]], 0);
      if (!counts.size) return;
      var values = Array.from(counts.keys()).sort(function (a, b) { return counts.get(b) - counts.get(a) || a - b; });
      values = values.filter(function (v, i) { return i < CHIPS || v === filter[f[0]]; });
      var group = el("div", "search-facet");
      group.setAttribute("role", "group");
      group.setAttribute("aria-label", f[2]);
      group.appendChild(el("span", "search-facet-label", f[2]));
      values.forEach(function (v) {
        var chip = el("button", "search-chip");
        chip.type = "button";
        var on = filter[f[0]] === v;
        chip.setAttribute("aria-pressed", on ? "true" : "false");
        chip.appendChild(document.createTextNode(index.manifest[f[1]][v - 1][1] + " "));
        chip.appendChild(el("span", "search-chip-count", String(counts.get(v))));
        chip.addEventListener("click", function () {
          filter[f[0]] = on ? 0 : v;
          search(); // again: with fewer results, common words' tails may be needed now
          input.focus();
        });
        group.appendChild(chip);
      });
      chips.appendChild(group);
    });
  }

  // ---- keyboard -----------------------------------------------------------------------------
  function activate(i) {
    var options = list.querySelectorAll('[role="option"]');
    if (!options.length) return;
    i = (i + options.length) % options.length;
    options.forEach(function (o, j) { o.setAttribute("aria-selected", j === i ? "true" : "false"); });
    state.active = i;
    input.setAttribute("aria-activedescendant", options[i].id);
    options[i].scrollIntoView({ block: "nearest" });
  }
  input.addEventListener("input", search);
  input.addEventListener("focus", function () { if (input.value.trim()) open(); });
  input.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      if (panel.hidden && input.value.trim()) open();
      activate(state.active + (e.key === "ArrowDown" ? 1 : -1));
    } else if (e.key === "Enter") {
      var options = list.querySelectorAll('[role="option"]');
      var target = options[state.active >= 0 ? state.active : 0];
      if (target) {
        e.preventDefault();
        go(target);
      }
    } else if (e.key === "Escape") {
      if (!panel.hidden) { e.preventDefault(); close(); } else input.blur();
    }
  });
  more.addEventListener("click", function () {
    state.shown += SHOWN;
    drawResults(state.seq);
  });
  document.addEventListener("click", function (e) {
    if (!box.contains(e.target)) close();
  });
  if (input.value.trim()) search();
  else load();
})();
