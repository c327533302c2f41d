"""The live-reload script, added to HTML responses only while serving (never to built files).

It listens on Server-Sent Events: ``reload`` after a finished rebuild,
``problem`` to show a build error as an overlay (the last good page stays
underneath), ``ok`` to hide it again.  The events URL carries the id of the
snapshot the page came from, so a page that missed a ``reload`` (it was still
loading, or the server restarted) is told to reload as soon as it connects.
"""
from __future__ import annotations

import json
import re
from html import escape
from urllib.parse import quote

_SCRIPT = """<script id="zhsite-live">(() => {
  const events = new EventSource(%(events)s);
  let overlay = document.getElementById("zhsite-error");
  const show = (text) => {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "zhsite-error";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = %(style)s;
      document.body.appendChild(overlay);
    }
    overlay.textContent = "zhsite: " + text;
  };
  events.addEventListener("reload", () => location.reload());
  events.addEventListener("problem", (e) => show(JSON.parse(e.data)));
})();</script>"""

_OVERLAY_STYLE = (
    "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;"
    "margin:0;padding:1em 1.25em;background:#2b0b0e;color:#ffd7d9;font:14px/1.5 ui-monospace,monospace;"
    "white-space:pre-wrap;border-top:4px solid #e5484d;box-shadow:0 -4px 24px rgba(0,0,0,.4)"
)

_BODY_END = re.compile(rb"</body\s*>", re.I)


def reload_script(events_path: str, snapshot_id: str) -> bytes:
    url = f"{quote(events_path)}?v={quote(snapshot_id)}"
    # json.dumps makes a JS string; "</" cannot occur in it, so it cannot end the script early.
    return (_SCRIPT % {"events": json.dumps(url), "style": json.dumps(_OVERLAY_STYLE)}).encode("utf-8")


def error_page(text: str) -> bytes:
    """A page that could not be drawn or read: the error overlay, already shown, over an empty page.

    The reload script is added like on any page, so fixing the mistake reloads it.
    """
    return (f'<!doctype html><meta charset=utf-8><title>zhsite: error</title><body>'
            f'<pre id="zhsite-error" role="alert" style="{_OVERLAY_STYLE}">zhsite: {escape(text)}</pre></body>').encode()


def inject_reload_script(html: bytes, events_path: str, snapshot_id: str) -> bytes:
    """Before the last ``</body>``, or at the very end when a template has none."""
    script = reload_script(events_path, snapshot_id)
    matches = list(_BODY_END.finditer(html))
    if not matches:
        return html + script
    at = matches[-1].start()
    return html[:at] + script + html[at:]
