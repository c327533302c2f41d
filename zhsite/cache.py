"""The build cache: what one build keeps for the next, in two kinds of namespace declared in one table.

* **Memo** namespaces (:class:`Memo`) hold results of slow, pure stages.  A
  result is stored under a hash of everything it was made from: the
  namespace's name, the key inputs the table names, and :func:`code_version`
  (zhsite's own source and the versions of every library it requires, so
  upgrading either starts afresh).  A hit is what the stage would
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
  A state namespace *across versions* is what the user had (each content
  file's last good bytes): its key leaves out the code version, so a new
  zhsite still finds it, and its values are plain data (bytes, strings,
  numbers, tuples, dicts) that any version unpickles and checks.

:data:`NAMESPACES` is the table: every entry of the cache belongs to one row.

The store is one SQLite file (``build.sqlite`` in the folder
:func:`zhsite.config.cache_path` names): one file to delete, atomic writes.
``zhsite serve`` and ``zhsite build`` may share a project: a build holds
``build.lock`` beside it (:meth:`BuildCache.begin` to :meth:`BuildCache.end`),
so two builds of one project never interleave; the second waits, saying so in
one line, and then builds with the cache at full speed.  New entries are
written in one short transaction at each stage's end (:meth:`BuildCache.save`),
never in one that spans a build.  Entries not used by the latest build are
dropped at its end, so the cache stays the size of one site (``serve`` drops
those it stopped using).  A cache that cannot be opened or written (read-only
folder, another program holding the file past SQLite's wait) costs speed,
never the build: what it cannot store is kept in memory.

Nothing read back is trusted: each entry is stored behind a SHA-256 of its
bytes, and one whose bytes no longer match (a flipped bit on disk) is
recomputed, never published.  A file SQLite calls damaged (not a database,
truncated) is set aside as ``build.sqlite.damaged`` and a new one begun, but
only once SQLite's own integrity check fails: a busy file is never damage.
Either way the build says so once, as a warning (:meth:`BuildCache.repairs`).
"""
from __future__ import annotations

import hashlib
import itertools
import os
import pickle
import re
import sqlite3
import sys
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any, NewType, TypeVar

import zhsite
from zhsite.problems import Problem

try:
    import fcntl
except ImportError:  # not on a POSIX system: builds of one project are then not kept apart
    fcntl = None

CACHE_FILE = "build.sqlite"
LOCK_FILE = "build.lock"
DAMAGED_SUFFIX = ".damaged"
SET_ASIDE = f"build cache could not be opened, set aside as {CACHE_FILE}{DAMAGED_SUFFIX} and rebuilt"
REPAIRED = "build cache repaired"
BUSY = "build cache busy (another program kept it locked), this build's results not saved"
_DIGEST = hashlib.sha256().digest_size
# New entries held before they are written at once: memory stays bounded and each transaction short.
SAVE_FROM = 16 << 20
READ_TOGETHER = 500  # keys read in one query by get_many (SQLite takes 999 parameters at least)
WAIT_FOR_FILE = 30  # seconds SQLite waits for a write lock another program holds
_BUSY = (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
_DAMAGED = (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)

Part = str | bytes
Key = NewType("Key", str)  # an entry's name in the store: only ever made by BuildCache.key
T = TypeVar("T")
_MISS = object()  # what get gives for a key it has no value for, when a stored None is a value


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
    # Kept by a new version of zhsite too: the key leaves out code_version, and the value is plain data.
    across_versions: bool = False


# The table: one row per namespace, the module that uses it above.
# zhsite/load/__init__.py
PARSED = Memo("parsed file", "the file's path under the project and its bytes")
# zhsite/load/parsed.py: the HTML of a parsed file's posts, apart from the rest of its parse, read only by a post rewritten
PARSED_TEXTS = Memo("parsed file texts", "the file's parsed file key, after the hash of this namespace and the code version "
                    "(BuildCache.key_by_digest)")
# zhsite/load/lastgood.py
LAST_GOOD = State(
    "last good read", "",
    "the code version, and each content file's last read that gave pages, by its path under the project: that read's "
    "parsed file key (used by this code version only), its bytes' SHA-256, its time, and the file's modification time and size then",
    "used for a file still there that gives nothing now, and for a file with the same modification time and size "
    "(not read again): its parsed file entry is then used (and so kept) as stored; or, when a new zhsite has none, "
    "its last good bytes are parsed anew",
    across_versions=True,
)
LAST_GOOD_BYTES = State(
    "last good bytes", "the file's path under the project and its bytes' SHA-256",
    "the bytes of a content file's last read that gave pages, compressed (zlib)",
    "used for a file that gives nothing now when its last good read's parsed file entry is gone (a new zhsite): parsed anew",
    across_versions=True,
)
# zhsite/images/collect.py
IMAGE_URLS = Memo("image urls", "an article's HTML and its comments' in reading order, or a note's HTML", remembered=True)
# zhsite/images/files.py: the links that may name a file (relative, absolute, file:), as written
LINKED_FILES = Memo("linked files", "a note's or a Markdown post's HTML", remembered=True)
# zhsite/rewrite/stage.py
REWRITTEN = Memo(
    "rewritten body",
    "the page it lands on, its source file and place, its comments' count, its HTML and theirs (model.text_key), whether images are local",
    "every entry of the site-wide maps the rewrite looked up (archived articles, local image copies, image files; "
    "Done.looked_up) still says the same: zhsite/rewrite/stage.py",
    remembered=True,
)
# What the page of each rewritten body (an article's, a note's, a comment's) shows of it, its HTML as UTF-8 and its contents
# list (zhsite/model.py Shown), stored apart from REWRITTEN's entry and never held (BuildCache.put_unheld): a page reads it
# when it is drawn or indexed.
REWRITTEN_HTML = Memo("rewritten html", "the body's digest (of its HTML, table of contents and excerpt), after the hash of this "
                      "namespace and the code version (BuildCache.key_by_digest)")
# zhsite/search/
SEARCH_DOCUMENT = Memo("search document", "the page's path, title, kind, column, author, topics and date, its body's digest, "
                       "and with search_comments each comment's author and body digest")
PAGE_OUTLINE = Memo("search page outline", "the page's search document key, after the hash of this namespace and the code version "
                    "(BuildCache.key_by_digest)")
SEARCH_OUTLINES = Memo("search outlines", "the search document keys of a run of pages, in order (zhsite/search/__init__.py runs)")
SEARCH_INDEX = Memo("search index part", "a part's first group, each of its groups' page count, the routing file count, the count "
                    "levels, its pages' search document keys in order and the hashes of the boilerplate lines they hold")
SEARCH_PARTS = State(
    "search index parts", "a part's first group",
    "the part's key, what it is made of but its pages' documents (its shape), and its pages' paths and search document keys in order",
    "a part the cache does not have is made from the one kept when it has the same shape and pages and only a few of "
    "their document keys differ: zhsite/search/files.py",
)
SEARCH_ROUTING = State(
    "search routing files", "",
    "the last build's parts' keys in order, and each routing file's size and modification time as that build left it",
    "a routing file is left in place from the previous site while every part's share of it is the same (the part's key the "
    "same, or the part moved from it by an edit that changed none of the file's sequences) and the file there has "
    "that size and time: zhsite/search/files.py",
)
# zhsite/images/cache.py (CheckedFiles), for zhsite/images/__init__.py
PICTURES_CHECKED = State(
    "picture files checked", "",
    "[images] mode local: each picture file read (cache objects, dirs folders) by path: its size, modification time, SHA-256 and format",
    "a record is used only while the file's size and modification time are the same: zhsite/images/cache.py",
)
# zhsite/images/cache.py (CheckedFiles), for zhsite/images/files.py
LOCAL_PICTURES_CHECKED = State(
    "local picture files checked", "",
    "the same for the picture files Markdown notes and posts show from beside them, and the files they link to",
    "as picture files checked",
)
# zhsite/render/reuse.py
DRAWN_PAGES = State(
    "drawn pages", "the site's outline: everything any page shows but the bodies, and the templates (zhsite/render/reuse.py); "
    "a bucket's number, a hash of the page's path",
    "each page file of the last build in the bucket: the bodies it read with their digests, its size and modification time",
    "a page is left in place from the previous site only while every body it read has the same digest "
    "and its file there the same size and modification time: zhsite/render/reuse.py",
)
# zhsite/render/__init__.py (static_files)
MATH_FONT_SUBSET = Memo("math font subset", "the theme's math font file, fontTools' version and the characters the site's formulas draw")
# zhsite/render/__init__.py (TemplateCode)
TEMPLATE_CODE = Memo("template code", "Jinja's key of the template (its name and file), the code holding Jinja's checksum of its source and "
                     "its version, checked after a hit", after_hit="Jinja compiles a template whose source or Jinja changed")
# zhsite/unchanged.py
LAST_BUILD = State(
    "last build", "",
    "the last build's inputs (every project file's size and modification time, the configuration, the options, the code), "
    "the same stamps of the site files it wrote, and what it said",
    "used only while both digests are the same: the build then says it again and does nothing else",
)
NAMESPACES = (PARSED, PARSED_TEXTS, LAST_GOOD, LAST_GOOD_BYTES, IMAGE_URLS, LINKED_FILES, REWRITTEN, REWRITTEN_HTML, SEARCH_DOCUMENT, PAGE_OUTLINE, SEARCH_OUTLINES,
              SEARCH_INDEX,
              SEARCH_PARTS, SEARCH_ROUTING, PICTURES_CHECKED, LOCAL_PICTURES_CHECKED, DRAWN_PAGES, MATH_FONT_SUBSET,
              TEMPLATE_CODE, LAST_BUILD)


@cache
def code_version() -> str:
    """A hash of zhsite's source files and the versions of :func:`libraries`."""
    digest = hashlib.sha256()
    package = Path(zhsite.__file__).parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    for name, version in sorted(libraries().items()):
        digest.update(f"{name}={version}\n".encode())
    return digest.hexdigest()


@cache
def _namespace_hash(name: str) -> str:
    return digest((name,))[:32]


_REQUIREMENT = re.compile(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[([^\]]*)\])?[^;]*(?:;(.*))?")
_EXTRA = re.compile(r"""extra\s*==\s*['"]([^'"]+)['"]""")


def libraries() -> dict[str, str]:
    """Every distribution the installed zhsite requires (``Requires-Dist``, with the extras it names) and those
    require in turn, by normalised name: version, or "-" when not installed.

    Read from the installed metadata, not from a list kept here, so a new
    dependency whose output lands in the cache (YAML front matter, linkified
    URLs, Jinja's pages) cannot be forgotten.  zhsite itself is its source.
    """
    found: dict[str, str] = {}
    seen = set()
    wanted = [("zhsite", frozenset())]
    while wanted:
        name, extras = wanted.pop()
        if (name, extras) in seen:
            continue
        seen.add((name, extras))
        try:
            requires = metadata.distribution(name).requires or []
            if name != "zhsite":
                found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "-"
            continue
        for requirement in requires:
            match = _REQUIREMENT.match(requirement)
            extra = _EXTRA.search(match.group(3) or "") if match else None
            if match and (extra is None or _normal(extra.group(1)) in extras):
                wanted.append((_normal(match.group(1)), frozenset(_normal(e) for e in (match.group(2) or "").split(",") if e.strip())))
    return found


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name.strip()).lower()


def digest(parts: Iterable[Part], versioned: bool = True) -> str:
    """A hash of *parts* (each length-prefixed, so no two part lists collide) and, *versioned*, the code version.

    *parts* may be a generator: large inputs are hashed one part at a time, never held together.
    """
    hashed = hashlib.sha256(code_version().encode() if versioned else b"")
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
        self._unsaved: dict[str, bytes] = {}  # put since the last save, or what the file could not take
        self._unsaved_bytes = 0
        self._written: set[str] = set()  # keys this process stored: serve drops them from the file once unused
        # The keys of remembered namespaces for the previous build, and this one's so far.
        self._keys: dict[tuple[str, tuple[Part, ...]], Key] = {}
        self._keys_now: dict[tuple[str, tuple[Part, ...]], Key] = {}
        self._one_build = False  # see for_one_build
        self._lock = threading.Lock()  # serve's search thread shares the cache with its rebuilds
        self._folder = folder
        self._path = folder / CACHE_FILE if folder is not None else None
        self._held: int | None = None  # the build lock's file, while this process builds (begin to end)
        self._damaged = 0  # entries whose bytes did not match their checksum, since the last repairs()
        self._set_aside = ""  # why the file was set aside, since the last repairs()
        self._busy = ""  # why the file could not be written (another program held it), since the last repairs()
        self._db: sqlite3.Connection | None = None
        self._pid = os.getpid()  # the process the connection is for
        self._opened = False  # the file was tried: opened lazily, after begin() holds the build lock

    @property
    def folder(self) -> Path | None:
        """Where the file is (None: in memory only), for a worker process to read entries through a cache of its own."""
        return self._folder

    def begin(self) -> None:
        """Hold the build lock until :meth:`end`: another zhsite building this project (``build``, a ``serve``
        rebuild) is waited for, with one line on stderr, so two builds never interleave their entries."""
        if self._folder is None or self._held is not None or fcntl is None:
            return
        try:
            self._folder.mkdir(parents=True, exist_ok=True)
            held = os.open(self._folder / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError:
            return  # a read-only folder: no cache file to share either
        try:
            fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"waiting for another zhsite building with the cache in {self._folder} to finish", file=sys.stderr, flush=True)
            fcntl.flock(held, fcntl.LOCK_EX)
        self._held = held
        with self._lock:
            if self._db is None:
                self._opened = False  # tried again: another program may have let go of the file since

    def end(self) -> None:
        """Save, and let another zhsite build with this cache."""
        self.save()
        if self._held is not None:
            os.close(self._held)  # closing the file releases its lock
            self._held = None

    # Memo namespaces: pure results.

    def memo(self, namespace: Memo, parts: Iterable[Part], compute: Callable[[], T]) -> T:
        """The value *compute* gives, from the cache when it was computed from the same *parts* before.

        A *compute* that raises stores nothing.
        """
        return self.memo_at(self.key(namespace, parts), compute)

    def memo_at(self, key: Key, compute: Callable[[], T]) -> T:
        """:meth:`memo` for a key made beforehand (with others, by :meth:`key`); a stored None is a value too."""
        found = self.get(key, _MISS)
        if found is _MISS:
            found = compute()
            self.put(key, found)
        return found

    def key(self, namespace: Memo, parts: Iterable[Part]) -> Key:
        """The key of a result of *namespace* made from *parts*: for ``get`` and ``put`` when the misses are computed together.

        A remembered namespace's key is looked up by its parts' values first:
        a dict lookup hashes them with Python's own string hash, which each
        string keeps once computed, so the SHA-256 is made once per input,
        not once per ``serve`` rebuild.
        """
        if not namespace.remembered or self._one_build:
            return Key(digest(itertools.chain((namespace.name,), parts)))
        held = (namespace.name, tuple(parts))
        found = self._keys.get(held) or self._keys_now.get(held) or Key(digest((held[0], *held[1])))
        self._keys_now[held] = found
        return found

    @staticmethod
    def key_by_digest(namespace: Memo, hashed: str) -> Key:
        """The key of a result of *namespace* made from one input that is a hash itself (a body's digest, a page's
        search document key): the hash of the namespace and the code version, then *hashed*, with no hash to make (an
        edited build of 10,000 articles made 17,000 keys of bodies, a SHA-256 each; one of 100,000 pages, a key for
        each page's outline in 0.8 s)."""
        return Key(_namespace_hash(namespace.name) + hashed)

    def forget_inputs(self) -> None:
        """Let go of the parts the remembered namespaces' keys were looked up by (the posts' HTML, held by
        reference): for ``serve``'s next rebuild, which ``build`` lets go of once it rewrote (zhsite/build.py)."""
        with self._lock:
            self._keys, self._keys_now = {}, {}

    def for_one_build(self) -> None:
        """From now on, the cache serves one ``build``, which reads each input once: no key is remembered by its parts
        (the posts' HTML is read back from the build's spill file for each key, zhsite/build.py: remembered, every
        post's would be held), and the keys it stores are not listed, which only ``serve``'s trim reads (the set's
        table was 2 MB at 10,000 articles, tens of MB at 100,000)."""
        with self._lock:
            self._one_build = True
            self._keys, self._keys_now = {}, {}

    def get(self, key: Key, default: Any = None) -> Any:
        """The value stored under *key*, or *default* (a miss)."""
        with self._lock:
            if key in self._values:
                self._used.add(key)
                return self._values[key]
            value = self._stored(key)
            if value is _MISS:
                return default
            self._values[key] = value
            return value

    def put(self, key: Key, value: Any, held: bool = True) -> None:
        """Store *value* under *key*: in memory at once, in the file at the next :meth:`save`.

        Not *held*: not kept in memory, only written (:meth:`put_unheld`).
        """
        data = _seal(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        with self._lock:
            if held:
                self._values[key] = value
            else:
                self._values.pop(key, None)  # an older value held under the key is not what get should find
            self._used.add(key)
            if not self._one_build:
                self._written.add(key)
            self._unsaved[key] = data
            self._unsaved_bytes += len(data)
            if self._unsaved_bytes >= SAVE_FROM:
                self._save()

    def put_unheld(self, key: Key, value: Any) -> None:
        """Store *value* under *key* without keeping it in memory: a large value each build reads once or twice
        (a rewritten body's HTML, a page's search document), which a build of 10,000 articles cannot hold all at once."""
        self.put(key, value, held=False)

    def get_unheld(self, key: Key, default: Any = None) -> Any:
        """What :meth:`put_unheld` stored under *key* (unpickled anew each time), or *default*.

        Also in a process forked from the build's (a drawing worker): it reads
        the file through a connection of its own (SQLite's connections must not cross a fork).
        """
        with self._lock:
            value = self._stored(key)
            return default if value is _MISS else value

    def get_many(self, keys: Sequence[Key], default: Any = None, held: bool = True) -> list[Any]:
        """The values stored under *keys*, in order, *default* for each miss: as :meth:`get` each (or, not *held*,
        :meth:`get_unheld`), read from the file in a few queries rather than one a key (an edited build of 10,000
        articles read its 10,000 search outlines in 0.74 s one query each, in 0.30 s together)."""
        found = []
        for at in range(0, len(keys), READ_TOGETHER):  # a batch's bytes at a time: 100,000 entries' could be GBs
            batch = keys[at:at + READ_TOGETHER]
            with self._lock:
                read = self._read_many([k for k in batch if not (held and k in self._values) and k not in self._unsaved])
                for key in batch:
                    if held and key in self._values:
                        self._used.add(key)
                        found.append(self._values[key])
                        continue
                    value = self._stored(key, read)
                    if value is not _MISS and held:
                        self._values[key] = value
                    found.append(default if value is _MISS else value)
        return found

    def _stored(self, key: Key, read: Mapping[str, bytes] | None = None) -> Any:
        """The value stored under *key* (put and not saved yet, or in the file, or in what *read* read of it), unpickled, and
        noted as used; _MISS when there is none or it is damaged (a miss: the caller makes the value again).  The caller
        holds the lock."""
        stored = self._unsaved.get(key) or (read.get(key) if read is not None else self._read(key))
        if stored is None:
            return _MISS
        try:
            value = _unseal(stored)
        except Exception:  # noqa: BLE001 - a damaged entry is a miss, recomputed and stored anew
            self._damaged += 1
            return _MISS
        self._used.add(key)
        return value

    def use(self, key: Key) -> None:
        """Keep *key*'s entry for the next build, though this one did not read it (see keep_only_used)."""
        with self._lock:
            self._used.add(key)

    def save(self) -> None:
        """Write what was put since the last save in one short transaction: at a stage's end (zhsite/build.py,
        serve's search thread), so no transaction spans a build and another process never waits long."""
        with self._lock:
            self._save()

    # State namespaces: what one build found out, for the next to check and use.

    def previous(self, state: State, parts: Iterable[Part] = (), held: bool = True) -> Any | None:
        """What the last build kept in *state* under *parts*, or None; kept for the next build too unless replaced.

        Not *held*: read anew (:meth:`get_unheld`), for a value this process reads once.
        """
        key = _state_key(state, parts)
        return self.get(key) if held else self.get_unheld(key)

    def keep(self, state: State, value: Any, parts: Iterable[Part] = (), held: bool = True) -> None:
        """Replace what *state* holds under *parts* with this build's *value* (held: as :meth:`put`)."""
        self.put(_state_key(state, parts), value, held)

    def keep_as_is(self, state: State, parts: Iterable[Part] = ()) -> None:
        """Keep what *state* holds under *parts* for the next build, unread and not written again."""
        self.use(_state_key(state, parts))

    def keep_only_used(self, whole_file: bool = True) -> None:
        """Forget what was not used since the last call, and save: the cache holds one site, not every site ever built.

        ``serve`` passes ``whole_file=False``: it drops from the file only the
        entries it stored and stopped using (an edited article's old rewrite,
        a replaced part of the search index), so its saves never grow the file,
        and what a ``zhsite build`` keeps that serve never reads (the page
        records) stays for the next build.
        """
        with self._lock:
            used = self._used
            self._unsaved = {k: v for k, v in self._unsaved.items() if k in used}
            self._save()
            db = self._database()
            try:
                if db is not None and whole_file:
                    with db:
                        _drop_unused(db, used)
                elif db is not None:
                    with db:
                        db.executemany("DELETE FROM results WHERE key = ?", ((k,) for k in self._written - used))
                if db is not None:  # the write-ahead log copied into the file and emptied: it would grow to 4 MB
                    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except sqlite3.Error as exc:
                self._trouble(exc)
            self._written &= used
            self._values = {k: v for k, v in self._values.items() if k in used}
            self._used = set()
            self._keys, self._keys_now = self._keys_now, {}

    def repairs(self) -> list[Problem]:
        """What was wrong with the cache since the last call, as one warning each: the user hears of it once."""
        where = str(self._path)
        found = []
        if self._set_aside:
            found.append(Problem(where, "", SET_ASIDE, self._set_aside, severity="warning"))
        if self._damaged:
            found.append(Problem(where, "", REPAIRED, f"{self._damaged} damaged entries recomputed", severity="warning"))
        if self._busy:
            found.append(Problem(where, "", BUSY, self._busy, severity="warning"))
        self._damaged, self._set_aside, self._busy = 0, "", ""
        return found

    def close(self) -> None:
        """Save and close the file; a body of the built site read afterwards (its HTML is not held) opens it again."""
        self.end()
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db, self._opened = None, False

    def _database(self) -> sqlite3.Connection | None:
        """The open file, opened on first use (after begin() when a build holds the lock); None when it cannot be used.

        A process forked from the one that opened it (a drawing worker reading
        a body's HTML) opens a connection of its own and leaves the parent's alone.
        """
        if self._pid != os.getpid():
            self._pid, self._db, self._opened = os.getpid(), None, False
        if not self._opened and self._path is not None:
            self._opened = True
            self._db, set_aside = _open(self._path)
            self._set_aside = set_aside or self._set_aside  # a warning not yet given stays
        return self._db

    def _save(self) -> None:
        db = self._database() if self._unsaved else None
        if db is not None:
            try:
                with db:
                    db.executemany("INSERT OR REPLACE INTO results VALUES (?, ?)", self._unsaved.items())
                self._unsaved = {}
            except sqlite3.Error as exc:
                self._trouble(exc)  # kept in memory, tried again at the next save
        self._unsaved_bytes = 0

    def _read(self, key: str) -> bytes | None:
        db = self._database()
        if db is None:
            return None
        try:
            row = db.execute("SELECT value FROM results WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error as exc:
            self._trouble(exc)
            return None
        return row[0] if row else None

    def _read_many(self, keys: list[str]) -> dict[str, bytes] | None:
        """The entries of *keys* the file has; None when the query failed (one row SQLite cannot read fails them
        all): each is then read alone."""
        db = self._database() if keys else None
        if db is None:
            return {}
        try:
            return dict(db.execute(f"SELECT key, value FROM results WHERE key IN ({','.join('?' * len(keys))})", keys))
        except sqlite3.Error as exc:
            self._trouble(exc)
            return None

    def _trouble(self, error: sqlite3.Error) -> None:
        """Another program holding the file past SQLite's wait: the rest of this build keeps its entries in
        memory (the file is tried again at the next begin), rather than wait again on every entry.  SQLite
        calling the file damaged: it is set aside only if its integrity check fails.  Other errors (a full
        disk) cost this entry."""
        code = _code(error)
        if self._db is None or self._path is None or code not in _BUSY + _DAMAGED:
            return
        self._db.close()
        self._db = None
        if code in _BUSY:
            self._busy = str(error)
        elif not _intact(self._path):
            self._db, self._set_aside = _set_aside(self._path, error)
        else:
            self._opened = False


def _drop_unused(db: sqlite3.Connection, used: set[str]) -> None:
    """Delete every entry not *used*: the keys read from the table's index and compared here, as an edit leaves a
    few of 30,000 (10,000 articles) unused; copying the used ones into a table to join took four times as long."""
    stored = [key for (key,) in db.execute("SELECT key FROM results")]
    db.executemany("DELETE FROM results WHERE key = ?", ((key,) for key in stored if key not in used))


def _state_key(state: State, parts: Iterable[Part]) -> Key:
    return Key(digest(itertools.chain((state.name,), parts), versioned=not state.across_versions))


def _seal(data: bytes) -> bytes:
    return hashlib.sha256(data).digest() + data


def _unseal(stored: bytes) -> Any:
    """The value, if the stored bytes are still the ones written; else ValueError."""
    digest, data = stored[:_DIGEST], stored[_DIGEST:]
    if hashlib.sha256(data).digest() != digest:
        raise ValueError("checksum mismatch")
    return pickle.loads(data)


def _code(error: sqlite3.Error) -> int:
    """SQLite's primary result code (SQLITE_BUSY_SNAPSHOT is SQLITE_BUSY)."""
    return (getattr(error, "sqlite_errorcode", None) or 0) & 0xFF


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
            if _code(exc) in _DAMAGED and not _intact(path):
                return _set_aside(path, exc)
            raise
    except (sqlite3.Error, OSError):  # a full disk, a read-only folder, a busy file: no cache this time, the file left as it is
        return None, ""


def _intact(path: Path) -> bool:
    """Whether the file passes SQLite's own check (a file that cannot be checked for being busy counts as intact)."""
    try:
        db = sqlite3.connect(path, timeout=WAIT_FOR_FILE)
        try:
            return db.execute("PRAGMA quick_check").fetchall() == [("ok",)]
        finally:
            db.close()
    except sqlite3.Error as exc:
        return _code(exc) in _BUSY


def _set_aside(path: Path, why: sqlite3.Error) -> tuple[sqlite3.Connection | None, str]:
    """Move a damaged file out of the way (kept for a look, replacing the last one set aside) and begin anew."""
    try:
        path.replace(path.with_name(path.name + DAMAGED_SUFFIX))
        for journal in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            journal.unlink(missing_ok=True)
        return _connect(path), str(why)
    except (sqlite3.Error, OSError):
        return None, str(why)


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, timeout=WAIT_FOR_FILE, check_same_thread=False)
    db.execute("PRAGMA journal_mode=WAL")
    # A commit waits for no disk flush (only a checkpoint does): a power cut may lose the last entries, a cache's
    # to lose, never its consistency; and each short write another process may wait for stays short.
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, value BLOB NOT NULL)")
    return db
