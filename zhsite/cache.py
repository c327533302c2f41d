"""The build cache: what one build keeps for the next, in two kinds of namespace declared in one table.

* **Memo** namespaces (:class:`Memo`) hold results of slow, pure stages.  A
  result is stored under a hash of everything it was made from: the
  namespace's name, the key inputs the table names, and :func:`code_version`
  (zhsite's own source and the versions of the libraries whose output lands
  in pages, so upgrading either starts afresh).  A hit is what the stage would
  compute, so nothing ever needs invalidating; one namespace, the rewrite,
  also reads site-wide maps that are not in its key, and its callers check
  after a hit that the entries it read still say the same.  API:
  :meth:`BuildCache.memo`, or :meth:`BuildCache.key` with ``get``/``put``
  when the misses are computed together.
* **State** namespaces (:class:`State`) hold what a build found out about
  files outside the cache (which picture file has which bytes, which page
  file was drawn from what), for the next build to trust only after the
  check the table names (a file's size and modification time, the digests of
  the bodies a page read).  Each build replaces the entry.  API: :meth:`BuildCache.previous` and :meth:`BuildCache.keep`.

:data:`NAMESPACES` is the table: every entry of the cache belongs to one row.

The store is one SQLite file (``build.sqlite`` in the folder
:func:`zhsite.config.cache_path` names): one file to delete,
atomic writes, and safe when ``zhsite serve`` and ``zhsite build`` share a
project.  Entries not used by the latest build are dropped at its end, so the
cache stays the size of one site.  A cache that cannot be opened or read
(read-only folder, a file from a crashed disk) costs speed, never the build:
it is then simply empty.

Nothing read back is trusted: each entry is stored behind a SHA-256 of its
bytes, and one whose bytes no longer match (a flipped bit on disk) is
recomputed, never published.  A file SQLite cannot open (not a database,
truncated, locked for good) is set aside as ``build.sqlite.damaged`` and a new
one begun.  Either way the build says so once, as a warning
(:meth:`BuildCache.repairs`).
"""
from __future__ import annotations

import hashlib
import itertools
import pickle
import sqlite3
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any, NewType, TypeVar

import zhsite
from zhsite.problems import Problem

CACHE_FILE = "build.sqlite"
DAMAGED_SUFFIX = ".damaged"
_DIGEST = hashlib.sha256().digest_size
# Libraries whose output is stored in the cache: a new version may write other bytes.
LIBRARIES = ("lxml", "nh3", "latex2mathml", "pygments", "markdown-it-py", "mdit-py-plugins")

Part = str | bytes
Key = NewType("Key", str)  # an entry's name in the store: only ever made by BuildCache.key
T = TypeVar("T")


@dataclass(frozen=True)
class Memo:
    """A namespace of pure results: each is what its stage computes from the key inputs alone."""

    name: str  # hashed first into each key, so no two namespaces share an entry
    inputs: str  # what the key is made of, in order
    after_hit: str = ""  # what the caller checks before using a hit; "" when a hit is the answer
    # The inputs are strings the site keeps from build to build (``serve``): their key is remembered
    # by the inputs' value, so an unchanged article is hashed once, not on every save (see BuildCache.key).
    remembered: bool = False


@dataclass(frozen=True)
class State:
    """A namespace of facts one build kept for the next about files outside the cache, replaced by each build."""

    name: str
    inputs: str  # what the entry is filed under; "" for one entry per project
    holds: str
    after_hit: str  # the check that makes a kept fact safe to use


# The table: one row per namespace, the module that uses it above.
# zhsite/load/__init__.py
PARSED = Memo("parsed file", "the file's path under the project and its bytes")
# zhsite/load/lastgood.py
LAST_GOOD = State(
    "last good parse", "",
    "each content file's last read that gave pages, by its path under the project: that read's parsed file key and its time",
    "used only for a file still there that gives nothing now, whose parsed file entry is then used (and so kept) as stored",
)
# zhsite/images/collect.py
IMAGE_URLS = Memo("image urls", "an article's HTML and its comments' in reading order, or a note's HTML", remembered=True)
# zhsite/rewrite/stage.py
REWRITTEN = Memo(
    "rewritten body",
    "the page it lands on, its source file and place, its HTML, its comments' count and HTML, whether images are local",
    "every entry of the site-wide maps the rewrite looked up (archived articles, local image copies, image files; "
    "Done.looked_up) still says the same: zhsite/rewrite/stage.py",
    remembered=True,
)
# zhsite/rewrite/scrambled.py
READ_AS_CHINESE = Memo("read as chinese", "a post's HTML, after the loaders restored what a saved font allowed", remembered=True)
# zhsite/search/
SEARCH_DOCUMENT = Memo("search document", "the page's path, title, kind, column, author, topics and date, its body's digest, "
                       "and with search_comments each comment's author and body digest")
SEARCH_INDEX = Memo("search index part", "a part's first text file, each of its text files' page count, the routing file count, "
                    "its pages' search document keys in order and the boilerplate lines they hold")
# zhsite/images/cache.py (CheckedFiles), for zhsite/images/__init__.py
PICTURES_CHECKED = State(
    "picture files checked", "",
    "[images] mode local: each picture file read (cache objects, dirs folders) by path: its size, modification time, SHA-256 and format",
    "a record is used only while the file's size and modification time are the same: zhsite/images/cache.py",
)
# zhsite/images/cache.py (CheckedFiles), for zhsite/images/files.py
LOCAL_PICTURES_CHECKED = State(
    "local picture files checked", "",
    "the same for the picture files Markdown notes and posts show from beside them",
    "as picture files checked",
)
# zhsite/render/reuse.py
DRAWN_PAGES = State(
    "drawn pages", "the site's outline: everything any page shows but the bodies, and the templates (zhsite/render/reuse.py)",
    "each page file of the last build: the bodies it read with their digests, its size and modification time",
    "a page is linked from the previous site only while every body it read has the same digest "
    "and its file there the same size and modification time: zhsite/render/reuse.py",
)
# zhsite/render/__init__.py (static_files)
MATH_FONT_SUBSET = Memo("math font subset", "the theme's math font file, fontTools' version and the characters the site's formulas draw")
NAMESPACES = (PARSED, LAST_GOOD, IMAGE_URLS, REWRITTEN, READ_AS_CHINESE, SEARCH_DOCUMENT, SEARCH_INDEX, PICTURES_CHECKED, LOCAL_PICTURES_CHECKED,
              DRAWN_PAGES, MATH_FONT_SUBSET)


@cache
def code_version() -> str:
    """A hash of zhsite's source files and the versions of :data:`LIBRARIES`."""
    digest = hashlib.sha256()
    package = Path(zhsite.__file__).parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    for name in LIBRARIES:
        try:
            digest.update(f"{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=-".encode())
    return digest.hexdigest()


def digest(parts: Iterable[Part]) -> str:
    """A hash of *parts* (each length-prefixed, so no two part lists collide) and the code version.

    *parts* may be a generator: large inputs are hashed one part at a time, never held together.
    """
    hashed = hashlib.sha256(code_version().encode())
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        hashed.update(len(data).to_bytes(8, "big"))
        hashed.update(data)
    return hashed.hexdigest()


class BuildCache:
    """Pickled values by namespace, in SQLite in *folder* (:data:`CACHE_FILE`); ``BuildCache(None)`` keeps them in memory only."""

    def __init__(self, folder: Path | None) -> None:
        # Values as objects, so ``serve`` rebuilds without unpickling; _used: keys since the last keep_only_used.
        self._values: dict[str, Any] = {}
        self._used: set[str] = set()
        self._memory: dict[str, bytes] = {}  # what could not go to disk
        # The keys of remembered namespaces for the previous build, and this one's so far.
        self._keys: dict[tuple[str, tuple[Part, ...]], Key] = {}
        self._keys_now: dict[tuple[str, tuple[Part, ...]], Key] = {}
        self._lock = threading.Lock()  # serve's search thread shares the cache with its rebuilds
        self._path = folder / CACHE_FILE if folder is not None else None
        self._damaged = 0  # entries whose bytes did not match their checksum, since the last repairs()
        self._set_aside = ""  # why the file was set aside, since the last repairs()
        self._db: sqlite3.Connection | None = None
        if self._path is not None:
            self._db, self._set_aside = _open(self._path)

    # Memo namespaces: pure results.

    def memo(self, namespace: Memo, parts: Iterable[Part], compute: Callable[[], T]) -> T:
        """The value *compute* gives, from the cache when it was computed from the same *parts* before.

        A *compute* that raises stores nothing.
        """
        found_key = self.key(namespace, parts)
        found = self.get(found_key)
        if found is None:
            found = compute()
            self.put(found_key, found)
        return found

    def key(self, namespace: Memo, parts: Iterable[Part]) -> Key:
        """The key of a result of *namespace* made from *parts*: for ``get`` and ``put`` when the misses are computed together.

        A remembered namespace's key is looked up by its parts' values first:
        a dict lookup hashes them with Python's own string hash, which each
        string keeps once computed, so the SHA-256 is made once per input,
        not once per ``serve`` rebuild.
        """
        if not namespace.remembered:
            return Key(digest(itertools.chain((namespace.name,), parts)))
        held = (namespace.name, tuple(parts))
        found = self._keys.get(held) or self._keys_now.get(held) or Key(digest((held[0], *held[1])))
        self._keys_now[held] = found
        return found

    def get(self, key: Key) -> Any | None:
        """The value stored under *key*, or None."""
        with self._lock:
            if key in self._values:
                self._used.add(key)
                return self._values[key]
            stored = self._memory.get(key) or self._read(key)
            if stored is None:
                return None
            try:
                value = _unseal(stored)
            except Exception:  # noqa: BLE001 - a damaged entry is a miss, recomputed and stored anew
                self._damaged += 1
                return None
            self._values[key] = value
            self._used.add(key)
            return value

    def put(self, key: Key, value: Any) -> None:
        data = _seal(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        with self._lock:
            self._values[key] = value
            self._used.add(key)
            try:
                if self._db is not None:
                    self._db.execute("INSERT OR REPLACE INTO results VALUES (?, ?)", (key, data))
                    return
            except sqlite3.Error as exc:
                self._give_up_on_file(exc)
            self._memory[key] = data

    # State namespaces: what one build found out, for the next to check and use.

    def previous(self, state: State, parts: Iterable[Part] = ()) -> Any | None:
        """What the last build kept in *state* under *parts*, or None; kept for the next build too unless replaced."""
        return self.get(_state_key(state, parts))

    def keep(self, state: State, value: Any, parts: Iterable[Part] = ()) -> None:
        """Replace what *state* holds under *parts* with this build's *value*."""
        self.put(_state_key(state, parts), value)

    def keep_only_used(self, on_disk: bool = True) -> None:
        """Forget what was not used since the last call, and save: the cache holds one site, not every site ever built.

        ``serve`` passes ``on_disk=False``: its memory stays one site big, and
        the file keeps what an undo of an edit would use again.
        """
        with self._lock:
            used = self._used
            self._memory = {k: v for k, v in self._memory.items() if k in used}
            if self._db is not None:
                try:
                    if on_disk:
                        self._db.execute("CREATE TEMP TABLE IF NOT EXISTS used (key TEXT PRIMARY KEY)")
                        self._db.execute("DELETE FROM used")
                        self._db.executemany("INSERT INTO used VALUES (?)", ((k,) for k in used))
                        self._db.execute("DELETE FROM results WHERE key NOT IN (SELECT key FROM used)")
                    self._db.commit()
                except sqlite3.Error:
                    pass
            self._values = {k: v for k, v in self._values.items() if k in used}
            self._used = set()
            self._keys, self._keys_now = self._keys_now, {}

    def repairs(self) -> list[Problem]:
        """What was wrong with the cache since the last call, as one warning each: the user hears of it once."""
        where = str(self._path)
        found = []
        if self._set_aside:
            found.append(Problem(where, "", f"build cache could not be opened, set aside as {CACHE_FILE}{DAMAGED_SUFFIX} and rebuilt: {self._set_aside}", "warning"))
        if self._damaged:
            found.append(Problem(where, "", f"build cache repaired: {self._damaged} damaged entries recomputed", "warning"))
        self._damaged, self._set_aside = 0, ""
        return found

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                try:
                    self._db.commit()
                except sqlite3.Error:
                    pass
                self._db.close()
                self._db = None

    def _read(self, key: str) -> bytes | None:
        if self._db is None:
            return None
        try:
            row = self._db.execute("SELECT value FROM results WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error as exc:
            self._give_up_on_file(exc)
            return None
        return row[0] if row else None


    def _give_up_on_file(self, error: sqlite3.Error) -> None:
        """A damaged page or a lock that outlasted the timeout: set the file aside and begin a new one,
        rather than fail or wait again on every entry."""
        if _unusable(error) and self._db is not None and self._path is not None:
            self._db.close()
            self._db, self._set_aside = _set_aside(self._path, error)


def _state_key(state: State, parts: Iterable[Part]) -> Key:
    return Key(digest(itertools.chain((state.name,), parts)))


def _seal(data: bytes) -> bytes:
    return hashlib.sha256(data).digest() + data


def _unseal(stored: bytes) -> Any:
    """The value, if the stored bytes are still the ones written; else ValueError."""
    digest, data = stored[:_DIGEST], stored[_DIGEST:]
    if hashlib.sha256(data).digest() != digest:
        raise ValueError("checksum mismatch")
    return pickle.loads(data)


def _open(path: Path) -> tuple[sqlite3.Connection | None, str]:
    """The cache's database, and why the file there was set aside ("" when it opened as it was)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Like .pytest_cache: the folder keeps itself out of the project's git status.
        ignore = path.parent / ".gitignore"
        if not ignore.exists():
            ignore.write_text("# made by zhsite: a cache, safe to delete\n*\n", encoding="utf-8")
        try:
            return _connect(path), ""
        except sqlite3.Error as exc:
            if _unusable(exc):
                return _set_aside(path, exc)
            raise
    except (sqlite3.Error, OSError):  # a full disk, a read-only folder: no cache this time, the file left as it is
        return None, ""


def _unusable(error: sqlite3.Error) -> bool:
    """The file itself is at fault (not a database, damaged, locked for good), not the disk or the folder around it."""
    return getattr(error, "sqlite_errorcode", None) in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


def _set_aside(path: Path, why: sqlite3.Error) -> tuple[sqlite3.Connection | None, str]:
    """Move a file SQLite cannot use out of the way (kept for a look, replacing the last one set aside) and begin anew."""
    try:
        path.replace(path.with_name(path.name + DAMAGED_SUFFIX))
        for journal in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            journal.unlink(missing_ok=True)
        return _connect(path), str(why)
    except (sqlite3.Error, OSError):
        return None, str(why)


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, timeout=30, check_same_thread=False)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, value BLOB NOT NULL)")
    return db
