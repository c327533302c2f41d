"""Headings: anchors for the table of contents, and no second ``<h1>``.

The page's ``<h1>`` is the article title, so headings in the content start at
``<h2>``; every heading gets a stable id so the table of contents can link it.  An id
the source already gave a heading (a note's own table of contents links to it)
is kept.
"""
from __future__ import annotations

from lxml.html import HtmlElement

from zhsite.model import Heading
from zhsite.rewrite.context import RewriteContext

TOC_LEVELS = (2, 3, 4)


def collect_headings(root: HtmlElement, ctx: RewriteContext) -> None:
    headings = [h for h in root.iter("h1", "h2", "h3", "h4", "h5", "h6")]
    shift = 1 if any(h.tag == "h1" for h in headings) else 0
    for number, heading in enumerate(headings, start=1):
        level = min(int(heading.tag[1]) + shift, 6)
        heading.tag = f"h{level}"
        text = " ".join(heading.text_content().split())
        if not text:
            heading.drop_tag()
            continue
        anchor = heading.get("id") or f"s{number}"
        heading.set("id", anchor)
        if level in TOC_LEVELS:
            ctx.toc.append(Heading(level=level, text=text, anchor=anchor))
