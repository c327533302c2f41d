"""A content file that gave pages and can no longer be read keeps them, from its last good copy in the build cache.

A crawler killed mid-write, a bad sync or a permission changed by mistake
leaves a column's file truncated, empty or unreadable; read as it is now, it
gives nothing, and the next build would take the whole column off the site.
So each build notes, per content file, the build cache entry of its last read
that gave pages (the ``parsed file`` entry, kept in the cache by this use) and
when that was; a file still there that gives nothing now is built from that
entry, with an error saying so.  A file that is gone is gone: only the files
of this build are noted, so deleting a file takes its pages off the site.

The note also holds the file's size and modification time then: a file that
has them still is taken from that entry without being read or hashed
(:meth:`LastGood.unchanged`), as ``serve`` takes the files it read (a crawl's
172 MB of column files were read and hashed by every build, also after an
edit of one of them).

A new version of zhsite reads files anew (its parses are not the old ones),
so the old parses are no longer in the cache.  The last good *bytes* are kept
too, compressed, under keys any version finds (``across_versions`` in
zhsite/cache.py): after an upgrade, a file that gives nothing now is built
from those bytes parsed by the new zhsite.  They cost the cache about a
quarter of the content's size, written when a file changes.
"""
from __future__ import annotations

import hashlib
import time
import zlib
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime

from zhsite.cache import LAST_GOOD, LAST_GOOD_BYTES, PARSED, BuildCache, Key, code_version
from zhsite.load.loaded import DRAFTS, Loaded
from zhsite.load.parsed import get_parsed, put_parsed, use_parsed
from zhsite.problems import Problem

Stamp = tuple[int, int]  # a file's modification time (ns) and size
# A file's last good read: its parsed file key, its bytes' SHA-256, when it was read, and the file's stamp then.
Note = tuple[Key, str, float, Stamp]
Read = Callable[[str, bytes], Loaded]  # what a file's bytes give, by its name: zhsite/load/__init__.py's reading
Again = Callable[[], Loaded]  # the file read and parsed anew, should the cache lose its posts' HTML (zhsite/load/parsed.py)
KEPT = "pages kept from the last good copy"  # the problem's kind


class LastGood:
    """The files' last good reads for one load: from the previous build's note, for the next build's.

    Without a build cache (``BuildCache`` None: tests) files are parsed as
    they are, and nothing is kept.  Not *noting* (``serve``'s rebuilds after
    its first, which parse a saved file without the cache, as storing its
    parse would slow each save's reload), a saved file's good read is noted
    by its bytes alone (parsed again only if ever needed), and the last build's
    note is kept for the rest, with what it names: serve drops from the cache
    what it stored and stopped using, never the last good copy of a file saved under it.
    """

    def __init__(self, cache: BuildCache | None, read: Read, noting: bool = True) -> None:
        self._cache = cache
        self._read = read
        self._noting = noting
        self._copier: ThreadPoolExecutor | None = None  # keeps the good reads' bytes (_copy), made on first use
        self._copying: list[Future] = []
        self._before = _notes(cache.previous(LAST_GOOD) if cache is not None else None)
        self._now: dict[str, Note] = {}
        self._read_at = time.time()  # one time for the whole load: files read together are grouped together

    def unchanged(self, name: str, stamp: Stamp, again: Again) -> Loaded | None:
        """The file's last good read, when the file has the size and modification time it had then; else None (read it)."""
        before = self._before.get(name)
        if self._cache is None or before is None or not before[0] or before[3] != stamp:
            return None
        part = get_parsed(self._cache, before[0], name, again)
        if part is not None:
            self._cache.keep_as_is(LAST_GOOD_BYTES, (name, before[1]))
            self._now[name] = before
        return part

    def parsed(self, name: str, data: bytes, stamp: Stamp, again: Again) -> Loaded:
        """What the file's *data* (read when the file had *stamp*) give, from the cache when those bytes were parsed
        before; its last good copy when that is nothing.  A read that raises stores nothing."""
        if self._cache is None:
            part = self._read(name, data)
            return part if _gives_pages(part) else self.instead(name, part)
        key = self._cache.key(PARSED, (name, data)) if self._noting else Key("")
        part = get_parsed(self._cache, key, name, again) if key else None  # not held: the build lets go of the loaded HTML once rewritten
        if part is None:
            part = self._read(name, data)
            if key:
                put_parsed(self._cache, key, part)
        if not _gives_pages(part):
            return self.instead(name, part)
        if self._copier is None:
            self._copier = ThreadPoolExecutor(1, thread_name_prefix="zhsite-last-good")
        self._copying.append(self._copier.submit(self._copy, name, key, data, stamp))
        return part

    def _copy(self, name: str, key: Key, data: bytes, stamp: Stamp) -> None:
        """Note a good read, and keep its bytes unless kept already.  On a thread of its own: zlib and SHA-256 let go
        of the GIL, so on a second core this costs the load nothing (1.4 s of 5.6 at 10,000 articles on one).
        A file saved under ``serve`` is kept as it is (zlib level 0, still one zlib stream): its reload waits
        for the copy, and compressing a 4.5 MB column file took 51 ms of it, storing it 12."""
        copy = hashlib.sha256(data).hexdigest()
        before = self._before.get(name)
        if before is not None and before[1] == copy:
            self._cache.keep_as_is(LAST_GOOD_BYTES, (name, copy))
        else:
            self._cache.keep(LAST_GOOD_BYTES, zlib.compress(data, 1 if self._noting else 0), (name, copy), held=False)
        self._now[name] = (key, copy, self._read_at, stamp)

    def instead(self, name: str, part: Loaded) -> Loaded:
        """*part*, a read of the file that gave no pages, or else its last good copy with *part*'s problems and one saying so."""
        before = self._before.get(name)
        good = self._good(name, before) if self._cache is not None and before is not None else None
        if good is None:  # never read with pages, or set aside with a damaged cache file: nothing to keep
            return part
        when = datetime.fromtimestamp(before[2], UTC).strftime("%Y-%m-%d %H:%M UTC")
        kept = Problem(name, "", KEPT, f"the file gives none now, so the site shows what it held when read on {when} "
                                       "(delete the file to take its pages off the site)")
        return Loaded(columns=good.columns, notes=good.notes, problems=[*part.problems, kept], profiles=good.profiles, skipped=part.skipped)

    def _good(self, name: str, before: Note) -> Loaded | None:
        """The file's last good read, noted for the next build: as parsed then, or its bytes then parsed now
        (this zhsite is not the one that read them); None when the cache has neither."""
        key, copy, read_at, stamp = before
        good = get_parsed(self._cache, key, name, lambda: self._last_bytes(name, copy)[1]) if key else None
        if good is None:
            try:
                data, good = self._last_bytes(name, copy)
            except Exception:  # noqa: BLE001 - none kept, or bytes this zhsite cannot read (its reader's bug): nothing to keep
                return None
            if not _gives_pages(good):
                return None
            key = self._cache.key(PARSED, (name, data))
            put_parsed(self._cache, key, good)
        else:
            self._cache.keep_as_is(LAST_GOOD_BYTES, (name, copy))  # for a zhsite that cannot use this parse
        self._now[name] = (key, copy, read_at, stamp)
        return good

    def _last_bytes(self, name: str, copy: str) -> tuple[bytes, Loaded]:
        """The file's last good bytes (OSError: none kept) and what they give now."""
        stored = self._cache.previous(LAST_GOOD_BYTES, (name, copy), held=False)
        if not isinstance(stored, bytes):
            raise OSError(f"no last good copy of {name} in the build cache")
        data = zlib.decompress(stored)
        return data, self._read(name, data)

    def keep(self) -> None:
        """Note this load's files for the next build: a file not read in this one (deleted) is forgotten.
        Not noting: the last build's note, as it was but for the files saved since and the copies used instead of one."""
        if self._cache is None:
            return
        if self._copier is not None:
            self._copier.shutdown()
            for copied in self._copying:
                copied.result()  # what went wrong there, raised here
        if not self._noting:
            for name, (key, copy, _, _) in self._before.items():
                if key:
                    use_parsed(self._cache, key)
                self._cache.keep_as_is(LAST_GOOD_BYTES, (name, copy))
            self._now = {**self._before, **self._now}
        self._cache.keep(LAST_GOOD, (code_version(), self._now))


def _notes(kept: object) -> dict[str, Note]:
    """The notes of the last build that are what this zhsite notes: they may have been kept by another version.
    Another version's parsed file keys are dropped (""): its parses, still in the cache file, are its own model's."""
    if not (isinstance(kept, tuple) and len(kept) == 2 and isinstance(kept[0], str) and isinstance(kept[1], dict)):
        return {}
    version, notes = kept
    ours = version == code_version()
    return {name: note if ours else (Key(""), *note[1:]) for name, note in notes.items() if isinstance(name, str) and _is_note(note)}


def _is_note(note: object) -> bool:
    return (isinstance(note, tuple) and len(note) == 4 and isinstance(note[0], str) and isinstance(note[1], str)
            and isinstance(note[2], int | float) and isinstance(note[3], tuple) and len(note[3]) == 2
            and all(isinstance(n, int) for n in note[3]))


def _gives_pages(part: Loaded) -> bool:
    """Whether the read gave what the file holds: pages, or a draft's none."""
    return bool(part.columns or part.notes or part.profiles or part.skipped[DRAFTS])
