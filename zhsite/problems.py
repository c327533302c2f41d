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

    @property
    def place(self) -> str:
        return f"{self.file}:{self.where}" if self.where else self.file

    @property
    def kind(self) -> str:
        """The message without its particulars, so like warnings can be counted together."""
        return self.message.split(":", 1)[0]

    def __str__(self) -> str:
        return f"{self.place}: {self.severity}: {self.message}"


def summary(problems: list[Problem], strict: bool = False) -> list[str]:
    """What the terminal shows: every error (every warning too when strict), like warnings grouped.

    A large archive can have hundreds of formulas or images with the same
    trouble; one line per kind with a few places reads better than a wall.
    """
    one_by_one = sorted((p for p in problems if strict or p.severity == "error"), key=lambda p: (p.severity != "error", p))
    lines = [str(p) for p in one_by_one]
    groups: dict[str, list[Problem]] = {}
    for problem in sorted(p for p in problems if not (strict or p.severity == "error")):
        groups.setdefault(problem.kind, []).append(problem)
    for kind, group in sorted(groups.items()):
        places = ", ".join(p.place for p in group[:3]) + (f" and {len(group) - 3} more" if len(group) > 3 else "")
        lines.append(f"warning: {kind} ({len(group)}×): {places}")
    if problems:
        errors = sum(p.severity == "error" for p in problems)
        lines.append(f"{errors} error(s), {len(problems) - errors} warning(s)")
    return lines


class BuildError(Exception):
    """A problem that stops the whole build (bad configuration, missing theme)."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem
