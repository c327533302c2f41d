"""Local copies of images (``[images] mode = "local"``), from the map the image phase made.

The downloading happened before the rewrite stage (:mod:`zhsite.images`);
this pass only swaps URLs.  An image that could not be had becomes a visible
placeholder saying so, with its alt text and size, linking to the original:
never a broken-image icon.  A picture whose host did not answer the image
phase (no network) keeps its web address, and its zoom link too.
"""
from __future__ import annotations

from lxml.html import HtmlElement

from zhsite import urls
from zhsite.pictures import IMAGE_NOT_SAVED, absolute, is_local_path
from zhsite.rewrite.context import RewriteContext
from zhsite.tree import has_class

_UNKNOWN = object()
PLAIN_HTTP = "picture over plain http, its host not known to serve https"


def _lookup(ctx: RewriteContext, url: str):
    url = url.strip()
    images = ctx.images  # not None: use_local_images returns first in remote mode
    if url in images:
        return images[url]
    return images.get(absolute(url), _UNKNOWN)


def _inside_link(element: HtmlElement, stop: HtmlElement | None) -> bool:
    return any(a is not stop for a in element.iterancestors("a"))


# The class of the box a picture that could not be saved is shown as: no part of a page's excerpt (zhsite/rewrite/summary.py).
UNSAVED_BOX = "image-unavailable"


def unavailable_image(img: HtmlElement, original: str, in_link: bool) -> HtmlElement:
    alt = (img.get("alt") or "").strip()
    attributes = {"class": UNSAVED_BOX}
    if not in_link:  # a link inside a link is not allowed: inside one, the text says it all
        attributes |= {"href": original, "title": f"原图：{original}"}
    box = img.makeelement("span" if in_link else "a", attributes)
    label = box.makeelement("span", {"class": "image-unavailable-label"})
    label.text = f"图片未能保存：{alt}" if alt else "图片未能保存"
    box.append(label)
    width, height = img.get("width"), img.get("height")
    if width and height:
        size = box.makeelement("span", {"class": "image-unavailable-size"})
        size.text = f"{width} × {height}"
        box.append(size)
    return box


def use_local_files(root: HtmlElement, ctx: RewriteContext) -> None:
    """Images that are files beside the Markdown: their copy in the site, else their alt text, never the path."""
    for img in list(root.iter("img")):
        src = (img.get("src") or "").strip()
        if not is_local_path(src):
            continue
        local = ctx.files.get(src)
        if local is not None and local.endswith(".pdf"):
            _replace(img, pdf_link(img, urls.relative(local, ctx.page)))
        elif local is not None:
            img.set("src", urls.relative(local, ctx.page))
        else:  # the image phase warned, naming the file; a path left on the page would name the author's disk
            _replace(img, unavailable_image(img, "", True))


def pdf_link(img: HtmlElement, href: str) -> HtmlElement:
    """A PDF figure with no picture beside it: a browser cannot show it as an ``<img>``, a link opens it."""
    link = img.makeelement("a", {"class": "pdf-figure", "href": href})
    alt = (img.get("alt") or "").strip()
    link.text = f"{alt}（PDF）" if alt else "PDF 图"
    return link


def _replace(img: HtmlElement, new: HtmlElement) -> None:
    new.tail = img.tail
    img.getparent().replace(img, new)


def use_local_images(root: HtmlElement, ctx: RewriteContext) -> None:
    if ctx.images is None:  # mode = "remote": pages keep the archive's URLs
        return
    for img in list(root.iter("img")):
        src = img.get("src") or ""
        if not src.strip().lower().startswith(("http:", "https:", "//")):  # data: and relative URLs stay
            continue
        local = _lookup(ctx, src)
        if isinstance(local, str) and absolute(local):  # its host did not answer: the picture keeps its web address
            continue
        parent = img.getparent()
        zoom = parent if parent is not None and parent.tag == "a" and has_class(parent, "zoom") else None
        if isinstance(local, str):
            img.set("src", urls.relative(local, ctx.page))
            if zoom is not None:
                full = _lookup(ctx, zoom.get("href") or "")
                zoom.set("href", urls.relative(full if isinstance(full, str) and not absolute(full) else local, ctx.page))
            continue
        if local is _UNKNOWN:
            ctx.warn(IMAGE_NOT_SAVED, f"{src.strip()} (not found by the image phase)")
        if has_class(img, "link-card-thumb"):  # the card still names its link; no thumbnail then
            img.drop_tree()
            continue
        target = zoom if zoom is not None else img
        original = ((zoom.get("href") if zoom is not None else "") or src).strip()
        box = unavailable_image(img, original, _inside_link(target, zoom))
        box.tail = target.tail
        target.getparent().replace(target, box)


def warn_plain_http(root: HtmlElement, ctx: RewriteContext) -> None:
    """A picture the page still loads over plain ``http:`` is said, once per picture (grouped, counted, by the CLI).

    Zhihu's were made ``https:`` already (zhsite/pictures.py); another host's
    cannot be asked offline whether it serves https, and a page of a site
    published over https may not load it: browsers block or upgrade such
    mixed content.  A local copy (``[images] mode = "local"``) needs neither.
    """
    for img in root.iter("img"):
        src = (img.get("src") or "").strip()
        if src[:7].lower() == "http://":
            ctx.warn(PLAIN_HTTP, src)
