// The reading tools of an article or note page, each an addition to a page that works without it:
// tab stops only on blocks that scroll, copy buttons on code, anchors on headings, the contents list
// beside the text with the current section marked, pictures opened large over the page, and a
// column's list put in the order the reader chose (the list itself, so Tab and screen readers follow).
(function () {
  "use strict";
  var BODY = ".entry-body, .comment-body";

  // The rewrite gives every code block, table and display formula tabindex="0", so a keyboard can
  // scroll them without a script; here only those wider than their box keep it (18 stops on one note).
  function scrollersOnly() {
    document.querySelectorAll(":is(" + BODY + ") :is(pre, table, math[display=block])").forEach(function (block) {
      if (block.scrollWidth > block.clientWidth + 1) block.setAttribute("tabindex", "0");
      else block.removeAttribute("tabindex");
    });
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    var area = document.createElement("textarea");  // an old browser, or a page not served securely
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var done = document.execCommand("copy");
    area.remove();
    return done ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }

  // A bar above each code block: its language (as the rewrite labelled it) and a 复制 button.
  function copyButtons() {
    document.querySelectorAll(":is(" + BODY + ") pre").forEach(function (pre) {
      var code = pre.querySelector("code");
      var language = code && /(?:^|\s)language-(\S+)/.exec(code.className);
      var bar = document.createElement("div");
      bar.className = "code-bar";
      if (language) {
        var name = document.createElement("span");
        name.className = "code-language";
        name.textContent = language[1];
        bar.appendChild(name);
      }
      var button = document.createElement("button");
      button.type = "button";
      button.className = "code-copy";
      button.textContent = "复制";
      button.setAttribute("aria-label", language ? "复制 " + language[1] + " 代码" : "复制代码");
      button.addEventListener("click", function () {
        copyText(pre.innerText.replace(/\n$/, "")).then(function () { say(button, "已复制"); }, function () { say(button, "复制失败"); });
      });
      bar.appendChild(button);
      var block = pre.parentElement.classList.contains("highlight") ? pre.parentElement : pre;
      block.before(bar);
    });
  }

  function say(button, words) {
    button.textContent = words;
    clearTimeout(button.zhsiteTimer);
    button.zhsiteTimer = setTimeout(function () { button.textContent = "复制"; }, 2000);
  }

  // A visible "#" after each heading, linking to it (the ids come from the heading's text).
  function headingAnchors() {
    document.querySelectorAll(".entry-body :is(h2, h3, h4, h5, h6)[id]").forEach(function (heading) {
      var link = document.createElement("a");
      link.className = "heading-anchor";
      link.href = "#" + heading.id;
      link.setAttribute("aria-label", "本节链接");  // the "#" is drawn by style.css: not part of the heading's text
      heading.appendChild(link);
    });
  }

  // At 1200 px and wider the contents list is open in the margin (style.css keeps it in view);
  // the link of the section being read is marked aria-current.  Narrower, it is closed above the text.
  // A note that brings its own outline (ul.note-toc, zhsite/load/markdown.py) has no theme list: its
  // outline becomes the contents list, so it sits in the margin like any other.
  function ownOutline() {
    var outline = document.querySelector(".entry-body > .note-toc");
    var body = outline && outline.closest(".entry-body");
    if (!outline || document.querySelector(".toc")) return;
    var toc = document.createElement("nav");
    toc.className = "toc";
    toc.setAttribute("aria-labelledby", "toc-title");
    toc.innerHTML = '<details><summary id="toc-title">目录</summary></details>';
    outline.classList.remove("note-toc");
    toc.firstChild.appendChild(outline);
    body.before(toc);
  }

  function contents() {
    ownOutline();
    var toc = document.querySelector(".toc");
    if (!toc) return;
    var details = toc.querySelector("details");
    var wide = window.matchMedia("(min-width: 75em)");
    var place = function () { details.open = wide.matches; };
    wide.addEventListener("change", place);
    place();
    var links = Array.prototype.slice.call(toc.querySelectorAll('a[href^="#"]'));
    var targets = links.map(function (a) { return document.getElementById(a.getAttribute("href").slice(1)); });
    var marked = null;
    var mark = function () {
      var current = null;
      targets.forEach(function (target, i) {
        if (target && target.getBoundingClientRect().top < window.innerHeight * 0.3) current = links[i];
      });
      if (current === marked) return;
      if (marked) marked.removeAttribute("aria-current");
      if (current) current.setAttribute("aria-current", "location");
      marked = current;
      if (current && wide.matches) keepInView(details, current);
    };
    var waiting = false;
    window.addEventListener("scroll", function () {
      if (waiting) return;
      waiting = true;
      window.requestAnimationFrame(function () { waiting = false; mark(); });
    }, { passive: true });
    mark();
  }

  function keepInView(box, link) {
    var top = link.offsetTop - box.offsetTop;
    if (top < box.scrollTop || top > box.scrollTop + box.clientHeight - link.offsetHeight) box.scrollTop = top - box.clientHeight / 3;
  }

  // A picture opened large over the page: the linked full-size picture (the local copy when the site
  // keeps one), or the picture itself.  Esc, a click or the browser's Back closes it; without a
  // script the link still opens the picture.
  function zoom() {
    var dialog = null;
    var open = function (src, alt) {
      if (!dialog) {
        dialog = document.createElement("dialog");
        dialog.className = "zoom-view";
        dialog.setAttribute("aria-label", "大图");
        dialog.innerHTML = '<img alt=""><button type="button" class="zoom-close">关闭</button>';
        dialog.addEventListener("click", function () { dialog.close(); });
        dialog.addEventListener("close", function () {
          if (history.state && history.state.zhsiteZoom) history.back();
        });
        document.body.appendChild(dialog);
      }
      var img = dialog.querySelector("img");
      img.src = src;
      img.alt = alt;
      history.pushState({ zhsiteZoom: true }, "");
      dialog.showModal();
    };
    window.addEventListener("popstate", function () {
      if (dialog && dialog.open) dialog.close();
    });
    document.addEventListener("click", function (event) {
      if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      var link = event.target.closest("a.zoom");
      var img = link ? link.querySelector("img") : event.target.closest(".entry-body figure img");
      if (!img || (!link && img.closest("a"))) return;
      event.preventDefault();
      open(link ? link.href : img.currentSrc || img.src, img.alt);
    });
  }

  // 最新在前 / 最早在前 on a column's page: the list's items are put in that order.
  function listOrder() {
    document.querySelectorAll(".column-order").forEach(function (box) {
      var list = box.querySelector(".item-list");
      var newest = box.querySelector(".order-newest");
      var oldest = box.querySelector(".order-oldest");
      if (!list || !newest || !oldest) return;
      box.classList.add("is-scripted");
      var reversed = false;
      var show = function (oldestFirst) {
        if (oldestFirst !== reversed) {
          Array.prototype.slice.call(list.children).reverse().forEach(function (item) { list.appendChild(item); });
          reversed = oldestFirst;
        }
        (oldestFirst ? newest : oldest).removeAttribute("aria-current");
        (oldestFirst ? oldest : newest).setAttribute("aria-current", "true");
      };
      newest.addEventListener("click", function (event) {
        event.preventDefault();
        show(false);
        history.replaceState(history.state, "", location.pathname + location.search);
      });
      oldest.addEventListener("click", function (event) {
        event.preventDefault();
        show(true);
        history.replaceState(history.state, "", "#oldest-first");
      });
      show(location.hash === "#oldest-first");
    });
  }

  function start() {
    copyButtons();
    headingAnchors();
    scrollersOnly();
    contents();
    zoom();
    listOrder();
    window.addEventListener("load", scrollersOnly);  // pictures and the math font change widths
    var resized = null;
    window.addEventListener("resize", function () {
      clearTimeout(resized);
      resized = setTimeout(scrollersOnly, 150);
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
