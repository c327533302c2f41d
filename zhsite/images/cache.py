"""A content-addressed image store on disk, shared by every build of a project.

Layout under the cache folder (default ``.zhsite-cache/``)::

    objects/ab/ab12…ef.png   the image, named by the SHA-256 of its bytes
    urls/9c/9c41…07          "ab12…ef.png\\n<url>\\n": which object a URL gave
    partial/5e07…d2          "<ETag or Last-Modified>\\n<bytes>": a download cut off
                             part-way, by the SHA-256 of the URL fetched

Only complete, checked images become objects (see :mod:`zhsite.images.fetch`), and
every file is written to a temporary name and renamed into place, so a killed
build or two builds at once never leave a half-written entry.  An object whose
bytes no longer match its name is treated as missing (checked again whenever
its size or modification time changed, see :class:`CheckedFiles`).
"""
from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from zhsite.cache import PICTURES_CHECKED, BuildCache, State
from zhsite.pictures import image_format

_CONTENT_TYPES = {
    "image/png": "png", "image/jpeg": "jpg", "image/jpg": "jpg", "image/pjpeg": "jpg", "image/gif": "gif",
    "image/webp": "webp", "image/svg+xml": "svg", "image/avif": "avif", "image/bmp": "bmp",
    "image/x-icon": "ico", "image/vnd.microsoft.icon": "ico",
}


# What image_format looks at of a file: its first kilobyte.
_FORMAT_BYTES = 1024


def extension(data: bytes, content_type: str = "") -> str:
    return image_format(data) or _CONTENT_TYPES.get(content_type, "")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _digest_and_format(path: Path, any_file: bool = False) -> tuple[str, str]:
    """The file's SHA-256 and its image format, read a chunk at a time; ("", "") when it is no picture,
    read no further than its first kilobyte, unless *any_file* (a PDF figure, a linked file: copies named
    by their bytes).  A file shown as a picture may be a video of gigabytes (``![视频](video.mp4)``),
    which read whole was held in memory whole."""
    with path.open("rb") as file:
        ext = image_format(file.read(_FORMAT_BYTES))
        if not ext and not any_file:
            return "", ""
        file.seek(0)
        return hashlib.file_digest(file, "sha256").hexdigest(), ext


@dataclass(frozen=True)
class Stored:
    """A picture on disk (in the cache, or in one of the ``dirs`` folders): its bytes are read only to copy it."""

    digest: str
    ext: str
    path: Path
    size: int

    @property
    def name(self) -> str:
        return f"{self.digest}.{self.ext}"


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class Partial:
    """The first bytes of one download that was cut off, kept so the next try asks only for the rest.

    The next try may be a retry in the same build or a later build: a large
    picture on a bad line then gets a little further each time instead of
    starting over.  The validator the bytes came with (a strong ETag, else
    Last-Modified) goes back in ``If-Range``, so a picture that changed
    meanwhile is sent whole.  A Partial without a path keeps nothing.
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path

    def load(self) -> tuple[bytes, str]:
        """(bytes, validator); (b"", "") when nothing is kept."""
        if self.path is None:
            return b"", ""
        try:
            raw = self.path.read_bytes()
        except OSError:
            return b"", ""
        validator, newline, data = raw.partition(b"\n")
        return (data, validator.decode("latin-1")) if newline else (b"", "")

    def keep(self, data: bytes, validator: str) -> None:
        """Keep *data* for the next try; nothing (b"") forgets what was kept."""
        if self.path is None:
            return
        if data:
            _write_atomically(self.path, validator.encode("latin-1") + b"\n" + data)
        else:
            self.path.unlink(missing_ok=True)


class CheckedFiles:
    """What each picture file held when last read (its SHA-256 and format), by path, size and modification time.

    Checking the cache's objects against their names and sniffing the ``dirs``
    folders' pictures read every picture on every build: gigabytes, for a
    large archive.  A file whose size and modification time are as when it was
    read is taken to hold the same bytes, as make and rsync take it; the
    record is kept in the build cache between builds (none: every file is read), in
    *state*: one per phase, as each saves only what it looked at.
    """

    def __init__(self, cache: BuildCache | None = None, state: State = PICTURES_CHECKED) -> None:
        self._cache = cache
        self._state = state
        self._before: dict[str, tuple[int, int, str, str]] = (cache.previous(state) if cache is not None else None) or {}
        self._now: dict[str, tuple[int, int, str, str]] = {}

    def facts(self, path: Path, any_file: bool = False) -> tuple[str, str, int] | None:
        """(SHA-256, format by the bytes, size) of the file, ("", "", size) when not an image and not *any_file*;
        None when it cannot be read."""
        try:
            stat = path.stat()
        except OSError:
            return None
        name = str(path)
        found = self._now.get(name) or self._before.get(name)
        if found is None or found[:2] != (stat.st_size, stat.st_mtime_ns) or (any_file and not found[2]):
            try:
                found = (stat.st_size, stat.st_mtime_ns, *_digest_and_format(path, any_file))
            except OSError:
                return None
        self._now[name] = found
        return found[2], found[3], found[0]

    def save(self) -> None:
        """Keep what this build read for the next (the files it did not look at are forgotten)."""
        if self._cache is not None:
            self._cache.keep(self._state, self._now)


class ImageCache:
    def __init__(self, root: Path, checked: CheckedFiles | None = None) -> None:
        self.root = root
        self._checked = checked or CheckedFiles()

    @property
    def partial_dir(self) -> Path:
        """Where downloads cut off part-way are kept (see :class:`Partial`)."""
        return self.root / "partial"

    def _object(self, name: str) -> Path:
        return self.root / "objects" / name[:2] / name

    def _ref(self, url: str) -> Path:
        digest = sha256(url.encode("utf-8"))
        return self.root / "urls" / digest[:2] / digest

    def get(self, url: str) -> Stored | None:
        """The image *url* gave last time, if it is still in the cache intact."""
        try:
            name = self._ref(url).read_text(encoding="utf-8").split("\n", 1)[0].strip()
        except (OSError, UnicodeDecodeError):
            return None
        digest, _, ext = name.partition(".")
        if len(digest) != 64 or not ext or "/" in name or "\\" in name:
            return None
        path = self._object(name)
        facts = self._checked.facts(path)
        if facts is None or facts[0] != digest:
            return None
        return Stored(digest, ext, path, facts[2])

    def put(self, url: str, data: bytes, ext: str) -> Stored:
        stored = self.keep(data, ext)
        _write_atomically(self._ref(url), f"{stored.name}\n{url}\n".encode())
        return stored

    def keep(self, data: bytes, ext: str) -> Stored:
        """*data* as an object of the store, named by its bytes (no URL leads to it by itself)."""
        digest = sha256(data)
        target = self._object(f"{digest}.{ext}")
        facts = self._checked.facts(target)
        if facts is None or facts[0] != digest:  # not there yet, or damaged since
            _write_atomically(target, data)
        return Stored(digest, ext, target, len(data))
