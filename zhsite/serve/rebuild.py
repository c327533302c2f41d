"""One build in memory, whatever happens: files and problems, never an exception.

A development server runs for hours while its user edits templates and
content; a bad edit must become a message on screen and in the terminal, not
a dead rebuild thread.  The build itself is ``zhsite.build.prepare``, the
front of the same pipeline ``zhsite build`` runs, with the pages drawn on
demand (zhsite/serve/drawn.py).

A rebuild reuses what did not change since the last one, through the one
:class:`~zhsite.session.Session` the server keeps: content files whose
modification time and size are the same are not read again, the template
environment is kept (Jinja reloads a template whose file changed), and
rewritten articles come from the build cache, in memory.  Saving one article
of a 1,000-article archive reads one file and rewrites one article.
"""
from __future__ import annotations

import gc
import traceback
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zhsite.build import prepare
from zhsite.cache import BuildCache
from zhsite.config import Config, load_config
from zhsite.problems import BuildError, Problem
from zhsite.serve.drawn import DrawnOnDemand
from zhsite.session import Session

INTERNAL_ERROR = "internal error (a bug in zhsite)"


@dataclass(frozen=True)
class Outcome:
    """What one build produced: the site, its pages drawn on demand (None when it stopped early), and its problems."""

    files: DrawnOnDemand | None
    problems: list[Problem] = field(default_factory=list)
    pages: int = 0
    config: Config | None = None
    cache: BuildCache | None = None  # for the search index made after the build, without the build's lock

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


class Rebuilder:
    """Builds one project in memory again and again, keeping between builds what a change leaves as it was."""

    def __init__(self, project: Path, overrides: Mapping[str, Any]) -> None:
        self.project = project
        # serve draws pages, never e-books: a column page links no book it cannot serve (zhsite epub makes them)
        self._overrides = {**overrides, "epub": False}
        self.session = Session.in_project(project)
        self._config: Config | None = None  # the last good build's, whose cache :meth:`trim` trims

    def rebuild(self, search: Mapping[str, bytes] | None = None) -> Outcome:
        """Configuration and the pipeline, read afresh so an edit to zhsite.toml counts too.

        *search* is the search bundle of the site being served: it answers until this build's is ready.
        """
        try:
            config = load_config(self.project, self._overrides)
            planned = prepare(self.project, config, self.session)
            files = DrawnOnDemand(planned, search)
            files.probe()
            cache = self.session.cache(config)
        except BuildError as exc:  # template errors too: the render stage names the file and line
            return Outcome(None, [exc.problem])
        except Exception as exc:  # noqa: BLE001 - a bug must not stop the server; it is reported like any problem
            return Outcome(None, [internal_problem(exc)])
        finally:
            self.session.release()  # a zhsite build of the project may run between two saves
            gc.freeze()
        self._config = config
        return Outcome(files, planned.problems + cache.repairs(), len(planned.pages), config, cache)

    def trim(self) -> None:
        """The build cache's entries no build used since the last trim dropped (an edited article's old rewrite).

        Called once the rebuild is on screen, not as part of it: on the first
        save after a large first build it took 0.9 s.  A problem with the cache is said by the next rebuild.
        """
        if self._config is not None:
            try:
                self.session.cache(self._config).keep_only_used(whole_file=False)
            finally:
                self.session.release()

    def collect(self) -> None:
        """The garbage of earlier builds freed, when the server is idle: what :meth:`rebuild` froze is looked at again.

        Python's collector looks at every object kept when enough new ones
        have been made since it last did, which a rebuild of a large archive
        does: 0.3 s of a 10,000-article save went to it.  So what a rebuild
        leaves is frozen (``gc.freeze``), never looked at during the next ones,
        and looked at here.  Objects freed by their count go at once, frozen
        or not; this frees those in cycles, such as a page's Jinja context,
        which holds its build's whole plan.
        """
        gc.unfreeze()
        gc.collect()
        gc.freeze()

    def close(self) -> None:
        """The caches closed, and what the rebuilds froze left to Python's collector again."""
        self.session.close()
        gc.unfreeze()


def internal_problem(exc: Exception) -> Problem:
    frame = traceback.extract_tb(exc.__traceback__)[-1]
    return Problem(frame.filename, str(frame.lineno), INTERNAL_ERROR, f"{type(exc).__name__}: {exc}")
