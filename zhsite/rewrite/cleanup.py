"""Zhihu's spacing hacks, layout wrappers, stickers and shopping cards, reduced to what a reader sees."""
from __future__ import annotations

import re

from lxml.html import HtmlElement

from zhsite.load.fields import UNSHOWN, UNSHOWN_CHARACTERS
from zhsite.rewrite.context import RewriteContext
from zhsite.tree import has_class, remove, text_of

_ANY_UNSHOWN = re.compile(f"[{re.escape(UNSHOWN_CHARACTERS)}]")


def is_empty_paragraph(p: HtmlElement) -> bool:
    """``<p class="ztext-empty-paragraph"><br></p>`` or a bare ``<p></p>``: a gap, no content."""
    return has_class(p, "ztext-empty-paragraph") or (all(child.tag == "br" for child in p) and not text_of(p).strip())


def drop_empty_paragraphs(root: HtmlElement, ctx: RewriteContext) -> None:
    """Empty paragraphs only add gaps."""
    for p in list(root.iter("p")):
        if is_empty_paragraph(p):
            remove(p)


def text_for_stickers(root: HtmlElement, ctx: RewriteContext) -> None:
    """A sticker ``<a class="comment_sticker" href="….gif">[思考]</a>`` reads as its text."""
    for a in list(root.iter("a")):
        if has_class(a, "comment_sticker"):
            a.drop_tag()


def drop_unshown_characters(root: HtmlElement, ctx: RewriteContext) -> None:
    """Zero widths and control characters (zhsite/load/fields.py UNSHOWN) out of the text: a page shows none of them."""
    # Most posts have none: one look at all the text is far cheaper than visiting every element.
    if not _ANY_UNSHOWN.search(root.text_content()):
        return
    for element in root.iter():
        if element.text:
            element.text = element.text.translate(UNSHOWN)
        if element.tail:
            element.tail = element.tail.translate(UNSHOWN)


def unwrap_layout_wrappers(root: HtmlElement, ctx: RewriteContext) -> None:
    """Rendered pages wrap the post in layout ``div``s (``div.css-1od93p9``, ``div.RichText.ztext``) that mean nothing here."""
    for div in list(root.iter("div")):
        if any(cls.startswith(("css-", "RichText", "RichContent")) for cls in (div.get("class") or "").split()):
            div.drop_tag()


def drop_shopping_cards(root: HtmlElement, ctx: RewriteContext) -> None:
    """``<a data-draft-type="mcn-link-card" data-mcn-id="…">`` is an empty advert placeholder."""
    for a in list(root.iter("a")):
        if a.get("data-draft-type") == "mcn-link-card":
            remove(a)
