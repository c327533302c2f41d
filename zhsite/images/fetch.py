"""Downloading images: the standard library only, checked, bounded and retried.

* Only ``http``/``https`` are ever opened (an archive's URL never reaches
  ``file:`` or ``ftp:``), after the configured mirror prefixes are applied.
* A worker pool bounds concurrency overall; a semaphore per host bounds it per
  server.
* 5xx, 408/429, timeouts, dropped connections and cut-off bodies are retried
  with exponential backoff; 4xx, unknown hosts and refused connections are not.
  A 429 or 503 with ``Retry-After`` (seconds or an HTTP-date) waits as long as
  the server asks instead, up to :data:`MAX_RETRY_AFTER`.
* A response counts only if its Content-Type is ``image/*``, its body is not
  empty, not larger than :data:`MAX_BYTES`, and exactly as long as its
  Content-Length says.  Anything else is a failure and is never cached.
* A body cut off part-way is kept (:class:`~zhsite.images.cache.Partial`); the
  next try sends ``Range: bytes=N-`` and appends a 206 answer that starts at
  byte N, or starts over on a 200.
* A host that leaves its first :data:`UNANSWERED_LIMIT` connections
  unanswered (its name does not resolve, the connection is refused, or it
  times out or closes before a status line) and has answered none is not
  asked again in this build (:attr:`Fetcher.unanswered`): with no network the
  image step gives up in well under a second, or after one ``timeout`` where
  a network drops packets silently, instead of trying every picture.
"""
from __future__ import annotations

import email.utils
import http.client
import re
import socket
import ssl
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import Message
from pathlib import Path
from urllib.parse import quote, urlsplit

from zhsite import __version__
from zhsite.images.cache import Partial, sha256
from zhsite.pictures import image_format

MAX_BYTES = 50 * 1024 * 1024
BACKOFF = 0.25  # seconds before the first retry; doubled each time
MAX_BACKOFF = 4.0
MAX_RETRY_AFTER = 30.0  # seconds; a server asking for hours would stall the build, so it gets this much
UNANSWERED_LIMIT = 3  # connections a host may leave unanswered, with none answered, before the build stops asking it
USER_AGENT = f"zhsite/{__version__} (+offline archive of Zhihu columns)"
_RETRY_STATUS = {408, 425, 429}
_CHUNK = 64 * 1024
_CONTENT_RANGE = re.compile(r"bytes (?P<start>\d+)-\d+/(?P<total>\d+|\*)")
_URL_SAFE = ":/?#[]@!$&'()*+,;=%~"


class FetchError(Exception):
    def __init__(self, reason: str, retry: bool = False, wait: float | None = None, unanswered: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry = retry
        self.wait = wait  # seconds the server asked for before a retry (Retry-After), else None
        self.unanswered = unanswered  # no HTTP answer at all: the host is not there (or the network is not)


@dataclass(frozen=True)
class Fetched:
    url: str  # the archive's URL, before mirroring
    data: bytes
    ext: str
    attempts: int


def _opener() -> urllib.request.OpenerDirector:
    """HTTP(S) and redirects between them, nothing else (no file:, ftp:, data:).

    One TLS context for every download: urllib would otherwise load the
    system's certificates again for each connection (about 0.1 s of CPU each,
    most of what 370 failed downloads cost without network).
    """
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(),
        urllib.request.HTTPHandler(),
        urllib.request.HTTPSHandler(context=ssl.create_default_context()),
        _HttpOnlyRedirects(),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    max_redirections = 5

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urlsplit(newurl).scheme.lower() not in ("http", "https"):
            raise FetchError(f"redirect to a non-HTTP URL: {newurl}")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """The seconds a ``Retry-After`` header asks for, within 0 and MAX_RETRY_AFTER; None when absent or unreadable.

    The header is delta-seconds (``120``) or an HTTP-date; a date already past means now.
    """
    value = (value or "").strip()
    if value.isdigit():
        seconds = float(value)
    else:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:  # HTTP-dates are GMT
            when = when.replace(tzinfo=UTC)
        seconds = (when - (now or datetime.now(UTC))).total_seconds()
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


def _request_headers(kept: bytes, validator: str) -> dict[str, str]:
    headers = {"User-Agent": USER_AGENT, "Accept": "image/*,*/*;q=0.5"}
    if kept:
        headers["Range"] = f"bytes={len(kept)}-"
        if validator:
            headers["If-Range"] = validator
    return headers


def _validator(headers: Message) -> str:
    """What ``If-Range`` may send back: a strong ETag, else Last-Modified (a weak ETag is not allowed there)."""
    etag = (headers.get("ETag") or "").strip()
    if etag and not etag.startswith("W/"):
        return etag
    return (headers.get("Last-Modified") or "").strip()


def _continues(status: int, headers: Message, kept: bytes) -> tuple[bytes, int | None] | None:
    """The bytes this body follows and the picture's whole length (None: unknown); None when a 206 is not for *kept*.

    A 200 (a server that ignores Range, or If-Range saying the picture changed) starts over.
    """
    if status != 206:
        length = (headers.get("Content-Length") or "").strip()
        return b"", int(length) if length.isdigit() else None
    match = _CONTENT_RANGE.fullmatch((headers.get("Content-Range") or "").strip())
    if not match or int(match["start"]) != len(kept):
        return None
    return kept, None if match["total"] == "*" else int(match["total"])


def _read_into(body: bytearray, response, expected: int | None) -> None:
    """Append the response's body; raises when it is too large, or stops short of *expected* bytes."""
    while chunk := response.read(_CHUNK):
        body.extend(chunk)
        if len(body) > MAX_BYTES:
            raise FetchError(f"too large (over {MAX_BYTES} bytes)")
    if expected is not None and len(body) < expected:
        raise FetchError(f"body cut off ({len(body)} of {expected} bytes)", retry=True)


def apply_mirrors(url: str, mirrors: Sequence[tuple[str, str]]) -> str:
    """*url* with its longest matching mirror prefix replaced."""
    for prefix, target in mirrors:  # longest prefix first (see ImagesConfig)
        if url.startswith(prefix):
            return target + url[len(prefix):]
    return url


class Fetcher:
    def __init__(self, mirrors: Sequence[tuple[str, str]] = (), timeout: float = 20.0, retries: int = 3, per_host: int = 4,
                 partial_dir: Path | None = None) -> None:
        self.mirrors = tuple(sorted(mirrors, key=lambda pair: -len(pair[0])))
        self.timeout = timeout
        self.retries = retries
        self.per_host = per_host
        self.partial_dir = partial_dir  # None: a cut-off body is not kept, every try starts over
        self._opener = _opener()
        self._hosts: dict[str, threading.Semaphore] = {}
        self._lock = threading.Lock()
        self._answered: set[str] = set()  # hosts that gave an HTTP answer in this build, whatever it was
        self._silences: dict[str, tuple[int, str]] = {}  # host -> connections it left unanswered, the first one's reason

    def _host_slot(self, host: str) -> threading.Semaphore:
        with self._lock:
            return self._hosts.setdefault(host, threading.Semaphore(self.per_host))

    def fetch(self, url: str) -> Fetched:
        """The image at *url* (through its mirror), retried as the module says; else FetchError."""
        target = quote(apply_mirrors(url, self.mirrors), safe=_URL_SAFE)  # non-ASCII paths, percent-encoded once
        if urlsplit(target).scheme.lower() not in ("http", "https"):
            raise FetchError(f"not an http(s) URL: {target}")
        host = urlsplit(target).netloc.lower()
        partial = Partial(self.partial_dir / sha256(target.encode("utf-8")) if self.partial_dir else None)
        attempt = 0
        while True:
            attempt += 1
            try:
                with self._host_slot(host):
                    self._still_asked(host)
                    data, ext = self._get_once(target, partial)
                self._heard(host, None)
                return Fetched(url, data, ext, attempt)
            except FetchError as error:
                given_up = self._heard(host, error)
                if not error.retry or attempt > self.retries or given_up:
                    if attempt > 1:
                        error.reason += f", after {attempt} attempts"
                    raise
                pause = error.wait if error.wait is not None else min(BACKOFF * 2 ** (attempt - 1), MAX_BACKOFF)
            time.sleep(pause)

    @property
    def unanswered(self) -> dict[str, str]:
        """The hosts that answered no connection in this build (so far), each with the first one's reason."""
        with self._lock:
            return {host: reason for host, (_, reason) in self._silences.items() if host not in self._answered}

    def silent(self, url: str) -> bool:
        """Whether the host *url* is fetched from (through its mirror) answered none of this build's connections."""
        return urlsplit(apply_mirrors(url, self.mirrors)).netloc.lower() in self.unanswered

    def _given_up(self, host: str) -> bool:
        silences, _ = self._silences.get(host, (0, ""))
        return silences >= UNANSWERED_LIMIT and host not in self._answered

    def _still_asked(self, host: str) -> None:
        """Raises at once (unanswered) when *host* was given up in this build."""
        with self._lock:
            if not self._given_up(host):
                return
            reason = self._silences[host][1]
        raise FetchError(f"not tried: {host} did not answer ({reason})", unanswered=True)

    def _heard(self, host: str, error: FetchError | None) -> bool:
        """Note how *host* answered (*error* None: a picture); whether it is now given up for this build."""
        with self._lock:
            if error is None or not error.unanswered:
                self._answered.add(host)
            elif not self._given_up(host):  # a "not tried" is no connection
                silences, first = self._silences.get(host, (0, error.reason))
                self._silences[host] = (silences + 1, first)
            return self._given_up(host)

    def _get_once(self, url: str, partial: Partial) -> tuple[bytes, str]:
        kept, validator = partial.load()
        request = urllib.request.Request(url, headers=_request_headers(kept, validator))
        body = bytearray()  # the picture so far, kept bytes first when the server resumed
        answered = False  # a status line came back
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                answered = True
                content_type = response.headers.get_content_type()
                if not content_type.startswith("image/"):
                    raise FetchError(f"not an image (Content-Type {content_type})")
                expected = _receive(response, kept, body, partial)
        except FetchError:
            raise
        except urllib.error.HTTPError as error:
            if error.code == 416:  # the kept bytes do not fit the picture any more: start over
                partial.keep(b"", "")
            retry = error.code >= 500 or error.code in _RETRY_STATUS or (error.code == 416 and bool(kept))
            wait = retry_after(error.headers.get("Retry-After")) if error.code in (429, 503) else None
            raise FetchError(f"HTTP {error.code}", retry=retry, wait=wait) from None
        except http.client.IncompleteRead:
            raise FetchError(f"body cut off ({len(body)} bytes received)", retry=True) from None
        except http.client.RemoteDisconnected as error:  # closed before any status line
            raise FetchError(f"connection dropped ({error})", retry=True, unanswered=True) from None
        except TimeoutError:  # waiting for the status line (no answer) or for the body
            raise FetchError(f"timed out after {self.timeout:g}s", retry=True, unanswered=not answered) from None
        except urllib.error.URLError as error:  # while connecting or sending the request: no answer yet
            reason = error.reason
            if isinstance(reason, (TimeoutError, socket.timeout)):
                raise FetchError(f"timed out after {self.timeout:g}s", retry=True, unanswered=True) from None
            if isinstance(reason, ConnectionResetError):
                raise FetchError(f"connection dropped ({reason})", retry=True, unanswered=True) from None
            raise FetchError(f"cannot connect ({reason})", unanswered=True) from None
        except (ValueError, http.client.InvalidURL) as error:
            raise FetchError(f"not a valid URL ({error})") from None
        except (ConnectionError, http.client.HTTPException, OSError) as error:
            raise FetchError(f"connection dropped ({error.__class__.__name__}: {error})", retry=True) from None
        partial.keep(b"", "")  # used up, whatever the checks below say
        return _checked(bytes(body), expected, content_type)


def _receive(response, kept: bytes, body: bytearray, partial: Partial) -> int | None:
    """Read the picture into *body*, after the kept bytes when the server resumed; returns its announced length.

    What arrived before a cut-off, a timeout or a dropped connection is kept for the next try.
    """
    resumed = _continues(response.status, response.headers, kept)
    if resumed is None:
        partial.keep(b"", "")  # the next try starts over
        raise FetchError(f"resumed at the wrong place (Content-Range {response.headers.get('Content-Range')!r} for {len(kept)} bytes kept)", retry=True)
    start, expected = resumed
    body.extend(start)
    if expected is not None and expected > MAX_BYTES:
        raise FetchError(f"too large ({expected} bytes)")
    validator = _validator(response.headers)
    try:
        _read_into(body, response, expected)
    except FetchError as error:  # cut off: keep what arrived; too large: forget it
        partial.keep(bytes(body) if error.retry else b"", validator)
        raise
    except BaseException:  # a timeout, a dropped connection, Ctrl-C
        partial.keep(bytes(body), validator)
        raise
    return expected


def _checked(data: bytes, expected: int | None, content_type: str) -> tuple[bytes, str]:
    """*data* and its format, when it is the whole of a picture a browser shows, whatever the headers said."""
    if expected is not None and len(data) != expected:
        raise FetchError(f"body longer than announced ({len(data)} of {expected} bytes)", retry=True)
    if not data:
        raise FetchError("empty body")
    ext = image_format(data)
    if not ext:
        raise FetchError(f"not a known image format (Content-Type {content_type}, {len(data)} bytes)")
    return data, ext
