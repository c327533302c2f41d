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
"""
from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime

from zhsite.cache import LAST_GOOD, PARSED, BuildCache, Key
from zhsite.load.loaded import Loaded
from zhsite.problems import Problem

Stamp = tuple[int, int]  # a file's modification time (ns) and size
KEPT = "pages kept from the last good copy"  # the problem's kind


class LastGood:
    """The files' last good reads for one load: from the previous build's note, for the next build's.

    Without a build cache (``BuildCache`` None: tests, ``serve``'s rebuilds
    after its first) files are parsed as they are, and nothing is kept.
    """

    def __init__(self, cache: BuildCache | None) -> None:
        self._cache = cache
        self._before: dict[str, tuple[Key, float, Stamp]] = (cache.previous(LAST_GOOD) if cache is not None else None) or {}
        self._now: dict[str, tuple[Key, float, Stamp]] = {}
        self._read_at = time.time()  # one time for the whole load: files read together are grouped together

    def unchanged(self, name: str, stamp: Stamp) -> Loaded | None:
        """The file's last good read, when the file has the size and modification time it had then; else None (read it)."""
        before = self._before.get(name)
        if self._cache is None or before is None or before[2] != stamp:
            return None
        part = self._cache.get_unheld(before[0])
        if part is not None:
            self._now[name] = before
        return part

    def parsed(self, name: str, data: bytes, parse: Callable[[], Loaded], stamp: Stamp) -> Loaded:
        """What *parse* makes of the file's *data* (read when the file had *stamp*), from the cache when its bytes
        were parsed before; its last good copy when that is nothing.  A *parse* that raises stores nothing."""
        if self._cache is None:
            return parse()
        key = self._cache.key(PARSED, (name, data))
        part = self._cache.get_unheld(key)  # not held: the build lets go of the loaded HTML once rewritten
        if part is None:
            part = parse()
            self._cache.put_unheld(key, part)
        if _gives_pages(part):
            self._now[name] = (key, self._read_at, stamp)
            return part
        return self.instead(name, part)

    def instead(self, name: str, part: Loaded) -> Loaded:
        """*part*, a read of the file that gave no pages, or else its last good copy with *part*'s problems and one saying so."""
        if self._cache is None or name not in self._before:
            return part
        key, read_at, stamp = self._before[name]
        good = self._cache.get_unheld(key)
        if good is None:  # set aside with a damaged cache file: nothing to keep
            return part
        self._now[name] = (key, read_at, stamp)
        when = datetime.fromtimestamp(read_at, UTC).strftime("%Y-%m-%d %H:%M UTC")
        kept = Problem(name, "", KEPT, f"the file gives none now, so the site shows what it held when read on {when} "
                                       "(delete the file to take its pages off the site)")
        return Loaded(columns=good.columns, notes=good.notes, problems=[*part.problems, kept], profiles=good.profiles, skipped=part.skipped)

    def keep(self) -> None:
        """Note this load's files for the next build: a file not read in this one (deleted) is forgotten."""
        if self._cache is not None:
            self._cache.keep(LAST_GOOD, self._now)


def _gives_pages(part: Loaded) -> bool:
    return bool(part.columns or part.notes or part.profiles)
