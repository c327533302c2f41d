/* Site search: the header's box and the results page search.html (see zhsite/search.py).
 *
 * The index is the pages' text, in search/index-N.js files this script loads
 * with <script> tags on the first search: the one way a page opened from disk
 * (file://) can read them, and the same on a server.  A term is looked up as
 * it is typed, as a substring (case aside): every page holding 卷积 is found,
 * however the words around it would be cut.  Several terms, separated by
 * spaces, must all be on the page.
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
  var shards = box ? (box.getAttribute("data-shards") || "").split(" ").filter(Boolean) : [];
  var KINDS = { article: "文章", answer: "回答", note: "笔记" };
  var EXCERPT = 110;  // characters around the first match
  var LISTED = 8;
  var PARAMETERS = ["q", "column", "author", "topic", "type"];  // search.html's address  // results in the header's dropdown; search.html shows them all
  var docs = [];
  var loading = null;

  function add(list) {
    list.forEach(function (doc) {
      doc.lt = doc.t.toLowerCase();
      doc.lx = doc.x.toLowerCase();
      doc.lf = [doc.c, doc.a].concat(doc.g).join("\n").toLowerCase();
      docs.push(doc);
    });
  }

  function loadScript(name) {
    return new Promise(function (resolve, reject) {
      var tag = document.createElement("script");
      tag.src = new URL("search/" + name, root).href;
      tag.onload = resolve;
      tag.onerror = function () { reject(new Error("搜索索引未能载入：" + name)); };
      document.head.appendChild(tag);
    });
  }

  /* Every index file, loaded once per page view.  *progress* (optional) hears how many of them have
     loaded, so a large site's first search says 载入索引 2/7 rather than seeming stuck. */
  var listeners = [], loaded = 0;
  function load(progress) {
    if (progress && loaded < shards.length) {
      listeners.push(progress);
      progress(loaded, shards.length);
    }
    if (!loading) {
      loading = Promise.all(shards.map(function (name) {
        return loadScript(name).then(function () {
          loaded++;
          listeners.forEach(function (hear) { hear(loaded, shards.length); });
        });
      })).then(function () { listeners = []; return docs; });
    }
    return loading;
  }

  /* A status line that shows the index loading while there is more than one file to load. */
  function noteLoading(status) {
    return function (done, total) {
      if (total > 1 && done < total) status.textContent = "载入索引 " + done + "/" + total + "…";
    };
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

  function ranked(all, terms, filters) {
    var found = [];
    all.forEach(function (doc) {
      if (!passes(doc, filters)) return;
      var points = terms.length ? score(doc, terms) : 1;
      if (points) found.push({ doc: doc, points: points });
    });
    return found.sort(function (a, b) {
      return b.points - a.points || (a.doc.d < b.doc.d ? 1 : a.doc.d > b.doc.d ? -1 : 0) || (a.doc.u < b.doc.u ? -1 : 1);
    });
  }

  /* The results for *query* (and filters), best first: {url, title, column, author, topics, kind, date, excerpt, partial}.
     When no page holds the query as typed (注意力模型), the pages holding each of its words, marked partial: a reader who phrased a term differently from the author still finds something. */
  function search(query, filters, progress) {
    filters = filters || {};
    var terms = termsOf(query || "");
    return load(progress).then(function (all) {
      var partial = false, found = ranked(all, terms, filters);
      if (!found.length && terms.length) {
        terms = pieces(terms);
        found = ranked(all, terms, filters);
        partial = true;
      }
      return found.map(function (hit) {
        var doc = hit.doc;
        return {
          url: new URL(doc.u, root).href, title: doc.t, column: doc.c, author: doc.a, topics: doc.g,
          kind: doc.k, date: doc.d, excerpt: excerpt(doc, terms), partial: partial,
        };
      });
    });
  }

  window.zhsiteSearch = { add: add, search: search, load: load };

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function resultItem(result) {
    var item = element("li", "search-result");
    var link = element("a", "search-result-title", result.title);
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

  /* *results* in *list* (the first *limit* of them, or all), and how many there are in *status*. */
  function show(list, status, results, query, limit) {
    list.textContent = "";
    status.textContent = !results.length ? (query ? "没有找到包含“" + query + "”的文章或笔记" : "没有符合筛选条件的文章或笔记")
      : results[0].partial ? "没有页面包含完整的“" + query + "”；" + results.length + " 篇包含它的各个部分"
      : "找到 " + results.length + " 篇";
    results.slice(0, limit || results.length).forEach(function (r) { list.appendChild(resultItem(r)); });
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
      search(query, {}, noteLoading(status)).then(function (results) {
        if (mine !== typed) return;  // the reader typed on
        show(list, status, results, query, LISTED);
        all.href = searchPage(query);
        all.textContent = "全部 " + results.length + " 篇结果";
        all.hidden = results.length <= LISTED;
      }, function (error) { unavailable(status, error); });
    });
    input.addEventListener("focus", function () { open(); load(noteLoading(status)).catch(function (error) { unavailable(status, error); }); });
    document.addEventListener("click", function (event) { if (!box.contains(event.target)) close(); });
    box.addEventListener("keydown", function (event) {
      if (event.key !== "Escape" || box.classList.contains("is-closed")) return;
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
    load(noteLoading(status)).then(function (all) {
      fill(form.elements.column, all.map(function (d) { return d.c; }), filters.column);
      fill(form.elements.author, all.map(function (d) { return d.a; }), filters.author);
      fill(form.elements.topic, [].concat.apply([], all.map(function (d) { return d.g; })), filters.topic);
      form.elements.type.value = filters.type;
      Array.prototype.forEach.call(form.querySelectorAll("select"), function (select) {
        select.addEventListener("change", function () { go(form); });
      });
      var filtered = filters.column || filters.author || filters.topic || filters.type;
      if (!query && !filtered) { status.textContent = "输入要找的词，或选一个专栏、作者、话题。"; return null; }
      if (query) document.title = query + " · " + document.title;
      return search(query, filters).then(function (results) { show(list, status, results, query, 0); });
    }, function (error) { unavailable(status, error); });
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
