"""The files of a site folder on disk, listed and stamped (size and modification time): what a build finds in place
and leaves (zhsite/write.py), and what a build with nothing to do compares (zhsite/unchanged.py).

A leaf: it imports nothing of zhsite but the configuration's names, so the check for nothing to do, which runs
before the stages are imported, stays light.
"""
from __future__ import annotations

import os
import stat
from collections.abc import Collection
from pathlib import Path
from typing import NamedTuple

from zhsite.config import file_systems_own

# A file as written: its size and modification time (ns) as one number (:func:`stamp`), what a later build compares
# to reuse it.  One object a file, where a pair of numbers was three: a site in place of 100,000 articles has 211,000
# files, whose stamps a build holds while it draws.
Stamp = int
_MTIME_BITS = 64
_MTIME = (1 << _MTIME_BITS) - 1


def stamp(size: int, mtime_ns: int) -> Stamp:
    """The stamp of a file of *size* bytes modified at *mtime_ns*: one number, the same pair the same number."""
    return size << _MTIME_BITS | mtime_ns & _MTIME


def size_of(stamped: Stamp) -> int:
    """The size a :func:`stamp` holds (-1 for NOT_A_FILE)."""
    return stamped >> _MTIME_BITS


class Walked(NamedTuple):
    files: list[str]
    linked: list[str]  # those that are links to folders
    stamps: dict[str, Stamp]  # when asked for: each file's


def walk(root: str, skip: Collection[str] = (), stamped: bool = False) -> Walked:
    """Every file or link under the folder *root* (but the folders *skip* at its top), and the links among them that
    lead to folders, by path relative to it; *stamped*, each one's stamp too (NOT_A_FILE for a link to a folder)."""
    found: list[str] = []
    linked: list[str] = []
    stamps: dict[str, Stamp] = {}
    pending = [""]
    while pending:
        folder = pending.pop()
        with os.scandir(os.path.join(root, folder)) as entries:
            for entry in entries:
                relative = f"{folder}/{entry.name}" if folder else entry.name
                if relative in skip:
                    continue
                if entry.is_dir(follow_symlinks=False):
                    pending.append(relative)
                    continue
                found.append(relative)
                if entry.is_symlink() and entry.is_dir():
                    linked.append(relative)
                if stamped:
                    stamps[relative] = stamp_of(entry)
    return Walked(found, linked, stamps)


NOT_A_FILE: Stamp = -1  # the stamp of what is no regular file (a folder a link leads to, a broken link): no size


def stamp_of(path: str | os.DirEntry) -> Stamp:
    """The size and modification time of the regular file at *path* (a link followed), else NOT_A_FILE."""
    try:
        found = path.stat() if isinstance(path, os.DirEntry) else os.stat(path)
    except OSError:
        return NOT_A_FILE
    return stamp(found.st_size, found.st_mtime_ns) if stat.S_ISREG(found.st_mode) else NOT_A_FILE


def not_the_sites(output: Path, work: Path | None = None) -> set[str]:
    """The folders at the top of *output* that are not the site's, never walked nor removed: the work folder when it
    is there, and the ``lost+found`` of a disk mounted there (root's alone: no other user may even list it)."""
    return file_systems_own(output) | ({work.name} if work is not None and work.parent == output else set())


def site_stamps(output: Path) -> dict[str, Stamp]:
    """Every file of the site in *output* by path, its stamp: read from disk, as a build's :meth:`StagedFiles.stamps`
    (zhsite/write.py) says they are once it commits (the disk's own ``lost+found`` left out as there)."""
    return walk(str(output), not_the_sites(output), stamped=True).stamps if output.is_dir() else {}
