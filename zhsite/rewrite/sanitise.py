"""The last pass: an allow-list of what a reader needs, everything else dropped.

Archive HTML came from the web and may carry scripts, event handlers,
``javascript:`` URLs, iframes, ``<base>``, meta refresh or layout-breaking CSS.
nh3 (Rust's ammonia) does the cleaning: a maintained HTML5 sanitiser is safer
than any hand-written one.  It runs after the other passes so that nothing
they produce (a decoded redirect target, say) escapes the allow-list either.
"""
from __future__ import annotations

import base64

import nh3

from zhsite.pictures import data_picture_bytes, is_data_picture
from zhsite.svg import UnsafeSvg, without_script

_TEXT = {"p", "br", "hr", "span", "div", "b", "strong", "i", "em", "u", "s", "del", "ins", "sub", "sup", "small",
         "mark", "code", "kbd", "samp", "var", "pre", "blockquote", "q", "cite", "abbr"}
_STRUCTURE = {"h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "table", "thead", "tbody", "tfoot",
              "tr", "th", "td", "caption", "colgroup", "col", "figure", "figcaption", "a", "img", "details",
              "summary", "section", "aside", "footer", "input"}
_MATHML = {"math", "semantics", "annotation", "mrow", "mi", "mo", "mn", "ms", "mtext", "mspace", "msub", "msup",
           "msubsup", "mfrac", "msqrt", "mroot", "mover", "munder", "munderover", "mtable", "mtr", "mtd",
           "mstyle", "mpadded", "mphantom", "menclose", "mfenced"}
TAGS = _TEXT | _STRUCTURE | _MATHML

_MATH_ATTRIBUTES = {"display", "mathvariant", "stretchy", "fence", "form", "separator", "accent", "accentunder",
                    "columnalign", "columnspacing", "rowspacing", "displaystyle", "scriptlevel", "width",
                    "height", "depth", "lspace", "rspace", "voffset", "linebreak", "notation", "largeop",
                    "movablelimits", "symmetric", "minsize", "maxsize", "columnlines", "rowlines", "frame",
                    "rowalign", "encoding"}
ATTRIBUTES = {
    "*": {"class", "id", "title", "lang", "dir"},
    "a": {"href", "aria-label"},
    "pre": {"tabindex"},
    "table": {"tabindex"},
    "math": _MATH_ATTRIBUTES | {"tabindex"},
    "img": {"src", "alt", "width", "height", "loading", "decoding", "referrerpolicy"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "ol": {"start", "reversed"},
    "li": {"value"},
    "input": {"type", "checked", "disabled"},
    **{tag: _MATH_ATTRIBUTES for tag in _MATHML - {"math"}},
}
# Task-list checkboxes are the only inputs a note may carry, and never enabled.  Zhihu's image
# hosts refuse a hot-linked picture requested with another site's Referer: pictures send none.
_FORCED = {"input": {"disabled": "disabled"}, "img": {"referrerpolicy": "no-referrer"}}
_INPUT_TYPES = {"checkbox"}


def _filter(tag: str, attribute: str, value: str) -> str | None:
    if value.lstrip()[:5].lower() == "data:":  # a picture in the text (pictures.is_data_picture), and no other data: URL
        if tag != "img" or attribute != "src" or not is_data_picture(value):
            return None
        return _drawing_only(value) if value.lstrip()[:14].lower() == "data:image/svg" else value
    if tag == "input" and attribute == "type":
        return value if value in _INPUT_TYPES else None
    if attribute == "tabindex":  # focusable for scrolling, never reordering the page's tab order
        return "0"
    return value


def _drawing_only(url: str) -> str | None:
    """An SVG picture written into the text, reduced to drawing as every SVG the site publishes (zhsite/svg.py): in an
    ``<img>`` it runs no script, but a reader may open it alone; None (no picture) when it cannot be filtered."""
    try:
        return "data:image/svg+xml;base64," + base64.b64encode(without_script(data_picture_bytes(url) or b"")).decode()
    except UnsafeSvg:
        return None


def sanitise(html: str) -> str:
    return nh3.clean(
        html,
        tags=TAGS,
        clean_content_tags={"script", "style", "iframe", "object", "embed", "template", "noscript", "svg",
                            "textarea", "select", "button", "form", "title", "head", "meta", "link", "base"},
        attributes=ATTRIBUTES,
        attribute_filter=_filter,
        set_tag_attribute_values=_FORCED,
        url_schemes={"http", "https", "mailto", "data"},  # data: for a picture alone (_filter)
        link_rel=None,
    )
