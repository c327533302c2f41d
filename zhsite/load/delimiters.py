"""Formulas written in a page's text with MathJax's delimiters, as a blog's posts keep them.

A blog with MathJax (博客园's setting, a WordPress plugin) stores a formula as
its TeX between delimiters in the post's HTML: ``\\(…\\)`` and ``$…$`` inline,
``\\[…\\]`` and ``$$…$$`` displayed, ``$latex …$`` (Jetpack's); the reader's
browser typesets them.  Read as they are, a post showed its TeX.  Each is made
the ``span.math`` the Markdown reader and pandoc write (``\\(…\\)``,
``\\[…\\]``), which the rewrite typesets (zhsite/rewrite/math.py).  A single
``$`` opens a formula only where what it holds reads as TeX (a backslash, a
``^``, ``_`` or brace, or one letter) and no digit touches it: ``$5 and $10``
stays a price.  Nothing inside code, a script or a formula is read.
"""
from __future__ import annotations

import re

from lxml.html import HtmlElement

from zhsite.tree import inner_html, parse_fragment

_DELIMITED = re.compile(
    r"\$\$(?P<display>[^$]{1,5000}?)\$\$"
    r"|\\\[(?P<bracket>.{1,5000}?)\\\]"
    r"|\\\((?P<paren>.{1,2000}?)\\\)"
    r"|\$latex\s(?P<jetpack>[^$\n]{1,2000}?)\$"
    r"|(?<![\\$\d])\$(?P<dollar>(?=\S)[^$\n]{1,500}?(?<=\S))\$(?![\d$])",
    re.S,
)
_TEX = re.compile(r"[\\^_{}]|^[A-Za-z]$")
_NOT_READ = frozenset({"pre", "code", "script", "style", "math", "textarea", "kbd", "samp"})


def typeset_delimited(html: str) -> str:
    """*html* with each formula its text writes between MathJax's delimiters made a ``span.math``."""
    if "$" not in html and "\\(" not in html and "\\[" not in html:
        return html
    root = parse_fragment(html)
    for element in list(root.iter()):
        if not isinstance(element.tag, str) or _in_code(element):
            continue
        _replace_text(element, element.text, 0)
        for index, child in reversed(list(enumerate(element))):
            _replace_tail(element, child, index)
    return inner_html(root)


def _in_code(element: HtmlElement) -> bool:
    return any(ancestor.tag in _NOT_READ for ancestor in (element, *element.iterancestors()))


def _replace_text(element: HtmlElement, text: str | None, at: int) -> None:
    pieces = _pieces(text)
    if pieces is None:
        return
    element.text = pieces[0]
    _insert(element, at, pieces[1:])


def _replace_tail(parent: HtmlElement, child: HtmlElement, index: int) -> None:
    pieces = _pieces(child.tail)
    if pieces is None:
        return
    child.tail = pieces[0]
    _insert(parent, index + 1, pieces[1:])


def _insert(parent: HtmlElement, at: int, pieces: list) -> None:
    """Each (formula span, text after it) of *pieces* into *parent* from child position *at*."""
    for offset in range(0, len(pieces), 2):
        span, after = pieces[offset], pieces[offset + 1]
        span.tail = after
        parent.insert(at + offset // 2, span)


def _pieces(text: str | None) -> list | None:
    """*text* split into its plain runs and a span for each formula between them (text, span, text, …); None for none."""
    if not text or not any(mark in text for mark in ("$", "\\(", "\\[")):
        return None
    pieces: list = []
    start = 0
    for found in _DELIMITED.finditer(text):
        inline = found["paren"] or found["jetpack"] or found["dollar"]
        if found["dollar"] is not None and not _TEX.search(found["dollar"]):
            continue
        tex = (inline if inline is not None else found["display"] or found["bracket"] or "").strip()
        if not tex:
            continue
        pieces.append(text[start:found.start()])
        span = parse_fragment("<span></span>")[0]
        span.set("class", "math inline" if inline is not None else "math display")
        span.text = f"\\({tex}\\)" if inline is not None else f"\\[{tex}\\]"
        pieces.append(span)
        start = found.end()
    if not pieces:
        return None
    pieces.append(text[start:])
    return pieces
