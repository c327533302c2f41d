"""What went wrong, where: the one shape every stage reports problems in.

A user mistake is never an exception that escapes: loaders and passes return
problems, the build carries on with the rest of the site, and the CLI prints
them and chooses the exit status.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]

# C0 and C1 controls and DEL: ESC and CSI begin the sequences a terminal obeys (a window title, a clipboard
# write, cursor moves), and a newline or carriage return would forge a line of the build's own.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """*text* with every control character shown as its escape (``\\x1b``), for a terminal or a log.

    Names and addresses from archives and file names reach the build's output;
    whatever a stranger put in them is shown, never sent.
    """
    return _CONTROL.sub(lambda m: f"\\x{ord(m[0]):02x}", text)


@dataclass(frozen=True, order=True)
class Problem:
    """One problem: where, what sort (*kind*), and this one's particulars (*detail*).

    The kind is data, not a prefix of the wording: the same words for every
    problem of its sort, a constant where it is raised, so the output groups by
    it and the CLI keys its hints on it; rewording a detail regroups nothing.
    It is said as ``kind: detail`` (the kind alone when there is no detail).
    """
    file: str
    where: str
    kind: str
    detail: str = ""
    severity: Severity = field(default="error", kw_only=True)

    @property
    def place(self) -> str:
        return f"{self.file}:{self.where}" if self.where else self.file

    @property
    def message(self) -> str:
        return f"{self.kind}: {self.detail}" if self.detail else self.kind

    def __str__(self) -> str:
        return printable(f"{self.place}: {self.severity}: {self.message}")


def summary(problems: list[Problem], strict: bool = False, verbose: bool = False, hints: Mapping[str, str] | None = None) -> list[str]:
    """What the terminal shows: like problems grouped by kind with a count and a few places, then a tally.

    A 13,000-file archive can have thousands of files with the same trouble;
    one line per kind reads better than a wall.  A kind met once keeps its
    whole line, details and all.  *verbose* lists every problem one by one, *strict* every
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
            alone = len(group) == 1
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
    return printable(f"{severity}: {kind} ({len(group)}×): {places}")


class BuildError(Exception):
    """A problem that stops the whole build (bad configuration, missing theme)."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem
