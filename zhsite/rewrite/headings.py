"""Headings: readable anchors for the table of contents, in an order without gaps.

The page's ``<h1>`` is the article title, so headings in the content start at
``<h2>``, and a heading is never more than one level below the one before it
(a note's ``####`` then ``###`` read as h4 → h3, a gap screen readers announce
as a missing section).  Every heading gets an id made from its text
(``#1-yolo的训练``), unique on the page, so a reader can copy a link to a
section and it still points there after the article is edited elsewhere;
numbered ids (``#s3``) moved whenever a heading was added above.  An id the
source already gave a heading (a note's own table of contents links to it) is
kept.  The contents list holds section titles only, and none when the text
brings its own outline: a reader never sees two identical lists.
"""
from __future__ import annotations

import re

from lxml.html import HtmlElement

from zhsite.model import Heading
from zhsite.rewrite.context import RewriteContext
from zhsite.tree import has_class

TOC_LEVELS = (2, 3, 4)
# A heading that is a sentence ("只是粗略的看了一下YOLO的论文，…多多指正。") is emphasis, not a section.
_SENTENCE = re.compile(r"[。；;]$")
_LONGEST_ENTRY = 80
# The ids the theme's templates give around the body: a heading named 评论 must not take one of them.
PAGE_IDS = frozenset({"main", "toc-title", "comments-title", "columns", "columns-title", "questions", "questions-title",
                      "notes-title", "topics-title", "recent-title", "oldest-first", "newest-first"})
_LONGEST_ID = 48
_NOT_IN_ID = re.compile(r"[^\w]+")


def _is_section_title(text: str) -> bool:
    return len(text) <= _LONGEST_ENTRY and not _SENTENCE.search(text)


def anchor_for(text: str, taken: set[str]) -> str:
    """An id from a heading's *text* (words joined by ``-``, lower case), not in *taken*; added to it."""
    base = _NOT_IN_ID.sub("-", text.lower()).strip("-")[:_LONGEST_ID].strip("-") or "section"
    anchor, n = base, 1
    while anchor in taken:
        n += 1
        anchor = f"{base}-{n}"
    taken.add(anchor)
    return anchor


def collect_headings(root: HtmlElement, ctx: RewriteContext) -> None:
    """Anchor every heading; list the section titles, unless the text lists its own (a note's ``ul.note-toc``)."""
    own_outline = bool(root.find_class("note-toc"))
    taken = set(PAGE_IDS) | {element.get("id") for element in root.iter() if element.get("id")}
    headings = list(root.iter("h1", "h2", "h3", "h4", "h5", "h6"))
    shift = 1 if any(h.tag == "h1" for h in headings) else 0
    above = 1  # the page's title
    for heading in headings:
        text = " ".join(heading.text_content().split())
        if not text:
            heading.drop_tag()
            continue
        level = min(int(heading.tag[1]) + shift, above + 1, 6)
        heading.tag, above = f"h{level}", level
        anchor = heading.get("id") or anchor_for(text, taken)
        heading.set("id", anchor)
        if level in TOC_LEVELS and not own_outline and _is_section_title(text) and not _in_embed(heading):
            ctx.toc.append(Heading(level=level, text=text, anchor=anchor))


def _in_embed(heading: HtmlElement) -> bool:
    """A heading of another note shown in this one (``div.embed``, zhsite/load/embeds.py): anchored, not listed as a section of this note."""
    return any(has_class(up, "embed") for up in heading.iterancestors())
