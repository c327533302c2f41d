"""A real headless Chromium (Debian's, never a downloaded one) and the seed site on 127.0.0.1."""
from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


@contextmanager
def http_served(folder: Path) -> Iterator[str]:
    """*folder* on a real HTTP server on 127.0.0.1; yields its URL."""
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def site_url(seed_site):
    with http_served(seed_site) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def hold_remote_requests(page) -> list:
    """Requests that leave the site stay pending: the page must lay out without them."""
    held = []
    page.route(lambda url: not url.startswith("http://127.0.0.1"), lambda route: held.append(route))
    return held


def collect_errors(page) -> list[str]:
    """Console errors and uncaught exceptions, as a reader with devtools open would see them."""
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def unsized_math(page) -> list[str]:
    """Formulas the browser laid out with no area: MathML it could not typeset."""
    return page.evaluate(
        """() => [...document.querySelectorAll('math')]
              .filter(m => { const r = m.getBoundingClientRect(); return !(r.width > 0 && r.height > 0); })
              .map(m => m.outerHTML.slice(0, 120))"""
    )


def watch_for_script(page) -> Callable[[], list]:
    """Dialogs and ``window.__xss`` pushes on *page*; the function returned says what ran on the page now open, and forgets the dialogs.

    Requests that leave 127.0.0.1 are refused rather than held, so that every
    document gets to its load event (an SVG's ``onload`` included).
    """
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.route(lambda url: not url.startswith("http://127.0.0.1"), lambda route: route.abort())

    def ran() -> list:
        found = [*page.evaluate("() => [].concat(window.__xss || [])"), *dialogs]
        dialogs.clear()
        return found

    return ran
