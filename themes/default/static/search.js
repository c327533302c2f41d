/* Site search: Pagefind's default UI in the header's box (see zhsite/search.py).
 *
 * Every URL is made from this script's own address (static/search.js sits one
 * folder under the site root), so search works at "/", under "/<repo>/" and
 * behind any other prefix.  Pagefind reads its index with fetch(), which a page
 * opened from disk (file://) may not use; there the box explains that instead
 * of failing, and points to the topic and column lists.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var box = document.querySelector(".site-search");
  if (!script || !box) return;
  var mount = box.querySelector(".search-box");
  var notice = box.querySelector(".search-unavailable");
  var root = new URL("../", script.src);
  var bundle = new URL("pagefind/", root);

  function open() { box.classList.remove("is-closed"); }
  function close() { box.classList.add("is-closed"); }

  // Results stay open while the reader works in the box; a click elsewhere or Escape closes them.
  document.addEventListener("click", function (event) {
    if (!box.contains(event.target)) close();
  });
  box.addEventListener("focusin", open);
  box.addEventListener("input", open);
  box.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || box.classList.contains("is-closed")) return;
    var input = box.querySelector("input");
    if (input) input.focus();
    close();  // after focus(), whose focusin would reopen
  });

  function unavailable() {
    mount.textContent = "";
    var input = document.createElement("input");
    input.type = "search";
    input.className = "search-fallback-input";
    input.placeholder = "搜索（需通过网址访问）";
    input.setAttribute("aria-label", "搜索");
    input.setAttribute("aria-describedby", notice.id);
    mount.appendChild(input);
    notice.hidden = false;
    box.classList.add("search-offline");
    close();
  }

  if (location.protocol === "file:") {
    unavailable();
    return;
  }

  var style = document.createElement("link");
  style.rel = "stylesheet";
  style.href = new URL("pagefind-ui.css", bundle).href;
  document.head.appendChild(style);

  var ui = document.createElement("script");
  ui.src = new URL("pagefind-ui.js", bundle).href;
  ui.onerror = unavailable;
  ui.onload = function () {
    if (typeof window.PagefindUI !== "function") return unavailable();
    // A large site's index comes in shards (zhsite/search.py): their bundle folders, relative to the first.
    var shards = (box.getAttribute("data-shards") || "").split(" ").filter(Boolean);
    new window.PagefindUI({
      element: mount,
      bundlePath: bundle.pathname,
      baseUrl: root.pathname,
      mergeIndex: shards.map(function (folder) {
        return { bundlePath: new URL(folder, bundle).pathname, baseUrl: root.pathname };
      }),
      showImages: false,
      showSubResults: true,
      excerptLength: 40,
      autofocus: false,
    });
    // Pagefind's input carries only a title; screen readers need a real name for it.
    var input = mount.querySelector("input");
    if (input) input.setAttribute("aria-label", "搜索文章和笔记");
  };
  document.head.appendChild(ui);
})();
