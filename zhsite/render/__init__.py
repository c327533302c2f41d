"""Render: the model → page files, through the theme's Jinja templates.

A project's ``templates/`` folder overrides any template of the theme by
name.  Every internal URL a template writes goes through ``url()``
(zhsite/urls.py), which makes it relative to the page being rendered, so one
output works at ``/``, under ``/<repo>/`` and from ``file://``.
"""
from __future__ import annotations

import hashlib
import re
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timedelta, timezone
from importlib.resources import files
from pathlib import Path
from typing import Any

import fontTools
import jinja2
import markupsafe
from pygments.formatters import HtmlFormatter

from zhsite import urls
from zhsite.cache import MATH_FONT_SUBSET, TEMPLATE_CODE, BuildCache
from zhsite.config import Config
from zhsite.fonts import subset_font
from zhsite.model import Article, Note, Site, articles_newest_first, in_reading_order
from zhsite.problems import BuildError, Problem
from zhsite.render.links import LinkIndex, Previews, preview_file_count
from zhsite.render.pages import Page, sections_of
from zhsite.render.versions import text_diff

MATH_FONT = "fonts/stix-two-math.woff2"  # under the theme's static/: sent as a subset, renamed by its hash
FEED_UPDATED_FALLBACK = "1970-01-01T00:00:00Z"  # undated archives: fixed, so builds are reproducible
THEME_NOT_FOUND = "theme not found"
TEMPLATE_NOT_FOUND = "template not found"
TEMPLATE_SYNTAX = "template syntax error"
TEMPLATE_ERROR = "template error"
# A feed tells readers what is new, it is not a second copy of the archive: with every
# article in full, the site feed of a large archive was hundreds of times bigger.
FEED_ENTRIES = 20
# Nor a copy of a huge post: an entry whose body holds more HTML than this (bytes) carries its excerpt as its
# summary.  A post of 10^6 picture links (issue #32) was a 170 MB body, which each feed escaped into a string of
# twice its size, held several times over while drawn; real posts are a few hundred kilobytes.
FEED_BODY_MAX = 2_000_000
# What XML 1.0 allows nowhere, not even escaped: a title holding U+0001 made feed.xml not well-formed,
# and feed readers refuse the whole feed for one such character.
_NOT_IN_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def theme_dir(project: Path, name: str) -> Path:
    """The project's own ``themes/<name>`` first, else the theme shipped with zhsite."""
    for candidate in (project / "themes" / name, Path(str(files("zhsite.themes"))) / name):
        if (candidate / "templates").is_dir():
            return candidate
    raise BuildError(Problem("zhsite.toml", "theme", THEME_NOT_FOUND, f"no theme named {name!r} (looked in themes/ and the built-in themes)"))


# The paths of the articles and notes whose body the page being drawn (in this thread) has read, and the
# ``backlinks:<path>`` and ``related:<path>`` it showed (zhsite/render/links.py).
_bodies_read: ContextVar[set[str] | None] = ContextVar("bodies_read", default=None)


class _Environment(jinja2.Environment):
    """Jinja's environment, noting each article's or note's ``body`` a template reads.

    Every attribute or item a template reads goes through these two methods,
    whichever template, macro or filter asks; a rebuild draws a page again
    when one of the bodies it read has changed (zhsite/render/reuse.py).
    """

    def getattr(self, obj: object, attribute: str) -> object:
        if attribute == "body":
            _note_body_read(obj)
        return super().getattr(obj, attribute)

    def getitem(self, obj: object, argument: object) -> object:
        if argument == "body":
            _note_body_read(obj)
        return super().getitem(obj, argument)


def _note_body_read(obj: object) -> None:
    if isinstance(obj, (Article, Note)):
        _note_read(obj.path)


def _note_read(key: str) -> None:
    reads = _bodies_read.get()
    if reads is not None:
        reads.add(key)


def make_environment(project: Path, theme: Path, cache: BuildCache | None = None) -> jinja2.Environment:
    """The project's templates over the theme's; with a build *cache*, each compiled once (:class:`TemplateCode`)."""
    env = _Environment(
        loader=jinja2.ChoiceLoader([jinja2.FileSystemLoader(project / "templates"), jinja2.FileSystemLoader(theme / "templates")]),
        autoescape=jinja2.select_autoescape(["html", "xml"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # the session makes a new environment when a template file changes (zhsite/session.py)
        bytecode_cache=TemplateCode(cache) if cache is not None else None,
    )
    env.globals["url"] = _url
    env.filters["quote_path"] = urls.quote_path
    env.filters["day"] = zhihu_day
    env.filters["link_urls"] = link_urls
    env.filters["reading_minutes"] = reading_minutes
    env.filters["text_diff"] = text_diff
    return env


class TemplateCode(jinja2.BytecodeCache):
    """Compiled templates in the build cache: each build compiled the theme's templates anew, 0.2 s of an edit's
    build.  Jinja checks what it reads back (its version, the template source's checksum) and compiles on a mismatch."""

    def __init__(self, cache: BuildCache) -> None:
        self._cache = cache

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._cache.get(self._cache.key(TEMPLATE_CODE, (bucket.key,)))
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._cache.put(self._cache.key(TEMPLATE_CODE, (bucket.key,)), bucket.bytecode_to_string())


# Characters a minute (each CJK character one, each other word two: zhsite/rewrite/summary.py): a steady
# pace for Chinese prose; technical text with formulas reads slower, so 约 N 分钟 is a lower bound.
READING_RATE = 400


def reading_minutes(length: int) -> int:
    """约 N 分钟: a body of *length* characters at READING_RATE, at least one minute."""
    return max(1, round(length / READING_RATE))


# A URL in running Chinese text: "维护在https://github.com/…" (linkify-it wants a word break before the
# scheme, which Chinese has none of), ending at white space or full-width punctuation.
_URL_IN_TEXT = re.compile(r"https?://[^\s<>\"'，。；：！？、）】》」]+")


def link_urls(text: str) -> markupsafe.Markup:
    """Plain *text* (a column's description) with its URLs as links, everything else escaped."""
    out, end = [], 0
    for match in _URL_IN_TEXT.finditer(text):
        url = match.group(0).rstrip(".,;:!?)")
        out.append(markupsafe.escape(text[end:match.start()]))
        out.append(markupsafe.Markup('<a href="{0}">{0}</a>').format(url))
        end = match.start() + len(url)
    out.append(markupsafe.escape(text[end:]))
    return markupsafe.Markup("").join(out)


@jinja2.pass_context
def _url(context: jinja2.runtime.Context, target: str) -> str:
    return urls.relative(target, context["page"].path)


# Zhihu shows times in Beijing time (UTC+8, no daylight saving); so do the pages.
BEIJING = timezone(timedelta(hours=8))


def zhihu_day(iso: str) -> str:
    """The day a reader saw on Zhihu: a UTC time (``…Z``) in Beijing time; a local time as written."""
    if iso.endswith("Z"):
        return datetime.fromisoformat(iso[:-1] + "+00:00").astimezone(BEIJING).date().isoformat()
    return iso[:10]


def feed(title: str, articles: list[Article], notes: list[Note]) -> dict:
    """A feed's context: its newest articles and its newest notes (``notes`` come newest first), FEED_ENTRIES of each,
    and the size past which an entry is its summary (FEED_BODY_MAX)."""
    articles = articles_newest_first(articles)[:FEED_ENTRIES]
    notes = notes[:FEED_ENTRIES]
    return {"feed_title": title, "articles": articles, "notes": notes, "feed_updated": feed_updated([*articles, *notes]),
            "feed_body_max": FEED_BODY_MAX}


def feed_updated(items: list[Article | Note]) -> str:
    """A feed changed when its newest entry did; a fixed time when nothing is dated."""
    return max((item.timestamp for item in items if item.timestamp), default=FEED_UPDATED_FALLBACK)


class Renderer:
    """Every file the templates make, by output path, each rendered when asked for.

    ``zhsite build`` asks for all of them; ``zhsite serve`` asks for a page when
    a browser does, so a rebuild is published before a single page is drawn.
    """

    def __init__(self, env: jinja2.Environment, site: Site, config: Config, pages: list[Page], search_shards: list[str],
                 kept: dict[str, Any] | None = None) -> None:
        """*kept*: what the last build of the session worked out, with what from (Session.kept)."""
        self.env = env
        self.links = LinkIndex(site, _note_read, kept)
        self._previews = Previews(site, zhihu_day, _note_read) if config.previews else None
        # What every template sees; a page's own context is added when it is drawn, as most
        # pages of a ``serve`` rebuild never are.
        self._common = {"site": site, "config": config, "pages": pages, "search_shards": search_shards, "feed_fallback": FEED_UPDATED_FALLBACK,
                        "sections": sections_of(site),
                        "links": self.links, "preview_files": preview_file_count(site) if config.previews else 0}
        self._pages: dict[str, Page] = {page.path: page for page in pages}
        self._pages["sitemap.xml"] = Page("sitemap.xml", "sitemap.xml", "")
        self._pages["feed.xml"] = Page("feed.xml", "feed.xml", site.title, feed(site.title, site.articles, site.notes))
        for column in site.columns:
            self._pages[column.feed_path] = Page(column.feed_path, "feed.xml", column.title, feed(column.title, column.articles, []))

    @property
    def paths(self) -> list[str]:
        """Every file this renderer draws: the pages, the feeds, the sitemap and the link previews' files (``previews/<n>.js``)."""
        return [*self._pages, *(self._previews if self._previews is not None else ())]

    def digests(self) -> dict[str, str]:
        """What each thing a file may show besides a body is now, by the key :meth:`draw` notes it under
        (backlinks, related pages, a preview's lead): a file is drawn again when one it showed changed."""
        return self.links.digests() | (self._previews.digests() if self._previews is not None else {})

    def compile(self) -> None:
        """Load every template (those a page extends or imports too); a syntax error is a BuildError naming it."""
        for name in sorted({page.template for page in self._pages.values()} | set(self.env.list_templates())):
            with _template_errors(name):
                self.env.get_template(name)

    def render(self, path: str) -> bytes:
        """The file at *path*; a template mistake is a BuildError naming the template file and line."""
        if path not in self._pages and self._previews is not None:
            return self._previews[path]
        page = self._pages[path]
        return _render(self.env, page.template, {**self._common, "page": page, **page.context})

    def draw(self, path: str) -> tuple[bytes, list[str]]:
        """The file at *path*, and the paths of the articles and notes whose body it shows (and the links it shows, see _note_read)."""
        token = _bodies_read.set(set())
        try:
            data = self.render(path)
            return data, sorted(_bodies_read.get())
        finally:
            _bodies_read.reset(token)


def _render(env: jinja2.Environment, name: str, context: dict) -> bytes:
    """The template's output; an XML template's (feeds, the sitemap) without the characters XML forbids."""
    with _template_errors(name):
        text = env.get_template(name).render(context)
    if name.endswith(".xml"):
        text = _NOT_IN_XML.sub("", text)
    return text.encode("utf-8")


@contextmanager
def _template_errors(name: str) -> Iterator[None]:
    try:
        yield
    except jinja2.TemplateNotFound as exc:
        raise BuildError(Problem(name, "", TEMPLATE_NOT_FOUND, exc.name)) from None
    except jinja2.TemplateError as exc:
        raise BuildError(template_problem(exc, name)) from None
    except BuildError:
        raise
    except Exception as exc:  # noqa: BLE001 - a filter or an operation in the template raised ({{ x / 0 }})
        raise BuildError(template_problem(exc, name)) from None


def template_problem(exc: Exception, name: str) -> Problem:
    """The template file and line: Jinja names them on syntax errors, and in its traceback otherwise."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return Problem(exc.filename or exc.name or name, str(exc.lineno), TEMPLATE_SYNTAX, exc.message)
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if not f.filename.endswith(".py")]
    if frames:
        return Problem(frames[-1].filename, str(frames[-1].lineno), TEMPLATE_ERROR, str(exc))
    return Problem(name, "", TEMPLATE_ERROR, str(exc))


def static_files(theme: Path, site: Site | None = None, cache: BuildCache | None = None) -> dict[str, bytes]:
    """The theme's static folder, its math font cut to what *site*'s formulas draw, and the Pygments stylesheets."""
    out = {
        f"static/{p.relative_to(theme / 'static').as_posix()}": p.read_bytes()
        for p in sorted((theme / "static").rglob("*"))
        if p.is_file()
    }
    if f"static/{MATH_FONT}" in out:
        _subset_math_font(out, formula_characters(site) if site is not None else "", cache)
    # Dark code on screen only (the system's scheme unless the reader chose light; or the reader's choice
    # of dark, theme.js), so a page prints in the light palette whatever the screen shows.
    light = HtmlFormatter(style="default").get_style_defs(".highlight")
    dark = HtmlFormatter(style="github-dark")
    by_system = dark.get_style_defs(':root:not([data-theme="light"]) .highlight')
    chosen = dark.get_style_defs(':root[data-theme="dark"] .highlight')
    out["static/pygments.css"] = (
        f"{light}\n@media screen and (prefers-color-scheme: dark) {{\n{by_system}\n}}\n@media screen {{\n{chosen}\n}}\n"
    ).encode()
    return out


def formula_characters(site: Site) -> str:
    """Every character the site's formulas draw, in code point order: what its math font must hold (each body's ``math``)."""
    found: set[str] = set()
    for item in [*site.articles, *site.notes, *site.columns]:
        comments = in_reading_order(item.comments) if isinstance(item, Article) else ()
        for body in [item.body, *(comment.body for comment in comments)]:
            if body is not None:
                found.update(body.math)
    return "".join(sorted(found))


def _subset_math_font(out: dict[str, bytes], characters: str, cache: BuildCache | None) -> None:
    """The theme's math font as a subset (zhsite/fonts.py), under a name holding its hash, and the stylesheets naming it.

    A page with a few formulas then fetches a few KiB, not 394; a new name for
    new bytes means no browser keeps a subset that lacks a character added since.
    """
    font = out.pop(f"static/{MATH_FONT}")
    parts = (font, fontTools.version, characters)
    subset = cache.memo(MATH_FONT_SUBSET, parts, lambda: subset_font(font, characters)) if cache is not None else subset_font(font, characters)
    stem, _, suffix = MATH_FONT.rpartition(".")
    named = f"{stem}.{hashlib.sha256(subset).hexdigest()[:12]}.{suffix}"
    out[f"static/{named}"] = subset
    for path, data in out.items():
        if path.endswith(".css"):
            out[path] = data.replace(MATH_FONT.encode(), named.encode())
