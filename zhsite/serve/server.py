"""Wiring: bind the port, build, publish, watch, rebuild, tell open pages.

:func:`start_server` returns once the first build is published and the port
answers; everything runs on background threads, so the CLI and the tests
drive it the same way, and the handle's ``stop`` ends every thread it started.

A change rebuilds the site's model from what changed (zhsite/serve/rebuild.py)
and publishes it with its pages drawn on demand (zhsite/serve/drawn.py); the
open pages reload at once and the search index follows in the background
(zhsite/serve/indexer.py).
"""
from __future__ import annotations

import errno
import socket
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from zhsite.problems import Problem
from zhsite.serve.app import App
from zhsite.serve.drawn import DrawnOnDemand
from zhsite.serve.events import Broadcaster, message
from zhsite.serve.handler import SiteServer
from zhsite.serve.indexer import BackgroundSearch
from zhsite.serve.rebuild import Rebuilder
from zhsite.serve.routes import normalize_base_path
from zhsite.serve.snapshot import Published
from zhsite.serve.watch import Debouncer, Watcher, plan_for


class ServeError(Exception):
    """The server cannot start (port in use, bad host or base path); the message says why in one line."""


def _print(text: str) -> None:
    print(text, file=sys.stderr)


def _print_problems(problems: list[Problem]) -> None:
    for problem in problems:
        _print(str(problem))


class LiveSite:
    """Builds the project, publishes the outcome, tells open pages and the terminal, counts builds."""

    def __init__(self, project: Path, overrides: dict[str, Any], app: App, echo: Callable[[str], None], report: Callable[[list[Problem]], None]) -> None:
        self._rebuilder = Rebuilder(project, overrides)
        self.search = BackgroundSearch(report)
        self._app = app
        self._echo = echo
        self._report = report
        self._builds = 0
        self._built = threading.Condition()
        self._served: DrawnOnDemand | None = None  # the site on screen, once a build published one

    def rebuild(self) -> None:
        started = time.monotonic()
        self.search.supersede()
        outcome = self._rebuilder.rebuild(self._served.search if self._served is not None else None)
        change = self._app.published.publish(outcome)
        if change.event == "reload":  # this build's site is on screen now
            self._served = outcome.files
        if change.event == "problem":
            self._app.broadcaster.send(message("problem", change.state.problem_text()))
        elif change.event is not None:
            self._app.broadcaster.send(message(change.event))
        self._report(outcome.problems)
        if outcome.errors:
            self._echo("build failed; " + ("still serving the last good site" if change.state.good else "serving what could be built"))
        else:
            self._echo(f"built {outcome.pages} pages in {time.monotonic() - started:.2f} s")
        if outcome.files is not None:
            self._rebuilder.trim()  # once the site is on screen
        if outcome.files is not None and outcome.config.search:
            self.search.index(outcome.files, outcome.config, outcome.cache)
        with self._built:
            self._builds += 1
            self._built.notify_all()

    @property
    def builds(self) -> int:
        with self._built:
            return self._builds

    def idle(self) -> None:
        """No change for a while after a rebuild: the time to free the garbage of earlier builds."""
        self._rebuilder.collect()

    def stop(self) -> None:
        self.search.stop()
        self._rebuilder.close()

    def wait_for_builds(self, count: int, timeout: float) -> bool:
        with self._built:
            return self._built.wait_for(lambda: self._builds >= count, timeout)


class ServerHandle:
    """A running server: its ``url``, how many builds it has finished, ``wait`` and ``stop``."""

    def __init__(self, url: str, app: App, httpd: SiteServer, live: LiveSite, watcher: Watcher, debouncer: Debouncer) -> None:
        self.url = url
        self.app = app
        self._httpd = httpd
        self._live = live
        self._watcher = watcher
        self._debouncer = debouncer
        self._serving: threading.Thread | None = None
        self._stopped = threading.Event()

    @property
    def builds(self) -> int:
        """Finished builds, the first one included."""
        return self._live.builds

    def wait_for_builds(self, count: int, timeout: float) -> bool:
        """Until *count* builds have finished; False if *timeout* seconds pass first."""
        return self._live.wait_for_builds(count, timeout)

    def wait_for_search(self) -> None:
        """Until the search index of every build so far is made (or given up for a newer one)."""
        self._live.search.wait()

    def wait(self) -> None:
        """Until ``stop``; wakes up twice a second so Ctrl-C is seen at once."""
        while not self._stopped.wait(0.5):
            pass

    def stop(self) -> None:
        """No more events, the rebuild in progress finished, open streams ended, the port freed."""
        if self._stopped.is_set():
            return
        self._stopped.set()
        self._watcher.stop()
        self._debouncer.stop()
        self._live.stop()
        self.app.broadcaster.close()
        if self._serving is not None:
            self._httpd.shutdown()
        self._httpd.server_close()

    def _serve(self) -> None:
        self._serving = threading.Thread(target=self._httpd.serve_forever, name="zhsite-http", daemon=True)
        self._serving.start()


def start_server(
    project: Path,
    host: str = "127.0.0.1",
    port: int = 8000,
    base_path: str = "/",
    poll: bool = False,
    *,
    echo: Callable[[str], None] = _print,
    report: Callable[[list[Problem]], None] = _print_problems,
    quiet: float = 0.05,
    images: dict[str, Any] | None = None,
) -> ServerHandle:
    """Build *project*, serve it on *host*:*port* under *base_path* and rebuild on every change.

    *echo* prints a status line and *report* a build's problems (the CLI's
    formatting); *quiet* is how long the files must stay still before a rebuild;
    *images* overrides keys of ``[images]`` (``--images``, ``--offline``), as for build.
    """
    project = project.resolve()
    try:
        base = normalize_base_path(base_path)
    except ValueError as exc:
        raise ServeError(str(exc)) from None
    app = App(base, Published(), Broadcaster())
    httpd = _bind(host, port, app)
    url = f"http://{_url_host(host)}:{httpd.server_address[1]}{base}"
    if host in EVERY_INTERFACE:
        echo(every_interface_warning(host, httpd.server_address[1], base))
    # The site's absolute links (feeds, sitemap, the 404 page's <base>) point at this server.
    live = LiveSite(project, {"base_url": url, "images": images}, app, echo, report)

    def rebuild() -> None:
        # Folders that appeared (templates/, a new theme) are watched before the build reads
        # them, so an edit made during the build, or right after it finishes, is never missed.
        watcher.follow(plan_for(project))
        live.rebuild()

    debouncer = Debouncer(rebuild, quiet, idle=live.idle)
    watcher = Watcher(plan_for(project), debouncer.poke, poll)
    handle = ServerHandle(url, app, httpd, live, watcher, debouncer)
    try:
        watcher.start()  # before the first build, so an edit made while it runs is not lost
        rebuild()
        debouncer.start()
        handle._serve()
    except BaseException:
        handle.stop()
        raise
    echo("watching for changes by polling the files every second (--poll)" if poll else "watching for changes")
    return handle


def _bind(host: str, port: int, app: App) -> SiteServer:
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        return SiteServer((host, port), app, family)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise ServeError(f"port {port} on {host} is already in use; stop the other server or choose another with --port") from None
        raise ServeError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None


EVERY_INTERFACE = ("", "0.0.0.0", "::")


def every_interface_warning(host: str, port: int, base: str) -> str:
    """What the user is told when the preview is open to the network, with the address others reach it at."""
    return (f"warning: listening on every network interface ({host or '0.0.0.0'}): anyone who can reach this machine "
            f"can read the site, at http://{_reachable_address()}:{port}{base}")


def _reachable_address() -> str:
    """This machine's address on its network: the one its default route leaves from (connecting UDP sends nothing)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1, documentation only: routed, never reached
            return probe.getsockname()[0]
        except OSError:  # no network: the machine's name is the best there is
            return socket.gethostname()


def _url_host(host: str) -> str:
    """A host a browser can open: a wildcard address becomes the loopback one."""
    if host in ("", "0.0.0.0"):
        return "127.0.0.1"
    if host == "::":
        return "[::1]"
    return f"[{host}]" if ":" in host else host
