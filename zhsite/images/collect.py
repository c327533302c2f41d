"""Which pictures a site shows: every image URL in the loaded content, grouped by picture.

A cheap parse of the archive HTML (no rewriting) finds the URLs the rewrite
stage will keep, asking the module the rewrite passes ask (zhsite/pictures.py):
a figure's image and its full-size ``_r`` link, link and video card
thumbnails, note images, comment images and an article's title image.
Formula images are left out (they become MathML).

Zhihu serves one picture under many URLs: ``v2-<hash>_r.jpg`` (full size),
``_b``, ``_hd``, ``_720w``, ``_ipico`` …, on ``pic1``–``pic4``.  They are one
:class:`Picture`, fetched once in its largest known variant and stored once;
every URL of it maps to that one file.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import lxml.html
from lxml import etree

from zhsite.cache import IMAGE_URLS, BuildCache
from zhsite.model import Site, in_reading_order
from zhsite.pictures import THUMBNAILS, absolute, shown

# ``v2-<32 hex>`` with an optional ``_<variant>`` before the extension.
_ZHIHU = re.compile(r"(?P<id>v2-[0-9a-f]{32})(?:_(?P<variant>[0-9a-z]+))?(?:\.[0-9a-z]+)?$", re.I)
# Full size first: the original upload and ``_r`` are the picture as posted.
_VARIANT_RANK = {"r": 0, None: 1, "hd": 2, "1440w": 3, "xl": 3, "qhd": 3, "b": 4, "720w": 5}
_OTHER_VARIANT = 6


def zhihu_id(url: str) -> str:
    """``v2-<hash>`` of a Zhihu image URL (or a file name), else ""."""
    match = _ZHIHU.search(urlsplit(url).path.rsplit("/", 1)[-1] if "//" in url else url)
    return match.group("id").lower() if match else ""


def variant_rank(url: str) -> int:
    match = _ZHIHU.search(urlsplit(url).path.rsplit("/", 1)[-1] if "//" in url else url)
    if not match:
        return _OTHER_VARIANT
    variant = match.group("variant")
    return _VARIANT_RANK.get(variant.lower() if variant else None, _OTHER_VARIANT)


def picture_key(url: str) -> str:
    """What makes two URLs the same picture: a Zhihu v2 id, else the URL itself."""
    key = zhihu_id(url)
    host = urlsplit(url).hostname or ""
    return f"zhihu:{key}" if key and host.endswith("zhimg.com") else url


@dataclass
class Picture:
    """One picture: the URLs it appears under (as written in the archive) and every article or note using it."""

    key: str
    urls: list[str] = field(default_factory=list)  # absolute, best variant first once sorted
    written: set[str] = field(default_factory=set)  # the same URLs as the HTML spells them
    # (source file, "article 123" or "" for a note), first use first: the missing-images report
    # lists a picture under every article that shows it, the build warning names the first.
    # A dict for its order: a site's header picture is used by thousands of articles.
    uses: dict[tuple[str, str], None] = field(default_factory=dict)

    @property
    def source(self) -> str:
        return next(iter(self.uses), ("", ""))[0]

    @property
    def where(self) -> str:
        return next(iter(self.uses), ("", ""))[1]

    @property
    def host(self) -> str:
        return (urlsplit(self.urls[0]).hostname or "") if self.urls else ""


@dataclass
class Collected:
    pictures: dict[str, Picture] = field(default_factory=dict)
    # Each URL as written: its absolute form and picture key (a large archive writes a few
    # thousand URLs hundreds of thousands of times).
    _known: dict[str, tuple[str, str]] = field(default_factory=dict)

    def add(self, written: str, source: str, where: str) -> None:
        known = self._known.get(written)
        if known is None:
            url = absolute(written)
            known = self._known[written] = (url, picture_key(url) if url else "")
        url, key = known
        if not url:
            return
        picture = self.pictures.get(key)
        if picture is None:
            picture = self.pictures[key] = Picture(key)
        picture.uses[source, where] = None
        if url not in picture.urls:
            picture.urls.append(url)
            picture.urls.sort(key=variant_rank)  # stable: first seen first among equals
            picture.written.add(url)
        picture.written.add(written.strip())


def html_image_urls(html: str) -> Iterator[str]:
    """Image URLs that survive the rewrite stage of one HTML fragment, as written."""
    if "<img" not in html and not any(attribute in html for attribute in THUMBNAILS):
        return
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (etree.ParserError, ValueError):
        return
    for element in root.iter("img", "a"):
        yield from shown(element)


def collect_site(site: Site, cache: BuildCache | None = None) -> Collected:
    """Every picture the site's pages will show, in the order they first appear.

    The URLs in an article and its comments come from the *cache* when their
    HTML is unchanged: parsing every article for them was most of a no-change build.
    """
    collected = Collected()
    for article in site.articles:
        where = f"{article.kind} {article.id}"
        if article.image:
            collected.add(article.image, article.source, where)
        htmls = (article.content, *(comment.content for comment in in_reading_order(article.comments)))
        for url in urls_in(htmls, cache):
            collected.add(url, article.source, where)
    for note in site.notes:
        for url in urls_in((note.content,), cache):
            collected.add(url, note.source, "")
    return collected


def urls_in(htmls: tuple[str, ...], cache: BuildCache | None) -> list[str]:
    """The image URLs of some HTML fragments (:func:`html_image_urls` of each), each once, in order."""
    def find() -> list[str]:
        return list(dict.fromkeys(url for html in htmls for url in html_image_urls(html or "") if url))
    return cache.memo(IMAGE_URLS, htmls, find) if cache is not None else find()
