"""The search index of a served site, made in a thread of its own after the site is published.

Indexing takes seconds for a large archive; a reload must not wait for it.
Each published site gets its own index when it is done (until then the
previous index answers), and a newer site stops the older one's run.
Indexing starts once the files have been still for a moment: while a writer
saves again and again, it would only slow each rebuild down.
"""
from __future__ import annotations

import threading
from collections.abc import Callable

from zhsite.cache import BuildCache
from zhsite.config import Config
from zhsite.problems import Problem
from zhsite.search import Indexing
from zhsite.serve.drawn import DrawnOnDemand

SETTLE = 1.0  # seconds without a newer site before indexing starts


class BackgroundSearch:
    def __init__(self, report: Callable[[list[Problem]], None]) -> None:
        self._report = report
        self._lock = threading.Lock()
        self._newer = threading.Condition(self._lock)
        self._running: Indexing | None = None
        self._generation = 0
        self._threads: list[threading.Thread] = []

    def index(self, files: DrawnOnDemand, config: Config, cache: BuildCache) -> None:
        """Stop the run for an older site, then index *files* in the background."""
        generation = self.supersede()
        thread = threading.Thread(target=self._run, args=(generation, files, config, cache), name="zhsite-search", daemon=True)
        self._threads = [t for t in self._threads if t.is_alive()] + [thread]
        thread.start()

    def stop(self) -> None:
        self.supersede()
        for thread in self._threads:
            thread.join()

    def supersede(self) -> int:
        """A newer site is coming: stop indexing this one, so it does not hold the core its
        rebuild needs (finished pages are in the cache); the newer site's generation number."""
        with self._lock:
            self._generation += 1
            self._newer.notify_all()
            if self._running is not None:
                self._running.cancel()
            return self._generation

    def wait(self) -> None:
        """Until every run started so far has ended (tests)."""
        for thread in list(self._threads):
            thread.join()

    def _run(self, generation: int, files: DrawnOnDemand, config: Config, cache: BuildCache) -> None:
        with self._lock:
            if self._newer.wait_for(lambda: generation != self._generation, timeout=SETTLE):
                return
        indexing = Indexing(files.planned.searchable, config, cache)
        with self._lock:
            if generation != self._generation:
                indexing.cancel()
            else:
                self._running = indexing
        bundle, problems = indexing.result()
        cache.save()  # the new parts on disk now, not at the next rebuild
        with self._lock:
            if generation != self._generation:
                return  # cancelled: a newer site is being indexed
            self._running = None
        if problems:
            self._report(problems)  # the previous bundle keeps answering
        else:
            files.search = bundle
