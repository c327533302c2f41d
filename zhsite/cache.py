"""The build cache: results of the slow, pure stages, kept between builds.

A result is stored under a hash of everything it was made from (see
:func:`key`), so a hit can only ever return what the stage would have
computed: there is no invalidation to get wrong.  Every key includes
:func:`code_version`, a hash of zhsite's own source and of the versions of
the libraries whose output lands in pages, so upgrading either starts afresh.

The store is one SQLite file (``<cache_dir>/build.sqlite``): one file to
delete, atomic writes, and safe when ``zhsite serve`` and ``zhsite build``
share a project.  Entries not used by the latest build are dropped at its
end, so the cache stays the size of one site.  A cache that cannot be opened
or read (read-only folder, a file from a crashed disk) costs speed, never the
build: it is then simply empty.

Nothing read back is trusted: each entry is stored behind a SHA-256 of its
bytes, and one whose bytes no longer match (a flipped bit on disk) is
recomputed, never published.  A file SQLite cannot open (not a database,
truncated, locked for good) is set aside as ``build.sqlite.damaged`` and a new
one begun.  Either way the build says so once, as a warning
(:meth:`BuildCache.repairs`).
"""
from __future__ import annotations

import hashlib
import pickle
import sqlite3
import threading
from collections.abc import Iterable
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

import zhsite
from zhsite.problems import Problem

CACHE_FILE = "build.sqlite"
DAMAGED_SUFFIX = ".damaged"
_DIGEST = hashlib.sha256().digest_size
# Libraries whose output is stored in the cache: a new version may write other bytes.
LIBRARIES = ("lxml", "nh3", "latex2mathml", "pygments", "markdown-it-py", "mdit-py-plugins")


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


def key(parts: Iterable[str | bytes]) -> str:
    """A hash of *parts* (each length-prefixed, so no two part lists collide) and the code version.

    *parts* may be a generator: large inputs are hashed one part at a time, never held together.
    """
    digest = hashlib.sha256(code_version().encode())
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


class BuildCache:
    """Pickled results by key, in SQLite at *path*; ``BuildCache(None)`` keeps them in memory only."""

    def __init__(self, path: Path | None) -> None:
        # Values as objects, so ``serve`` rebuilds without unpickling; _used: keys since the last keep_only_used.
        self._values: dict[str, Any] = {}
        self._used: set[str] = set()
        self._memory: dict[str, bytes] = {}  # what could not go to disk
        # key_for's answers for the previous build, and this one's so far.
        self._keys: dict[tuple[str, ...], str] = {}
        self._keys_now: dict[tuple[str, ...], str] = {}
        self._lock = threading.Lock()  # serve's search thread shares the cache with its rebuilds
        self._path = path
        self._damaged = 0  # entries whose bytes did not match their checksum, since the last repairs()
        self._set_aside = ""  # why the file was set aside, since the last repairs()
        self._db: sqlite3.Connection | None = None
        if path is not None:
            self._db, self._set_aside = _open(path)

    def key_for(self, parts: tuple[str, ...]) -> str:
        """``key(parts)``, remembered for the next build: ``serve`` hashes an unchanged article once, not on every save.

        Looking *parts* up hashes them with Python's own string hash, which
        each string keeps once computed, and an unchanged article's strings
        are the same objects from rebuild to rebuild.
        """
        found = self._keys.get(parts) or self._keys_now.get(parts) or key(parts)
        self._keys_now[parts] = found
        return found

    def get(self, key: str) -> Any | None:
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

    def put(self, key: str, value: Any) -> None:
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
