"""What went wrong, where: the one shape every stage reports problems in.

A user mistake is never an exception that escapes: loaders and passes return
problems, the build carries on with the rest of the site, and the CLI prints
them and chooses the exit status.
"""
from __future__ import annotations

from collections.abc import Mapping
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


def summary(problems: list[Problem], strict: bool = False, verbose: bool = False, hints: Mapping[str, str] | None = None) -> list[str]:
    """What the terminal shows: like problems grouped by kind with a count and a few places, then a tally.

    A 13,000-file archive can have thousands of files with the same trouble;
    one line per kind reads better than a wall.  A kind met once keeps its
    whole line.  *verbose* lists every problem one by one, *strict* every
    warning (errors stay grouped).  *hints* are said once under their kind's
    line (what shapes are supported, under "unknown archive shape").
    """
    lines, grouped = [], False
    for severity in ("error", "warning"):
        group_of = [p for p in sorted(problems) if p.severity == severity]
        if verbose or (strict and severity == "warning"):
            lines += map(str, group_of)
            continue
        groups: dict[str, list[Problem]] = {}
        for problem in group_of:
            groups.setdefault(problem.kind, []).append(problem)
        for kind, group in sorted(groups.items()):
            alone = len(group) == 1 and severity == "error"
            lines.append(str(group[0]) if alone else _grouped(severity, kind, group))
            grouped = grouped or not alone
            if hints and kind in hints:
                lines.append(f"  {hints[kind]}")
    if problems:
        errors = sum(p.severity == "error" for p in problems)
        more = " (each one: --verbose)" if grouped else ""
        lines.append(f"{errors} error(s), {len(problems) - errors} warning(s){more}")
    return lines


def _grouped(severity: str, kind: str, group: list[Problem]) -> str:
    # Each place once: thirty formulas of one answer named its file three times and said nothing more.
    every = list(dict.fromkeys(p.place for p in group))
    places = ", ".join(every[:3]) + (f" and {len(every) - 3} more" if len(every) > 3 else "")
    return f"{severity}: {kind} ({len(group)}×): {places}"


class BuildError(Exception):
    """A problem that stops the whole build (bad configuration, missing theme)."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem
