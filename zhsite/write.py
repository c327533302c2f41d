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
from pathlib import Path


def write_site(files: dict[str, bytes], output: Path) -> None:
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    _remove_abandoned(output)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.building-{os.getpid()}-", dir=output.parent))
    try:
        for relative, data in sorted(files.items()):
            target = staging / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            if not _link_unchanged(output / relative, data, target):
                target.write_bytes(data)
        _swap_in(staging, output)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


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
