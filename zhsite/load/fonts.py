"""Restore text Zhihu's anti-crawler scrambled, from the web font the saved page kept.

Zhihu serves such a page with text whose characters are swapped for other
common ones, and a font of its own that draws each swapped character as the
one meant (docs/scrambled.md).  Where the archive kept that font (a saved
page's ``<name>_files/`` folder, or a ``@font-face`` of the page itself,
zhsite/load/savedpage.py; an exporter's ``assets/``), each of its glyphs is matched by outline to a
reference CJK font's glyphs (Noto Sans CJK SC, Debian's fonts-noto-cjk: the
outlines of Source Han Sans, which web fonts are commonly cut from), which gives the
swapped character -> meant character map.  The font covers the characters it
swaps, usually a permutation of each other, so its own characters are drawn
from the reference first (a few hundred glyphs, not 65,000), and the 3,500
commonest characters only for glyphs still unknown (about 6 s, once a build).

Only a post the detector reads as scrambled (zhsite/chinese.py) is touched,
and its text is replaced only when the map makes it read better: a font that
is not the anti-crawler's leaves the post as archived.  What cannot be
restored is said by the step that marks scrambled pages (zhsite/rewrite/scrambled.py).
"""
from __future__ import annotations

import base64
import binascii
import io
import re
from collections.abc import Callable
from dataclasses import replace
from functools import cache, partial
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from zhsite.chinese import REFERENCE_FAMILY, REFERENCE_FONTS, common_characters, read_text
from zhsite.model import Article, Column
from zhsite.problems import Problem

if TYPE_CHECKING:  # fontTools is imported where a font is read: few archives hold one, and its import is a fifth of zhsite's
    from fontTools.ttLib import TTFont

FONT_SUFFIXES = (".woff", ".woff2", ".ttf", ".otf")
MAX_FONT_BYTES = 32 * 1024 * 1024
_HAN = re.compile(r"[\u4e00-\u9fff]")
_TAG = re.compile(r"(<[^<>]*>)")

Outline = tuple


# How Article.fonts names a font the page holds as a data: URL: tried as the page is read (zhsite/load/savedpage.py),
# so the build cache's parse of the page holds the restored text, and no font's bytes sit in the model.
INSIDE_THE_PAGE = "a font inside the page"
FONT_NOT_USABLE = "font not usable to restore scrambled text"


def restore_articles(columns: list[Column], root: Path, problems: list[Problem]) -> None:
    """Each scrambled article whose font is a file of the archive, with its characters put back (``Article.restored``)."""
    maps: dict[str, dict[str, str]] = {}
    beside: dict[str, tuple[str, ...]] = {}  # by source file: a crawl's thousand posts in one file look once
    for column in columns:
        for i, article in enumerate(column.articles):
            if article.source not in beside:
                beside[article.source] = _fonts_beside(root, article.source)
            files = [font for font in (*article.fonts, *beside[article.source]) if not font.startswith(INSIDE_THE_PAGE)]
            column.articles[i] = restore(article, {font: partial(_file_bytes, font, root) for font in files}, maps, problems)


def restore(article: Article, fonts: dict[str, Callable[[], bytes]], maps: dict[str, dict[str, str]], problems: list[Problem]) -> Article:
    """*article* with its characters put back from the first of *fonts* (name -> its bytes) that makes it read better.

    A post that reads as Chinese is returned as it is; *maps* keeps each font's map, for the posts that share it.
    """
    if not fonts or not read_text(article.content).scrambled:
        return article
    tried = tuple(dict.fromkeys((*article.fonts, *fonts)))  # a page's @font-face names the file beside it
    before = read_text(article.content).worst
    for name, data in fonts.items():
        if name not in maps:
            maps[name] = _swaps(name, data, Problem(article.source, f"{article.kind} {article.id}", FONT_NOT_USABLE, severity="warning"), problems)
        content, count = unswap(article.content, maps[name])
        if count and read_text(content).worst > before:
            return replace(article, content=content, restored=count, fonts=tried)
    return replace(article, fonts=tried)


def _fonts_beside(root: Path, source: str) -> tuple[str, ...]:
    """The fonts (project paths, by name) in the folder a browser or an exporter keeps a post's files in:
    a saved page's ``<name>_files/``, Typora's ``<name>.assets/``, an exporter's ``assets/`` beside the post."""
    post = PurePosixPath(source)
    found = []
    for name in (f"{post.stem}_files", f"{post.stem}.assets", "assets"):
        folder = root / post.parent / name
        if folder.is_dir():
            found += sorted((post.parent / name / path.name).as_posix() for path in folder.iterdir()
                            if path.suffix.lower() in FONT_SUFFIXES and path.is_file())
    return tuple(found)


def unswap(html: str, swaps: dict[str, str]) -> tuple[str, int]:
    """*html* with each swapped character of its text (not of its tags) put back, and how many were."""
    count = 0
    parts = _TAG.split(html)
    for i in range(0, len(parts), 2):  # text between tags
        restored = "".join(swaps.get(char, char) for char in parts[i])
        count += sum(a != b for a, b in zip(parts[i], restored, strict=True))
        parts[i] = restored
    return "".join(parts), count


def _swaps(font: str, data: Callable[[], bytes], about: Problem, problems: list[Problem]) -> dict[str, str]:
    """The font's swapped character -> meant character, {} (with a warning) when it cannot be read or matched."""
    def unusable(why: str) -> dict[str, str]:
        problems.append(replace(about, detail=f"{font}: {why}"))
        return {}

    from fontTools.ttLib import TTFont, TTLibError

    reference = reference_font()
    if reference is None:
        return unusable(f"no reference font to match its glyphs against (install {REFERENCE_FAMILY}: Debian's fonts-noto-cjk)")
    try:
        page = TTFont(io.BytesIO(data()), lazy=True)
        return swaps_by_outline(page, reference)
    except (OSError, ValueError, TTLibError, KeyError, AssertionError, binascii.Error) as exc:
        return unusable(f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__)


def data_url_bytes(url: str) -> bytes:
    """A ``data:…;base64,`` URL's bytes (binascii.Error when they are not base64)."""
    return base64.b64decode(url.split(",", 1)[-1], validate=False)


def _file_bytes(font: str, root: Path) -> bytes:
    """A font file's bytes; ValueError when it is outside the project, missing or too large."""
    path = (root / font).resolve()
    if not path.is_relative_to(root.resolve()):
        raise ValueError("outside the project")
    if not path.is_file():
        raise ValueError("no such file")
    if path.stat().st_size > MAX_FONT_BYTES:
        raise ValueError(f"larger than {MAX_FONT_BYTES // 2**20} MB")
    return path.read_bytes()


@cache
def reference_font() -> TTFont | None:
    """Noto Sans CJK SC, the first of REFERENCE_FONTS found; None where none is installed."""
    from fontTools.ttLib import TTCollection

    for path in REFERENCE_FONTS:
        if path.is_file():
            for font in TTCollection(str(path), lazy=True).fonts:
                if font["name"].getDebugName(1) == REFERENCE_FAMILY:
                    return font
    return None


def swaps_by_outline(page: TTFont, reference: TTFont) -> dict[str, str]:
    """Each Han character the page's font draws as another one's reference glyph -> that other character."""
    page_map = {code: name for code, name in page.getBestCmap().items() if _HAN.match(chr(code))}
    reference_map = reference.getBestCmap()
    drawn_in_reference, drawn_in_page = _outlines(reference), _outlines(page)
    drawn = {chr(code): drawn_in_page(name) for code, name in page_map.items()}
    found: dict[str, str] = {}
    for candidates in (page_map, (ord(char) for char in common_characters())):  # the second only for glyphs still unknown
        meant = {drawn_in_reference(reference_map[code]): chr(code) for code in candidates if code in reference_map}
        meant.pop((), None)  # an empty glyph matches every other empty one
        found |= {char: meant[outline] for char, outline in drawn.items() if outline in meant}
        if len(found) == len(drawn):
            break
    return {char: real for char, real in found.items() if real != char}


def _outlines(font: TTFont) -> Callable[[str], Outline]:
    """A glyph's outline, its components drawn in, in units of 1/1000 em: the same drawing in any font compares equal."""
    from fontTools.pens.recordingPen import DecomposingRecordingPen

    glyphs = font.getGlyphSet()
    scale = 1000 / font["head"].unitsPerEm

    def outline(glyph: str) -> Outline:
        pen = DecomposingRecordingPen(glyphs)
        glyphs[glyph].draw(pen)
        return tuple((operator, tuple(tuple(round(v * scale) for v in point) if point else None for point in points))
                     for operator, points in pen.value)

    return outline
