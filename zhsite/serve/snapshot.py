"""The published site: the last good snapshot and the latest build's errors.

Request threads read the state while the rebuild thread replaces it, so the
state is immutable and replaced in one assignment under a lock: a request
holds either the old site or the new one, never a mix.  ``publish`` also
decides what open pages must be told, which keeps that rule in one place.
"""
from __future__ import annotations

import threading
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from zhsite.problems import Problem
from zhsite.serve.rebuild import Outcome


@dataclass(frozen=True)
class Snapshot:
    """One finished site.  ``id`` changes with every new snapshot; pages carry it to notice they are stale."""

    files: Mapping[str, bytes] = field(default_factory=lambda: MappingProxyType({}))
    id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])


@dataclass(frozen=True)
class State:
    site: Snapshot
    # Errors of the latest build; empty when it was clean.
    errors: tuple[Problem, ...] = ()
    # False until a build without errors: the site is then as much as could be built.
    good: bool = False

    def problem_text(self) -> str:
        headline = (
            "The last build failed; this is the last good version of the site."
            if self.good
            else "The build failed; this is as much of the site as could be built."
        )
        return headline + "\n\n" + "\n".join(str(p) for p in self.errors)


@dataclass(frozen=True)
class Change:
    """What a build means for open pages: ``reload`` or ``problem``."""

    event: str | None
    state: State


class Published:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._state = State(Snapshot())

    @property
    def state(self) -> State:
        with self._lock:
            return self._state

    def publish(self, outcome: Outcome) -> Change:
        with self._lock:
            change = _next(self._state, outcome)
            self._state = change.state
            return change


def _next(old: State, outcome: Outcome) -> Change:
    errors = tuple(outcome.errors)
    if errors:
        if old.good or outcome.files is None:
            return Change("problem", State(old.site, errors, old.good))
        # Nothing good to keep yet: show what this build made, under its errors.
        return Change("reload", State(Snapshot(outcome.files), errors, False))
    assert outcome.files is not None
    # Pages are drawn on demand (zhsite/serve/drawn.py), so a new site is not compared with the old: it reloads.
    return Change("reload", State(Snapshot(outcome.files), (), True))
