"""Write: the new site takes the old one's place only once every file of it is on disk.

A build puts its files into a work folder beside the output
(``.<output>.building-<pid>-<8 hex>/site``; inside it when the output is a
file system of its own, see :func:`_work_folder`), and only those whose bytes
differ from the site in place: a file the same as in the previous site is
left where it is, the very same file, so it keeps its modification time
(rsync, a web server's caches and ``git`` see only what really changed) and
an edit of one article among 10,000 writes a handful of files rather than
linking 21,000 into a new folder and removing the old one (issue #30).

Once every file is on disk the build *commits* (:func:`_commit`).  For an
edit, the list of the old site's files the new one no longer has goes into
the work folder (:data:`PATCH`, renamed into place: that rename is the
commit), then those files are deleted and each new or changed file is moved
into the site by one rename.  A build that fails or is killed before the
commit leaves the previous site exactly as it was.  One killed after it,
among those renames, leaves the patch and the files still to move, and the
next build finishes them before anything else: whatever the moment of a
kill, every file in the site is whole, and the site is the old one, the new
one, or (for the milliseconds of the renames, or until the next build) new
files beside old ones.  When most files changed (a template edited), the
unchanged ones are linked into the work folder instead and the two folders
trade places in one step (Linux's ``renameat2``), the old site then removed
on a thread while the build finishes; a first build (no site yet, or an
empty folder) moves its folder in whole, in one rename.  Two builds of one
project never write at once: the build cache's lock (zhsite/cache.py) is
held from before the work folder is made until after the commit.

A killed build cannot clean up after itself, so the next one clears
folders left by builds whose process is gone: only folders named exactly as
zhsite names them and holding :data:`WORK_MARKER`, so a user's
``.site.old-2024-01-05/`` is never taken for one.  The site's folders and
files get the modes the user's umask gives (0755 and 0644 under umask 022),
as any other program's would: a web server fed by ``rsync -a`` or ``cp -a``
must be able to read them.  Every site carries
:data:`~zhsite.config.OUTPUT_MARKER`: it marks a folder as zhsite's to
write (zhsite/config.py refuses any other).
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
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from contextlib import contextmanager, suppress
from functools import cache, cached_property
from pathlib import Path

from zhsite.config import OUTPUT_MARKER
from zhsite.output import Output, is_svg, published_svg_file
from zhsite.problems import BuildError, Problem
from zhsite.stamps import NOT_A_FILE, Stamp, Walked, not_the_sites, size_of, stamp_of, walk

MARKER_TEXT = "made by zhsite: this folder is replaced whole by every build\n"
# In each folder a build makes beside the output (``.<output>.building-<pid>-<8 hex>``), written first:
# what a later build may clear once that process has ended.
WORK_MARKER = ".zhsite-work"
CANNOT_WRITE = "cannot write the site"
WORK_TEXT = "made by zhsite for one build: removed by the next build once that one has ended\n"
# In a work folder once its build has committed: the old site's files to delete, by output path, NUL-separated.
PATCH = "patch"
_WORK_NAME = re.compile(r"\.building-([0-9]{1,9})-[0-9a-f]{8}")
# renameat2(2): relative to the working folder; swap the two names.
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
# A changed file moved into the site costs about what linking this many unchanged ones costs (see _commit).
_LINKS_PER_MOVE = 4
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
    """The site's files by output path, each on disk as it is put: a large site is never all in memory.

    A file whose bytes are those of the site in place stays there; any other
    goes to the staging folder (:attr:`root`), moved in at the commit.  Reading
    a file back reads it where it is.  Forked workers may put files (they land
    in the same folders).
    """

    forked_workers_may_write = True
    keeps_previous = True

    def __init__(self, staging: Path, output: Path, skip: Collection[str] = ()) -> None:
        self.root = staging
        self._output = output
        self._skip = skip  # folders at its top that are not the site's (the work folder, when it is there: _work_folder)
        self.staged: list[str] = []  # the files put in the work folder, listed as the build commits
        self._paths: dict[str, int] = {}  # each file put, by output path: its size in bytes
        self._folders: set[str] = set()
        self.discarded = False  # set by discard(): the previous site stays
        self.committed = False  # every file in the output folder
        self.clearing: threading.Thread | None = None  # removing the work folder, once committed

    @cached_property
    def in_place(self) -> Walked:
        """The site in place: its files; its folders that are links elsewhere (``images -> /data/pictures``), through
        which no file counts as in place, as the commit replaces such a link with the site's own folder; and each
        file's stamp, read by the same walk.  Whether a page is still the file once written (:meth:`reuse`) is
        looked up there, and the committed site's stamps are these but for the files put (:meth:`stamps`): a file
        left in place is read once a build, not three times (issue #30).

        Walked when first asked, as the build draws, not as it begins: at 100,000 articles the list and its
        stamps are 60 MB, which the model's loading and rewriting, the peak of an edit's build, need not hold too.
        The drawing asks before it forks its processes (:meth:`before_forking`), which would each walk it again.
        """
        return walk(str(self._output), self._skip, stamped=True) if self._output.is_dir() else Walked([], [], {})

    def _write(self, relative: str, data: bytes) -> None:
        with cannot_write(self._output / relative):
            if self._through_link(relative) or not _holds(os.path.join(self._output, relative), data):
                Path(self._place(relative)).write_bytes(data)
            elif relative in self._paths:  # put twice, the first time different: that one is not moved in
                with suppress(FileNotFoundError):
                    os.unlink(os.path.join(self.root, relative))
        self._paths[relative] = len(data)

    def _copy(self, relative: str, source: Path) -> None:
        """Copied file to file by the kernel, never read into memory; left in place when the site has it."""
        # Named by a hash of its bytes: the same name and size in the site in place is the same file.
        size = source.stat().st_size
        if not self._in_place(relative, size):
            with cannot_write(self._output / relative):
                shutil.copyfile(source, self._place(relative))
            self._paths[relative] = size

    def reuse(self, relative: str, stamp: Stamp) -> bool:
        """Leave the site's file at *relative* in place if it is still the file once written (same size and time)."""
        return self._in_place(relative, size_of(stamp), stamp)

    def _in_place(self, relative: str, size: int, stamp: Stamp | None = None) -> bool:
        """Whether the site in place has a file of *size* at *relative* (and of the *stamp*, when given), then kept."""
        if self._through_link(relative):
            return False
        found = self.in_place.stamps.get(relative, NOT_A_FILE)
        if size_of(found) != size or stamp not in (None, found):
            return False
        self._paths[relative] = size
        return True

    def _through_link(self, relative: str) -> bool:
        linked = self.in_place.linked
        return bool(linked) and relative.startswith(tuple(f"{folder}/" for folder in linked))

    def _place(self, relative: str) -> str:
        """The file's path in the staging folder, its folder made (once: a site has few folders, many files)."""
        target = os.path.join(self.root, relative)
        folder = os.path.dirname(target)
        if folder not in self._folders:
            os.makedirs(folder, exist_ok=True)
            self._folders.add(folder)
        return target

    def _where(self, relative: str) -> str:
        """Where the file put at *relative* is now: staged, or in the site in place."""
        staged = os.path.join(self.root, relative)
        return staged if not self.committed and os.path.lexists(staged) else os.path.join(self._output, relative)

    def stamp(self, relative: str) -> Stamp:
        """The size and modification time of a file put in this build, as :meth:`reuse` compares them next time
        (a staged file keeps both as it is moved in)."""
        return stamp_of(self._where(relative))

    def stamps(self) -> dict[str, Stamp]:
        """Every file of the committed site by path: its stamp, as :func:`site_stamps` reads it from disk.

        A file left in place keeps the stamp read as the drawing began (:attr:`in_place`); only
        the files put, and the site's marker, are read again, where an edit's
        build of 10,000 articles had walked the whole site for its 21,000 stamps.
        """
        fresh = {*self.staged, OUTPUT_MARKER}
        before = self.in_place.stamps
        found = {path: before[path] for path in self._paths if path not in fresh and path in before}
        for path in fresh.union(self._paths).difference(found):
            found[path] = stamp_of(os.path.join(self._output, path))
        return found

    def wait_until_cleared(self) -> None:
        """Return once the work folder, and the old site a swap left in it, are gone from disk.

        :func:`staged_site` removes them on a thread, beside the build's last
        steps (the cache trimmed, the output stamped): unlinking the 21,000
        files of a swapped site (10,000 articles) took 0.4–0.5 s.  A build
        killed before it ends leaves the work folder, which the next build clears.
        """
        if self.clearing is not None:
            self.clearing.join()

    def discard(self) -> None:
        """Keep the previous site: when the block ends these files are removed instead of moved in (``deploy`` after errors)."""
        self.discarded = True

    def before_forking(self) -> None:
        self.in_place  # noqa: B018 - walked here, not in each worker

    def adopt(self, paths: Iterable[str]) -> None:
        """Files another process put (zhsite/render/draw.py): only their sizes are read, where they are."""
        self._paths.update((path, os.stat(self._where(path)).st_size) for path in paths)

    @property
    def sizes(self) -> Mapping[str, int]:
        """Every file of the site by output path, its size in bytes: counted as the files are put, never walked for."""
        return self._paths

    def __getitem__(self, relative: str) -> bytes:
        if relative not in self._paths:
            raise KeyError(relative)
        return Path(self._where(relative)).read_bytes()

    def __contains__(self, relative: object) -> bool:
        return relative in self._paths

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._paths))

    def __len__(self) -> int:
        return len(self._paths)


@contextmanager
def staged_site(output: Path) -> Iterator[StagedFiles]:
    """Files put in the block go to a work folder beside *output*, and into *output* when the block ends (the commit).

    If the block raises or calls :meth:`StagedFiles.discard`, the work folder
    is removed and *output* is left as it was.
    """
    output = output.resolve()
    with cannot_write(output):
        output.parent.mkdir(parents=True, exist_ok=True)
        _recover_abandoned(output)
        work = _work_folder(output)
        (work / "site").mkdir()  # as any folder is made: the umask's mode, which it keeps once moved in
    files = StagedFiles(work / "site", output, skip=not_the_sites(output, work))
    try:
        yield files
        if not files.discarded:
            files.staged = _files_under(str(work / "site"))
            with cannot_write(output):
                _commit(work, output, files.sizes, files.in_place.files, files.staged)
            files.committed = True
    finally:
        if files.committed and work.parent == output:  # patched: empty folders, gone before the site is stamped
            _clear(work)
        elif files.committed:  # the work folder (after a swap: the old site), removed while the build finishes
            files.clearing = threading.Thread(target=_clear, args=(work,), name="zhsite-old-site")
            files.clearing.start()
        elif (work / PATCH).exists():
            pass  # committed, then the moves stopped by an error (a full disk): left for the next build to finish
        else:
            _clear(work)


def _work_folder(output: Path) -> Path:
    """A new folder for this build's files, named by :data:`_WORK_NAME` and marked as zhsite's before anything else.

    It is beside *output*, so that a first build moves it in whole and a
    template edit swaps the two; or inside the site folder in place when
    nothing moves into that from beside it by a rename: a folder that is a
    file system of its own (``docker run -v ./site:/project/site``, another
    disk mounted there), where a rename fails (EXDEV, EBUSY); or one whose
    parent the user may not write (``-o /var/www/html``).
    """
    try:
        work = _new_work_folder(output.parent, output.name)
    except OSError as exc:
        if exc.errno not in (errno.EACCES, errno.EPERM, errno.EROFS) or not output.is_dir():
            raise
        return _new_work_folder(output, output.name)
    if not output.is_dir() or _renames_into(work, output):
        return work
    _clear(work)
    return _new_work_folder(output, output.name)


def _new_work_folder(parent: Path, name: str) -> Path:
    while True:
        work = parent / f".{name}.building-{os.getpid()}-{secrets.token_hex(4)}"
        try:
            work.mkdir()
        except FileExistsError:  # a name another build took: draw another
            continue
        (work / WORK_MARKER).write_text(WORK_TEXT, encoding="utf-8")
        return work


def _renames_into(work: Path, output: Path) -> bool:
    """Whether a file of *work* moves into *output* by a rename, as the commit moves them: an empty file tried."""
    tried, there = work / "rename", output / f"{work.name}.rename"
    tried.touch()
    try:
        os.rename(tried, there)
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
        return False
    os.unlink(there)
    return True


@contextmanager
def cannot_write(path: Path) -> Iterator[None]:
    """A full disk, a read-only or forbidden folder: one line naming the file, as a BuildError, never a traceback."""
    try:
        yield
    except OSError as exc:
        raise BuildError(Problem(str(path), "", CANNOT_WRITE, f"{exc.strerror or exc}")) from None


def _holds(old: str, data: bytes) -> bool:
    """Whether the file at *old* holds exactly *data*."""
    try:
        with open(old, "rb") as file:
            return os.fstat(file.fileno()).st_size == len(data) and file.read() == data
    except OSError:  # no such file, or a folder there
        return False


def _commit(work: Path, output: Path, sizes: Mapping[str, int], before: list[str], staged: list[str]) -> None:
    """Every file of the new site into *output*, by the quickest way that leaves each file whole at every instant.

    With no site in place, the staging folder moves in whole.  With many
    files changed (a template edited, a new zhsite), the unchanged ones are
    linked into it and the two folders trade places in one step; else, as for
    an edit, the patch is written and applied.  Moving a just-written file in
    over an old one costs four times what linking one does (0.085 against
    0.021 ms on ext4 here): a template edited at 10,000 articles, patched,
    spent 1.9 s moving 10,500 pages in, where linking the 10,500 other files takes 0.25 s.
    """
    staging, inside = work / "site", work.parent == output
    if not output.is_dir() or (_empty(output) and not inside):
        (staging / OUTPUT_MARKER).write_text(MARKER_TEXT, encoding="utf-8")
        os.rename(staging, output)  # in place of an empty folder too
        return
    put = set(staged)
    unchanged = [path for path in sizes if path not in put]
    if len(staged) * _LINKS_PER_MOVE > len(unchanged) and not inside and _linked_in(str(output), str(staging), unchanged):
        (staging / OUTPUT_MARKER).write_text(MARKER_TEXT, encoding="utf-8")
        if _exchange(staging, output):
            return  # the old site is now the work folder's, cleared with it
    # No renameat2 or no hard links here: patched in as below (a file renamed onto a link of itself stays as it is).
    gone = [path for path in before if path not in sizes and path != OUTPUT_MARKER]
    if not (output / OUTPUT_MARKER).is_file():  # a site built before zhsite wrote one: marked before it is patched
        (output / OUTPUT_MARKER).write_text(MARKER_TEXT, encoding="utf-8")
    partial = work / f"{PATCH}.partial"
    partial.write_bytes(b"\0".join(map(os.fsencode, gone)))
    os.rename(partial, work / PATCH)  # the commit: from here on, the next build finishes what this one leaves
    _apply(work, output)


def _apply(work: Path, output: Path) -> None:
    """Finish a committed build: delete what its patch lists, move each staged file in.  A kill here leaves
    the rest to do, which the next build does, by the same function."""
    root, staging = str(output), str(work / "site")
    gone = [os.fsdecode(path) for path in (work / PATCH).read_bytes().split(b"\0") if path]
    for relative in gone:
        with suppress(FileNotFoundError):
            os.unlink(os.path.join(root, relative))
    folders = {relative.rsplit("/", depth)[0] for relative in gone for depth in range(1, relative.count("/") + 1)}
    for folder in sorted(folders, key=lambda f: f.count("/"), reverse=True):  # the deepest first
        with suppress(OSError):  # one that still holds files stays
            os.rmdir(os.path.join(root, folder))
    _move_all(staging, root, _files_under(staging), _move_in)


def _linked_in(output: str, staging: str, unchanged: list[str]) -> bool:
    """The site's *unchanged* files linked into the staging folder; False on a file system without hard links
    (FAT and exFAT drives, some network and FUSE mounts), whose site is patched instead."""
    try:
        _move_all(output, staging, unchanged, os.link)
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.ENOSYS):
            raise
        return False
    return True


def _move_in(source: str, target: str) -> None:
    """*source* renamed to *target*; a folder there (left empty by the deletions, or empty from the start) goes first."""
    try:
        os.rename(source, target)
    except IsADirectoryError:
        shutil.rmtree(target)
        os.rename(source, target)


def _move_all(source: str, target: str, paths: list[str], move: Callable[[str, str], None]) -> None:
    """``move(source/path, target/path)`` for each of *paths*, the folders made in *target* as needed (once each)."""
    made: set[str] = set()
    for relative in paths:
        there = os.path.join(target, relative)
        folder = os.path.dirname(there)
        if folder not in made:
            os.makedirs(folder, exist_ok=True)
            made.add(folder)
        move(os.path.join(source, relative), there)


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


def _empty(folder: Path) -> bool:
    with os.scandir(folder) as entries:
        return next(entries, None) is None


def _files_under(root: str) -> list[str]:
    """Every file (or link) under the folder *root*, by path relative to it."""
    return walk(root)[0]


def _clear(work: Path) -> None:
    """Remove a work folder: its patch first (a half-removed folder is never finished as one), its own marker last
    (one half removed is still known as zhsite's to the next build)."""
    (work / PATCH).unlink(missing_ok=True)
    shutil.rmtree(work / "site", ignore_errors=True)
    (work / WORK_MARKER).unlink(missing_ok=True)
    shutil.rmtree(work, ignore_errors=True)


def _recover_abandoned(output: Path) -> None:
    """Clear what killed builds left beside *output* (or in it), first finishing the patch of one killed after its commit.

    Only a folder with zhsite's exact name and marker is touched: a user's
    ``.site.old-2024-01-05/`` beside the output is the user's.  A patch is
    finished only on the site it was made for: one still in place, marked as zhsite's.
    """
    mine = f".{output.name}"
    inside = sorted(output.iterdir()) if output.is_dir() and not output.is_symlink() else []
    for folder in [*sorted(output.parent.iterdir()), *inside]:
        named = folder.name.startswith(mine) and _WORK_NAME.fullmatch(folder.name[len(mine):])
        if not named or folder.is_symlink() or not (folder / WORK_MARKER).is_file() or _alive(int(named[1])):
            continue
        if (folder / PATCH).is_file() and (output / OUTPUT_MARKER).is_file():
            _apply(folder, output)
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
