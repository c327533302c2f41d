"""The book's pages as XHTML: the site's rewritten bodies, made well-formed XML, in the namespaces EPUB 3 wants.

A body is the HTML the site shows (zhsite/rewrite/), already safe; an e-book
needs it as XML, with MathML and SVG in their own namespaces.  lxml parses it
as HTML and writes it back as XML; the namespaces are declared on each
``<math>``/``<svg>`` start tag, so the elements keep their prefix-free names
(reading systems look for ``<math>``, not ``<m:math>``).  Attributes of the
web page only (lazy loading, referrer policy) are left out: e-readers do not
fetch, and EPUB's validator knows HTML as it was in 2019.
"""
from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Mapping
from urllib.parse import unquote

from lxml import etree
from lxml.html import HtmlElement

from zhsite.tree import read_fragment

XHTML = "http://www.w3.org/1999/xhtml"
EPUB_NS = "http://www.idpf.org/2007/ops"
_NAMESPACES = {"math": "http://www.w3.org/1998/Math/MathML", "svg": "http://www.w3.org/2000/svg"}
# Of the web page only: lazy loading, referrer policy, and the Tab stops that let a keyboard scroll a wide formula.
_WEB_ONLY = ("loading", "decoding", "referrerpolicy", "fetchpriority", "tabindex")
_START_TAG = re.compile(r"<(math|svg)(?=[\s>/])")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def fragment(html: str, link: Callable[[str, str], str | None]) -> str:
    """*html* (a body or comment as the site shows it) as XHTML; each ``href``/``src`` passed through *link(url, attribute)*.

    None from *link* unlinks an ``href`` and turns a picture into the placeholder box.
    """
    root = read_fragment(html)
    for element in root.iter():
        if not isinstance(element, HtmlElement):
            continue  # comments, processing instructions
        for name in _WEB_ONLY:
            element.attrib.pop(name, None)
        if element.get("class") == "image-unavailable" and element.get("href"):
            _show_address(element, element.get("href"))  # the site's box says it on hover only; e-ink has no hover
        _relink(element, link)
    inner = escape(root.text or "") + "".join(etree.tostring(child, method="xml", encoding="unicode") for child in root)
    return _START_TAG.sub(lambda m: f'<{m.group(1)} xmlns="{_NAMESPACES[m.group(1)]}"', inner)


def _relink(element: HtmlElement, link: Callable[[str, str], str | None]) -> None:
    for name in ("href", "src"):
        value = element.get(name)
        if value is None:
            continue
        target = link(value, name)
        if target is not None:
            element.set(name, target)
        elif name == "href":
            del element.attrib[name]
        else:  # a picture the book does not hold: the site's box with its address, as for one never saved
            _unavailable(element, value)


def _unavailable(element: HtmlElement, address: str) -> None:
    element.attrib.clear()
    element.tag = "span"
    element.set("class", "image-unavailable")
    label = element.makeelement("span", {"class": "image-unavailable-label"})
    label.text = "图片未收入本书"
    element.append(label)
    _show_address(element, address)


def _show_address(box: HtmlElement, address: str) -> None:
    shown = box.makeelement("span", {"class": "image-unavailable-address"})
    shown.text = address
    box.append(shown)


def document(title: str, body: str, language: str, stylesheet: str = "book.css", page_type: str = "") -> bytes:
    """A whole XHTML page of the book; parsed back once, so a page that is not well-formed XML fails here, not in a reader."""
    kind = f' epub:type="{page_type}"' if page_type else ""
    text = (
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
        f'<html xmlns="{XHTML}" xmlns:epub="{EPUB_NS}" xml:lang="{language}" lang="{language}">\n'
        f'<head><meta charset="utf-8"/><title>{escape(title)}</title>'
        f'<link rel="stylesheet" type="text/css" href="{stylesheet}"/></head>\n'
        f'<body{kind}>\n{body}\n</body>\n</html>\n'
    )
    _xml(text.encode("utf-8"))
    return text.encode("utf-8")


def _xml(data: bytes) -> etree._Element:
    """The chapter as XML, however long a run of its text: libxml2 refuses one past 10 MB without ``huge_tree``."""
    return etree.fromstring(data, etree.XMLParser(huge_tree=True))


def escape(text: str) -> str:
    """*text* as XML character data or attribute value; control characters XML cannot hold (an archive's titles have them) left out."""
    text = _NOT_XML.sub("", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def without_dangling_fragments(pages: Mapping[str, bytes]) -> dict[str, bytes]:
    """The pages whose links name a fragment that is not in their target, with that fragment left out.

    Archives link to anchors that were never there (a heading of a GitHub
    README, a footnote id the rewrite renamed); a browser ignores them, but an
    e-book with one does not pass EPUB's checks.
    """
    trees = {path: _xml(data) for path, data in pages.items()}
    ids = {path: set(tree.xpath("//@id")) for path, tree in trees.items()}
    mended = {}
    for path, tree in trees.items():
        changed = False
        for a in tree.iter(f"{{{XHTML}}}a"):
            target, _, name = (a.get("href") or "").partition("#")
            if not name or ":" in target:
                continue
            where = posixpath.normpath(posixpath.join(posixpath.dirname(path), unquote(target))) if target else path
            if unquote(name) not in ids.get(where, ()):
                a.attrib.pop("href") if not target else a.set("href", target)
                changed = True
        if changed:
            mended[path] = etree.tostring(tree.getroottree(), xml_declaration=True, encoding="utf-8", doctype="<!DOCTYPE html>")
    return mended
