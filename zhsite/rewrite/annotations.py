"""Coloured annotations (``<span style="color:red;">``) → classes the theme styles.

Inline styles are dropped by the sanitiser (they can break the layout), but a
note's red remarks are the author's emphasis, so they become ``mark-red`` etc.
"""
from __future__ import annotations

import re

from lxml.html import HtmlElement

from zhsite.rewrite.context import RewriteContext

_COLOUR = re.compile(r"(?:^|;)\s*color\s*:\s*([#\w]+)", re.I)
_NAMED = {"red": "red", "#f00": "red", "#ff0000": "red", "crimson": "red", "blue": "blue", "#00f": "blue",
          "#0000ff": "blue", "green": "green", "orange": "orange"}


def mark_annotations(root: HtmlElement, ctx: RewriteContext) -> None:
    for element in root.iter("span", "font"):
        match = _COLOUR.search(element.get("style") or "")
        colour = match.group(1).lower() if match else (element.get("color") or "").lower()
        if not colour:
            continue
        element.tag = "span"
        element.attrib.pop("color", None)
        element.set("class", f"annotation mark-{_NAMED.get(colour, 'other')}")
