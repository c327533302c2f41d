"""Where a build puts the site's files: one :class:`Output`, whoever builds.

``zhsite build`` puts them into the staged, atomic site on disk
(:class:`~zhsite.write.StagedFiles`); tests and benches into an
:class:`InMemorySite`.  :func:`zhsite.build.generate` runs the same stages
into either: what differs between the two is said by the output itself, as
capabilities (:attr:`Output.forked_workers_may_write`,
:attr:`Output.keeps_previous`), never by asking which kind it was handed.
Read back, an output is the site's files by output path.

Every file enters through :meth:`Output.put` or :meth:`Output.put_file`, and
there every SVG goes through :func:`published`: whichever step found it (a
download, the cache, a folder of pictures, a file beside a note, a saved
page's ``_files/``), an SVG the site serves never runs script on its origin.
"""
from __future__ import annotations

from abc import abstractmethod
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from zhsite.stamps import Stamp
from zhsite.svg import UnsafeSvg, read_svg, without_script

# What an SVG that cannot be filtered is published as: the step that found it has already said why (a warning),
# and the page that shows it gets an empty picture rather than a missing file.
EMPTY_SVG = b'<svg xmlns="http://www.w3.org/2000/svg"/>\n'


def is_svg(path: str) -> bool:
    """A file served as ``image/svg+xml``: by its name, as web servers, GitHub Pages and ``serve`` decide."""
    return path.lower().endswith(".svg")


def published(path: str, data: bytes) -> bytes:
    """The bytes the site publishes at *path*: an SVG reduced to drawing (zhsite/svg.py), anything else as it is."""
    if not is_svg(path):
        return data
    try:
        return without_script(data)
    except UnsafeSvg:
        return EMPTY_SVG


def published_svg_file(path: str, source: Path) -> bytes:
    """The SVG file *source* as the site publishes it at *path*; never more of it read than the filter would take."""
    return published(path, read_svg(source))


class Output(Mapping[str, bytes]):
    """The site's files by output path, put one by one as the build makes them."""

    # A forked drawing process's put lands where this process finds it (a folder on disk),
    # so pages may be drawn on every core (zhsite/render/draw.py); the process then adopts them.
    forked_workers_may_write = False
    # A previous build's file may be kept rather than drawn again (zhsite/render/reuse.py).
    keeps_previous = False

    def put(self, path: str, data: bytes) -> None:
        """The file at *path* holds *data* (an SVG: filtered, see :func:`published`)."""
        self._write(path, published(path, data))

    def put_file(self, path: str, source: Path) -> None:
        """The file at *path* is a copy of *source* (a local image copy, named by a hash of its bytes); an SVG is filtered."""
        if is_svg(path):
            self._write(path, published_svg_file(path, source))
        else:
            self._copy(path, source)

    @abstractmethod
    def _write(self, path: str, data: bytes) -> None:
        """The file at *path* holds *data*, as given."""

    @abstractmethod
    def _copy(self, path: str, source: Path) -> None:
        """The file at *path* is a copy of *source*, byte for byte."""

    def reuse(self, path: str, stamp: Stamp) -> bool:
        """Keep the previous build's file at *path* if it is still the one written then; False: draw it."""
        return False

    def stamp(self, path: str) -> Stamp:
        """The *path* put in this build, as :meth:`reuse` compares it in the next one."""
        raise NotImplementedError(f"{type(self).__name__} keeps no previous build")

    def before_forking(self) -> None:
        """Read now what a forked worker's put reads of the site in place, which each worker would read again."""

    def adopt(self, paths: Iterable[str]) -> None:
        """Files a forked worker put (only when :attr:`forked_workers_may_write`)."""
        raise NotImplementedError(f"forked workers cannot write into {type(self).__name__}")

    @abstractmethod
    def discard(self) -> None:
        """Publish nothing of this build: the previous site stays (``deploy`` after errors)."""


class InMemorySite(Output):
    """The site's files in a dict, in the order they were put: what tests and benches build into."""

    def __init__(self) -> None:
        self._files: dict[str, bytes] = {}

    def _write(self, path: str, data: bytes) -> None:
        self._files[path] = data

    def _copy(self, path: str, source: Path) -> None:
        self._files[path] = source.read_bytes()

    def discard(self) -> None:
        """Nothing in memory is ever published: there is nothing to keep."""

    def __getitem__(self, path: str) -> bytes:
        return self._files[path]

    def __iter__(self) -> Iterator[str]:
        return iter(self._files)

    def __len__(self) -> int:
        return len(self._files)
