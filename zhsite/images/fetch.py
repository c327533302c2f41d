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
"""
from __future__ import annotations

import email.utils
import http.client
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import quote, urlsplit

from zhsite import __version__
from zhsite.images.cache import sniff

MAX_BYTES = 50 * 1024 * 1024
BACKOFF = 0.25  # seconds before the first retry; doubled each time
MAX_BACKOFF = 4.0
MAX_RETRY_AFTER = 30.0  # seconds; a server asking for hours would stall the build, so it gets this much
USER_AGENT = f"zhsite/{__version__} (+offline archive of Zhihu columns)"
_RETRY_STATUS = {408, 425, 429}
_URL_SAFE = ":/?#[]@!$&'()*+,;=%~"


class FetchError(Exception):
    def __init__(self, reason: str, retry: bool = False, wait: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry = retry
        self.wait = wait  # seconds the server asked for before a retry (Retry-After), else None


@dataclass(frozen=True)
class Fetched:
    url: str  # the archive's URL, before mirroring
    data: bytes
    ext: str
    attempts: int


def _opener() -> urllib.request.OpenerDirector:
    """HTTP(S) and redirects between them, nothing else (no file:, ftp:, data:)."""
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(),
        urllib.request.HTTPHandler(),
        urllib.request.HTTPSHandler(),
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
            when = when.replace(tzinfo=timezone.utc)
        seconds = (when - (now or datetime.now(timezone.utc))).total_seconds()
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


def apply_mirrors(url: str, mirrors: Sequence[tuple[str, str]]) -> str:
    """*url* with its longest matching mirror prefix replaced."""
    for prefix, target in mirrors:  # longest prefix first (see ImagesConfig)
        if url.startswith(prefix):
            return target + url[len(prefix):]
    return url


class Fetcher:
    def __init__(self, mirrors: Sequence[tuple[str, str]] = (), timeout: float = 20.0, retries: int = 3, per_host: int = 4) -> None:
        self.mirrors = tuple(sorted(mirrors, key=lambda pair: -len(pair[0])))
        self.timeout = timeout
        self.retries = retries
        self.per_host = per_host
        self._opener = _opener()
        self._hosts: dict[str, threading.Semaphore] = {}
        self._lock = threading.Lock()

    def _host_slot(self, url: str) -> threading.Semaphore:
        host = urlsplit(url).netloc.lower()
        with self._lock:
            return self._hosts.setdefault(host, threading.Semaphore(self.per_host))

    def fetch(self, url: str) -> Fetched:
        """The image at *url* (through its mirror), retried as the module says; else FetchError."""
        target = quote(apply_mirrors(url, self.mirrors), safe=_URL_SAFE)  # non-ASCII paths, percent-encoded once
        if urlsplit(target).scheme.lower() not in ("http", "https"):
            raise FetchError(f"not an http(s) URL: {target}")
        attempt = 0
        while True:
            attempt += 1
            try:
                with self._host_slot(target):
                    data, ext = self._get_once(target)
                return Fetched(url, data, ext, attempt)
            except FetchError as error:
                if not error.retry or attempt > self.retries:
                    if attempt > 1:
                        error.reason += f", after {attempt} attempts"
                    raise
                pause = error.wait if error.wait is not None else min(BACKOFF * 2 ** (attempt - 1), MAX_BACKOFF)
            time.sleep(pause)

    def _get_once(self, url: str) -> tuple[bytes, str]:
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "image/*,*/*;q=0.5"})
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                content_type = response.headers.get_content_type()
                if not content_type.startswith("image/"):
                    raise FetchError(f"not an image (Content-Type {content_type})")
                length = (response.headers.get("Content-Length") or "").strip()
                expected = int(length) if length.isdigit() else None
                if expected is not None and expected > MAX_BYTES:
                    raise FetchError(f"too large ({expected} bytes)")
                data = response.read(MAX_BYTES + 1)
        except FetchError:
            raise
        except urllib.error.HTTPError as error:
            retry = error.code >= 500 or error.code in _RETRY_STATUS
            wait = retry_after(error.headers.get("Retry-After")) if error.code in (429, 503) else None
            raise FetchError(f"HTTP {error.code}", retry=retry, wait=wait) from None
        except http.client.IncompleteRead as error:
            raise FetchError(f"body cut off ({len(error.partial)} bytes received)", retry=True) from None
        except (TimeoutError, socket.timeout):
            raise FetchError(f"timed out after {self.timeout:g}s", retry=True) from None
        except urllib.error.URLError as error:
            reason = error.reason
            if isinstance(reason, (TimeoutError, socket.timeout)):
                raise FetchError(f"timed out after {self.timeout:g}s", retry=True) from None
            if isinstance(reason, ConnectionResetError):
                raise FetchError(f"connection dropped ({reason})", retry=True) from None
            raise FetchError(f"cannot connect ({reason})") from None
        except (ValueError, http.client.InvalidURL) as error:
            raise FetchError(f"not a valid URL ({error})") from None
        except (ConnectionError, http.client.HTTPException, OSError) as error:
            raise FetchError(f"connection dropped ({error.__class__.__name__}: {error})", retry=True) from None
        if len(data) > MAX_BYTES:
            raise FetchError(f"too large (over {MAX_BYTES} bytes)")
        if expected is not None and len(data) != expected:
            raise FetchError(f"body cut off ({len(data)} of {expected} bytes)", retry=True)
        if not data:
            raise FetchError("empty body")
        ext = sniff(data)  # the bytes must be a picture a browser shows, whatever the header said
        if not ext:
            raise FetchError(f"not a known image format (Content-Type {content_type}, {len(data)} bytes)")
        return data, ext
