"""File and folder names as text: read like contents, whatever bytes the file system holds.

unzip keeps a name's bytes as they are in the archive, and a zip made on
Chinese Windows holds GBK names (``机器学习`` as ``bb fa c6 f7 d1 a7 cf b0``).
Python hands such a name over with each byte that is not UTF-8 as a lone
surrogate (``surrogateescape``), which no page, path or terminal can encode.
So every name the loader reports, titles and slugs come from is decoded as the
contents are (zhsite/load/sniff.py): UTF-8, else GB18030 (a superset of GBK),
else UTF-8 with U+FFFD for what is neither, and a warning.  A name so decoded
names no file on disk any more: :func:`on_disk` finds the file it stands for.
"""
from __future__ import annotations

import os
import re
from pathlib import Path, PurePosixPath

_SURROGATE = re.compile("[\ud800-\udfff]")
UNREADABLE_NAME = "file name neither UTF-8 nor GBK"  # the warning's kind


def decoded_name(name: str) -> tuple[str, bool]:
    """*name* as text, and False when some of its bytes are neither UTF-8 nor GB18030 (shown as U+FFFD)."""
    if not _SURROGATE.search(name):
        return name, True
    try:
        raw = os.fsencode(name)
    except UnicodeEncodeError:  # a surrogate no byte stands for (a Windows name of UTF-16 halves)
        return _SURROGATE.sub("\ufffd", name), False
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding), True
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", "replace"), False


def decoded_path(relative: Path) -> tuple[str, bool]:
    """A relative path as ``/``-separated text, each part decoded on its own (a UTF-8 folder may hold GBK files)."""
    parts = [decoded_name(part) for part in relative.parts]
    return "/".join(name for name, _ in parts), all(read for _, read in parts)


def on_disk(root: Path, relative: str) -> Path:
    """The file a decoded *relative* path (as the loader's sources are) stands for under *root*.

    As written when that exists; else part by part, each folder entry matched
    by its decoded name.  A path found nowhere is returned as written.
    """
    path = root / relative
    if path.exists():
        return path
    current = root
    for part in PurePosixPath(relative).parts:
        candidate = current / part
        if not candidate.exists():
            try:
                candidate = next((current / entry for entry in sorted(os.listdir(current)) if decoded_name(entry)[0] == part), candidate)
            except OSError:
                return path
        current = candidate
    return current
