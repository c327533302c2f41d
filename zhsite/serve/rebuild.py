"""One build in memory, whatever happens: files and problems, never an exception.

A development server runs for hours while its user edits templates and
content; a bad edit must become a message on screen and in the terminal, not
a dead rebuild thread.  The build itself is ``zhsite.build.plan_site``, the
same pipeline ``zhsite build`` writes to disk, with the pages drawn on demand
(zhsite/serve/drawn.py).

A rebuild reuses what did not change since the last one: content files whose
modification time and size are the same are not read again, the template
environment is kept (Jinja reloads a template whose file changed), and
rewritten articles come from the build cache, in memory.  Saving one article
of a 1,000-article archive reads one file and rewrites one article.
"""
from __future__ import annotations

import traceback
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from zhsite.build import plan_site
from zhsite.cache import BuildCache
from zhsite.config import Config, cache_path, load_config
from zhsite.load import KnownFiles
from zhsite.problems import BuildError, Problem
from zhsite.render import make_environment, theme_dir
from zhsite.serve.drawn import DrawnOnDemand


@dataclass(frozen=True)
class Outcome:
    """What one build produced: all files (None when it stopped early) and its problems."""

    files: Mapping[str, bytes] | None
    problems: list[Problem] = field(default_factory=list)
    pages: int = 0
    config: Config | None = None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


class Rebuilder:
    """Builds one project in memory again and again, keeping between builds what a change leaves as it was."""

    def __init__(self, project: Path, overrides: Mapping[str, Any]) -> None:
        self.project = project
        self._overrides = overrides
        self._known_files: KnownFiles = {}
        self._environments: dict[tuple, jinja2.Environment] = {}
        self._caches: dict[Path, BuildCache] = {}

    def rebuild(self, previous: Mapping[str, bytes] | None = None) -> Outcome:
        """Configuration and the pipeline, read afresh so an edit to zhsite.toml counts too.

        *previous* is the site being served: its search bundle answers until this build's is ready.
        """
        try:
            config = load_config(self.project, self._overrides)
            cache = self.cache(config)
            theme = theme_dir(self.project, config.theme)
            env = self.environment(theme)
            planned = plan_site(self.project, config, cache, known_files=self._known_files, env=env)
            files = DrawnOnDemand(planned, previous.search if isinstance(previous, DrawnOnDemand) else None)
            files.probe()
            cache.keep_only_used(on_disk=False)
        except BuildError as exc:  # template errors too: the render stage names the file and line
            return Outcome(None, [exc.problem])
        except Exception as exc:  # noqa: BLE001 - a bug must not stop the server; it is reported like any problem
            return Outcome(None, [internal_problem(exc)])
        return Outcome(files, planned.problems + cache.repairs(), len(planned.pages), config)

    def environment(self, theme: Path) -> jinja2.Environment:
        """The last build's templates while the same template files exist (Jinja reloads an edited one).

        A template added to ``templates/`` overrides the theme's, which Jinja
        would keep using from memory, so a new or deleted file means a new environment.
        """
        folders = (self.project / "templates", theme / "templates")
        names = (theme, *(tuple(sorted(str(p) for p in folder.rglob("*"))) for folder in folders))
        if names not in self._environments:
            self._environments = {names: make_environment(self.project, theme)}
        return self._environments[names]

    def cache(self, config: Config) -> BuildCache:
        path = cache_path(self.project, config)
        if path not in self._caches:
            self._caches[path] = BuildCache(path)
        return self._caches[path]

    def close(self) -> None:
        for cache in self._caches.values():
            cache.close()


def internal_problem(exc: Exception) -> Problem:
    frame = traceback.extract_tb(exc.__traceback__)[-1]
    return Problem(frame.filename, str(frame.lineno), f"internal error (a bug in zhsite): {type(exc).__name__}: {exc}")
