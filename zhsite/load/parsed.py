"""A content file's parse in the build cache, its posts' HTML in an entry apart, read only when a post is rewritten.

A build after an edit takes every unchanged file's parse from the cache
(zhsite/load/lastgood.py).  Nearly all of a parse is its posts' HTML, which
such a build never unpacks: each post's rewrite comes from the cache, keyed
by its HTML's SHA-256 (``text_key`` in zhsite/model.py).  Stored with the
parse, that HTML was read, unpickled, hashed and handed to the build's spill
file only to be let go unread: 55 MB and 0.35 s of an edited build of 10,000
articles (issue #30).  So a parse is stored with each post's HTML of
``KEPT_FROM`` bytes or more set apart (its SHA-256 kept with the post), in an
entry read the first time one of those posts is rewritten.

Should that entry be lost (a damaged cache file), the file is read and parsed
again; one that no longer gives the same HTML stops the build with an error,
never a post without its text.
"""
from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Iterator

from zhsite.cache import PARSED_TEXTS, BuildCache, Key
from zhsite.load.loaded import Loaded
from zhsite.model import Article, Comment, Note, in_reading_order, put_back, read_apart, set_apart
from zhsite.problems import BuildError, Problem

TEXT_LOST = "the build cache lost the text of a file's posts"


def put_parsed(cache: BuildCache, key: Key, part: Loaded) -> None:
    """Store *part* under *key*, its posts' long HTML in an entry apart; *part* is left as it was."""
    apart = _set_apart(part)
    try:
        cache.put_unheld(key, part)
    finally:
        for item, held in apart:
            put_back(item, held)
    cache.put_unheld(_texts_key(key), [held for _, held in apart])


def get_parsed(cache: BuildCache, key: Key, name: str, again: Callable[[], Loaded]) -> Loaded | None:
    """What :func:`put_parsed` stored under *key* (the parse of the file *name*), each post reading its HTML when
    asked; None: a miss.  *again*: the file parsed anew, should the cache have lost the HTML."""
    part = cache.get_unheld(key)
    if part is None:
        return None
    cache.use(_texts_key(key))  # kept for the next build, which may rewrite a post this one did not
    texts = _Texts(cache, _texts_key(key), name, again)
    for item in _posts(part):
        texts.note(read_apart(item, texts))
    return part


def use_parsed(cache: BuildCache, key: Key) -> None:
    """Keep the parse under *key* for the next build, with its posts' HTML, though this one did not read them."""
    cache.use(key)
    cache.use(_texts_key(key))


def _texts_key(key: Key) -> Key:
    return BuildCache.key_by_digest(PARSED_TEXTS, key)


def _posts(part: Loaded) -> Iterator[Article | Comment | Note]:
    """Every item of *part* with HTML of its own, in one order: a column's posts each with its comments, then the notes."""
    for column in part.columns:
        for article in column.articles:
            yield article
            yield from in_reading_order(article.comments)
    yield from part.notes


def _set_apart(part: Loaded) -> list[tuple[Article | Comment | Note, bytes]]:
    """Each item whose HTML is set apart, with that HTML, in their places' order."""
    apart = []
    for item in _posts(part):
        held = set_apart(item, len(apart))
        if held is not None:
            apart.append((item, held))
    return apart


class _Texts:
    """The HTML set apart of one parse's posts: read from its entry when a post's is first asked for, and held until
    each was read once (a build whose every rewrite missed, its configuration changed, reads a file's posts in turn)."""

    def __init__(self, cache: BuildCache, key: Key, name: str, again: Callable[[], Loaded]) -> None:
        self._cache, self._key, self._name, self._again = cache, key, name, again
        self._digests: list[bytes] = []  # each place's SHA-256, as its post holds it
        self._held: list[bytes] | None = None
        self._unread: set[int] | None = None
        self._lock = threading.Lock()

    def note(self, digest: bytes | None) -> None:
        if digest is not None:
            self._digests.append(digest)

    def __call__(self, place: int) -> bytes:
        with self._lock:
            held = self._held if self._held is not None else self._read()
            if self._unread is None:
                self._unread = set(range(len(held)))
            self._unread.discard(place)
            self._held = held if self._unread else None
            return held[place]

    def _read(self) -> list[bytes]:
        held = self._cache.get_unheld(self._key)
        if isinstance(held, list) and len(held) == len(self._digests):
            return held
        try:  # the entry lost: the file read again
            held = [text for _, text in _set_apart(self._again())]
        except Exception as exc:  # noqa: BLE001 - gone, unreadable, or no longer what a reader takes: said, not raised as is
            why = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
            raise BuildError(Problem(self._name, "", TEXT_LOST, f"and the file can no longer be read ({why}); build again")) from None
        if [hashlib.sha256(text).digest() for text in held] != self._digests:
            raise BuildError(Problem(self._name, "", TEXT_LOST, "and the file no longer holds what was read; build again"))
        return held
