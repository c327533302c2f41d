"""A build with nothing to do: no input changed since the last build, and its site is still in the output folder as written.

Even with every slow stage's result in the build cache, a build of 10,000
articles takes seconds to find that it has nothing to do: every parsed file
unpickled, the model assembled, every page's record checked and every file
of the site linked into a new folder (docs/speed.md).  So the last build's
*inputs* are kept as one digest (:func:`inputs_digest`): the size and
modification time of every file in the project (but the output, the cache
and hidden files, which a build never reads), in the content folder and in
the built-in themes, with the configuration, the options and the code
version.  Its *output* is kept as the same stamps of every file of the site
it wrote (:func:`output_digest`): a page edited or removed by hand is seen
(its file's stamp changes) and the site built again, never a file read.

When both digests are those kept, what the last build said (its problems,
counts, side files) is said again and nothing else is done.  Only builds
that read nothing but these files are kept so: with ``[images] mode =
"local"`` or ``epub = true`` a build also reads the image folders and the
network, which no stamp here covers.
"""
from __future__ import annotations

import os
import pickle
from collections import Counter
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

from zhsite.cache import LAST_BUILD, BuildCache, digest
from zhsite.config import Config, cache_path
from zhsite.problems import Problem


@dataclass(frozen=True)
class Counts:
    """What the build's last line counts (zhsite/cli.py)."""

    pages: int = 0
    columns: int = 0
    articles: int = 0
    questions: int = 0
    answers: int = 0
    notes: int = 0


@dataclass(frozen=True)
class Said:
    """What a build said, to say again when the next one has nothing to do."""

    counts: Counts
    problems: list[Problem] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)


@dataclass(frozen=True)
class LastBuild:
    inputs: str
    output: str
    said: Said


def covered(config: Config) -> bool:
    """Whether the stamps cover everything a build with *config* reads (not the image folders nor the network)."""
    return config.images.mode != "local" and not config.epub


def inputs_digest(project: Path, config: Config, output: Path) -> str:
    """A hash of every file a build reads (by size and modification time), the configuration (with the options) and the code."""
    project = project.resolve()
    left_out = {output.resolve(), cache_path(project, config).resolve()}
    roots = [project, (project / config.content_dir).resolve(), Path(str(files("zhsite.themes")))]
    walked = [root for i, root in enumerate(roots) if not any(root.is_relative_to(other) for other in roots[:i])]
    stamps = [stamp for root in walked for stamp in _stamps(root, left_out, hidden=False)]
    return digest((pickle.dumps((config, str(output.resolve()))), *stamps))


def output_digest(output: Path) -> str:
    """A hash of the site's files by path, size and modification time, as they are on disk."""
    return digest(_stamps(output.resolve(), set(), hidden=True))


def _stamps(root: Path, left_out: set[Path], hidden: bool) -> list[str]:
    """``path size mtime`` of each file under *root*, in a stable order; the folders *left_out* aside, and
    without *hidden*, files and folders whose name starts with a dot (``.git``, editors' swap files: a build reads none)."""
    found = []
    for folder, names, file_names in os.walk(root):
        names[:] = sorted(name for name in names if (hidden or not name.startswith(".")) and Path(folder, name) not in left_out)
        for name in sorted(file_names):
            if name.startswith(".") and not hidden:
                continue
            path = os.path.join(folder, name)
            try:
                stat = os.stat(path)
            except OSError:
                found.append(f"{path} gone")
                continue
            found.append(f"{path} {stat.st_size} {stat.st_mtime_ns}")
    return found


def last_said(cache: BuildCache, inputs: str, output: Path) -> Said | None:
    """What the last build said, when it read the same *inputs* and its site is in *output* as it wrote it; else None."""
    last = cache.previous(LAST_BUILD)
    if not isinstance(last, LastBuild) or last.inputs != inputs or last.output != output_digest(output):
        return None
    return last.said


def remember(cache: BuildCache, inputs: str, output: Path, said: Said) -> None:
    """Keep this build's *inputs*, the stamps of the site it wrote into *output*, and what it said."""
    cache.keep(LAST_BUILD, LastBuild(inputs, output_digest(output), said))
