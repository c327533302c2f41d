"""Parsing and serialising the HTML fragments the passes work on.

lxml is the parser because it is several times faster than BeautifulSoup on
these fragments and the passes only need plain element manipulation.
"""
from __future__ import annotations

from html import escape

import lxml.html
from lxml import etree
from lxml.html import HtmlElement


def parse_fragment(html: str) -> HtmlElement:
    """A ``<div>`` holding the fragment, so passes can treat it as one tree."""
    if not html.strip():
        return lxml.html.Element("div")
    return lxml.html.fragment_fromstring(html, create_parent="div")


def parse_element(html: str) -> HtmlElement:
    return lxml.html.fragment_fromstring(html)


def inner_html(root: HtmlElement) -> str:
    parts = [escape(root.text or "", quote=False)]
    parts.extend(etree.tostring(child, encoding="unicode", method="html") for child in root)
    return "".join(parts)


def has_class(element: HtmlElement, name: str) -> bool:
    return name in (element.get("class") or "").split()


def replace(old: HtmlElement, new: HtmlElement) -> None:
    """Put *new* where *old* was, keeping the text that followed *old*."""
    new.tail = old.tail
    old.getparent().replace(old, new)


def remove(element: HtmlElement) -> None:
    """Remove *element* but keep the text that followed it."""
    element.drop_tree()
