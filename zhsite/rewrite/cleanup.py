"""Zhihu's spacing hacks and comment stickers, reduced to what a reader sees."""
from __future__ import annotations

from lxml.html import HtmlElement

from zhsite.rewrite.context import RewriteContext
from zhsite.rewrite.tree import has_class, remove

ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))


def drop_empty_paragraphs(root: HtmlElement, ctx: RewriteContext) -> None:
    """``<p class="ztext-empty-paragraph"><br></p>`` and bare ``<p></p>`` only add gaps."""
    for p in list(root.iter("p")):
        if has_class(p, "ztext-empty-paragraph") or (
            not p.text_content().strip() and all(child.tag == "br" for child in p)
        ):
            remove(p)


def text_for_stickers(root: HtmlElement, ctx: RewriteContext) -> None:
    """A sticker ``<a class="comment_sticker" href="….gif">[思考]</a>`` reads as its text."""
    for a in list(root.iter("a")):
        if has_class(a, "comment_sticker"):
            a.drop_tag()


def drop_zero_width_spaces(root: HtmlElement, ctx: RewriteContext) -> None:
    for element in root.iter():
        if element.text:
            element.text = element.text.translate(ZERO_WIDTH)
        if element.tail:
            element.tail = element.tail.translate(ZERO_WIDTH)
