"""Write: the finished site replaces the old one in one step, or not at all.

Files are written into a fresh folder beside the output and swapped in by
rename once every file is on disk, so a build that fails or is killed leaves
the previous site as it was.  A killed build cannot clean up after itself, so
the next one removes folders left by builds whose process is gone, after
putting back the previous site if the kill came mid-swap: only folders named
exactly as zhsite names them and holding :data:`WORK_MARKER`, so a user's
``.site.old-2024-01-05/`` is never taken for one.  The site's folders and
files get the modes the user's umask gives (0755 and 0644 under umask 022),
as any other program's would: a web server fed by ``rsync -a`` or ``cp -a``
must be able to read them.  Every site carries
:data:`~zhsite.config.OUTPUT_MARKER`, written last: it marks a folder as
zhsite's to replace (zhsite/config.py refuses any other) and as a whole site.

A file whose bytes are the same as in the previous site is not written again
but hard-linked from it: it keeps its modification time, so rsync, a web
server's caches and ``git`` see only what really changed, and a rebuild of a
large archive writes only what changed.
"""
from __future__ import annotations

import ctypes
import errno
import os
import re
import secrets
import shutil
import sys
import threading
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from zhsite.config import OUTPUT_MARKER
from zhsite.output import Output, Stamp, is_svg, published_svg_file
from zhsite.problems import BuildError, Problem

MARKER_TEXT = "made by zhsite: this folder is replaced whole by every build\n"
# In each folder a build makes beside the output (``.<output>.building-<pid>-<8 hex>``), written first:
# what a later build may clear once that process has ended.
WORK_MARKER = ".zhsite-work"
CANNOT_WRITE = "cannot write the site"
WORK_TEXT = "made by zhsite for one build: removed by the next build once that one has ended\n"
_WORK_NAME = re.compile(r"\.building-([0-9]{1,9})-[0-9a-f]{8}")
# renameat2(2): relative to the working folder; swap the two names.
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
# GitHub Pages publishes a site of at most 1 GB (its documented limit): a build says when its site is larger.
PAGES_LIMIT = 1_000_000_000
TOO_BIG = "site too big for GitHub Pages"
# What makes a large site up, by a file's first folder; any other file is a page (.html) or one of the other files.
_PARTS = {"images": "pictures", "files": "linked files", "search": "search index", "epub": "books"}


class FilesOnDisk(Mapping[str, bytes]):
    """Files the site holds as they are on disk, by output path, each named by a hash of its bytes
    (local image copies: ``images/<hash>.<ext>``).

    An archive's pictures can be gigabytes: their bytes are read only when
    asked for (``serve``), and a build puts each with :meth:`Output.put_file`,
    which :class:`StagedFiles` does file to file.
    """

    def __init__(self, sources: Mapping[str, Path] | None = None) -> None:
        self.sources = dict(sources or {})

    def __getitem__(self, relative: str) -> bytes:
        """The file as the site publishes it (``serve`` reads them here): an SVG filtered as :meth:`Output.put_file` does."""
        source = self.sources[relative]
        return published_svg_file(relative, source) if is_svg(relative) else source.read_bytes()

    def __contains__(self, relative: object) -> bool:
        return relative in self.sources

    def __iter__(self) -> Iterator[str]:
        return iter(self.sources)

    def __len__(self) -> int:
        return len(self.sources)


class StagedFiles(Output):
    """The site's files by output path, each written to disk as it is put: a large site is never all in memory.

    Reading a file back reads it from disk, from the staging folder and, once
    swapped in, from the output folder.  Forked workers may put files (they
    land in the same folder), and a file unchanged since the previous site is
    linked from it rather than written again.
    """

    forked_workers_may_write = True
    keeps_previous = True

    def __init__(self, staging: Path, output: Path) -> None:
        self.root = staging
        self._output = output
        self._paths: dict[str, int] = {}  # each file put, by output path: its size in bytes
        self._folders: set[str] = set()
        self.discarded = False  # set by discard(): the previous site stays
        self.clearing: threading.Thread | None = None  # removing the replaced site, once swapped in

    def _write(self, relative: str, data: bytes) -> None:
        with cannot_write(self._output / relative):
            target = self._place(relative)
            if not _link_unchanged(self._output / relative, data, target):
                Path(target).write_bytes(data)
        self._paths[relative] = len(data)

    def _copy(self, relative: str, source: Path) -> None:
        """Copied file to file by the kernel, never read into memory; linked from the previous site when there."""
        # Named by a hash of its bytes: the same name and size in the previous site is the same file.
        size = source.stat().st_size
        if not self._link_previous(relative, size):
            with cannot_write(self._output / relative):
                shutil.copyfile(source, self._place(relative))
            self._paths[relative] = size

    def reuse(self, relative: str, stamp: Stamp) -> bool:
        """Link the previous site's file into the new one if it is still the file once written (same size and time)."""
        size, mtime_ns = stamp
        return self._link_previous(relative, size, mtime_ns)

    def _link_previous(self, relative: str, size: int, mtime_ns: int | None = None) -> bool:
        old = os.path.join(self._output, relative)  # strings, not Paths: an edited build links 20,000 files here
        try:
            stat = os.stat(old)
            if stat.st_size != size or mtime_ns not in (None, stat.st_mtime_ns):
                return False
            os.link(old, self._place(relative))
        except OSError:
            return False
        self._paths[relative] = size
        return True

    def _place(self, relative: str) -> str:
        """The file's path in the staging folder, its folder made (once: a site has few folders, many files)."""
        target = os.path.join(self.root, relative)
        folder = os.path.dirname(target)
        if folder not in self._folders:
            os.makedirs(folder, exist_ok=True)
            self._folders.add(folder)
        return target

    def stamp(self, relative: str) -> Stamp:
        """The size and modification time of a file put in this build, as :meth:`reuse` compares them next time."""
        stat = (self.root / relative).stat()
        return stat.st_size, stat.st_mtime_ns

    def wait_until_old_site_removed(self) -> None:
        """Return once the site this one replaced is gone from disk.

        :func:`staged_site` removes it on a thread: unlinking 21,000 files
        (10,000 articles) took 0.2 s of an edit's build, now spent beside its
        last steps (the cache trimmed, the output stamped).  A build killed
        before it ends leaves the work folder, which the next build clears.
        """
        if self.clearing is not None:
            self.clearing.join()

    def discard(self) -> None:
        """Keep the previous site: when the block ends these files are removed instead of swapped in (``deploy`` after errors)."""
        self.discarded = True

    def adopt(self, paths: Iterable[str]) -> None:
        """Files another process put into :attr:`root` (zhsite/render/draw.py): only their sizes are read, from the folder."""
        self._paths.update((path, (self.root / path).stat().st_size) for path in paths)

    @property
    def sizes(self) -> Mapping[str, int]:
        """Every file of the site by output path, its size in bytes: counted as the files are put, never walked for."""
        return self._paths

    def __getitem__(self, relative: str) -> bytes:
        if relative not in self._paths:
            raise KeyError(relative)
        return (self.root / relative).read_bytes()

    def __contains__(self, relative: object) -> bool:
        return relative in self._paths

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._paths))

    def __len__(self) -> int:
        return len(self._paths)


@contextmanager
def staged_site(output: Path) -> Iterator[StagedFiles]:
    """Files set in the block go to a fresh folder beside *output*, which replaces it when the block ends.

    If the block raises or calls :meth:`StagedFiles.discard`, the folder is
    removed and *output* is left as it was.
    """
    output = output.resolve()
    with cannot_write(output):
        output.parent.mkdir(parents=True, exist_ok=True)
        _recover_abandoned(output)
        work = _work_folder(output)
        staging = work / "site"
        staging.mkdir()  # as any folder is made: the umask's mode, which it keeps once swapped in
    files = StagedFiles(staging, output)
    swapped = False
    try:
        yield files
        if not files.discarded:
            with cannot_write(output):
                # Written last: a folder holding it is a whole site, which a killed build's recovery may put back.
                (staging / OUTPUT_MARKER).write_text(MARKER_TEXT, encoding="utf-8")
                _swap_in(staging, output)
            files.root = output
            swapped = True
    finally:
        if swapped:  # the replaced site, removed while the build finishes (StagedFiles.wait_until_old_site_removed)
            files.clearing = threading.Thread(target=_clear, args=(work,), name="zhsite-old-site")
            files.clearing.start()
        else:
            _clear(work)


def _work_folder(output: Path) -> Path:
    """A new folder beside *output* for this build's files, named by :data:`_WORK_NAME` and marked as zhsite's before anything else."""
    while True:
        work = output.parent / f".{output.name}.building-{os.getpid()}-{secrets.token_hex(4)}"
        try:
            work.mkdir()
        except FileExistsError:  # a name another build took: draw another
            continue
        (work / WORK_MARKER).write_text(WORK_TEXT, encoding="utf-8")
        return work


@contextmanager
def cannot_write(path: Path) -> Iterator[None]:
    """A full disk, a read-only or forbidden folder: one line naming the file, as a BuildError, never a traceback."""
    try:
        yield
    except OSError as exc:
        raise BuildError(Problem(str(path), "", CANNOT_WRITE, f"{exc.strerror or exc}")) from None


def _link_unchanged(old: Path, data: bytes, target: str) -> bool:
    try:
        if old.stat().st_size != len(data) or old.read_bytes() != data:
            return False
        os.link(old, target)
    except OSError:  # no old file, or a file system without hard links
        return False
    return True


def _swap_in(staging: Path, output: Path) -> None:
    """Put the complete site at *staging* in *output*'s place so that some whole site is there at every instant.

    Where the kernel can (Linux's ``renameat2``), the two folders trade places
    in one step.  Elsewhere the old site is renamed aside first, into the work
    folder beside *staging*, leaving an instant with no *output*: a build killed
    right then leaves the old site complete in ``.<output>.building-…/old``, and
    the next build puts it back.
    """
    if not output.exists():
        os.rename(staging, output)
    elif not _exchange(staging, output):
        aside = staging.parent / "old"
        os.rename(output, aside)
        try:
            os.rename(staging, output)
        except BaseException:  # the work folder is about to be cleared: the old site goes back first
            os.rename(aside, output)
            raise


def _exchange(first: Path, second: Path) -> bool:
    """Swap two folders atomically with ``renameat2(RENAME_EXCHANGE)``; False where the system cannot."""
    renameat2 = getattr(_libc(), "renameat2", None) if sys.platform == "linux" else None
    if renameat2 is None:
        return False
    if renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE) == 0:
        return True
    error = ctypes.get_errno()
    if error in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):  # an old kernel, or a file system without it
        return False
    raise OSError(error, os.strerror(error), str(second))


@cache
def _libc() -> ctypes.CDLL | None:
    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None


def _discard(site: Path) -> None:
    """Remove a replaced site, its marker first: a half-removed folder is never taken for a whole site."""
    (site / OUTPUT_MARKER).unlink(missing_ok=True)
    shutil.rmtree(site, ignore_errors=True)


def _clear(work: Path) -> None:
    """Remove a work folder, its own marker last: one half removed is still known as zhsite's to the next build."""
    for site in ("old", "site"):
        _discard(work / site)
    (work / WORK_MARKER).unlink(missing_ok=True)
    shutil.rmtree(work, ignore_errors=True)


def _recover_abandoned(output: Path) -> None:
    """Clear what killed builds left beside *output*; with no *output* in place, first put a whole old site back.

    Only a folder with zhsite's exact name and marker is touched: a user's
    ``.site.old-2024-01-05/`` beside the output is the user's.
    """
    mine = f".{output.name}"
    for folder in sorted(output.parent.iterdir()):
        named = folder.name.startswith(mine) and _WORK_NAME.fullmatch(folder.name[len(mine):])
        if not named or folder.is_symlink() or not (folder / WORK_MARKER).is_file() or _alive(int(named[1])):
            continue
        previous = folder / "old"
        if not output.exists() and (previous / OUTPUT_MARKER).is_file():
            os.rename(previous, output)
        _clear(folder)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def over_limit(sizes: Mapping[str, int], limit: int = PAGES_LIMIT) -> str | None:
    """One line when the files of :attr:`StagedFiles.sizes` add up to more than *limit* bytes, else None:
    the total, then what makes it up, biggest first, as each part has its own remedy
    (docs/publishing.md: pictures kept remote, no books, a smaller search index)."""
    total = sum(sizes.values())
    if total <= limit:
        return None
    parts: Counter[str] = Counter()
    for path, size in sizes.items():
        folder = path.split("/", 1)[0] if "/" in path else ""
        parts[_PARTS.get(folder) or ("pages" if path.endswith(".html") else "other files")] += size
    made_of = ", ".join(f"{part} {_amount(size)}" for part, size in parts.most_common())
    return f"the site is {_amount(total)}, over GitHub Pages' limit of {_amount(limit)}: {made_of}"


def _amount(size: int) -> str:
    """Bytes as a reader of the warning compares them with GitHub's limit: decimal units."""
    if size >= 1e9:
        return f"{size / 1e9:.2f} GB"
    return f"{size / 1e6:.1f} MB" if size >= 1e6 else f"{size / 1e3:.0f} kB"


def write_atomically(path: Path, data: bytes) -> None:
    """One file replaced in one step (an e-book): a reader of *path* sees the old bytes or the new, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        partial.write_bytes(data)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
