"""The index files under ``search/``, made part by part so that one edited page remakes one part.

- ``index.js``: how many pages and files there are, and the columns, authors
  and topics the results page offers as filters;
- ``text-G-I.js``: page I of group G, one file a page, so a search loads the
  text of the results it shows and no other.  The pages are split into groups
  of about ``GROUP_PAGES`` by a hash of their path (an edit renumbers at most
  its group's pages); a page's number is its place in the groups read in
  order, and the manifest's group starts say which group holds a page;
- ``terms-N.js``: the routing index.  For every two-character sequence of a
  page's normalised text (zhsite/search/canonical.py), the pages holding it,
  with how often and whether in the title; a hash of the sequence picks its
  file.  A query loads the files of its sequences only and intersects them
  into candidates.

Text and routing data are deflated and written 7 bits a character (zhsite/search/shares.py ``packed``):
the index is less than half the size of its JSON, and a file a search loads too.

Crossing every page with its sequences is most of the index's cost (docs/speed.md),
so it is done per *part*:
about ``PART_PAGES`` pages, whole groups in a row, so a part's pages are
numbered from its first page on.  A part's share of every routing file is
cached under its pages' document keys, and a routing file is its parts'
shares put side by side, each after the number of its first page
(``zhsiteSearch.terms(n, [[first, "packed share"], …])``): an edit
moves one page's entries in its part's shares and the rest is joining bytes.  A build keeps the
shares in its spill file (zhsite/spill.py) until it writes the routing
files: held, they were 200 MB at 100,000 pages.
"""
from __future__ import annotations

import hashlib
import json
import re
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import nullcontext
from itertools import accumulate
from pathlib import Path

from zhsite.cache import SEARCH_INDEX, SEARCH_PARTS, SEARCH_ROUTING, BuildCache, Key
from zhsite.heap import give_back_freed_memory
from zhsite.output import Output, Stamp
from zhsite.search.documents import Document, Outline, boilerplate
from zhsite.search.shares import LEVELS, Shares, edited, packed, page_values, touched
from zhsite.spill import Spill
from zhsite.workers import in_order, process_pool, workers_for

BUNDLE = "search"
MANIFEST = "index.js"
# Pages per group, the unit of numbering: adding or removing a page renumbers its group's pages (rewrites their
# small text files), and index.js lists each group's first page (2,048 numbers at 100,000 pages).
GROUP_PAGES = 50
# Pages per routing file: a term loads one or two, however large the site (sizes: docs/search.md).
TERM_PAGES = 40
# Pages per part of the routing index: what one edited page costs to index again, against the sequences
# each part repeats in its routing files (sizes: docs/search.md).
PART_PAGES = 1000
# Pages of a part that may have changed for it to be made from its previous build's rather than afresh (_Parts._again).
AGAIN_UP_TO = 50
# Routing files written between two trims of the C heap (zhsite/heap.py).
TRIM_EVERY = 64
# Characters whose GB18030 bytes Python's codec (GB18030-2000) and the browsers' (WHATWG, after GB18030-2022) read
# differently or may: the private use area, U+1E3F (swapped with U+E7C7 in 2005), and the vertical forms and CJK
# characters the 2022 edition moved.  A page holding one is written in UTF-8.
GB18030_UNSURE = re.compile("[\u1e3f\u9fb4-\u9fbb\ue000-\uf8ff\ufe10-\ufe19\U00020000-\U0002ffff]")


def file_count(pages: int, per_file: int) -> int:
    """A power of two: files are split again only when the site doubles, not at every page added."""
    count = 1
    while count * per_file < pages:
        count *= 2
    return count


def groups(outlines: list[Outline]) -> list[list[Outline]]:
    """The pages split by a hash of their path, each group by path: a page stays in its group."""
    count = file_count(len(outlines), GROUP_PAGES)
    out: list[list[Outline]] = [[] for _ in range(count)]
    for page in outlines:
        out[int(hashlib.sha256(page.path.encode("utf-8")).hexdigest()[:8], 16) % count].append(page)
    return [sorted(group, key=lambda o: o.path) for group in out]


def index_files(outlines: list[Outline], keys: dict[str, Key], documents: Callable[[str], Document], cache: BuildCache | None,
                workers: int | None = None, spill: Spill | None = None) -> IndexFiles:
    """``search/index.js``, ``terms-N.js`` and ``text-G-I.js``: calls that hand their part to ``static/search.js``.

    *keys*: each page's document key, by path; a part whose pages' keys are
    all unchanged (and whose boilerplate lines are) comes from *cache*, and
    only the pages of the others are read whole (*documents*: a page's
    document by its path).
    *workers*: processes for the parts made anew (None: one per core when the pages are many).
    *spill*: where the routing shares wait until written (``build``; ``serve`` holds them for its next rebuild).
    """
    common = boilerplate(outlines)
    by_group = groups(outlines)
    starts = [0]
    for group in by_group[:-1]:
        starts.append(starts[-1] + len(group))
    term_files = file_count(len(outlines), TERM_PAGES)
    per_part = len(by_group) // min(file_count(len(outlines), PART_PAGES), len(by_group))
    firsts = range(0, len(by_group), per_part)
    parts = _Parts([by_group[first:first + per_part] for first in firsts], list(firsts), term_files, common, keys, documents, cache, spill)
    parts.make(workers)
    manifest = {
        "pages": len(outlines), "starts": starts, "terms": term_files,
        "columns": sorted({o.column for o in outlines} - {""}),
        "authors": sorted({o.author for o in outlines} - {""}),
        "topics": sorted({t for o in outlines for t in o.topics}),
    }
    texts = {f"{BUNDLE}/text-{first + g}-{i}.js": (p, g, i) for p, first in enumerate(firsts)
             for g, group in enumerate(by_group[first:first + per_part]) for i in range(len(group))}
    return IndexFiles(_call("index", manifest), texts, parts, [(starts[first], shares) for first, shares in zip(firsts, parts.shares, strict=True)],
                      term_files)


class IndexFiles(Mapping[str, bytes]):
    """The index files by output path, in the order they are best written: the manifest, each part's text files,
    the routing files.  A part's text files are read from the build cache when written, a part at a time (10,000
    pages: 53 MB held to the end of the build otherwise); a routing file is joined from its parts' shares when it
    is read, so a build holds no joined file, and the shares themselves only when they are not spilled (:class:`_Shares`)."""

    def __init__(self, manifest: bytes, texts: dict[str, tuple[int, int, int]], parts: _Parts, shares: list[tuple[int, _Shares]],
                 term_files: int) -> None:
        self._manifest = manifest
        self._texts, self._parts = texts, parts
        self._by_part = shares  # each part's first page's number, and its shares
        self._shares = {f"{BUNDLE}/terms-{n}.js": n for n in range(term_files)}

    def put_into(self, files: Output) -> None:
        """Every index file put into *files*; a part's text files unchanged since the previous build are left in
        place (:meth:`_Parts.left_in_place`) without being read: 100,000 pages have 100,000 of them, and an edit changes one part's."""
        by_part: dict[int, list[str]] = {}
        for path, (part, _, _) in self._texts.items():
            by_part.setdefault(part, []).append(path)
        files.put(f"{BUNDLE}/{MANIFEST}", self._manifest)
        for part, paths in by_part.items():
            left = self._parts.left_in_place(part, paths, files)
            for path, was_left in zip(paths, left, strict=True):
                if not was_left:
                    files.put(path, self[path])
            self._parts.note_written(part, paths, files, all(left))
            give_back_freed_memory()  # the part's text files, read back: freed, but kept by the C heap otherwise
        self._put_routing(files)

    def _put_routing(self, files: Output) -> None:
        """The routing files: each one whose every share is as the previous build wrote it left in place
        (:meth:`_Parts.routing_before`), the others joined and written.  An edit changes a few sequences, so a few
        of them: at 100,000 pages the 4,096 files were 287 MB written again for a typo fixed."""
        before = self._parts.routing_before(files)
        stamps, written = [], 0
        for number, path in enumerate(self._shares):
            stamp = before[number]
            if stamp is None or not files.reuse(path, stamp):
                files.put(path, self[path])
                stamp = files.stamp(path) if files.keeps_previous else None
                written += 1
                if written % TRIM_EVERY == 0:
                    give_back_freed_memory()  # the shares read back and joined (100,000 pages: +100 MB untrimmed)
            stamps.append(stamp)
        if files.keeps_previous:
            self._parts.note_routing(stamps)

    def __getitem__(self, path: str) -> bytes:
        if path in self._shares:
            number = self._shares[path]
            return _terms_file(number, [(first, share) for first, shares in self._by_part if (share := shares.of(number)) is not None])
        if path == f"{BUNDLE}/{MANIFEST}":
            return self._manifest
        part, group, number = self._texts[path]
        return self._parts.texts(part)[group][number]

    def __contains__(self, path: object) -> bool:
        return path in self._shares or path in self._texts or path == f"{BUNDLE}/{MANIFEST}"

    def __iter__(self) -> Iterator[str]:
        yield f"{BUNDLE}/{MANIFEST}"
        yield from self._texts
        yield from self._shares

    def __len__(self) -> int:
        return 1 + len(self._texts) + len(self._shares)


Made = tuple[list[list[bytes]], Shares]  # a part's groups' text files, and its share of each routing file that has one


class _Shares:
    """A part's share of each routing file that has one: held, or kept in the build's *spill* file, read back when its
    routing file is written (each once)."""

    def __init__(self, shares: list[tuple[int, bytes]], spill: Spill | None) -> None:
        self._files = array("L", [n for n, _ in shares])  # the routing files' numbers, in order
        self._held: list[bytes] | None = None
        if spill is None:
            self._held = [share for _, share in shares]
            return
        self._ends = array("Q", accumulate(len(share) for _, share in shares))
        self._kept = spill.keep(b"".join(share for _, share in shares))

    def of(self, number: int) -> bytes | None:
        """The share of routing file *number*, if the part has one."""
        at = bisect_left(self._files, number)
        if at == len(self._files) or self._files[at] != number:
            return None
        if self._held is not None:
            return self._held[at]
        return self._kept.read(self._ends[at - 1] if at else 0, self._ends[at])


class _Parts:
    """The index's parts: each made (on every core when there are several), or its shares from the cache.

    Crossing pages with their sequences is the index's cost, and the build's
    other work is done by then.  With a cache, a part's text files are stored
    apart from its shares and not held: :meth:`texts` reads them back, the
    last part read kept for the next file, and makes the part again should
    the cache have lost them.
    """

    def __init__(self, parts: list[list[list[Outline]]], firsts: list[int], term_files: int, common: frozenset[int],
                 keys: dict[str, Key], documents: Callable[[str], Document], cache: BuildCache | None, spill: Spill | None) -> None:
        self._parts, self._firsts, self._term_files, self._common = parts, firsts, term_files, common
        self._documents, self._cache, self._spill, self._page_keys = documents, cache, spill, keys
        self.shares: list[_Shares | None] = [None] * len(parts)
        self._held: dict[int, list[list[bytes]]] = {}  # without a cache: every part's; with one: the last read
        self._keys: list[Key | None] = [None] * len(parts)
        self._kept: set[int] = set()  # the parts from the cache, unchanged since a previous build
        # The parts made by moving an edit's pages in the previous build's (_again): that part's key, and the routing
        # files whose share the edit changed.
        self._moved: dict[int, tuple[Key, frozenset[int]]] = {}
        # What each part is made of but its pages' documents (SEARCH_PARTS), and the boilerplate lines its pages hold.
        self._shapes: list[tuple[str, ...]] = []
        self._lines: list[frozenset[int]] = []
        if cache is not None:
            for i, (part, first) in enumerate(zip(parts, firsts, strict=True)):
                pages = [page for group in part for page in group]
                self._lines.append(frozenset(line for page in pages for line in page.lines if line in common))
                self._shapes.append((str(first), str(len(part)), str(term_files), str(LEVELS), *(str(len(group)) for group in part),
                                     "\0", *map(str, sorted(self._lines[i]))))
                self._keys[i] = cache.key(SEARCH_INDEX, (*self._shapes[i], "\0", *(keys[page.path] for page in pages)))
                found = cache.get(self._keys[i]) if spill is None else cache.get_unheld(self._keys[i])
                if found is not None:
                    self.shares[i] = _Shares(found, spill)
                    self._kept.add(i)
                    cache.use(self._texts_key(i))  # read only when written: kept by serve's trim too

    def make(self, workers: int | None) -> None:
        """Make the parts the cache did not have, as many at a time as there are workers.

        Worker processes read their parts' documents from the cache's file
        themselves (:func:`_part_read`): the documents of two parts and their
        pickles, read and sent from here, were the peak of a build of 100,000
        pages.  Without a file, or in this process, only the parts' documents
        are read and held, a part at a time (and the few sent ahead to the workers).
        """
        for i in [i for i, made in enumerate(self.shares) if made is None]:
            again = self._again(i)
            if again is not None:
                self._keep(i, again)
        misses = [i for i, made in enumerate(self.shares) if made is None]
        workers = workers_for(sum(len(group) for i in misses for group in self._parts[i]), workers) if len(misses) > 1 else 1
        folder = self._cache.folder if self._cache is not None and workers > 1 else None
        if folder is not None:
            self._cache.save()  # the documents made in this build, for the workers to read
        with process_pool(min(workers, len(misses))) if workers > 1 else nullcontext() as pool:
            calls = (self._call(i, folder) for i in misses)
            made = in_order(pool, calls, workers) if pool is not None else (function(*arguments) for function, arguments in calls)
            for i, part in zip(misses, made, strict=True):  # each part kept as it comes, while the workers make the next
                self._keep(i, part if part is not None else _part(self._whole(i), self._firsts[i], self._term_files, self._common))
                del part
                give_back_freed_memory()  # the part's documents and pickles: megabytes a part at 10,000 pages
        for i, first in enumerate(self._firsts if self._cache is not None else ()):
            self._cache.keep(SEARCH_PARTS, (self._keys[i], self._shapes[i], self._pages_of(i)), (str(first),), held=False)

    def _call(self, i: int, folder: Path | None) -> tuple[Callable[..., Made | None], tuple]:
        """How part *i* is made: in a worker that reads its documents from the cache's file in *folder*, else from them."""
        rest = (self._firsts[i], self._term_files, self._common)
        return (_part_read, (folder, self._keys_of(i), *rest)) if folder is not None else (_part, (self._whole(i), *rest))

    def _again(self, i: int) -> Made | None:
        """Part *i* from the previous build's, when it has the same shape and pages and no more than
        :data:`AGAIN_UP_TO` of them changed: their text files made, their routing entries moved
        (zhsite/search/shares.py), the rest as they were.  Made afresh, the part of an edited page crossed its
        1,000 pages with their sequences: a second of an edited build at 10,000 pages."""
        before = self._cache.previous(SEARCH_PARTS, (str(self._firsts[i]),), held=False) if self._cache is not None else None
        pages = self._pages_of(i)
        if before is None or before[1] != self._shapes[i] or [path for path, _ in before[2]] != [path for path, _ in pages]:
            return None
        changed = [n for n, (was, now) in enumerate(zip(before[2], pages, strict=True)) if was[1] != now[1]]
        if len(changed) > AGAIN_UP_TO:
            return None
        texts, shares_before = self._cache.get_unheld(self._texts_key_of(before[0])), self._cache.get_unheld(before[0])
        olds = [self._cache.get_unheld(before[2][n][1]) for n in changed]
        if texts is None or shares_before is None or any(old is None for old in olds):  # pruned, or damaged and set aside
            return None
        places = [(g, k) for g, group in enumerate(self._parts[i]) for k in range(len(group))]
        values = {}
        for n, old in zip(changed, olds, strict=True):
            shown = self._documents(pages[n][0]).json(self._lines[i])
            group, number = places[n]
            texts[group][number] = _page_file(self._firsts[i] + group, number, shown)
            values[n] = (page_values(old.json(self._lines[i])), page_values(shown))
        self._moved[i] = (before[0], frozenset(touched(self._term_files, values)))
        return texts, edited(shares_before, self._term_files, values)

    def _pages_of(self, i: int) -> tuple[tuple[str, Key], ...]:
        """Part *i*'s pages in order: each one's path and search document key."""
        return tuple((page.path, self._page_keys[page.path]) for group in self._parts[i] for page in group)

    def _keys_of(self, i: int) -> list[list[Key]]:
        return [[self._page_keys[page.path] for page in group] for group in self._parts[i]]

    def _whole(self, i: int) -> list[list[Document]]:
        return [[self._documents(page.path) for page in group] for group in self._parts[i]]

    def _keep(self, i: int, made: Made) -> None:
        texts, shares = made
        self.shares[i] = _Shares(shares, self._spill)
        if self._cache is None:
            self._held[i] = texts
            return
        self._cache.put(self._keys[i], shares, held=self._spill is None)
        self._cache.put_unheld(self._texts_key(i), texts)

    def texts(self, i: int) -> list[list[bytes]]:
        """Part *i*'s text files, by group."""
        held = self._held  # serve reads from several threads: one look at it
        if i in held:
            return held[i]
        found = self._cache.get_unheld(self._texts_key(i))
        if found is None:  # lost since it was stored (a damaged cache file set aside): made again, the same bytes
            found, _ = _part(self._whole(i), self._firsts[i], self._term_files, self._common)
            self._cache.put_unheld(self._texts_key(i), found)
        self._held = {i: found}
        return found

    def _texts_key(self, i: int) -> Key:
        return self._texts_key_of(self._keys[i])

    def _texts_key_of(self, part: Key) -> Key:
        return self._cache.key(SEARCH_INDEX, ("texts", part))

    def left_in_place(self, i: int, paths: list[str], files: Output) -> list[bool]:
        """For each of part *i*'s text files (*paths*), whether the previous site's was left in place: it was, when the
        part is unchanged and the file is still the one a build wrote from it (its stamp then, :meth:`note_written`)."""
        stamps = self._cache.get_unheld(self._written_key(i)) if self._cache is not None and files.keeps_previous and i in self._kept else None
        if stamps is None or len(stamps) != len(paths):
            return [False] * len(paths)
        return [files.reuse(path, stamp) for path, stamp in zip(paths, stamps, strict=True)]

    def note_written(self, i: int, paths: list[str], files: Output, left: bool) -> None:
        """Part *i*'s text files as written, for the next build to leave them in place (:meth:`left_in_place`).  When every one was
        *left* in place, each is the file its stamp was noted for, and the note stands: 10,000 files not stat'ed again."""
        if self._cache is None or not files.keeps_previous:
            return
        if left and paths:
            self._cache.use(self._written_key(i))
        else:
            self._cache.put(self._written_key(i), [files.stamp(path) for path in paths], held=False)

    def _written_key(self, i: int) -> Key:
        return self._cache.key(SEARCH_INDEX, ("written", self._keys[i]))

    def routing_before(self, files: Output) -> list[Stamp | None]:
        """For each routing file, its stamp as the last build into *files* wrote it (:meth:`note_routing`), when every
        part's share of it is the same bytes now: the part's key unchanged since, or the part moved from that one by an
        edit that changed none of the file's sequences (:meth:`_again`); else None, to be written."""
        noted = self._cache.previous(SEARCH_ROUTING, held=False) if self._cache is not None and files.keeps_previous else None
        if noted is None or len(noted[0]) != len(self._keys) or len(noted[1]) != self._term_files:
            return [None] * self._term_files
        keys, stamps = noted
        changed: set[int] = set()
        for i, key in enumerate(keys):
            if key == self._keys[i]:
                continue
            moved = self._moved.get(i)
            if moved is None or moved[0] != key:  # made afresh, or from a build before the last
                return [None] * self._term_files
            changed |= moved[1]
        return [None if number in changed else stamp for number, stamp in enumerate(stamps)]

    def note_routing(self, stamps: list[Stamp]) -> None:
        """The routing files as this build left them (written or left in place), for the next build's :meth:`routing_before`."""
        if self._cache is not None:
            self._cache.keep(SEARCH_ROUTING, (tuple(self._keys), stamps), held=False)


def _part_read(folder: Path, keys: list[list[Key]], first: int, term_files: int, common: frozenset[int]) -> Made | None:
    """:func:`_part` of the documents stored under *keys* in the build cache in *folder*, read in this worker;
    None when one is not there (lost, damaged, or kept in memory while the file was busy): the build makes that part."""
    cache = BuildCache(folder)
    try:
        part = [[cache.get_unheld(key) for key in group] for group in keys]
    finally:
        cache.close()
    if any(document is None for group in part for document in group):
        return None
    return _part(part, first, term_files, common)


def _part(part: list[list[Document]], first: int, term_files: int, common: frozenset[int]) -> Made:
    """A part's text files (each group's pages as shown, one file a page), and its share of each routing file that
    has one.  The pages are shown here, in the worker: every part's shown at once would double the build's peak."""
    from zhsite.search.crossing import shares  # numpy: imported where a part is made afresh, which no edited build does
    shown = [[d.json(common) for d in group] for group in part]
    texts = [[_page_file(first + g, i, doc) for i, doc in enumerate(group)] for g, group in enumerate(shown)]
    return texts, shares([doc for group in shown for doc in group], term_files)


def _page_file(group: int, number: int, doc: dict) -> bytes:
    """A page's text file: its document as JSON, in GB18030 when the browser's decoder is sure to read it back the
    same (a Chinese character is 2 bytes, not UTF-8's 3: 12% less after deflate), else UTF-8; packed."""
    text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
    encoding = "utf-8" if GB18030_UNSURE.search(text) else "gb18030"
    return b'zhsiteSearch.text(%d,%d,"%s","%s");\n' % (group, number, encoding.encode(), packed(text.encode(encoding)))


def _terms_file(number: int, shares: Sequence[tuple[int, bytes]]) -> bytes:
    """A routing file: each part's share after the number of the part's first page."""
    parts = b",".join(b'[%d,"%s"]' % (first, share) for first, share in shares)
    return b"zhsiteSearch.terms(%d,[%s]);\n" % (number, parts)


def _json(value: object) -> bytes:
    """JSON with "<" escaped: no text of an archive can read as markup to anything that sniffs the file."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c").encode()


def _call(name: str, *arguments: object) -> bytes:
    """``zhsiteSearch.name(…);``."""
    return b"zhsiteSearch.%s(%s);\n" % (name.encode(), b",".join(_json(a) for a in arguments))
