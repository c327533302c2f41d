"""Write: the finished site replaces the old one in one step, or not at all.

Files are written into a fresh folder beside the output and swapped in by
rename once every file is on disk, so a build that fails or is killed leaves
the previous site as it was.  A killed build cannot clean up after itself, so
the next one removes folders left by builds whose process is gone.

A file whose bytes are the same as in the previous site is not written again
but hard-linked from it: it keeps its modification time, so rsync, a web
server's caches and ``git`` see only what really changed, and a rebuild of a
large archive writes only what changed.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping, MutableMapping
from contextlib import contextmanager
from pathlib import Path


class FilesOnDisk(Mapping[str, bytes]):
    """Files the site holds as they are on disk, by output path, each named by a hash of its bytes
    (local image copies: ``images/<hash>.<ext>``).

    An archive's pictures can be gigabytes: their bytes are read only when
    asked for (``serve``), and :meth:`StagedFiles.update` copies them file to file.
    """

    def __init__(self, sources: Mapping[str, Path] | None = None) -> None:
        self.sources = dict(sources or {})

    def __getitem__(self, relative: str) -> bytes:
        return self.sources[relative].read_bytes()

    def __contains__(self, relative: object) -> bool:
        return relative in self.sources

    def __iter__(self) -> Iterator[str]:
        return iter(self.sources)

    def __len__(self) -> int:
        return len(self.sources)


class StagedFiles(MutableMapping[str, bytes]):
    """The site's files by output path, each written to disk as it is set: a large site is never all in memory.

    Reading a file back reads it from disk, from the staging folder and, once
    swapped in, from the output folder.
    """

    def __init__(self, staging: Path, output: Path) -> None:
        self.root = staging
        self._output = output
        self._paths: set[str] = set()
        self._folders: set[Path] = set()

    def __setitem__(self, relative: str, data: bytes) -> None:
        target = self._place(relative)
        if not _link_unchanged(self._output / relative, data, target):
            target.write_bytes(data)
        self._paths.add(relative)

    def update(self, other: Mapping[str, bytes] = (), /, **more: bytes) -> None:
        """As a dict's; :class:`FilesOnDisk` are copied file to file by the kernel, never read into memory."""
        if isinstance(other, FilesOnDisk):
            for relative, source in other.sources.items():
                # Named by a hash of its bytes: the same name and size in the previous site is the same file.
                if not self._link_previous(relative, source.stat().st_size):
                    shutil.copyfile(source, self._place(relative))
                    self._paths.add(relative)
            other = ()
        super().update(other, **more)

    def keep(self, relative: str, size: int, mtime_ns: int) -> bool:
        """Link the previous site's file into the new one if it is still the file once written (same size and time)."""
        return self._link_previous(relative, size, mtime_ns)

    def _link_previous(self, relative: str, size: int, mtime_ns: int | None = None) -> bool:
        old = self._output / relative
        try:
            stat = old.stat()
            if stat.st_size != size or mtime_ns not in (None, stat.st_mtime_ns):
                return False
            os.link(old, self._place(relative))
        except OSError:
            return False
        self._paths.add(relative)
        return True

    def _place(self, relative: str) -> Path:
        """The file's path in the staging folder, its folder made (once: a site has few folders, many files)."""
        target = self.root / relative
        if target.parent not in self._folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._folders.add(target.parent)
        return target

    def written(self, relative: str) -> tuple[int, int]:
        """The size and modification time of a file set in this build, as :meth:`keep` compares them next time."""
        stat = (self.root / relative).stat()
        return stat.st_size, stat.st_mtime_ns

    def adopt(self, paths: list[str]) -> None:
        """Files another process wrote into :attr:`root` (zhsite/render/draw.py)."""
        self._paths.update(paths)

    def __getitem__(self, relative: str) -> bytes:
        if relative not in self._paths:
            raise KeyError(relative)
        return (self.root / relative).read_bytes()

    def __delitem__(self, relative: str) -> None:
        self._paths.remove(relative)
        (self.root / relative).unlink()

    def __contains__(self, relative: object) -> bool:
        return relative in self._paths

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._paths))

    def __len__(self) -> int:
        return len(self._paths)


@contextmanager
def staged_site(output: Path) -> Iterator[StagedFiles]:
    """Files set in the block go to a fresh folder beside *output*, which replaces it when the block ends.

    If the block raises, the folder is removed and *output* is left as it was.
    """
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    _remove_abandoned(output)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.building-{os.getpid()}-", dir=output.parent))
    files = StagedFiles(staging, output)
    try:
        yield files
        _swap_in(staging, output)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    files.root = output


def write_site(files: Mapping[str, bytes], output: Path) -> None:
    with staged_site(output) as staged:
        for relative, data in files.items():
            staged[relative] = data


def _link_unchanged(old: Path, data: bytes, target: Path) -> bool:
    try:
        if old.stat().st_size != len(data) or old.read_bytes() != data:
            return False
        os.link(old, target)
    except OSError:  # no old file, or a file system without hard links
        return False
    return True


def _swap_in(staging: Path, output: Path) -> None:
    if not output.exists():
        os.rename(staging, output)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{output.name}.old-{os.getpid()}-", dir=output.parent))
    os.rename(output, retired / "site")
    os.rename(staging, output)
    shutil.rmtree(retired, ignore_errors=True)


def _remove_abandoned(output: Path) -> None:
    for folder in output.parent.glob(f".{output.name}.*-*-*"):
        kind, _, rest = folder.name.removeprefix(f".{output.name}.").partition("-")
        pid = rest.split("-", 1)[0]
        if kind in ("building", "old") and pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
