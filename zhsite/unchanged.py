"""A build with nothing to do: no input changed since the last build, and its site is still in the output folder as written.

Even with every slow stage's result in the build cache, a build of 10,000
articles takes seconds to find that it has nothing to do: every parsed file
unpickled, the model assembled, every page's record checked and every file
of the site linked into a new folder (docs/speed.md).  So the last build's
*inputs* are kept as one digest (:func:`inputs_digest`): the size and
modification time of every file in the project (but the output, the cache
and hidden files, which a build never reads), in the content folder and in
the built-in themes, whether the reference font for scrambled text is installed, with the configuration, the options and the code
version.  Its *output* is kept as the same stamps of every file of the site
it wrote (:func:`output_digest`): a page edited or removed by hand is seen
(its file's stamp changes) and the site built again, never a file read.

When both digests are those kept, what the last build said (its problems,
counts, side files) is said again and nothing else is done
(:func:`unchanged_build`, which ``zhsite build`` asks before it imports the
stages; a build's :class:`BuildResult` is defined here for that).  With
``[images] mode = "local"`` (the default) the image folders (``dirs``) are
stamped too, and a build is kept so only when it had every picture: one that
kept a web address or a placeholder for a picture (no network, a host gone)
is never taken as nothing to do, as the next build may reach it, unless it
never asked the network (``offline = true``).  With
``epub = true`` a build also reads the network for the books' pictures, which
no stamp covers: never kept.
"""
from __future__ import annotations

import os
import pickle
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

from zhsite.cache import CACHE_FILE, LAST_BUILD, BuildCache, digest
from zhsite.chinese import REFERENCE_FONTS
from zhsite.config import OUTPUT_MARKER, Config, cache_path, load_config
from zhsite.problems import BuildError, Problem
from zhsite.stamps import Stamp, site_stamps, stamp_of

if TYPE_CHECKING:
    from zhsite.images import ImageSummary
    from zhsite.model import Site


@dataclass(frozen=True)
class Counts:
    """What the build's last line counts (zhsite/cli.py)."""

    pages: int = 0
    columns: int = 0
    articles: int = 0
    questions: int = 0
    answers: int = 0
    notes: int = 0
    pins: int = 0
    videos: int = 0


@dataclass
class BuildResult:
    """A built site: its files by output path, and what went wrong on the way."""

    files: Mapping[str, bytes]  # the Output built into, read back (build: from disk on access)
    site: Site | None  # None: nothing to build, the last build's site is in the output (unchanged_build)
    counts: Counts
    drawn: list[str] = field(default_factory=list)  # the files templates drew in this build
    kept: int = 0  # and how many they would have drawn the same: left in place from the previous site (render/reuse.py)
    problems: list[Problem] = field(default_factory=list)
    output: Path | None = None
    images: ImageSummary | None = None  # [images] mode = "local": what was found, cached, downloaded
    skipped: Counter[str] = field(default_factory=Counter)  # side files in content/ by kind (zhsite/load/shapes.py)

    @property
    def pages(self) -> int:
        return self.counts.pages

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


@dataclass(frozen=True)
class Said:
    """What a build said, to say again when the next one has nothing to do."""

    counts: Counts
    problems: list[Problem] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)
    images: ImageSummary | None = None


@dataclass(frozen=True)
class LastBuild:
    inputs: str
    output: str
    said: Said


def covered(config: Config) -> bool:
    """Whether the stamps can cover everything a build with *config* reads: not with e-books, whose pictures come from the network."""
    return not config.epub


def complete(images: ImageSummary | None, config: Config) -> bool:
    """Whether the next build would read nothing this one did not: every picture had (or none asked for), or
    the network never asked (``[images] offline = true``, ``--offline``: the cache and the folders only)."""
    return images is None or not images.missing or config.images.offline


def inputs_digest(project: Path, config: Config, output: Path) -> str:
    """A hash of every file a build reads (by size and modification time), the configuration (with the options) and the code."""
    project = project.resolve()
    left_out = {output.resolve(), cache_path(project, config).resolve()}
    roots = [project, (project / config.content_dir).resolve(), Path(str(files("zhsite.themes")))]
    roots += [(project / folder).resolve() for folder in config.images.dirs] if config.images.mode == "local" else []
    walked = [root for i, root in enumerate(roots) if not any(root.is_relative_to(other) for other in roots[:i])]
    stamps = [stamp for root in walked for stamp in _stamps(root, left_out)]
    fonts = [_stamp(str(path)) for path in REFERENCE_FONTS]  # installed since the last build said to?
    return digest((pickle.dumps((config, str(output.resolve()))), *stamps, *fonts))


def output_digest(stamps: Mapping[str, Stamp]) -> str:
    """A hash of the site's files by path, size and modification time (:func:`~zhsite.stamps.site_stamps`)."""
    return digest(("\0".join(f"{path} {stamp}" for path, stamp in sorted(stamps.items())),))


def _stamps(root: Path, left_out: set[Path]) -> list[str]:
    """``path size mtime`` of each file under *root*, in a stable order; the folders *left_out* aside, and files and
    folders whose name starts with a dot (``.git``, editors' swap files: a build reads none)."""
    found = []
    for folder, names, file_names in os.walk(root):
        names[:] = sorted(name for name in names if not name.startswith(".") and Path(folder, name) not in left_out)
        for name in sorted(file_names):
            if name.startswith("."):
                continue
            found.append(_stamp(os.path.join(folder, name)))
    return found


def _stamp(path: str) -> str:
    return f"{path} {stamp_of(path)}"


def unchanged_build(project: Path, output: Path | None = None, overrides: Mapping | None = None) -> tuple[BuildResult | None, list[Problem]]:
    """The last build's result again, when a build of *project* into *output* would make the same site, else None;
    and the build cache's warnings met on the way (a damaged file set aside), for the build that follows to say.

    ``zhsite build`` asks this first, and imports the pipeline (zhsite/build.py)
    only when the answer is None: the import alone is a good part of a second.
    The checks a build makes before it writes (content there, output folder
    allowed) passed for the same inputs last time, so they are not made again.
    *overrides*: as for :func:`~zhsite.config.load_config`.
    """
    try:
        config = load_config(project, overrides)
    except BuildError:
        return None, []  # the build says what is wrong
    output = output if output is not None else project / config.output_dir
    folder = cache_path(project, config)
    if not covered(config) or not (folder / CACHE_FILE).is_file():  # no last build: nothing made here, the build checks the project
        return None, []
    cache = BuildCache(folder)
    try:
        cache.begin()  # a build in progress is waited for
        said = last_said(cache, inputs_digest(project, config, output), output)
        repairs = cache.repairs()
    finally:
        cache.close()
    if said is None:
        return None, repairs
    return BuildResult(files=SiteOnDisk(output), site=None, counts=said.counts, kept=said.counts.pages,
                       problems=said.problems + repairs, output=output, images=said.images, skipped=said.skipped), []


class SiteOnDisk(Mapping[str, bytes]):
    """The site a previous build left in *root*, read back as a build's files are: listed when first iterated."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @cached_property
    def _paths(self) -> list[str]:
        return sorted(p.relative_to(self.root).as_posix() for p in self.root.rglob("*") if p.is_file() and p.name != OUTPUT_MARKER)

    def __getitem__(self, relative: str) -> bytes:
        try:
            return (self.root / relative).read_bytes()
        except OSError:
            raise KeyError(relative) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)


def last_said(cache: BuildCache, inputs: str, output: Path) -> Said | None:
    """What the last build said, when it read the same *inputs* and its site is in *output* as it wrote it; else None."""
    last = cache.previous(LAST_BUILD)
    if not isinstance(last, LastBuild) or last.inputs != inputs or last.output != output_digest(site_stamps(output)):
        return None
    return last.said


def remember(cache: BuildCache, inputs: str, site: Mapping[str, Stamp], said: Said) -> None:
    """Keep this build's *inputs*, the stamps of the *site* it left in its output folder, and what it said."""
    cache.keep(LAST_BUILD, LastBuild(inputs, output_digest(site), said))
