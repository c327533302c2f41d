"""Pages kept from the previous build when nothing they show has changed.

Drawing every page is most of a rebuild of a large archive (docs/speed.md),
though an edit usually changes one article's text.  A
page shows two things:

- the site's *outline*: every title, date, topic, author, comment and
  excerpt (lists show an article's first sentences), the columns and notes,
  the configuration, the templates and the search shards.
  It is one hash for the whole site, since lists and neighbours show titles:
  a change to any of it draws every page again;
- the bodies of the articles and notes its templates read, noted as the page
  is drawn (``Renderer.draw``), and the backlinks and related pages it lists,
  which other pages' bodies make (zhsite/render/links.py).

A page whose outline and bodies are as they were when it was drawn, and whose
file in the previous site is still the one written then (same size and
modification time), is left in place instead of drawn.  The pages'
records live in the build cache, under the outline, in :data:`RECORD_BUCKETS` entries.
"""
from __future__ import annotations

import dataclasses
import hashlib
import operator
import pickle
import zlib
from collections.abc import Iterable
from typing import NamedTuple

import jinja2

from zhsite.cache import DRAWN_PAGES, BuildCache, digest
from zhsite.config import Config
from zhsite.model import Article, Comment, Note, Site
from zhsite.output import Output
from zhsite.stamps import Stamp

# Fields that are not part of the outline: the archive's raw HTML (pages show the
# rewritten body), the bodies, which are followed page by page, and what an article works out of its own fields.
_APART = {Article: {"content", "body", "_path", "_recency"}, Note: {"content", "body"}, Comment: {"content"}}


class Drawn(NamedTuple):
    """What a page was drawn from, and the file it became (a tuple: a build makes one for every page)."""

    bodies: tuple[tuple[str, str], ...]  # (article or note path, body digest) for each body it read
    stamp: Stamp


def outline(site: Site, config: Config, env: jinja2.Environment, search_shards: list[str]) -> str:
    """A hash of everything any page may show but the articles' and notes' bodies."""
    hashed = _Hashed()
    pickler = pickle.Pickler(hashed, protocol=pickle.HIGHEST_PROTOCOL)
    # No memo: a value shared by two articles pickles as if it were two, so equal sites give equal bytes.
    pickler.fast = True
    pickler.dispatch_table = {cls: _without(cls, apart) for cls, apart in _APART.items()}
    excerpts = [item.excerpt for item in (*site.articles, *site.notes)]
    pickler.dump((site, config, search_shards, excerpts))
    templates = ((name, env.loader.get_source(env, name)[0]) for name in sorted(env.list_templates()))
    return digest((hashed.digest(), *(part for pair in templates for part in pair)))


class _Hashed:
    """Where the outline's pickle is written: hashed a frame at a time as it comes, never held whole (11 MB at
    10,000 articles, 110 MB at 100,000, while the drawing and the search index hold theirs)."""

    def __init__(self) -> None:
        self._hash = hashlib.sha256()

    def write(self, data: bytes) -> int:
        self._hash.update(data)
        return len(data)

    def digest(self) -> bytes:
        return self._hash.digest()


def _without(cls: type, apart: set[str]):
    """How an object of exactly *cls* pickles for the outline: its fields but those *apart*, read in one call each."""
    values = operator.attrgetter(*(f.name for f in dataclasses.fields(cls) if f.name not in apart))

    def reduce(obj: object) -> tuple:
        return cls, values(obj)
    return reduce


class Reuse:
    """The previous build's pages, for one build with a cache into an output that ``keeps_previous``."""

    def __init__(self, cache: BuildCache, files: Output, site: Site, config: Config, env: jinja2.Environment,
                 search_shards: list[str], shown: dict[str, str]) -> None:
        self._cache = cache
        self._files = files
        self._outline = outline(site, config, env, search_shards)
        # What a page may read, by key: bodies by path; backlinks, related pages and a preview's lead by
        # ``backlinks:``/``related:``/``lead:`` and path (*shown*: Renderer.digests).
        self._bodies = {item.path: item.body.digest for item in (*site.articles, *site.versions, *site.notes) if item.body is not None} | shown
        self._records: dict[str, Drawn] = {}
        self._changed: set[int] = set()  # the buckets whose records this build changes

    def keep_unchanged(self, paths: Iterable[str]) -> set[str]:
        """Leave in place the pages of the previous site that would be drawn the same; the rest are to be drawn."""
        before: dict[str, Drawn] = {}
        for bucket in range(RECORD_BUCKETS):  # each kept for the next build too
            before.update(self._cache.previous(DRAWN_PAGES, (self._outline, str(bucket)), held=False) or {})
        kept = set()
        for path in paths:
            drawn = before.get(path)
            if (drawn is not None and all(self._bodies.get(item, "") == digest for item, digest in drawn.bodies)
                    and self._files.reuse(path, drawn.stamp)):
                kept.add(path)
        self._records = {path: before[path] for path in kept}
        self._changed = {_bucket(path) for path in before if path not in kept}  # a page gone or to be drawn again
        return kept

    def remember(self, read: dict[str, list[str]]) -> None:
        """Record each page drawn in this build beside those kept; *read*: the bodies each read, let go of as recorded.

        A bucket's records are made, kept in the cache and let go of before the next bucket's: a build that drew
        every page of 100,000 articles held all 105,000 records at once (80 MB) while the search index was still
        being made.  A bucket none of whose pages changed stays as it was (read, so kept)."""
        if not read:
            return
        paths: dict[int, list[str]] = {}
        for path in read:
            paths.setdefault(_bucket(path), []).append(path)
        for path in self._records:  # kept, in a bucket that changed: written again with it
            if (bucket := _bucket(path)) in self._changed or bucket in paths:
                paths.setdefault(bucket, []).append(path)
        for bucket in sorted(self._changed.union(paths)):
            records = {path: self._records.pop(path, None) or self._drawn(path, read.pop(path)) for path in sorted(paths.get(bucket, ()))}
            self._cache.keep(DRAWN_PAGES, records, (self._outline, str(bucket)), held=False)
        self._records, self._changed = {}, set()

    def _drawn(self, path: str, items: list[str]) -> Drawn:
        """The record of the page at *path*, drawn in this build from the bodies *items*."""
        return Drawn(tuple((item, self._bodies.get(item, "")) for item in items), self._files.stamp(path))


# The pages' records are kept in this many entries, a page's chosen by a hash of its path: an edit's build
# writes again the entries of the pages it drew (10,000 articles: 160 records), not every page's (0.2 s; 1.7 s at 100,000).
RECORD_BUCKETS = 64


def _bucket(path: str) -> int:
    return zlib.crc32(path.encode("utf-8", "surrogatepass")) % RECORD_BUCKETS
