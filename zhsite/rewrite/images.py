"""Zhihu's lazy-loaded figures → one real, sized ``<img>`` per figure.

Zhihu ships a blank SVG placeholder plus the real URL in ``data-actualsrc``
and a ``<noscript>`` copy for readers without JavaScript; the archive has
neither Zhihu's script nor a reason to keep two images, so each figure gets
one ``<img>`` with its intrinsic size (no layout jump while loading) and a
click-through to the full-size ``_r`` variant.  Its alt is the archive's own
alt or the figure's caption, else empty: an uncaptioned figure is described by
the text around it, which a screen reader reads anyway; a copy of that text as
the alt would be heard twice (and, where the sentence is the next figure's
introduction, say the wrong thing).  Placeholder words (``mark``, ``图片``)
and file names are no alt either.
"""
from __future__ import annotations

import re

from lxml.html import HtmlElement

from zhsite import pictures
from zhsite.rewrite.context import RewriteContext
from zhsite.rewrite.local_images import unavailable_image
from zhsite.svg import SVG_UNFILTERED, UnsafeSvg, without_script

# Words editors put in an alt when the author wrote none (Markdown's ``![mark](…)``, ``![image](…)``):
# read aloud they say nothing, so they count as no alt at all.
_PLACEHOLDER_WORDS = frozenset({"mark", "image", "img", "pic", "picture", "photo", "screenshot", "图片", "图", "截图", "插图"})
# A file name as alt: ``v2-abc_720w.jpg``, ``image-20210315101010.png``, Typora's ``image-20210315101010``.
_FILE_NAME = re.compile(r"[\w.\-]+\.(?:jpe?g|png|gif|webp|svg|bmp|tiff?|avif)|(?:image|img|v2)-[\w\-]+", re.I)


def said_alt(text: str) -> str:
    """*text* as an alt, or "" when it is a placeholder word or a file name rather than words about the picture."""
    text = " ".join(text.split())
    if text.lower() in _PLACEHOLDER_WORDS or _FILE_NAME.fullmatch(text):
        return ""
    return text


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


PLACEHOLDER_ONLY = "picture saved only as its lazy-loading placeholder, shown as missing"
NO_SOURCE = "an image has no source URL and was dropped"
TOO_MANY_PICTURES = "too many pictures"
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
        ctx.warn(PLACEHOLDER_ONLY)
        _boxed(img, said)
    else:
        ctx.warn(NO_SOURCE)
        img.drop_tree()


def _boxed(img: HtmlElement, said: dict[str, str]) -> None:
    """The picture shown as missing, by its alt and size (*said*)."""
    img.attrib.update(said)
    box = unavailable_image(img, "", True)
    box.tail = img.tail
    img.getparent().replace(img, box)


def _unsafe_svg(src: str) -> str:
    """Why an SVG written into the text (a ``data:`` picture) cannot be filtered, which the sanitiser would drop; or ""."""
    if not src.lower().startswith("data:image/svg"):
        return ""
    try:
        without_script(pictures.data_picture_bytes(src) or b"")
    except UnsafeSvg as exc:
        return str(exc)
    return ""


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
        alt = said_alt(img.get("alt") or img.get("data-caption") or "")
        if not alt and caption is not None:
            alt = said_alt(caption.text_content())
        for attr in list(img.attrib):
            del img.attrib[attr]
        if not src:
            _missing(img, {"alt": alt, **size}, placeholder, ctx)
            continue
        unsafe = _unsafe_svg(src)
        if unsafe:  # an SVG written into the text that the sanitiser could not filter, so would drop
            ctx.warn(SVG_UNFILTERED, unsafe)
            _boxed(img, {"alt": alt, **size})
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
