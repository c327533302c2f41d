"""HTTP: GET and HEAD of the current snapshot, plus the live-reload event stream.

Each request reads the published state once and answers from that snapshot
alone, so a rebuild finishing meanwhile cannot mix two sites in one answer.

Only requests naming this server are answered (:func:`host_allowed`): a page
the user visits could otherwise point its own name at 127.0.0.1 (DNS
rebinding) and read the preview as its own.
"""
from __future__ import annotations

import ipaddress
import sys
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

from zhsite.serve.app import App
from zhsite.serve.events import message
from zhsite.serve.inject import error_page, inject_reload_script
from zhsite.serve.mime import content_type
from zhsite.serve.routes import EVENTS, resolve, split_query
from zhsite.serve.snapshot import State

KEEP_ALIVE_SECONDS = 15
_FALLBACK_404 = b"<!doctype html><meta charset=utf-8><title>404</title><body><h1>404</h1><p>Not in the site.</p></body>"


class SiteServer(ThreadingHTTPServer):
    """Request threads are daemons, so an open event stream never holds up shutdown."""

    daemon_threads = True
    allow_reuse_port = False  # Python ≥ 3.14 would otherwise let a second server share a busy port

    def __init__(self, address: tuple[str, int], app: App, family: int) -> None:
        self.address_family = family
        self.app = app
        self.names = frozenset({"localhost", _name(address[0])})  # what Host may say, besides an IP address
        super().__init__(address, Handler)

    def handle_error(self, request, client_address) -> None:  # noqa: ANN001 - the base class's signature
        """A browser closing its connection mid-answer is normal here; anything else is reported."""
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


class Handler(BaseHTTPRequestHandler):
    server: SiteServer
    server_version = "zhsite"
    timeout = 60  # a client that stops reading or sends nothing does not hold a thread forever

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self._answer(send_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._answer(send_body=False)

    def _not_allowed(self) -> None:
        self.send_response(HTTPStatus.METHOD_NOT_ALLOWED)
        self.send_header("Allow", "GET, HEAD")
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _not_allowed  # noqa: N815

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
        pass  # the terminal is for build problems, not for every request

    def _answer(self, send_body: bool) -> None:
        if not host_allowed(self.headers.get("Host"), self.server.names):
            self._misdirected(send_body)
            return
        app = self.server.app
        state = app.published.state
        route = resolve(self.path, app.base_path, state.site.files)
        if route.kind == "events":
            self._events(state, send_body)
        elif route.kind == "redirect":
            self.send_response(HTTPStatus.FOUND)
            self.send_header("Location", route.target)
            self.send_header("Content-Length", "0")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
        elif route.kind == "file":
            try:
                body = state.site.files[route.target]
            except Exception as exc:  # noqa: BLE001 - a picture deleted while serving, a bug: shown, never an empty reply
                problem = f"{getattr(exc, 'filename', None) or route.target}: error: cannot read: {getattr(exc, 'strerror', None) or exc}"
                self._file(HTTPStatus.INTERNAL_SERVER_ERROR, "error.html", error_page(problem), state, send_body)
                return
            self._file(HTTPStatus.OK, route.target, body, state, send_body)
        else:
            body = state.site.files.get("404.html", _FALLBACK_404)
            self._file(HTTPStatus.NOT_FOUND, "404.html", body, state, send_body)

    def _misdirected(self, send_body: bool) -> None:
        body = (f"zhsite serve answers only to localhost, an IP address or its --host, not to {self.headers.get('Host')!r}: "
                "a page of another site may be trying to read this one (DNS rebinding).\n").encode()
        self.send_response(HTTPStatus.MISDIRECTED_REQUEST)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def _file(self, status: HTTPStatus, key: str, body: bytes, state: State, send_body: bool) -> None:
        kind = content_type(key)
        if kind.startswith("text/html"):
            body = inject_reload_script(body, self.server.app.base_path + EVENTS, state.site.id)
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def _events(self, state: State, send_body: bool) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.close_connection = True
        if not send_body:
            return
        broadcaster = self.server.app.broadcaster
        subscription = broadcaster.subscribe()  # before reading the state again: nothing published after is lost
        try:
            self.wfile.write(b"retry: 1000\n\n" + _greeting(self.path, self.server.app.published.state))
            self.wfile.flush()
            while (data := subscription.next(timeout=KEEP_ALIVE_SECONDS)) is not None:
                self.wfile.write(data)
                self.wfile.flush()
        except (ConnectionError, TimeoutError):
            pass  # the page was closed or reloaded
        finally:
            broadcaster.unsubscribe(subscription)


def _greeting(request_path: str, state: State) -> bytes:
    """A page from an older snapshot reloads at once; one opened while the build is failing shows the errors."""
    seen = parse_qs(split_query(request_path)[1]).get("v", [""])[0]
    if seen != state.site.id:
        return message("reload")
    if state.errors:
        return message("problem", state.problem_text())
    return b""


def host_allowed(header: str | None, names: frozenset[str]) -> bool:
    """A ``Host`` header naming this server, with or without its port: one of *names*, or an IP address.

    An address cannot be rebound by DNS, and a server on every interface is
    reached by the machine's own (``http://192.168.1.5:8000/``).  Requests
    without a Host (HTTP/1.0 tools) are not a browser's and are answered.
    """
    if not header:
        return True
    name = header.strip()
    if name.startswith("["):
        name = name[1:].partition("]")[0]
    elif name.count(":") == 1:
        name = name.partition(":")[0]
    name = _name(name)
    if name in names:
        return True
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def _name(host: str) -> str:
    return host.strip("[]").rstrip(".").lower()
