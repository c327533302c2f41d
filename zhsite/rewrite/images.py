"""Zhihu's lazy-loaded figures → one real, sized ``<img>`` per figure.

Zhihu ships a blank SVG placeholder plus the real URL in ``data-actualsrc``
and a ``<noscript>`` copy for readers without JavaScript; the archive has
neither Zhihu's script nor a reason to keep two images, so each figure gets
one ``<img>`` with its intrinsic size (no layout jump while loading) and a
click-through to the full-size ``_r`` variant.  A picture without a caption
takes its alt text from the text around it: a reader who cannot see it still
learns what it shows, and a failed load still says what was there.
"""
from __future__ import annotations

import re

from lxml.html import HtmlElement

from zhsite import pictures
from zhsite.rewrite.context import RewriteContext
from zhsite.rewrite.local_images import unavailable_image

_SENTENCE_END = re.compile(r"(?<=[。！？!?；;])")
_ALT_LENGTH = 60


def _sentences(element: HtmlElement | None) -> list[str]:
    if element is None or element.tag in ("figure", "pre", "div", "table", "math", "code"):
        return []
    text = " ".join(_readable_text(element).split())
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


def _readable_text(element: HtmlElement) -> str:
    """The prose around a picture, a formula in it said as 公式: an alt read aloud as TeX or MathML's letters says nothing."""
    parts = [element.text or ""]
    for child in element:
        if child.tag == "math" or "math-fallback" in (child.get("class") or ""):
            parts.append("公式")
        elif isinstance(child.tag, str):
            parts.append(_readable_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _nearby_text(picture: HtmlElement) -> str:
    """What the text around an uncaptioned picture says of it, for its alt.

    "…如下图所示：" before it introduces it; otherwise the sentence after it
    usually explains it (60692852: the loss formula, then "yolo将目标检测看做回归问题…").
    """
    before, after = _sentences(picture.getprevious()), _sentences(picture.getnext())
    if before and before[-1].endswith((":", "：")):
        text = before[-1]
    elif after:
        text = after[0]
    else:
        text = before[-1] if before else ""
    return text if len(text) <= _ALT_LENGTH else text[: _ALT_LENGTH - 1] + "…"


def _size(img: HtmlElement) -> dict[str, str]:
    """The picture's size: Zhihu's intrinsic pair, else what the author asked for, kept as a largest size.

    ``<img width=50%>`` (Typora) or ``width="300"`` shows a diagram small; the
    stylesheet's ``max-width: 100%`` still fits it to narrow screens.
    """
    raw = {name: (img.get(f"data-raw{name}") or "").strip() for name in ("width", "height")}
    if all(value.isdigit() and value != "0" for value in raw.values()):
        return raw
    given = {name: _LENGTH.fullmatch((img.get(name) or "").strip()) for name in ("width", "height")}
    return {name: found[1] + found[2] for name, found in given.items() if found and found[1].strip("0")}


_LENGTH = re.compile(r"(\d+)(%?)(?:px)?", re.I)


def _drop_noscript_copies(root: HtmlElement) -> None:
    """The ``<noscript>`` copy goes when the figure has its own image; else it is the image."""
    for noscript in list(root.iter("noscript")):
        parent = noscript.getparent()
        has_sibling_image = any(img is not None for child in parent if child is not noscript for img in child.iter("img"))
        if has_sibling_image:
            noscript.drop_tree()
        else:
            noscript.drop_tag()


def _missing(img: HtmlElement, said: dict[str, str], placeholder: bool, ctx: RewriteContext) -> None:
    """A picture the archive kept only a lazy-loading blank of is shown missing (*said*: its alt and size); one with no URL at all is dropped."""
    if placeholder:
        img.attrib.update(said)
        ctx.warn("picture saved only as its lazy-loading placeholder, shown as missing")
        box = unavailable_image(img, "", True)
        box.tail = img.tail
        img.getparent().replace(img, box)
    else:
        ctx.warn("an image has no source URL and was dropped")
        img.drop_tree()


def rewrite_lazy_images(root: HtmlElement, ctx: RewriteContext) -> None:
    _drop_noscript_copies(root)
    for img in list(root.iter("img")):
        if pictures.is_formula(img):
            continue
        src, full = pictures.source(img), pictures.full_size(img)
        size = _size(img)
        placeholder = pictures.is_placeholder(img.get("src") or "")
        figure = img.getparent() if img.getparent().tag == "figure" else None
        caption = figure.find("figcaption") if figure is not None else None
        alt = (img.get("alt") or img.get("data-caption") or "").strip()
        if not alt and caption is not None:
            alt = caption.text_content().strip()
        if not alt:
            alt = _nearby_text(figure if figure is not None else img)
        for attr in list(img.attrib):
            del img.attrib[attr]
        if not src:
            _missing(img, {"alt": alt, **size}, placeholder, ctx)
            continue
        img.set("src", src)
        img.set("alt", alt)
        for name, value in size.items():
            img.set(name, value)
        img.set("loading", "lazy")
        img.set("decoding", "async")
        if full and full != src and img.getparent().tag != "a":
            # The link's only content is the image, whose alt may be empty: name the link itself.
            link = img.makeelement("a", {"href": full, "class": "zoom", "aria-label": f"查看大图：{alt}" if alt else "查看大图"})
            img.addprevious(link)
            link.tail = img.tail
            img.tail = None
            link.append(img)
