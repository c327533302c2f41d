// Light or dark: the system's setting, unless the reader chose the other one with the header's switch.
// The choice is kept in localStorage ("zhsite-theme": "light" or "dark") and set on <html data-theme>
// here, in <head> before the page is drawn, so a dark page never flashes white; a choice that matches
// the system's setting is forgotten, so the page follows the system again.  Without a script the
// system's setting applies (style.css) and there is no switch.
(function () {
  var KEY = "zhsite-theme";
  var root = document.documentElement;
  var system = window.matchMedia("(prefers-color-scheme: dark)");
  function stored() {
    try { return localStorage.getItem(KEY); } catch (e) { return null; }  // storage refused (file://, privacy settings)
  }
  function store(value) {
    try { if (value) localStorage.setItem(KEY, value); else localStorage.removeItem(KEY); } catch (e) { /* kept for this page only */ }
  }
  var saved = stored();
  if (saved === "light" || saved === "dark") root.dataset.theme = saved;

  function dark() { return root.dataset.theme ? root.dataset.theme === "dark" : system.matches; }

  function addSwitch() {
    var header = document.querySelector(".site-header-inner");
    if (!header || header.querySelector(".theme-switch")) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "theme-switch";
    button.setAttribute("aria-label", "深色模式");
    button.title = "深色模式";
    var show = function () { button.setAttribute("aria-pressed", String(dark())); button.textContent = dark() ? "☾" : "☀"; };
    button.addEventListener("click", function () {
      var next = dark() ? "light" : "dark";
      if ((next === "dark") === system.matches) { delete root.dataset.theme; store(null); }
      else { root.dataset.theme = next; store(next); }
      show();
    });
    system.addEventListener("change", show);
    show();
    header.appendChild(button);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", addSwitch);
  else addSwitch();
})();
