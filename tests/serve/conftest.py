"""Real servers on 127.0.0.1 over a real project copied from the seed content, and a real Chromium.

Playwright's sync API allows one running instance per thread, and
``tests/browser``'s session ``browser`` fixture holds the main thread's for the
whole run, so importing that fixture here would start a second one and fail.
Until the browser fixtures move up to ``tests/conftest.py`` (then these tests
can take ``page`` directly), this folder drives the same Debian Chromium, with
the same flags, from a thread of its own: ``in_browser(scenario)`` runs
``scenario(page)`` there and re-raises its failures here.
"""
from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, sync_playwright

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.conftest import CONTENT, make_project
from zhsite.serve import ServerHandle, start_server


class BrowserThread:
    def __init__(self) -> None:
        self._jobs: queue.Queue[tuple[Callable[[Page], Any], Future] | None] = queue.Queue()
        self._ready: Future = Future()
        self._thread = threading.Thread(target=self._run, name="chromium", daemon=True)
        self._thread.start()
        self._ready.result(timeout=120)  # a Chromium that cannot start fails here, not later

    def run(self, scenario: Callable[[Page], Any]) -> Any:
        done: Future = Future()
        self._jobs.put((scenario, done))
        return done.result()

    def close(self) -> None:
        self._jobs.put(None)
        self._thread.join(timeout=60)

    def _run(self) -> None:
        try:
            playwright = sync_playwright().start()
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        except BaseException as exc:
            self._ready.set_exception(exc)
            return
        self._ready.set_result(None)
        try:
            while (job := self._jobs.get()) is not None:
                scenario, done = job
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                try:
                    done.set_result(scenario(context.new_page()))
                except BaseException as exc:  # noqa: BLE001 - handed to the test's thread
                    done.set_exception(exc)
                finally:
                    context.close()
        finally:
            browser.close()
            playwright.stop()


@pytest.fixture(scope="session")
def chromium() -> Iterator[BrowserThread]:
    thread = BrowserThread()
    yield thread
    thread.close()


@pytest.fixture
def in_browser(chromium) -> Callable[[Callable[[Page], Any]], Any]:
    return chromium.run


# The seed archives a served project is made of: a column dump, a Markdown note and a plain-text note.
SEEDS = ("shallow-learning-column.json", "cv-lecture-notes.md", "dl-hotpot-faq.txt")


def seed_copy(root: Path) -> Path:
    """A project of its own: seed archives byte for byte, and no zhsite.toml."""
    return make_project(root, {name: (CONTENT / name).read_bytes() for name in SEEDS})


@contextmanager
def running(project: Path, log: list[str] | None = None, base_path: str = "/", poll: bool = False, quiet: float = 0.05) -> Iterator[ServerHandle]:
    """A server on a free port of 127.0.0.1; *log* collects what it prints (status lines and problems)."""
    log = [] if log is None else log
    handle = start_server(project, "127.0.0.1", 0, base_path, poll, echo=log.append, report=lambda problems: log.extend(map(str, problems)),
                          quiet=quiet)
    try:
        yield handle
    finally:
        handle.stop()


@pytest.fixture
def project(tmp_path) -> Path:
    return seed_copy(tmp_path / "project")


@pytest.fixture
def log() -> list[str]:
    return []


@pytest.fixture
def serve(log) -> Iterator[Callable[..., ServerHandle]]:
    """``serve(project, base_path=..., poll=..., quiet=...)``: a running server, stopped after the test."""
    with ExitStack() as stack:
        yield lambda project, **options: stack.enter_context(running(project, log, **options))
