"""One build in memory, whatever happens: files and problems, never an exception.

A development server runs for hours while its user edits templates and
content; a bad edit must become a message on screen and in the terminal, not
a dead rebuild thread.  The build itself is ``zhsite.build.generate``, the
same pipeline ``zhsite build`` writes to disk.
"""
from __future__ import annotations

import traceback
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zhsite.build import generate
from zhsite.config import load_config
from zhsite.problems import BuildError, Problem


@dataclass(frozen=True)
class Outcome:
    """What one build produced: all files (None when it stopped early) and its problems."""

    files: Mapping[str, bytes] | None
    problems: list[Problem] = field(default_factory=list)
    pages: int = 0

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def build_in_memory(project: Path, overrides: Mapping[str, Any]) -> Outcome:
    """Configuration and the whole pipeline, read afresh so an edit to zhsite.toml counts too."""
    try:
        config = load_config(project, overrides)
        result = generate(project, config)
    except BuildError as exc:  # template errors too: the render stage names the file and line
        return Outcome(None, [exc.problem])
    except Exception as exc:  # noqa: BLE001 - a bug must not stop the server; it is reported like any problem
        return Outcome(None, [internal_problem(exc)])
    return Outcome(result.files, result.problems, result.pages)


def internal_problem(exc: Exception) -> Problem:
    frame = traceback.extract_tb(exc.__traceback__)[-1]
    return Problem(frame.filename, str(frame.lineno), f"internal error (a bug in zhsite): {type(exc).__name__}: {exc}")
