"""Which pictures a site shows: every image URL in the loaded content, grouped by picture.

A cheap parse of the archive HTML (no rewriting) finds the URLs the rewrite
stage will keep, asking the module the rewrite passes ask (zhsite/pictures.py):
a figure's image and its full-size ``_r`` link, link and video card
thumbnails, note images, comment images and an article's title image.
Formula images are left out (they become MathML), and so are a fragment's
pictures past its first few thousand, which the pages show as their addresses.

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

from lxml import etree

from zhsite.cache import IMAGE_URLS, BuildCache
from zhsite.model import Article, Comment, Note, Site, packed, text_key, unpack, with_comments
from zhsite.pictures import THUMBNAILS, absolute, past_the_limit, shown
from zhsite.tree import read_fragment

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


@dataclass(slots=True)
class Picture:
    """One picture: the URLs it appears under (as written in the archive) and every article or note using it.

    Kept small, as an article may show a million pictures (issue #32: 8 KB a
    URL had made 10^6 URLs pass 4 GB): no per-instance dict, tuples that are
    made again on the rare second URL, one list of uses.
    """

    key: str
    urls: tuple[str, ...] = ()  # absolute, best variant first
    spelled: tuple[str, ...] = ()  # the URLs as the HTML spells them where that is not as in *urls*
    # (source file, "article 123" or "" for a note), first use first, each once: the missing-images report
    # lists a picture under every article that shows it, the build warning names the first.  collect_site
    # adds an article's URLs one after the other, so a use already there is the last one.
    uses: list[tuple[str, str]] = field(default_factory=list)

    @property
    def written(self) -> tuple[str, ...]:
        """Every spelling of the picture's URLs in the archive, absolute or not."""
        return self.urls + self.spelled

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

    def add(self, written: str, use: tuple[str, str]) -> None:
        """The URL as *written* in the HTML, used at *use* (source file, place)."""
        known = self._known.get(written)
        if known is None:
            url = absolute(written)
            known = self._known[written] = (written if url == written else url, picture_key(url) if url else "")
        url, key = known
        if not url:
            return
        picture = self.pictures.get(key)
        if picture is None:
            picture = self.pictures[key] = Picture(key)
        if not picture.uses or picture.uses[-1] != use:
            picture.uses.append(use)
        if url not in picture.urls:
            picture.urls = tuple(sorted((*picture.urls, url), key=variant_rank))  # stable: first seen first among equals
        spelled = written.strip()
        if spelled not in picture.urls and spelled not in picture.spelled:
            picture.spelled += (spelled,)


def html_image_urls(html: str) -> Iterator[str]:
    """Image URLs that survive the rewrite stage of one HTML fragment, as written."""
    if "<img" not in html and not any(attribute in html for attribute in THUMBNAILS):
        return
    try:
        root = read_fragment(past_the_limit(html)[0])  # those past it are text: nothing to fetch
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
    for article in [*site.articles, *site.versions]:  # an older version's pictures, too: a censor removes pictures
        use = (article.source, f"{article.kind} {article.id}")
        if article.image:
            collected.add(article.image, use)
        for url in urls_in(with_comments(article), cache):
            collected.add(url, use)
    for note in site.notes:
        use = (note.source, "")
        for url in urls_in((note,), cache):
            collected.add(url, use)
    return collected


def urls_in(texts: tuple[Article | Comment | Note, ...], cache: BuildCache | None) -> list[str]:
    """The image URLs of some texts (:func:`~zhsite.model.with_comments`), each once, in order: :func:`html_image_urls`
    of each, their HTML unpacked only when the cache does not have them (kept by their text_key)."""
    def find() -> list[str]:
        return list(dict.fromkeys(url for text in texts for url in html_image_urls(unpack(packed(text))) if url))
    return cache.memo(IMAGE_URLS, tuple(map(text_key, texts)), find) if cache is not None else find()
