"""SVG pictures without script: the only image format that can carry it.

With ``[images] mode = "local"`` a picture is served from the site's own
origin, and a reader who opens an SVG (the zoom link does) runs whatever it
holds: ``<script>``, ``onload=``, ``<foreignObject>`` HTML, ``javascript:``
links.  Every SVG the site publishes goes through svg-hush (Cloudflare's
allow-list filter, made for serving untrusted SVG), which also drops
references to anything outside the file.
"""
from __future__ import annotations

import py_svg_hush


def without_script(data: bytes) -> bytes | None:
    """The SVG reduced to drawing only; None when it does not parse as XML (a browser would not draw it either)."""
    try:
        return py_svg_hush.filter_svg(data)
    except ValueError:
        return None
