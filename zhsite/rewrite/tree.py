"""Parsing and serialising the HTML fragments the passes work on.

lxml is the parser because it is several times faster than BeautifulSoup on
these fragments and the passes only need plain element manipulation.
"""
from __future__ import annotations

import lxml.html
from lxml import etree
from lxml.html import HtmlComment, HtmlElement, HtmlEntity, HtmlProcessingInstruction


def parse_fragment(html: str) -> HtmlElement:
    """A ``<div>`` holding the fragment, so passes can treat it as one tree."""
    parser = _parser()
    root = parser.makeelement("div")
    if not html.strip():
        return root
    parts = lxml.html.fragments_fromstring(html, parser=parser)
    if parts and isinstance(parts[0], str):
        root.text = parts.pop(0)
    root.extend(parts)
    return root


def parse_element(html: str) -> HtmlElement:
    return lxml.html.fragment_fromstring(html, parser=_parser())


def _parser() -> lxml.html.HTMLParser:
    """lxml.html's parser with every element a plain HtmlElement.

    Its own lookup picks a class (forms, inputs…) in Python each time a pass
    touches an element: 15% of a rewrite.  One parser per fragment, as lxml
    parsers must not be shared between threads.
    """
    parser = lxml.html.HTMLParser()
    parser.set_element_class_lookup(etree.ElementDefaultClassLookup(
        element=HtmlElement, comment=HtmlComment, pi=HtmlProcessingInstruction, entity=HtmlEntity))
    return parser


def inner_html(root: HtmlElement) -> str:
    """What is inside the wrapper ``<div>`` of :func:`parse_fragment`, serialised in one call, not one per child."""
    whole = etree.tostring(root, encoding="unicode", method="html", with_tail=False)
    return whole.removeprefix("<div>").removesuffix("</div>")


def has_class(element: HtmlElement, name: str) -> bool:
    return name in (element.get("class") or "").split()


def replace(old: HtmlElement, new: HtmlElement) -> None:
    """Put *new* where *old* was, keeping the text that followed *old*."""
    new.tail = old.tail
    old.getparent().replace(old, new)


def remove(element: HtmlElement) -> None:
    """Remove *element* but keep the text that followed it."""
    element.drop_tree()
