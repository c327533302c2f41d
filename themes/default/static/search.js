/* Site search: the header's box and the results page search.html (see zhsite/search/).
 *
 * The index is files under search/ this script loads with <script> tags, the
 * one way a page opened from disk (file://) can read them, and the same on a
 * server: index.js (how many files there are, the filters' values), then for
 * a query only the routing files (terms-N.js) of its two-character sequences,
 * whose pages, intersected, are the candidates, and only the text files
 * (text-G-I.js, one a page) of the candidates about to be shown.  Their data
 * is deflated, 7 bits a character, and undone here with DecompressionStream.  There the term is looked
 * up as typed, as a substring (case aside): every page holding 卷积 is found,
 * however the words around it would be cut, and nothing is shown that does
 * not hold it.  Several terms, separated by spaces, must all be on the page.
 * A count of candidates not all checked yet is said to be an estimate (约).
 *
 * Every URL is made from this script's own address (static/search.js sits one
 * folder under the site root), so search works at "/", under "/<repo>/", from
 * disk, and behind any other prefix.  Archive text is untrusted: everything is
 * put into the page with textContent, never as HTML.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) return;
  var root = new URL("../", script.src);
  var box = document.querySelector(".site-search");
  var MANIFEST = box ? (box.getAttribute("data-shards") || "index.js") : "index.js";
  var KINDS = { article: "文章", answer: "回答", pin: "想法", zvideo: "视频", note: "笔记" };
  var EXCERPT = 110;  // characters around the first match
  var LISTED = 8;  // results in the header's dropdown
  var SHOWN = 50;  // results search.html lists at first, and adds with each 更多结果
  // Candidates checked per result wanted, at most: a phrase no page holds whose every two characters are
  // common (typed on the way to one that is held) must not load the text of half the archive.
  var CHECKED = 8;
  var PARAMETERS = ["q", "column", "author", "topic", "type"];  // search.html's address
  // What the routing index keeps of the text, lowercased, as zhsite/search/canonical.py's DROPPED.
  var DROPPED = /[^a-z0-9\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+/g;
  var manifest = null;
  var routing = {};  // routing file number → its decoding: [[a part's first page, its share (shareOf)], …]
  var postings = {};  // the same, once decoded
  var decoding = {};  // page number → its text's decoding
  var docs = [];  // page number → document, as text files load
  var scripts = {};  // file name → its loading

  function index(found) { manifest = found; }
  function terms(number, parts) {
    routing[number] = Promise.all(parts.map(function (part) {
      return unpacked(part[1]).then(function (bytes) { return [part[0], shareOf(bytes)]; });
    })).then(function (found) { postings[number] = found; });
  }
  function text(group, i, encoding, packed) {
    var n = manifest.starts[group] + i;
    decoding[n] = unpacked(packed).then(function (bytes) {
      var doc = JSON.parse(new TextDecoder(encoding).decode(bytes));
      doc.n = n;
      doc.lt = doc.t.toLowerCase();
      doc.lx = doc.x.toLowerCase();
      doc.lf = [doc.c, doc.a].concat(doc.g).join("\n").toLowerCase();
      docs[n] = doc;
    });
  }

  /* The bytes zhsite/search/files.py's _packed packed: 7 bits a character (each byte's low 7 bits, then the high
     bits, 7 a character), deflated. */
  function unpacked(packed) {
    return Promise.resolve().then(function () {
      if (typeof DecompressionStream === "undefined") throw new Error("此浏览器不能解压搜索索引（需要 Chrome 80、Firefox 113、Safari 16.4 或更新的版本）");
      var highs = Math.ceil(packed.length / 8), size = packed.length - highs, bytes = new Uint8Array(size);
      for (var i = 0; i < size; i++) {
        var high = packed.charCodeAt(size + Math.floor(i / 7)) >> (6 - i % 7) & 1;
        bytes[i] = packed.charCodeAt(i) & 127 | high << 7;
      }
      var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
      return new Response(stream).arrayBuffer();
    }).then(function (buffer) { return new Uint8Array(buffer); });
  }

  /* A part's share of a routing file (zhsite/search/files.py's _share): each sequence's first posting and count. */
  function shareOf(bytes) {
    var head = new DataView(bytes.buffer), keys = head.getUint32(0, true), total = head.getUint32(4, true);
    function at(list, k) { return bytes[8 + 2 * keys * list + k] | bytes[8 + 2 * keys * list + keys + k] << 8; }
    var share = { bytes: bytes, gaps: 8 + 6 * keys, total: total, at: new Map() };
    for (var k = 0, first = 0, one = 0, two = 0; k < keys; k++) {
      if (at(0, k)) { one += at(0, k); two = 0; }
      two += at(1, k);
      share.at.set(String.fromCharCode(one, two), [first, at(2, k)]);
      first += at(2, k);
    }
    return share;
  }

  function loadScript(name) {
    if (!scripts[name]) {
      scripts[name] = new Promise(function (resolve, reject) {
        var tag = document.createElement("script");
        tag.src = new URL("search/" + name, root).href;
        tag.onload = resolve;
        tag.onerror = function () { reject(new Error("搜索索引未能载入：" + name)); };
        document.head.appendChild(tag);
      });
    }
    return scripts[name];
  }

  /* *names*, each loaded once per page view; *progress* (optional) hears how many have loaded, so a
     search that needs several files says 载入索引 2/7 rather than seeming stuck. */
  function loadAll(names, progress) {
    var done = 0;
    if (progress) progress(0, names.length);
    return Promise.all(names.map(function (name) {
      return loadScript(name).then(function () { if (progress) progress(++done, names.length); });
    }));
  }

  function load() { return loadScript(MANIFEST).then(function () { return manifest; }); }

  /* A status line that says 正在载入… while files load, once that takes longer than SLOW ms: a reader
     typing on a fast connection sees no flicker, one on a slow one sees the search is not stuck. */
  var SLOW = 200;
  function noteLoading(status) {
    var timer = null;
    return function (done, total) {
      if (done === 0 && total > 0) clearTimeout(timer), timer = setTimeout(function () { status.textContent = "正在载入…"; }, SLOW);
      if (done === total) clearTimeout(timer);
    };
  }

  function unique(list) { return Array.from(new Set(list)); }

  function sequences(term) {
    var text = term.toLowerCase().replace(DROPPED, ""), out = [];
    for (var i = 0; i + 2 <= text.length; i++) out.push(text.slice(i, i + 2));
    return unique(out);
  }

  /* 32-bit FNV-1a of a sequence, modulo the routing files: zhsite/search/canonical.py's bigram_file. */
  function fileOf(sequence) {
    var h = 0x811c9dc5;
    for (var i = 0; i < sequence.length; i++) h = Math.imul(h ^ sequence.charCodeAt(i), 16777619) >>> 0;
    return h % manifest.terms;
  }

  function holding(sequence) {
    // In each part's share, a posting's distance from the page before (the first: from the part's first page
    // minus one) in two planes of bytes, low and high, and after them its value, in a third.
    var out = new Map();
    (postings[fileOf(sequence)] || []).forEach(function (part) {
      var share = part[1], found = share.at.get(sequence), bytes = share.bytes, n = part[0] - 1;
      if (!found) return;
      var low = share.gaps, high = low + share.total, values = high + share.total;
      for (var j = found[0]; j < found[0] + found[1]; j++) {
        n += bytes[low + j] | bytes[high + j] << 8;
        out.set(n, bytes[values + j]);
      }
    });
    return out;
  }

  /* The pages that may hold *term*, each with an estimate of its score, or null when the term has no
     two-character sequence to route by (a single character, "C++"): every page may hold it. */
  function mayHold(term) {
    var keys = sequences(term);
    if (!keys.length) return null;
    var lists = keys.map(holding).sort(function (a, b) { return a.size - b.size; });
    var out = new Map();
    lists[0].forEach(function (value, page) {
      var inTitle = value & 1, level = value >> 1;  // how often: its bit length (zhsite/search/files.py's LEVELS)
      for (var i = 1; i < lists.length; i++) {
        var other = lists[i].get(page);
        if (other === undefined) return;
        inTitle &= other;
        level = Math.min(level, other >> 1);
      }
      out.set(page, (inTitle ? 100 : 0) + 10 + (1 << (level - 1)));
    });
    return out;
  }

  /* The candidate page numbers for *terms*, likeliest first, after loading the routing files they need. */
  function candidates(terms, progress) {
    var files = unique([].concat.apply([], terms.map(sequences)).map(fileOf)).sort(function (a, b) { return a - b; });
    return loadAll(files.map(function (n) { return "terms-" + n + ".js"; }), progress).then(function () {
      return Promise.all(files.map(function (n) { return routing[n]; }));
    }).then(function () {
      var points = null;
      terms.map(mayHold).forEach(function (found) {
        if (!found) return;
        if (!points) { points = found; return; }
        var both = new Map();
        points.forEach(function (p, page) { if (found.has(page)) both.set(page, p + found.get(page)); });
        points = both;
      });
      if (!points) {
        points = new Map();
        for (var page = 0; page < manifest.pages; page++) points.set(page, 0);
      }
      return Array.from(points.keys()).sort(function (a, b) { return points.get(b) - points.get(a) || a - b; });
    });
  }

  /* text-G-I.js: page I of group G, the group found among the manifest's group starts. */
  function textFile(page) {
    var low = 0, high = manifest.starts.length - 1;
    while (low < high) {
      var mid = (low + high + 1) >> 1;
      if (manifest.starts[mid] <= page) low = mid; else high = mid - 1;
    }
    return "text-" + low + "-" + (page - manifest.starts[low]) + ".js";
  }

  /* The documents of *pages* that hold every term and pass the filters, checked in their text, until
     *limit* are found or CHECKED times *limit* pages checked (0: all): {found, checked}. */
  function verified(pages, terms, filters, limit, progress) {
    var found = [], at = 0;
    function step() {
      if (at >= pages.length || (limit && (found.length >= limit || at >= limit * CHECKED))) {
        return Promise.resolve({ found: found, checked: at });
      }
      var batch = pages.slice(at, limit ? at + limit - found.length : pages.length);
      at += batch.length;
      return loadAll(batch.map(textFile), progress).then(function () {
        return Promise.all(batch.map(function (page) { return decoding[page]; }));
      }).then(function () {
        batch.forEach(function (page) {
          var doc = docs[page];
          if (passes(doc, filters) && (!terms.length || score(doc, terms))) found.push(doc);
        });
        return step();
      });
    }
    return step();
  }

  function termsOf(query) {
    return query.toLowerCase().split(/\s+/).filter(Boolean);
  }

  function count(text, term) {
    var n = 0;
    for (var at = text.indexOf(term); at >= 0 && n < 50; at = text.indexOf(term, at + term.length)) n++;
    return n;
  }

  /* A page's score for the terms: 0 unless it holds every one.  The title counts most, then the text
   (more often, more); a term only in the column, author or topics, least. */
  function score(doc, terms) {
    var total = 0;
    for (var i = 0; i < terms.length; i++) {
      var inTitle = doc.lt.indexOf(terms[i]) >= 0;
      var inFacts = doc.lf.indexOf(terms[i]) >= 0;
      var times = count(doc.lx, terms[i]);
      if (!inTitle && !inFacts && !times) return 0;
      total += (inTitle ? 100 : 0) + (times ? 10 + times : 0) + (inFacts ? 1 : 0);
    }
    return total;
  }

  function passes(doc, filters) {
    return (!filters.column || doc.c === filters.column) &&
      (!filters.author || doc.a === filters.author) &&
      (!filters.topic || doc.g.indexOf(filters.topic) >= 0) &&
      (!filters.type || doc.k === filters.type);
  }

  /* The passage around the first match in the paragraph holding most terms, cut into marked and plain parts. */
  function excerpt(doc, terms) {
    var lines = doc.x.split("\n");
    var best = 0, bestHits = -1;
    lines.forEach(function (line, i) {
      var lower = line.toLowerCase();
      var hits = terms.filter(function (t) { return lower.indexOf(t) >= 0; }).length;
      if (hits > bestHits) { best = i; bestHits = hits; }
    });
    var line = lines[best] || "";
    var lower = line.toLowerCase();
    var first = Math.min.apply(null, terms.map(function (t) {
      var at = lower.indexOf(t);
      return at < 0 ? Infinity : at;
    }).concat([Infinity]));
    var start = first === Infinity ? 0 : Math.max(0, first - 30);
    var end = Math.min(line.length, start + EXCERPT);
    var parts = [];
    if (start > 0) parts.push({ text: "…", mark: false });
    var text = line.slice(start, end), low = text.toLowerCase(), at = 0;
    while (at < text.length) {
      var next = -1, size = 0;
      terms.forEach(function (t) {
        var found = low.indexOf(t, at);
        if (found >= 0 && (next < 0 || found < next || (found === next && t.length > size))) { next = found; size = t.length; }
      });
      if (next < 0) { parts.push({ text: text.slice(at), mark: false }); break; }
      if (next > at) parts.push({ text: text.slice(at, next), mark: false });
      parts.push({ text: text.slice(next, next + size), mark: true });
      at = next + size;
    }
    if (end < line.length) parts.push({ text: "…", mark: false });
    return parts;
  }

  /* A term's words as the browser cuts them (注意力模型 → 注意力, 模型); without Intl.Segmenter, its
     overlapping two-character pieces. */
  function pieces(terms) {
    var words = typeof Intl !== "undefined" && Intl.Segmenter ? new Intl.Segmenter("zh", { granularity: "word" }) : null;
    return [].concat.apply([], terms.map(function (t) {
      if (words) {
        return Array.from(words.segment(t)).filter(function (s) { return s.isWordLike; }).map(function (s) { return s.segment; });
      }
      var out = [];
      for (var i = 0; i + 2 <= t.length; i++) out.push(t.slice(i, i + 2));
      return out.length ? out : [t];
    }));
  }

  function ranked(found, terms) {
    return found.map(function (doc) { return { doc: doc, points: terms.length ? score(doc, terms) : 1 }; }).sort(function (a, b) {
      return b.points - a.points || (a.doc.d < b.doc.d ? 1 : a.doc.d > b.doc.d ? -1 : 0) || (a.doc.u < b.doc.u ? -1 : 1);
    });
  }

  function lookUp(terms, filters, limit, progress) {
    return candidates(terms, progress).then(function (pages) {
      return verified(pages, terms, filters, limit, progress).then(function (done) {
        return { found: done.found, complete: done.checked >= pages.length, checked: done.checked, estimate: pages.length };
      });
    });
  }

  /* The results for *query* (and filters), best first: {url, title, column, author, topics, kind, date, excerpt, partial}.
     options.limit: stop after that many (the box shows 8); then the list's `complete` is false while
     candidates are left unchecked, and its `total` is an estimate.  When no page holds the query as
     typed (注意力模型), the pages holding each of its words, marked partial: a reader who phrased a
     term differently from the author still finds something. */
  function search(query, filters, options) {
    filters = filters || {};
    options = options || {};
    var terms = termsOf(query || ""), partial = false;
    return load().then(function () {
      return lookUp(terms, filters, options.limit || 0, options.progress);
    }).then(function (looked) {
      if (looked.found.length || !terms.length || !looked.complete) return looked;
      terms = pieces(terms);
      partial = true;
      return lookUp(terms, filters, options.limit || 0, options.progress);
    }).then(function (looked) {
      var results = ranked(looked.found, terms).map(function (hit) {
        var doc = hit.doc;
        return {
          url: new URL(doc.u, root).href, title: doc.t, column: doc.c, author: doc.a, topics: doc.g,
          kind: doc.k, date: doc.d, excerpt: excerpt(doc, terms), partial: partial,
        };
      });
      results.complete = looked.complete;
      results.total = looked.complete ? results.length : looked.estimate;
      results.checked = looked.checked;
      return results;
    });
  }

  window.zhsiteSearch = { index: index, terms: terms, text: text, search: search };

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  /* *text* with each occurrence of the query's words marked, as the excerpts are. */
  function marked(node, text, query) {
    var words = (query || "").toLowerCase().split(/\s+/).filter(Boolean), lower = text.toLowerCase(), at = 0;
    while (words.length) {
      var next = -1, size = 0;
      words.forEach(function (word) {
        var found = lower.indexOf(word, at);
        if (found >= 0 && (next < 0 || found < next)) { next = found; size = word.length; }
      });
      if (next < 0) break;
      if (next > at) node.appendChild(document.createTextNode(text.slice(at, next)));
      node.appendChild(element("mark", "", text.slice(next, next + size)));
      at = next + size;
    }
    node.appendChild(document.createTextNode(text.slice(at)));
    return node;
  }

  function resultItem(result, query) {
    var item = element("li", "search-result");
    var link = marked(element("a", "search-result-title"), result.title, query);
    link.href = result.url;
    item.appendChild(link);
    var facts = [result.column, result.author, result.date, KINDS[result.kind]].filter(Boolean);
    item.appendChild(element("p", "search-result-meta", facts.join(" · ")));
    var text = element("p", "search-result-excerpt");
    result.excerpt.forEach(function (part) {
      text.appendChild(part.mark ? element("mark", "", part.text) : document.createTextNode(part.text));
    });
    item.appendChild(text);
    return item;
  }

  function searchPage(query) {
    return new URL("search.html", root).href + (query ? "?q=" + encodeURIComponent(query) : "");
  }

  /* No index to search: a file that would not load. */
  function unavailable(status, error) {
    status.textContent = "";
    status.appendChild(document.createTextNode(error.message + "。请在"));
    var topics = element("a", "", "话题");
    topics.href = new URL("topics/index.html", root).href;
    status.appendChild(topics);
    status.appendChild(document.createTextNode("和"));
    var columns = element("a", "", "专栏");
    columns.href = new URL("index.html#columns", root).href;
    status.appendChild(columns);
    status.appendChild(document.createTextNode("目录中查找。"));
  }

  /* How many results: counted when every candidate was checked, else the candidates, said to be an estimate. */
  function howMany(results) {
    return results.complete ? results.total + " 篇" : "约 " + results.total + " 篇";
  }

  /* *results* in *list*, and how many there are in *status*. */
  function show(list, status, results, query) {
    list.textContent = "";
    status.textContent = !results.length && !results.complete
        ? "前 " + results.checked + " 篇都" + (query ? "不包含“" + query + "”" : "不符合筛选条件") + "，另有约 "
          + (results.total - results.checked) + " 篇未查看"
      : !results.length ? (query ? "没有找到包含“" + query + "”的文章或笔记" : "没有符合筛选条件的文章或笔记")
      : results[0].partial ? "没有页面包含完整的“" + query + "”；" + howMany(results) + "包含其中的词"
      : howMany(results);
    results.forEach(function (r) { list.appendChild(resultItem(r, query)); });
  }

  /* The header's box: results as the reader types; Enter opens search.html?q=… */
  function headerBox() {
    var form = box.querySelector("form");
    var input = box.querySelector("input");
    var drawer = box.querySelector(".search-drawer");
    var status = drawer.querySelector(".search-status");
    var list = drawer.querySelector(".search-results");
    var all = drawer.querySelector(".search-all");
    var typed = 0;
    function open() { box.classList.remove("is-closed"); }
    function close() { box.classList.add("is-closed"); }

    form.action = searchPage("");
    input.addEventListener("input", function () {
      var query = input.value.trim(), mine = ++typed;
      open();
      if (!query) { list.textContent = status.textContent = ""; all.hidden = true; return; }
      search(query, {}, { limit: LISTED, progress: noteLoading(status) }).then(function (results) {
        if (mine !== typed) return;  // the reader typed on
        show(list, status, results, query);
        all.href = searchPage(query);
        all.textContent = "全部" + (results.complete ? " " : "约 ") + results.total + " 篇结果";
        all.hidden = results.complete && results.total <= LISTED;
      }, function (error) { unavailable(status, error); });
    });
    input.addEventListener("focus", function () { open(); load().catch(function (error) { unavailable(status, error); }); });
    document.addEventListener("click", function (event) { if (!box.contains(event.target)) close(); });
    box.addEventListener("keydown", function (event) {
      if (box.classList.contains("is-closed")) return;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {  // from the box through the results and back
        var stops = [input].concat(Array.prototype.slice.call(drawer.querySelectorAll(".search-result-title, .search-all:not([hidden])")));
        var at = stops.indexOf(document.activeElement);
        if (at < 0) return;
        event.preventDefault();
        stops[Math.max(0, Math.min(stops.length - 1, at + (event.key === "ArrowDown" ? 1 : -1)))].focus();
        return;
      }
      if (event.key !== "Escape") return;
      input.focus();
      close();  // after focus(), which opens
    });
    close();
  }

  /* search.html: the query and filters come from the address, so a search can be shared and bookmarked. */
  function resultsPage(form) {
    var params = new URLSearchParams(location.search);
    var status = document.querySelector(".search-page-status");
    var list = document.querySelector(".search-page-results");
    var query = params.get("q") || "";
    var filters = {};
    form.elements.q.value = query;
    PARAMETERS.slice(1).forEach(function (name) { filters[name] = params.get(name) || ""; });
    form.addEventListener("submit", function (event) { event.preventDefault(); go(form); });
    status.textContent = "正在载入索引…";
    load().then(function (found) {
      fill(form.elements.column, found.columns, filters.column);
      fill(form.elements.author, found.authors, filters.author);
      fill(form.elements.topic, found.topics, filters.topic);
      form.elements.type.value = filters.type;
      Array.prototype.forEach.call(form.querySelectorAll("select"), function (select) {
        select.addEventListener("change", function () { go(form); });
      });
      var filtered = filters.column || filters.author || filters.topic || filters.type;
      if (!query && !filtered) { status.textContent = "输入要找的词，或选一个专栏、作者、话题。"; return null; }
      if (query) document.title = query + " · " + document.title;
      var limit = SHOWN, more = element("button", "search-more", "更多结果");
      more.type = "button";
      more.hidden = true;
      list.parentNode.insertBefore(more, list.nextSibling);
      function run() {
        return search(query, filters, { limit: limit, progress: noteLoading(status) }).then(function (results) {
          show(list, status, results, query);
          more.hidden = results.complete;
        });
      }
      more.addEventListener("click", function () {
        limit += SHOWN;
        run().catch(function (error) { unavailable(status, error); });
      });
      return run();
    }).catch(function (error) { unavailable(status, error); });
  }

  /* Opens the address of the form's query and the filters chosen, and nothing for those left at 全部. */
  function go(form) {
    var params = new URLSearchParams();
    PARAMETERS.forEach(function (name) {
      var value = form.elements[name].value.trim();
      if (value) params.set(name, value);
    });
    location.href = new URL("search.html", root).href + (params.toString() ? "?" + params : "");
  }

  function fill(select, values, chosen) {
    var unique = Array.from(new Set(values.filter(Boolean))).sort();
    if (chosen && unique.indexOf(chosen) < 0) unique.unshift(chosen);
    unique.forEach(function (value) {
      var option = element("option", "", value);
      option.value = value;
      select.appendChild(option);
    });
    select.value = chosen;
  }

  if (box) headerBox();
  var page = document.querySelector("form.search-page-form");
  if (page) resultsPage(page);
})();
