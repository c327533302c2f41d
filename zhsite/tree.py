"""Parsing and serialising archive HTML: the fragments the rewrite passes work on, and saved pages the loader reads.

lxml is the parser because it is several times faster than BeautifulSoup on
these fragments and the passes only need plain element manipulation.
A leaf: it imports nothing of zhsite, so the loader and the rewrite stage
share it without the loader importing a later stage.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from urllib.parse import quote

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


# Both parsers (libxml2 here, html5ever in nh3) check each attribute against every earlier one
# of its element: 80,000 attributes on one element took 10 s, 200,000 did not finish.  No real
# element has more than a few dozen, so past this limit an element loses its attributes.
MAX_ATTRIBUTES = 100
ATTRIBUTES_DROPPED = "attributes dropped"
NOT_XML_SAFE = "control characters or non-characters"
# What a warning goes to: called with its kind and its detail; the caller knows the file and the place.
Warn = Callable[[str, str], None]

# A comment, or a start tag as the HTML tokenizer reads it: a name, then everything up to a ">"
# outside quoted values.  Possessive and unable to fail once begun, so one pass finds them all.
_TAG = re.compile(r"""<!--(?:[^-]++|-(?!->))*+(?:-->)?|<([A-Za-z][^\s/>]*+)((?:[^>"'=]++|=\s*+"[^"]*+"?|=\s*+'[^']*+'?|["'=])*+)>?""")
_VALUE = re.compile(r"""=\s*+(?:"[^"]*+"?|'[^']*+'?)?""")  # begins at "=", so never rescans a run of spaces
_SEPARATOR = re.compile(r"[\s/]++")


def bound_attributes(html: str, warn: Warn) -> str:
    """*html* with each element of more than MAX_ATTRIBUTES attributes written without any, and a warning for each."""
    def bounded(tag: re.Match) -> str:
        attributes = tag[2] or ""
        if len(attributes) < 2 * MAX_ATTRIBUTES:  # each attribute takes a separator and a character
            return tag[0]
        count = _attribute_count(attributes)
        if count <= MAX_ATTRIBUTES:
            return tag[0]
        warn(ATTRIBUTES_DROPPED, f"an element <{tag[1]}> has {count:,} attributes (the limit is {MAX_ATTRIBUTES})")
        return f"<{tag[1]}>"

    return _TAG.sub(bounded, html)


def _attribute_count(attributes: str) -> int:
    """Names between separators once quoted values are gone; "a = b" is one, as "=b" continues "a"."""
    return sum(1 for token in _SEPARATOR.split(_VALUE.sub("=", attributes)) if token and not token.startswith("="))


def read_fragment(html: str) -> HtmlElement:
    """*html* in a wrapper ``<div>``, to be read (the image phase, search, versions, e-books), not rewritten.

    With ``huge_tree``, as every parser here: libxml2 otherwise stops at a
    run of text longer than 10 MB and silently drops it and all that follows.
    """
    return lxml.html.fragment_fromstring(html, create_parent="div", parser=lxml.html.HTMLParser(huge_tree=True))


def parse_element(html: str) -> HtmlElement:
    return lxml.html.fragment_fromstring(html, parser=_parser())


def parse_document(html: str) -> HtmlElement:
    """A whole page (a saved Zhihu post), its elements as every fragment's: values set in it are XML-safe.
    A page written as XHTML (an e-book's) opens with an XML declaration, whose encoding means nothing to text already
    decoded, and which lxml refuses in a string: it is left out."""
    declared = _XML_DECLARATION.match(html)
    return lxml.html.document_fromstring(html[declared.end():] if declared else html, parser=_parser())


_XML_DECLARATION = re.compile(r"\ufeff?\s*<\?xml\b[^<>]{0,200}\?>")


# What lxml refuses in a value (C0 controls but tab, newline and return; lone surrogates; U+FFFE, U+FFFF)
# and the other non-characters, which no text means.  libxml2's parser keeps them as read (``&#1;``, a raw
# U+0001), and percent-decoding makes them (``link.zhihu.com/?target=…%00``): lxml then raises on ``set``.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
                      + "".join(rf"\U{plane:04x}fffe\U{plane:04x}ffff" for plane in range(1, 17)) + "]")
# Attributes whose value is a URL: there a character lxml refuses is percent-encoded, so the address stays as written.
URL_ATTRIBUTES = frozenset({"href", "src", "srcset", "poster", "cite", "action", "formaction", "data-original",
                            "data-actualsrc", "data-image", "data-poster", "data-src"})
_warn_about_values: ContextVar[Warn | None] = ContextVar("warn_about_values", default=None)


@contextmanager
def values_reported_to(warn: Warn) -> Iterator[None]:
    """While the block runs, a value made XML-safe by :class:`Element` is said through *warn* (it knows the file and place)."""
    token = _warn_about_values.set(warn)
    try:
        yield
    finally:
        _warn_about_values.reset(token)


def _xml_safe(value: str, url: bool = False) -> str:
    """*value* without what an XML tree cannot hold; in a *url* percent-encoded (a lone surrogate has no bytes: dropped)."""
    if not _NOT_XML.search(value):
        return value
    if url:
        return _NOT_XML.sub(lambda m: "" if "\ud800" <= m[0] <= "\udfff" else quote(m[0], safe=""), value)
    return _NOT_XML.sub("", value)


def safe_value(value: str | None, what: str, url: bool = False) -> str | None:
    """The value made XML-safe, with a warning (see :func:`values_reported_to`) naming *what* it is when it changed.

    :class:`Element` calls it for every value set; a pass building a tree of
    its own (MathML from TeX) calls it for what it takes from the archive.
    """
    if value is None or not _NOT_XML.search(value):
        return value
    safe = _xml_safe(value, url)
    warn = _warn_about_values.get()
    if warn is not None:
        shown = _NOT_XML.sub(lambda m: repr(m[0])[1:-1], value[:80])  # each character removed as its escape: \x01, \ufffe
        warn(NOT_XML_SAFE, f"{'percent-encoded' if url else 'dropped'} in {what}: {shown}")
    return safe


class Element(HtmlElement):
    """An HTML element whose every value set is XML-safe: an archive's odd character costs a warning, not the build.

    The one place values enter a tree: ``set``, ``makeelement`` and the
    ``text`` and ``tail`` a rewrite pass writes, whatever they came from (an
    attribute as parsed, a percent-decoded address, a formula's TeX).
    """

    def set(self, key: str, value: str | None = None) -> None:
        super().set(key, safe_value(value, f"<{self.tag} {key}>", key in URL_ATTRIBUTES))

    def makeelement(self, tag, attrib=None, nsmap=None, **extra):  # noqa: ANN001, ANN201 - lxml's own signature
        attributes = {key: safe_value(value, f"<{tag} {key}>", key in URL_ATTRIBUTES) for key, value in {**(attrib or {}), **extra}.items()}
        return super().makeelement(tag, attributes, nsmap)

    def _set_text(self, value: str | None) -> None:
        HtmlElement.text.__set__(self, safe_value(value, f"text in <{self.tag}>"))

    def _set_tail(self, value: str | None) -> None:
        HtmlElement.tail.__set__(self, safe_value(value, f"text after <{self.tag}>"))

    # Read as lxml reads them (passes read text far more often than they write it).
    text = property(HtmlElement.text.__get__, _set_text)
    tail = property(HtmlElement.tail.__get__, _set_tail)


def _parser() -> lxml.html.HTMLParser:
    """lxml.html's parser with every element an :class:`Element`, and no limit on a text's length (:func:`read_fragment`).

    Its own lookup picks a class (forms, inputs…) in Python each time a pass
    touches an element: 15% of a rewrite.  One parser per fragment, as lxml
    parsers must not be shared between threads.
    """
    parser = lxml.html.HTMLParser(huge_tree=True)
    parser.set_element_class_lookup(etree.ElementDefaultClassLookup(
        element=Element, comment=HtmlComment, pi=HtmlProcessingInstruction, entity=HtmlEntity))
    return parser


def inner_html(root: HtmlElement) -> str:
    """What is inside the wrapper ``<div>`` of :func:`parse_fragment`, serialised in one call, not one per child."""
    whole = etree.tostring(root, encoding="unicode", method="html", with_tail=False)
    return whole.removeprefix("<div>").removesuffix("</div>")


def text_of(element: HtmlElement) -> str:
    """``element.text_content()``, without lxml's XPath call for an element with no children (most paragraphs): its text."""
    return element.text_content() if len(element) else element.text or ""


def has_class(element: HtmlElement, name: str) -> bool:
    return name in (element.get("class") or "").split()


def replace(old: HtmlElement, new: HtmlElement) -> None:
    """Put *new* where *old* was, keeping the text that followed *old*."""
    new.tail = old.tail
    old.getparent().replace(old, new)


def remove(element: HtmlElement) -> None:
    """Remove *element* but keep the text that followed it."""
    element.drop_tree()
