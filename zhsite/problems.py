"""What went wrong, where: the one shape every stage reports problems in.

A user mistake is never an exception that escapes: loaders and passes return
problems, the build carries on with the rest of the site, and the CLI prints
them and chooses the exit status.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    where: str
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        place = f"{self.file}:{self.where}" if self.where else self.file
        return f"{place}: {self.severity}: {self.message}"


class BuildError(Exception):
    """A problem that stops the whole build (bad configuration, missing theme)."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem
