"""Search: the text of every article and note, which the reader's browser searches for the exact term.

Readers search Chinese for terms (卷积, 语义分割, 注意力): a page holds the term
or it does not.  A word index has to cut Chinese into words, and the cut made
at indexing time (Pagefind 1.5: jieba) and the one the browser makes of the
query (``Intl.Segmenter``) disagree, so 卷积 found 4 of the 28 pages holding
it and 语义分割 none (docs/search.md).  So the index is the pages' text
itself, and ``static/search.js`` looks each term up as a substring: every
page holding the term is found, whatever the words around it, and a page
holding the whole term ranks above one holding a part (there are none).

The index is JavaScript files in ``search/`` that the page loads with
``<script>`` tags, the one way a page opened from disk (``file://``) can read
them: Chromium refuses ``fetch()`` there.  A first search must not load the
text of a 30,000-page archive, so the files are small and loaded on demand.

The package is fed ``(path, item)`` pairs from the model (:func:`searchable`:
each article's and note's output path and what search sees of it):

- ``documents``: one document per page, its facts and its text as shown;
- ``canonical``: what the routing index keeps of a text, and which routing
  file a two-character sequence is in (``static/search.js`` does the same);
- ``files``: the index files, ``index.js``, ``text-G-I.js`` and the routing
  index ``terms-N.js``, made and cached part by part.
"""
from __future__ import annotations

import threading
import zlib
from collections.abc import Iterator, Mapping

from zhsite.cache import PAGE_OUTLINE, SEARCH_DOCUMENT, SEARCH_OUTLINES, BuildCache, Key
from zhsite.config import Config
from zhsite.output import Output
from zhsite.problems import Problem
from zhsite.render.pages import Page
from zhsite.search import files
from zhsite.search.documents import TEXT_CAP, Document, Indexed, Outline, document, document_key, outline, searchable
from zhsite.spill import Spill

__all__ = ["Indexed", "Indexing", "index_site", "put_index", "search_page", "searchable", "SEARCH_SCRIPTS"]


def search_page() -> Page:
    """search.html: every result of a query, with filters, at an address a reader can share."""
    return Page("search.html", "search.html", "搜索", in_sitemap=False)


# The file (under ``search/``) pages name for ``static/search.js``: the manifest, which names the rest.
SEARCH_SCRIPTS = (files.MANIFEST,)
NOT_BUILT = "search index not built"
TOO_LONG = "page too long to search whole"


class Cancelled(Exception):
    """``serve`` has a newer site to index."""


def index_site(pairs: list[tuple[str, Indexed]], config: Config, cache: BuildCache | None,
               cancelled: threading.Event | None = None, workers: int | None = None, spill: Spill | None = None) -> tuple[Mapping[str, bytes], list[Problem]]:
    """The index of *pairs* as ``search/…`` site files, or no files and the problem that stopped it.

    Each page's document and each part of the index are taken from *cache*
    when what they are made of is unchanged (zhsite/search/files.py).
    *cancelled*, once set, stops the run (``serve``: a newer site came).
    *workers*: processes for the index's parts (zhsite/search/files.py; None: one per core when the pages are many).
    *spill*: where the routing files' parts wait until written (a build's; ``serve`` holds them, zhsite/search/files.py).
    """
    try:
        return _index(pairs, config, cache, cancelled or threading.Event(), workers, spill)
    except Cancelled:
        return {}, [Problem("search", "", NOT_BUILT, "cancelled")]
    except Exception as exc:  # a bug in zhsite: said like a reader's, never a site silently without search
        return {}, [Problem("search", "", NOT_BUILT, f"internal error: {type(exc).__name__}: {exc} (a bug in zhsite)")]


def _index(pairs: list[tuple[str, Indexed]], config: Config, cache: BuildCache | None,
           cancelled: threading.Event, workers: int | None, spill: Spill | None) -> tuple[Mapping[str, bytes], list[Problem]]:
    keys = {path: cache.key(SEARCH_DOCUMENT, document_key(path, item, config)) if cache is not None else Key("") for path, item in pairs}
    made: dict[str, Document] = {}
    outlines, problems = [], []
    for (_path, item), found in zip(pairs, _outlines(pairs, keys, config, cache, made), strict=True):
        if cancelled.is_set():
            raise Cancelled
        outlines.append(found)
        if found.length:
            problems.append(Problem(item.source, item.where, TOO_LONG, f"only the first {TEXT_CAP:,} "
                                    f"of its {found.length:,} characters are found by search", severity="warning"))
    items = dict(pairs)

    def document_of(path: str) -> Document:
        return made.get(path) or _document(path, items[path], keys[path], config, cache)
    return files.index_files(outlines, keys, document_of, cache, workers, spill), problems


def _outlines(pairs: list[tuple[str, Indexed]], keys: dict[str, Key], config: Config, cache: BuildCache | None,
              made: dict[str, Document]) -> Iterator[Outline]:
    """Each page's outline, cached by runs of pages (:func:`runs`) and by page (PAGE_OUTLINE); the document is made (or
    read) only when neither has the outline, and kept in *made* only without a cache (with one, it is read back from
    there when its part is made).  A page's document and outline entries are kept for the next build whether read or
    not: each is read only when its part, or its run, is made again."""
    if cache is None:
        for path, item in pairs:
            made[path] = document(path, item, config)
            yield outline(made[path])
        return
    page_runs = runs(pairs)
    run_keys = [cache.key(SEARCH_OUTLINES, [keys[path] for path, _ in run]) for run in page_runs]
    for run, run_key, found in zip(page_runs, run_keys, cache.get_many(run_keys, held=False), strict=True):
        if found is None:
            found = _page_outlines(run, keys, config, cache)
            cache.put_unheld(run_key, found)
        for path, _ in run:
            cache.use(keys[path])
            cache.use(cache.key_by_digest(PAGE_OUTLINE, keys[path]))
        yield from found


def _page_outlines(run: list[tuple[str, Indexed]], keys: dict[str, Key], config: Config, cache: BuildCache) -> list[Outline]:
    """The outlines of a run whose entry is not in the cache, each from its own entry, else from its page's document."""
    outline_keys = [cache.key_by_digest(PAGE_OUTLINE, keys[path]) for path, _ in run]
    found = cache.get_many(outline_keys, held=False)
    for n, ((path, item), key) in enumerate(zip(run, outline_keys, strict=True)):
        if found[n] is None:
            found[n] = outline(_document(path, item, keys[path], config, cache))
            cache.put_unheld(key, found[n])
    return found


# Pages, on average, whose outlines are one cache entry: an edited build of 100,000 pages read 100,000 entries in
# 8.6 s, mostly looking each up in a 4.8 GB file, then unpickling and hashing their keys.
OUTLINE_RUN = 256


def runs(pairs: list[tuple[str, Indexed]]) -> list[list[tuple[str, Indexed]]]:
    """*pairs* cut after each page whose path hashes to 0 (mod :data:`OUTLINE_RUN`): a page added or removed changes
    its own run, where runs of a fixed length would all shift, and a run's entry missed."""
    found, run = [], []
    for pair in pairs:
        run.append(pair)
        if zlib.crc32(pair[0].encode("utf-8", "surrogatepass")) % OUTLINE_RUN == 0:
            found.append(run)
            run = []
    return [*found, run] if run else found


def _document(path: str, item: Indexed, page_key: Key, config: Config, cache: BuildCache | None) -> Document:
    """One page's document, cached under its search text's parts, and not held: a build reads each once or
    twice, and the text of 10,000 pages held to the index's end was a quarter of a large build's memory (issue #30)."""
    if cache is None:
        return document(path, item, config)
    found = cache.get_unheld(page_key)
    if found is None:
        found = document(path, item, config)
        cache.put_unheld(page_key, found)
    return found


def put_index(into: Output, index: Mapping[str, bytes]) -> None:
    """The index's files put into the site: through :meth:`IndexFiles.put_into <zhsite.search.files.IndexFiles.put_into>`,
    which leaves the unchanged ones of the previous site in place, when it was made (not after a problem stopped it)."""
    if isinstance(index, files.IndexFiles):
        index.put_into(into)
        return
    for path, data in index.items():
        into.put(path, data)


class Indexing:
    """:func:`index_site` on a thread while the caller draws pages; ``serve`` may cancel it for a newer site."""

    def __init__(self, pairs: list[tuple[str, Indexed]], config: Config, cache: BuildCache | None, workers: int | None = None,
                 spill: Spill | None = None) -> None:
        self._cancelled = threading.Event()
        self._result: tuple[Mapping[str, bytes], list[Problem]] = ({}, [])
        self._thread = threading.Thread(target=self._run, args=(pairs, config, cache, workers, spill), name="zhsite-search", daemon=True)
        self._thread.start()

    def result(self) -> tuple[Mapping[str, bytes], list[Problem]]:
        """The index as ``search/…`` site files, or no files and the problem that stopped it."""
        self._thread.join()
        return self._result

    def cancel(self) -> None:
        """Stop indexing (``serve`` has a newer site to index); ``result`` then reports the stop."""
        self._cancelled.set()

    def _run(self, pairs: list[tuple[str, Indexed]], config: Config, cache: BuildCache | None, workers: int | None, spill: Spill | None) -> None:
        self._result = index_site(pairs, config, cache, self._cancelled, workers, spill)
