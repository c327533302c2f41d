"""Archives packed or compressed in content/.

A ZIP file that holds an archive: an export downloaded (a GitHub repository's "Download ZIP", an exporter's packed
output) and put in whole, never unpacked.  Its posts are not read, and the build says so.

Export folders keep zips that came with the posts too (a post's code or data, which may hold a README.md): a zip is
told only when at least half its files are posts zhsite would read and pictures (an export's own), with how many
posts, a few of their names and what to do; any other is a side file, counted.
Only the zip's table of contents is read (at its end), never its files.  A zip whose posts are beside it,
unpacked (the zip kept after "Extract All"), is a side file.  When the content folder has no post but packed ones,
nothing is built (:func:`nothing_but_packed`): the site in place, and the one published, are not replaced by a
site without a post.

A post file compressed as crawlers write their output (``answers.jsonl.gz``, ``column.json.gz``) is read as the file
it holds (:func:`uncompressed`): one file, nothing to unpack by hand.
"""
from __future__ import annotations

import gzip
import os
import zipfile
import zlib
from dataclasses import replace
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from zhsite.load.names import decoded_name, on_disk
from zhsite.problems import Problem

PACKED = "packed archive, not read"
# What reading a damaged ZIP (cut short, another format under the name, a member encrypted or compressed by a method
# zipfile lacks, a size it lies about) raises: a reader of an app's ZIP says these as the file not opened.
ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError, ValueError)
UNOPENED_ZIP = "ZIP file that cannot be opened"
# What zhsite reads as posts, by suffix: JSON exports, saved pages and exporters' HTML, Markdown and text notes.
_POSTS = {".json", ".jsonl", ".html", ".htm", ".mhtml", ".mht", ".md", ".markdown", ".txt"}
_PICTURES = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".bmp", ".avif"}
_NAMES_SHOWN = 3
_UTF8_NAMES = 0x800  # the flag of a zip whose names are UTF-8


def packed_archive(path: Path, name: str) -> Problem | None:
    """The warning for the ZIP file at *path* (named *name*) when it holds posts not unpacked beside it, or cannot be
    opened; None for another zip."""
    try:
        with zipfile.ZipFile(path) as packed:
            files = [member_name(info) for info in packed.infolist() if not info.is_dir() and not _hidden(info.filename)]
    except Exception as exc:  # noqa: BLE001 - a damaged zip raises many kinds (BadZipFile, EOFError, struct.error …)
        return Problem(name, "", UNOPENED_ZIP, f"{exc}; if it holds your archive, download it again and unpack it "
                                               "into the content folder", severity="warning")
    posts = [member for member in files if _suffix(member) in _POSTS]
    if not posts or 2 * sum(_suffix(member) in _POSTS | _PICTURES for member in files) < len(files) or _unpacked(path, posts):
        return None
    shown = ", ".join(posts[:_NAMES_SHOWN]) + (" …" if len(posts) > _NAMES_SHOWN else "")
    return Problem(name, "", PACKED, f"it holds {len(posts):,} files zhsite reads as posts ({shown}): if they are "
                                     "your archive, unpack it into the content folder and build again",
                   severity="warning")


def _unpacked(path: Path, posts: list[str]) -> bool:
    """Whether the zip's first posts are files beside it already, as unzip or Windows' "Extract All" leave them (in
    its folder, or in a folder named as the zip): the user unpacked it and kept the zip."""
    first = posts[:_NAMES_SHOWN]
    return any(all(on_disk(root, member).is_file() for member in first) for root in (path.parent, path.with_suffix("")))


def member_name(info: zipfile.ZipInfo) -> str:
    """A file's name in the zip as text: a zip not marked UTF-8 holds the bytes its maker's system used (GBK on
    Chinese Windows), which zipfile reads as code page 437; they are decoded as a name on disk is."""
    if info.flag_bits & _UTF8_NAMES:
        return info.filename
    return decoded_name(os.fsdecode(info.filename.encode("cp437")))[0]


def saved_time(info: zipfile.ZipInfo) -> str:
    """When the zipped file was last saved, as the ZIP keeps it (``YYYY-MM-DDTHH:MM``, the saving machine's time), "" for
    none (a ZIP's earliest time, 1980-01-01, is what tools write for a file without one): a copy keeps it, a file's own
    modification time it does not."""
    year, month, day, hour, minute, _ = info.date_time
    return f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}" if year > 1980 else ""


def _hidden(member: str) -> bool:
    """macOS's resource forks (``__MACOSX/``, ``._a.md``) and hidden files, which no export is made of."""
    return any(part.startswith(".") or part == "__MACOSX" for part in PurePosixPath(member).parts)


def _suffix(member: str) -> str:
    return PurePosixPath(member).suffix.lower()


def nothing_but_packed(problems: list[Problem]) -> Problem | None:
    """Why nothing is built from a content folder that gave no post: the first packed archive among its *problems*
    (and how many more), else None."""
    packed = [problem for problem in problems if problem.kind == PACKED]
    if not packed:
        return None
    more = f"; {len(packed) - 1} more packed archives" if len(packed) > 1 else ""
    return replace(packed[0], severity="error", detail=f"{packed[0].detail}{more}; nothing built, the site left as it was")


_GZIP = b"\x1f\x8b"
# Past this many bytes uncompressed a file is not read: a crawler's output is far less, a compression bomb far more.
UNCOMPRESSED_LIMIT = 2**29


def is_compressed_post(name: str, head: bytes) -> bool:
    """A gzip file whose name, less ``.gz``, is a post file's (*head*: its first bytes)."""
    return head.startswith(_GZIP) and name.lower().endswith(".gz") and _suffix(name[:-3]) in _POSTS


def uncompressed(file: BinaryIO) -> bytes:
    """The bytes the gzip *file* holds; OSError when it is damaged, cut short or over UNCOMPRESSED_LIMIT."""
    try:
        with gzip.GzipFile(fileobj=file) as unpacked:
            data = unpacked.read(UNCOMPRESSED_LIMIT + 1)
    except (EOFError, zlib.error) as exc:
        raise OSError(f"compressed file cut short or damaged ({exc}); download or compress it again") from exc
    if len(data) > UNCOMPRESSED_LIMIT:
        raise OSError(f"over {UNCOMPRESSED_LIMIT // 2**20:,} MB once uncompressed; not read")
    return data
