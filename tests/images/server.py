"""A real image server on 127.0.0.1 for the image tests: good pictures and every way of failing.

What a path gets is read from its last segment, so an archive's URL (mirrored
here) says how it behaves:

* ``…missing…``: 404;  ``…flaky…``: 500 the first time, the picture after;
  ``…broken…``: 500 every time;  ``…slow…``: the picture, after ``slow`` seconds;
  ``…cut…``: the whole Content-Length, half the body, then the connection closes, every time;
  ``…html…``: a web page with status 200;  ``…same…``: the same bytes for every such path;
  ``…busy…``: 429 with ``Retry-After: 1`` the first time, the picture after;
  ``…halfway…``: cut off like ``cut`` the first time, the picture after;
  ``…svg…``: :data:`HOSTILE_SVG`, an ``image/svg+xml`` full of script;
* under ``/hangup/``: the connection closed with no answer at all, as from a
  host that is not there (the mirror of a host pointing at ``{url}hangup/``);
* anything else: a small PNG, different for every path, with an ETag; a
  ``Range: bytes=N-`` gets a 206 with the rest (a 200 with all of it when
  ``If-Range`` names another ETag, or when the path says ``norange``).

Every request is counted and the moment it arrived noted, so a test can tell
what a build downloaded and how long it waited between tries.
"""
from __future__ import annotations

import hashlib
import json
import re
import struct
import threading
import time
import zlib
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ZHIMG_HOSTS = ("pic1", "pic2", "pic3", "pic4")


def png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A real PNG (8-bit RGB, one colour) from scratch: signature, IHDR, IDAT, IEND."""
    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def picture_for(path: str) -> bytes:
    if "same" in path.rsplit("/", 1)[-1]:
        return png(5, 4, (40, 120, 200))
    digest = hashlib.sha256(path.encode()).digest()
    return png(4 + digest[0] % 8, 3 + digest[1] % 8, (digest[2], digest[3], digest[4]))


# Every way an SVG can run script or reach out: what a site must never serve from its own origin.
HOSTILE_SVG = (
    b'<?xml version="1.0"?>\n'
    b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="40" height="30" '
    b'onload="window.__xss=(window.__xss||0)+1">'
    b'<script>window.__xss=(window.__xss||0)+1;alert("svg script")</script>'
    b'<rect width="40" height="30" fill="#2a7" onmouseover="window.__xss=1"/>'
    b'<a xlink:href="javascript:window.__xss=1"><text x="2" y="20">link</text></a>'
    b'<foreignObject width="40" height="30"><div xmlns="http://www.w3.org/1999/xhtml">'
    b'<img src="x" onerror="window.__xss=(window.__xss||0)+1"/></div></foreignObject>'
    b'<image href="https://img.example.org/tracker.png" width="1" height="1"/>'
    b'<set attributeName="onclick" to="window.__xss=1"/>'
    b"</svg>"
)


def toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


class ImageServer:
    def __init__(self, slow: float = 2.0) -> None:
        self.slow = slow
        self.requests: Counter[str] = Counter()
        self.exchanges: dict[str, list[tuple[str | None, int]]] = {}  # path -> (Range asked for, status answered)
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format, *args):  # noqa: A002 - the base class's name
                pass

            def send_response(self, code, message=None):
                with server._lock:
                    server.exchanges.setdefault(self.path.split("?", 1)[0], []).append((self.headers.get("Range"), code))
                super().send_response(code, message)

            def do_GET(self):  # noqa: N802 - the base class's name
                path = self.path.split("?", 1)[0]
                with server._lock:
                    server.requests[path] += 1
                    seen = server.requests[path]
                name = path.rsplit("/", 1)[-1]
                try:
                    if path.startswith("/hangup/"):
                        self.close_connection = True
                    elif "missing" in name:
                        self._send(404, b"not found", "text/plain")
                    elif "broken" in name or ("flaky" in name and seen == 1):
                        self._send(500, b"server error", "text/plain")
                    elif "busy" in name and seen == 1:
                        self._send(429, b"too many requests", "text/plain", {"Retry-After": "1"})
                    elif "html" in name:
                        self._send(200, b"<!doctype html><title>not an image</title>", "text/html")
                    elif "svg" in name:
                        self._send(200, HOSTILE_SVG, "image/svg+xml")
                    elif "cut" in name or ("halfway" in name and seen == 1):
                        self._cut_off(picture_for(path))
                    else:
                        if "slow" in name:
                            time.sleep(server.slow)
                        self._picture(picture_for(path), ranges="norange" not in name)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up first
                    pass

            def _cut_off(self, body: bytes) -> None:
                """The whole picture's Content-Length, half its bytes, then the connection closes."""
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body[: len(body) // 2])
                self.wfile.flush()
                self.close_connection = True

            def _picture(self, body: bytes, ranges: bool) -> None:
                etag = f'"{hashlib.sha256(body).hexdigest()[:16]}"'
                asked = re.fullmatch(r"bytes=(\d+)-", self.headers.get("Range") or "")
                if not (ranges and asked and self.headers.get("If-Range", etag) == etag):
                    self._send(200, body, "image/png", {"ETag": etag})
                elif int(asked[1]) >= len(body):
                    self._send(416, b"", "image/png", {"Content-Range": f"bytes */{len(body)}"})
                else:
                    start = int(asked[1])
                    self._send(206, body[start:], "image/png", {"ETag": etag, "Content-Range": f"bytes {start}-{len(body) - 1}/{len(body)}"})

            def _send(self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.handle_error = lambda request, address: None  # a client that timed out is expected
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/"

    def start(self) -> ImageServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    @property
    def total(self) -> int:
        with self._lock:
            return sum(self.requests.values())

    def reset(self) -> None:
        with self._lock:
            self.requests.clear()
            self.exchanges.clear()

    def mirrors_toml(self, under: str = "") -> str:
        """``mirrors`` for Zhihu's image hosts and the test host ``img.example.org``, pointing here (*under*: a folder, ``hangup/``)."""
        here = self.url + under
        pairs = [(f"{scheme}://{host}.zhimg.com/", f"{here}{host}/") for host in ZHIMG_HOSTS for scheme in ("https", "http")]
        pairs.append(("https://img.example.org/", f"{here}ex/"))
        pairs.append(("http://pacdb2bfr.bkt.clouddn.com/", f"{here}clouddn/"))
        return "{ " + ", ".join(f'"{a}" = "{b}"' for a, b in pairs) + " }"

    def config(self, mode: str = "local", **extra) -> str:
        """A zhsite.toml with an [images] table using this server."""
        lines = ["[images]", f'mode = "{mode}"', f"mirrors = {self.mirrors_toml()}"]
        for key, value in extra.items():
            lines.append(f"{key} = {toml_value(value)}")
        return "\n".join(lines) + "\n"
