/* Link previews (docs/reading.md): hovering, focusing or long-pressing a link to another archived page shows
 * that page's title, column, date and first lines, without leaving this one.
 *
 * The previews are files under previews/, each a script calling zhsitePreviews.add({path: {t, c, d, x}}) for
 * the pages whose site path hashes to it (zhsite/render/links.py preview_shard: the same 32-bit hash over the
 * path's UTF-16 code units).  They are loaded with <script> tags, the one way a page opened from disk
 * (file://) can read them, and the same on a server.  Every URL is made from this script's own address
 * (static/previews.js sits one folder under the site root).  Archive text is untrusted: it is put into the
 * page with textContent only.  Without this script every link still simply works.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) return;
  var root = new URL("../", script.src);
  var FILES = parseInt(script.getAttribute("data-files"), 10) || 1;
  var LINKS = "main a[href]";  // not the header's and footer's: they lead to lists, not to pages with a preview
  var SHOW_AFTER = 250;  // ms a pointer rests on a link before its preview shows
  var LONG_PRESS = 500;  // ms a finger holds a link to preview it instead of following it
  var previews = {};
  var loading = {};
  var box = null;
  var shownFor = null;  // the link whose preview is on screen
  var wanted = null;  // the link whose preview is loading or on screen
  var timer = null;
  var pressed = null;

  window.zhsitePreviews = {
    add: function (found) { Object.keys(found).forEach(function (path) { previews[path] = found[path]; }); }
  };

  function fileOf(path) {
    var hash = 0;
    for (var i = 0; i < path.length; i++) hash = (Math.imul(hash, 31) + path.charCodeAt(i)) >>> 0;
    return hash % FILES;
  }

  function load(n) {
    if (!loading[n]) {
      loading[n] = new Promise(function (resolve) {
        var tag = document.createElement("script");
        tag.src = new URL("previews/" + n + ".js", root).href;
        tag.onload = resolve;
        tag.onerror = resolve;  // no preview then; the link works as ever
        document.head.appendChild(tag);
      });
    }
    return loading[n];
  }

  // The site path a link points at ("p/123.html"), or null for a link out of the site or to this page.
  function pathOf(link) {
    var url = new URL(link.href, location.href);
    if (url.protocol !== root.protocol || url.host !== root.host || url.pathname.indexOf(root.pathname) !== 0) return null;
    if (url.pathname === location.pathname) return null;
    try {
      return decodeURIComponent(url.pathname.slice(root.pathname.length));
    } catch (e) {
      return null;
    }
  }

  function makeBox() {
    box = document.createElement("div");
    box.className = "link-preview";
    box.id = "link-preview";
    box.setAttribute("role", "tooltip");
    box.hidden = true;
    box.addEventListener("mouseenter", function () { clearTimeout(timer); });
    box.addEventListener("mouseleave", hide);
    document.body.appendChild(box);
  }

  function part(tag, className, text) {
    var el = document.createElement(tag);
    el.className = className;
    el.textContent = text;
    return el;
  }

  function show(link) {
    var path = pathOf(link);
    if (!path) return;
    wanted = link;
    load(fileOf(path)).then(function () {
      var found = previews[path];
      if (!found || wanted !== link) return;
      if (!box) makeBox();
      box.textContent = "";
      box.appendChild(part("span", "link-preview-title", found.t));
      var meta = [found.c, found.d].filter(Boolean).join(" · ");
      if (meta) box.appendChild(part("span", "link-preview-meta", meta));
      if (found.x) box.appendChild(part("p", "link-preview-text", found.x));
      box.hidden = false;
      shownFor = link;
      link.setAttribute("aria-describedby", "link-preview");
      place(link);
    });
  }

  function place(link) {
    var rect = link.getBoundingClientRect();
    var width = box.offsetWidth;
    var left = Math.max(8, Math.min(rect.left, document.documentElement.clientWidth - width - 8));
    var below = rect.bottom + 6;
    var top = below + box.offsetHeight > window.innerHeight && rect.top > box.offsetHeight + 6 ? rect.top - box.offsetHeight - 6 : below;
    box.style.left = left + window.scrollX + "px";
    box.style.top = top + window.scrollY + "px";
  }

  function hide() {
    clearTimeout(timer);
    wanted = null;
    if (shownFor) shownFor.removeAttribute("aria-describedby");
    shownFor = null;
    if (box) box.hidden = true;
  }

  function linkFrom(event) {
    var link = event.target.closest ? event.target.closest("a[href]") : null;
    return link && link.matches(LINKS) ? link : null;
  }

  document.addEventListener("mouseover", function (event) {
    var link = linkFrom(event);
    if (!link || link === wanted) return;
    clearTimeout(timer);
    timer = setTimeout(function () { hide(); show(link); }, SHOW_AFTER);
  });
  document.addEventListener("mouseout", function (event) {
    var link = linkFrom(event);
    if (!link) return;
    clearTimeout(timer);
    if (box && event.relatedTarget && box.contains(event.relatedTarget)) return;
    timer = setTimeout(hide, SHOW_AFTER);
  });
  document.addEventListener("focusin", function (event) {
    var link = linkFrom(event);
    if (link) { hide(); show(link); }
  });
  document.addEventListener("focusout", function (event) {
    if (linkFrom(event)) hide();
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && shownFor) hide();
  });
  document.addEventListener("touchstart", function (event) {
    var link = linkFrom(event);
    if (!link) return;
    clearTimeout(timer);
    timer = setTimeout(function () { pressed = link; hide(); show(link); }, LONG_PRESS);
  }, { passive: true });
  document.addEventListener("touchmove", function () { clearTimeout(timer); }, { passive: true });
  document.addEventListener("click", function (event) {
    // After a long press the finger's lift is not a tap: the preview stays, the link is not followed.
    if (pressed && linkFrom(event) === pressed) event.preventDefault();
    pressed = null;
    if (box && !box.hidden && !box.contains(event.target) && !linkFrom(event)) hide();
  });
  window.addEventListener("resize", hide);
})();
