"""The missing-images report: per article or note, each picture that could not be had and why.

Build warnings name only the first place a picture is used and are grouped by
kind, which suits a build log; someone repairing an archive wants the other
view, every article with the pictures it lacks, to fetch or scan them again.
``zhsite images`` and ``zhsite build --report`` print the same lines, with
control characters escaped (zhsite/problems.py's ``printable``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from zhsite.problems import printable


@dataclass(frozen=True)
class Missing:
    """A picture that could not be had: its best URL, the reason, and every (source, where) using it."""

    url: str
    reason: str
    uses: tuple[tuple[str, str], ...]


def _place(source: str, where: str) -> str:
    return f"{source}:{where}" if where else source


def _natural(place: str) -> list:
    """Sort key: file names, then article ids as numbers (article 99 before article 100)."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", place)]


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def missing_report(missing: list[Missing]) -> list[str]:
    """One heading per article or note, sorted by file and id so a long report is easy to scan; its missing pictures under it; a tally."""
    if not missing:
        return ["no images missing"]
    by_place: dict[str, list[Missing]] = {}
    for picture in missing:
        for source, where in picture.uses:
            by_place.setdefault(_place(source, where), []).append(picture)
    lines: list[str] = []
    for place, pictures in sorted(by_place.items(), key=lambda item: _natural(item[0])):
        lines.append(f"{place}: {_plural(len(pictures), 'image')} missing")
        lines += [f"  {picture.url}: {picture.reason}" for picture in pictures]
    lines.append(f"{_plural(len(missing), 'image')} missing, in {len(by_place)} of the articles and notes")
    return [printable(line) for line in lines]  # addresses and reasons from archives and servers: shown, never obeyed
