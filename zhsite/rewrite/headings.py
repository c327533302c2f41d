"""Headings: anchors for the table of contents, and no second ``<h1>``.

The page's ``<h1>`` is the article title, so headings in the content start at
``<h2>``; every heading gets a stable id so the table of contents can link it.  An id
the source already gave a heading (a note's own table of contents links to it)
is kept.  The contents list holds section titles only, and none when the text
brings its own outline: a reader never sees two identical lists.
"""
from __future__ import annotations

import re

from lxml.html import HtmlElement

from zhsite.model import Heading
from zhsite.rewrite.context import RewriteContext

TOC_LEVELS = (2, 3, 4)
# A heading that is a sentence ("只是粗略的看了一下YOLO的论文，…多多指正。") is emphasis, not a section.
_SENTENCE = re.compile(r"[。；;]$")
_LONGEST_ENTRY = 80


def _is_section_title(text: str) -> bool:
    return len(text) <= _LONGEST_ENTRY and not _SENTENCE.search(text)


def collect_headings(root: HtmlElement, ctx: RewriteContext) -> None:
    """Anchor every heading; list the section titles, unless the text lists its own (a note's ``ul.note-toc``)."""
    own_outline = bool(root.find_class("note-toc"))
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
        if level in TOC_LEVELS and not own_outline and _is_section_title(text):
            ctx.toc.append(Heading(level=level, text=text, anchor=anchor))
