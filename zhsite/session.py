"""What one build keeps for the next: ``build`` makes a session for its one build, ``serve`` keeps one across its rebuilds.

A session holds

- the build cache (zhsite/cache.py), opened here and nowhere else: the
  results of the slow stages, and under them the pages' records
  (zhsite/render/reuse.py) and the search documents (zhsite/search/); held
  from a build's first use to :meth:`Session.release` (or ``close``), so
  another zhsite process building the project waits its turn;
- the content files read, by modification time and size (zhsite/load/), so
  a rebuild reads only the files that changed;
- the Jinja environment, kept while the same template files exist;
- what the render stage worked out from the whole site (backlinks and related
  pages, the characters formulas draw), with what it was worked out from: the
  next build compares and takes it if that is unchanged (zhsite/render/links.py);
- how many worker processes rewrite articles and draw pages;
- a build's spill file (zhsite/spill.py), what it may need again but does not hold.

The stages take what they need from it as plain arguments
(zhsite/build.py): none of them knows whether it runs once or in ``serve``.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2

from zhsite.cache import BuildCache
from zhsite.config import Config, cache_path
from zhsite.load import KnownFiles
from zhsite.render import make_environment
from zhsite.spill import Spill


class Session:
    """One project's builds, one after another.

    *cache* is the build cache every build uses (None: none at all, every
    stage computed afresh), for tests and benches that choose where it
    lives; :meth:`in_project` opens the project's own, where its configuration says.
    """

    def __init__(self, project: Path, workers: int | None = None, cache: BuildCache | None = None) -> None:
        self.project = project
        # None: one process per core when there is much to do (zhsite/workers.py); the output is the same bytes.
        self.workers = workers
        self.known_files: KnownFiles = {}
        self._given = cache
        self._in_project = False
        self._opened: dict[Path, BuildCache] = {}
        self._environments: dict[tuple, jinja2.Environment] = {}
        self.kept: dict[str, Any] = {}
        self._spill: Spill | None = None

    @classmethod
    def in_project(cls, project: Path, workers: int | None = None) -> Session:
        """``build``'s and ``serve``'s session: the build cache in the project's cache folder."""
        session = cls(project, workers)
        session._in_project = True
        return session

    def cache(self, config: Config) -> BuildCache | None:
        """The build cache for *config*, held for this build until :meth:`release` (another zhsite building
        the project is waited for: BuildCache.begin); an edit to zhsite.toml that moves the cache folder opens the one there."""
        if not self._in_project:
            return self._given
        path = cache_path(self.project, config)
        if path not in self._opened:
            self._opened[path] = BuildCache(path)
        self._opened[path].begin()
        return self._opened[path]

    def release(self) -> None:
        """The end of one build (``serve`` keeps the session for the next): its caches saved and let go."""
        for cache in self._opened.values():
            cache.end()

    def spill(self, config: Config) -> Spill:
        """The build's spill file, beside its build cache (zhsite/spill.py); closed with the session."""
        if self._spill is None:
            self._spill = Spill(cache_path(self.project, config) if self._in_project else None)
        return self._spill

    def environment(self, theme: Path, cache: BuildCache | None = None) -> jinja2.Environment:
        """The last build's templates while the same template files exist, unchanged.

        A template added to ``templates/`` overrides the theme's, and an edited
        one must be read again, so a new, deleted or modified file (by its
        modification time) means a new environment.  Jinja's own reloading is
        off: it asked the disk about each template every time a page used one,
        five ``stat`` calls a page, each of which let the search thread take the
        interpreter lock (10,000 pages: seconds).  With a build *cache*, a new environment reads the templates'
        compiled code from there (zhsite/render/__init__.py TemplateCode).
        """
        folders = (self.project / "templates", theme / "templates")
        stamps = (theme, *(tuple(sorted((str(p), _modified(p)) for p in folder.rglob("*"))) for folder in folders))
        if stamps not in self._environments:
            self._environments = {stamps: make_environment(self.project, theme, cache)}
        return self._environments[stamps]

    def close(self) -> None:
        """Close the caches this session opened (what it was given, its owner closes)."""
        for cache in self._opened.values():
            cache.close()
        if self._spill is not None:
            self._spill.close()


def _modified(path: Path) -> int:
    """A file's modification time; -1 once it is gone (an editor's swap file, removed as the folder was listed)."""
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return -1
