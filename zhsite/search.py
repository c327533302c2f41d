"""Search: a Pagefind index of every article and note, built beside the rest of the site.

Pagefind (https://pagefind.app) turns documents into a static bundle — a
WebAssembly search runtime, the default UI and an index split into small
chunks the browser fetches as the reader types — so search needs no server.
Its *extended* binary (the ``pagefind_bin_extended`` wheel) segments Chinese
into words at indexing time; the plain binary would index a whole run of
Chinese as one "word" and miss every term in the middle of a sentence, so the
extended binary is required, not just preferred.

Each article and note page gets one search document made from the model
rather than from its rendered page: the title, the rewritten body, then the
column, the author and the topics (searchable words and the filters 专栏, 作者
and 话题), and the comments when ``search_comments`` is on.  The index so
never holds navigation, footers, pagers or tables of contents, whatever a
project's templates draw, and list pages are never results.  The documents
carry the page's path, so results link to the real pages.

The bundle lands in ``pagefind/`` among the site's files and is written
atomically with them; the theme's ``static/search.js`` mounts the UI.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import os
import subprocess
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from collections.abc import Iterable, Iterator
from itertools import chain
from html import escape
from pathlib import Path

from zhsite.cache import BuildCache, key
from zhsite.config import Config
from zhsite.model import Article, Body, Column, Note, in_reading_order
from zhsite.problems import Problem
from zhsite.render.pages import Page

BUNDLE = "pagefind"
# Filter names as the reader sees them next to the results.
FILTER_COLUMN, FILTER_AUTHOR, FILTER_TOPIC = "专栏", "作者", "话题"
NOTES_COLUMN = "学习笔记"  # what the 专栏 filter calls the notes, as their pages' kicker does
# Pagefind writes every UI it has; the default theme uses the default UI only.
UNUSED = ("pagefind-modular-ui.", "pagefind-component-ui.", "pagefind-highlight.js")


# Pagefind's memory grows by about half a megabyte per page; indexing the site in
# shards of this many pages keeps it near 0.5 GB at any size, and an edit
# re-indexes only its shard.  The reader's browser merges the shards' results.
SHARD_PAGES = 1000
# Shards indexed at once: one Pagefind run keeps about 1.2 cores busy, two fill a 2-core
# machine (10,000 articles: 53 s one at a time, 35 s two at a time) for 1 GB between them.
RUNS_AT_ONCE = 2
UI = "pagefind-ui."  # the default UI, used from the first bundle only
# What a page holds but never shows: a formula's TeX source, kept in its MathML. Indexed, it
# matched searches for "mathcal" and filled excerpts with backslashes.
NOT_SHOWN = "annotation"
# What Pagefind hands its UI as data (filter values, the title) cannot carry markup: its default UI inserts
# filter values as HTML, so an author named <img src=x onerror=…> ran script once the search box had focus.
# The characters that make markup become their full-width look-alikes, inert in any UI and any context.
_MARKUP_LOOKALIKES = str.maketrans({"<": "＜", ">": "＞", "&": "＆", '"': "＂", "'": "＇"})


def inert(value: str) -> str:
    """*value* as shown in search results and filters: the same words, no character that could open markup."""
    return value.translate(_MARKUP_LOOKALIKES)


def searchable_pages(pages: Iterable[Page]) -> list[Page]:
    """The article and note pages: list pages are never results."""
    return [page for page in pages if page.template in ("article.html", "note.html")]


def shard_folders(pages: list[Page]) -> list[str]:
    """The bundles after the first, relative to it: pages name them for static/search.js to merge."""
    return [f"{shard_name(index)}/" for index in range(1, shard_count(len(pages)))]


def shards(pages: list[Page]) -> list[list[Page]]:
    """The pages split by a hash of their path: a page stays in its shard as the site grows."""
    count = shard_count(len(pages))
    out: list[list[Page]] = [[] for _ in range(count)]
    for page in pages:
        out[int(hashlib.sha256(page.path.encode("utf-8")).hexdigest()[:8], 16) % count].append(page)
    return out


def shard_count(pages: int) -> int:
    return max(1, -(-pages // SHARD_PAGES))


def shard_name(index: int) -> str:
    return f"shard-{index}"


def shard_folder(index: int) -> str:
    return BUNDLE if index == 0 else f"{BUNDLE}/{shard_name(index)}"


class Indexing:
    """Pagefind at work on a site's documents, two shards at a time on threads, while the caller renders pages."""

    def __init__(self, pages: list[Page], config: Config, cache: BuildCache | None) -> None:
        self._runs = [PagefindRun(shard, config, cache) for shard in shards(pages)]
        self._cancelled = threading.Event()
        pool = ThreadPoolExecutor(RUNS_AT_ONCE, thread_name_prefix="zhsite-pagefind")
        self._done = [pool.submit(self._index_one, run) for run in self._runs]
        pool.shutdown(wait=False)  # the runs go on; result() waits for them

    def result(self) -> tuple[dict[str, bytes], list[Problem]]:
        """The bundles as ``pagefind/…`` site files, or no files and the problem that stopped one of them."""
        for done in self._done:
            done.result()
        for run in self._runs:
            if run.problem is not None:
                return {}, [run.problem]  # part of an index would find some pages and silently miss others
        files = {}
        for index, run in enumerate(self._runs):
            folder = shard_folder(index)
            files |= {f"{folder}/{path}": data for path, data in run.bundle.items() if index == 0 or not path.startswith(UI)}
        return dict(sorted(files.items())), []

    def cancel(self) -> None:
        """Stop indexing (``serve`` has a newer site to index); ``result`` then reports the stop."""
        self._cancelled.set()
        for run in self._runs:
            run.cancel()

    def _index_one(self, run: PagefindRun) -> None:
        if self._cancelled.is_set():
            run.cancel()
        run.index()


class PagefindRun:
    """One run of Pagefind's command line over one shard, cached under a hash of its documents.

    The documents are written to a scratch folder and indexed by the command
    line, which uses every core and writes the bundle to disk: Pagefind's
    service API would send the whole bundle back as one JSON message.  They
    are made only when the shard is not in the cache, and written one at a
    time: at 10,000 articles they are 200 MB.
    """

    def __init__(self, pages: list[Page], config: Config, cache: BuildCache | None) -> None:
        self._pages = pages
        self._config = config
        self._language = config.language.split("-")[0].lower()
        self._cache = cache
        self.bundle: dict[str, bytes] | None = None
        self.problem: Problem | None = None
        self._process: subprocess.Popen | None = None
        self._cancelled = False

    def index(self) -> None:
        """Runs on the indexing thread."""
        documents = (part for page in self._pages for part in document_key(page, self._config))
        run_key = key(chain(("search", self._language), documents))
        self.bundle = self._cache.get(run_key) if self._cache is not None else None
        if self.bundle is not None:
            return
        try:
            with tempfile.TemporaryDirectory(prefix="zhsite-search-") as scratch:
                self.bundle = self._run(Path(scratch))
        except Exception as exc:  # noqa: BLE001 - a missing or broken binary costs the search, not the site
            self.problem = Problem("search", "", f"search index not built: {exc or type(exc).__name__}")
            return
        if self._cache is not None:
            self._cache.put(run_key, self.bundle)

    def cancel(self) -> None:
        self._cancelled = True
        if self._process is not None and self._process.poll() is None:
            self._process.kill()

    def _run(self, scratch: Path) -> dict[str, bytes]:
        for page in self._pages:
            target = scratch / "pages" / page.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(document(page, self._config), encoding="utf-8")
        if self._cancelled:
            raise RuntimeError("cancelled")
        # cwd and environment without Pagefind settings: a pagefind.yml in the user's folder must not change the index.
        env = {k: v for k, v in os.environ.items() if not k.startswith("PAGEFIND_")}
        with (scratch / "log").open("wb") as log:
            self._process = subprocess.Popen(
                [extended_binary(), "--site", "pages", "--output-path", "bundle", "--force-language", self._language,
                 "--exclude-selectors", NOT_SHOWN, "--quiet"],
                cwd=scratch, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=log,
            )
            status = self._process.wait()
        if status != 0:
            lines = (scratch / "log").read_text("utf-8", "replace").strip().splitlines()
            raise RuntimeError(f"pagefind exited with status {status}" + (f": {lines[-1]}" if lines else ""))
        out = scratch / "bundle"
        bundle = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
        bundle = {path: data for path, data in bundle.items() if not path.startswith(UNUSED)}
        try:
            bundle = canonical(bundle)
        except (ValueError, KeyError, OSError):  # a newer Pagefind's format: keep its files, usable if not byte-stable
            pass
        return dict(sorted(bundle.items()))


def document(page: Page, config: Config) -> str:
    """The HTML Pagefind indexes for one article or note page."""
    return "".join(part.html if isinstance(part, Body) else part for part in document_parts(page, config))


def document_key(page: Page, config: Config) -> Iterator[str]:
    """What the cache key of a shard holds for one page: its document, with each body as its digest.

    Hashing the digests rather than the bodies keeps a build whose shards are
    all cached from making 200 MB of documents (10,000 articles).
    """
    parts = document_parts(page, config)
    yield f"{page.path}\0{len(parts)}"
    for part in parts:
        yield f"\1{part.digest}" if isinstance(part, Body) else part


def document_parts(page: Page, config: Config) -> list[str | Body]:
    item: Article | Note = page.context.get("article") or page.context["note"]
    if isinstance(item, Article):
        column: Column = page.context["column"]
        facts = [(FILTER_COLUMN, column.title), (FILTER_AUTHOR, item.author.name)]
        facts += [(FILTER_TOPIC, topic.name) for topic in item.topics]
        comments = list(in_reading_order(item.comments)) if config.search_comments else []
    else:
        facts = [(FILTER_COLUMN, NOTES_COLUMN)] + [(FILTER_TOPIC, tag.name) for tag in item.tags]
        comments = []
    parts: list[str | Body] = [
        f'<html lang="{escape(config.language)}"><head><title>{escape(item.title)}</title></head>',
        f'<body><main data-pagefind-body><h1 data-pagefind-meta="title">{escape(inert(item.title))}</h1>',
        item.body or "",
        "<footer>",
        *(f'<span data-pagefind-filter="{name}">{escape(inert(value))}</span> ' for name, value in facts if value),
        "</footer>",
    ]
    for comment in comments:
        parts += [f"<section><p>{escape(comment.author.name)}</p>", comment.body or "", "</section>"]
    parts.append("</main></body></html>")
    return parts


def extended_binary() -> Path:
    """The Pagefind binary that segments Chinese; an ImportError names the wheel to install."""
    try:
        from pagefind_bin_extended import get_executable
    except ImportError:
        raise ImportError("Pagefind's extended binary is missing (pip install 'pagefind[extended]')") from None
    return get_executable()


def canonical(bundle: dict[str, bytes]) -> dict[str, bytes]:
    """The bundle with its filter files in a fixed order, so the same site gives the same bytes.

    Pagefind 1.5 writes fragments and word indexes stably, but lists each
    filter's values in hash-map order, which changes from run to run (its
    maintainer confirms: github.com/Pagefind/pagefind/issues/638).  Each filter
    file (gzip of ``pagefind_dcd`` + CBOR ``[name, [[value, [pages…]], …]]``)
    gets its values sorted and a name from its new bytes; the metadata file
    that names the filter files, and the entry file that names it, follow.
    Names keep their length, so the CBOR around them stays valid.
    """
    out = dict(bundle)
    renames: dict[bytes, bytes] = {}
    for path in sorted(p for p in bundle if p.startswith("filter/") and p.endswith(".pf_filter")):
        data = gzip.decompress(bundle[path])
        if not data.startswith(SIGNATURE):
            raise ValueError(f"unexpected Pagefind file {path}")
        sorted_data = SIGNATURE + _sorted_filter(data[len(SIGNATURE):])
        old = path[len("filter/"):-len(".pf_filter")]
        new = _renamed(old, sorted_data)
        renames[old.encode()] = new.encode()
        del out[path]
        out[f"filter/{new}.pf_filter"] = _gzip(sorted_data)
    entry = json.loads(bundle["pagefind-entry.json"])
    for language in entry["languages"].values():
        meta_path = f"pagefind.{language['hash']}.pf_meta"
        meta = gzip.decompress(bundle[meta_path])
        for old, new in renames.items():
            if meta.count(old) == 1:
                meta = meta.replace(old, new)
        meta = SIGNATURE + _sorted_meta(meta[len(SIGNATURE):])
        language["hash"] = _renamed(language["hash"], meta)
        del out[meta_path]
        out[f"pagefind.{language['hash']}.pf_meta"] = _gzip(meta)
    out["pagefind-entry.json"] = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return out


SIGNATURE = b"pagefind_dcd"


def _renamed(name: str, data: bytes) -> str:
    """``zh_<hash>`` with a hash of *data* as long as the old one."""
    prefix, _, old = name.rpartition("_")
    return f"{prefix}_{hashlib.sha256(data).hexdigest()[:len(old)]}"


def _gzip(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=9, mtime=0)


def _sorted_filter(cbor: bytes) -> bytes:
    """A filter's CBOR ``[name, [entry, …]]`` with its entries in byte order."""
    name, entries = _cbor_items(cbor, 0)
    if entries[1] != len(cbor):
        raise ValueError("unexpected Pagefind filter layout")
    return cbor[:name[1]] + _sorted_array(cbor, entries)


def _sorted_meta(cbor: bytes) -> bytes:
    """The metadata's CBOR ``[version, pages, chunks, filters, sorts, fields]`` with filters and sorts in byte order."""
    items = _cbor_items(cbor, 0)
    if len(items) != 6 or items[-1][1] != len(cbor):
        raise ValueError("unexpected Pagefind metadata layout")
    return cbor[:items[0][0]] + b"".join(
        _sorted_array(cbor, span) if i in (3, 4) else cbor[span[0]:span[1]] for i, span in enumerate(items)
    )


def _sorted_array(cbor: bytes, span: tuple[int, int]) -> bytes:
    start = span[0]
    entries = sorted(cbor[a:b] for a, b in _cbor_items(cbor, start))
    return cbor[start:_cbor_head_end(cbor, start)] + b"".join(entries)


def _cbor_items(cbor: bytes, at: int) -> list[tuple[int, int]]:
    """The (start, end) of each item of the CBOR array at *at*."""
    if cbor[at] >> 5 != 4:
        raise ValueError("expected a CBOR array")
    spans, start = [], _cbor_head_end(cbor, at)
    for _ in range(_cbor_argument(cbor, at)):
        end = _cbor_end(cbor, start)
        spans.append((start, end))
        start = end
    return spans


def _cbor_argument(data: bytes, at: int) -> int:
    info = data[at] & 0x1F
    if info < 24:
        return info
    size = 1 << (info - 24)
    return int.from_bytes(data[at + 1:at + 1 + size], "big")


def _cbor_head_end(data: bytes, at: int) -> int:
    info = data[at] & 0x1F
    return at + 1 + (0 if info < 24 else 1 << (info - 24))


def _cbor_end(data: bytes, at: int) -> int:
    """Where the CBOR item at *at* ends (unsigned ints, strings, arrays and maps: what Pagefind writes)."""
    major, argument, end = data[at] >> 5, _cbor_argument(data, at), _cbor_head_end(data, at)
    if major in (0, 1):
        return end
    if major in (2, 3):
        return end + argument
    if major in (4, 5):
        for _ in range(argument * (2 if major == 5 else 1)):
            end = _cbor_end(data, end)
        return end
    raise ValueError(f"unexpected CBOR major type {major}")
