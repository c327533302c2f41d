"""Bytes a build may need again but should not hold: kept in an unnamed temporary file, read back by place.

An edited build takes the bodies an earlier build rewrote from the cache, and
each keeps the way to make it again should its HTML entry be found damaged
when its page is drawn: its article's packed HTML.  Held, that was 540 MB for
the whole of a 100,000-article build, for an entry that is nearly never
damaged (issue #30).  Kept here it costs one write, and the disk's pages.
So do the posts' packed HTML from the assemble to the rewrite (zhsite/build.py,
540 MB at 100,000 articles) and the search index's routing shares
(zhsite/search/files.py, 200 MB), each read back when a stage needs it.
"""
from __future__ import annotations

import os
import tempfile
import threading
from pathlib import Path
from typing import IO


class Spill:
    """One build's temporary file, made at the first :meth:`keep` in *folder* (the build cache's: on the disk the
    build already writes to, where a temporary folder may be memory) and gone when closed or the process ends."""

    def __init__(self, folder: Path | None = None) -> None:
        self._folder = folder
        self._file: IO[bytes] | None = None
        self._end = 0
        self._lock = threading.Lock()

    def keep(self, data: bytes) -> Kept:
        """What reads *data* back, whole or a part: from the file, read by place (so also in a process forked from this
        one), or held, when no temporary file can be made (a read-only cache folder and a full disk)."""
        with self._lock:
            try:
                if self._file is None:
                    self._file = _temporary(self._folder)
                at = self._end
                _write_at(self._file.fileno(), data, at)
            except OSError:
                return Kept(None, 0, len(data), data)
            self._end += len(data)
            return Kept(self._file, at, len(data))  # that file: another one after a close is not it

    def close(self) -> None:
        with self._lock:
            if self._file is not None:
                self._file.close()
                self._file, self._end = None, 0


class Kept:
    """Bytes a :class:`Spill` keeps: called, all of them; :meth:`read`, a part."""

    __slots__ = ("_file", "_at", "size", "_held")

    def __init__(self, file: IO[bytes] | None, at: int, size: int, held: bytes | None = None) -> None:
        self._file, self._at, self.size, self._held = file, at, size, held

    def __call__(self) -> bytes:
        return self.read(0, self.size)

    def read(self, start: int, end: int) -> bytes:
        """Bytes *start* to *end* of them; OSError once the spill is closed."""
        if self._held is not None:
            return self._held[start:end]
        return _read_at(self._file, self._at + start, end - start)


def _temporary(folder: Path | None) -> IO[bytes]:
    try:
        return tempfile.TemporaryFile(prefix="zhsite-spill-", dir=folder)
    except OSError:
        return tempfile.TemporaryFile(prefix="zhsite-spill-")


def _write_at(fd: int, data: bytes, at: int) -> None:
    view = memoryview(data)
    while view:
        written = os.pwrite(fd, view, at)
        view, at = view[written:], at + written


def _read_at(file: IO[bytes], at: int, size: int) -> bytes:
    if file.closed:
        raise OSError("the build's spill file is closed")
    parts = []
    while size:
        part = os.pread(file.fileno(), size, at)
        if not part:
            raise OSError(f"the build's spill file ended {size} bytes early")
        parts.append(part)
        at, size = at + len(part), size - len(part)
    return b"".join(parts)
