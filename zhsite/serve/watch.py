"""Watching the project's sources and turning a burst of changes into one rebuild.

An editor's save is several events (write a temp file, rename it over the old
one, touch a backup), a ``git checkout`` hundreds; rebuilding on each would
rebuild many times for one change.  The ``Debouncer`` waits until no event
has come for a short quiet period, then rebuilds once; events during a
rebuild cause exactly one more.

What is watched follows the configuration (``content_dir``, the theme), so
the ``Watcher`` is told the new :class:`WatchPlan` after every build.
"""
from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver, ObservedWatch
from watchdog.observers.polling import PollingObserver

from zhsite.config import CONFIG_FILE, Config, load_config
from zhsite.load import is_editor_noise
from zhsite.problems import BuildError
from zhsite.render import theme_dir

# Events that change a file's contents or existence; opening and closing do not (the build itself reads files).
_CHANGES = {"created", "modified", "deleted", "moved"}


@dataclass(frozen=True)
class WatchPlan:
    """The folders to watch recursively, the project folder itself (for zhsite.toml) and what to ignore."""

    project: Path
    roots: tuple[Path, ...]
    output: Path

    def relevant(self, path: str) -> bool:
        changed = Path(path)
        if changed == self.output or self.output in changed.parents:
            return False
        if changed.parent == self.project:
            # In the project folder itself only zhsite.toml counts, and a watched folder appearing or going.
            return changed.name == CONFIG_FILE or any(changed == root or changed in root.parents for root in self.roots)
        for root in self.roots:
            if changed == root:
                return True
            if root in changed.parents:
                return not any(is_editor_noise(part) for part in changed.relative_to(root).parts)
        return False

    def folders(self) -> set[tuple[Path, bool]]:
        """(folder, recursive) pairs that exist now; a missing one is noticed when it appears in the project folder."""
        return {(self.project, False)} | {(root, True) for root in self.roots if root.is_dir()}


def plan_for(project: Path) -> WatchPlan:
    """content/ (or content_dir), templates/, themes/ and the theme in use, even when the configuration is broken."""
    project = project.resolve()
    try:
        config = load_config(project)
    except BuildError:
        config = Config()
    roots = [project / config.content_dir, project / "templates", project / "themes"]
    try:
        roots.append(theme_dir(project, config.theme))  # the packaged theme, when the project has none of its own
    except BuildError:
        pass
    return WatchPlan(project, tuple(dict.fromkeys(r.resolve() for r in roots)), (project / config.output_dir).resolve())


# Seconds without a change after a rebuild before the idle work (zhsite/serve/server.py): longer than
# an editor's pause between two saves, so that work does not slow a save's rebuild.
IDLE_AFTER = 3.0


class Debouncer:
    """Calls *action* on its own thread once *quiet* seconds have passed without a ``poke``,
    and *idle* once *idle_after* seconds have passed after an action without one."""

    def __init__(self, action: Callable[[], None], quiet: float = 0.05, idle: Callable[[], None] | None = None,
                 idle_after: float = IDLE_AFTER) -> None:
        self._action = action
        self._quiet = quiet
        self._idle = idle
        self._idle_after = idle_after
        self._idle_at: float | None = None  # when *idle* is due, if it is
        self._changed = threading.Condition()
        self._last_poke: float | None = None
        self._stopped = False
        self._thread = threading.Thread(target=self._run, name="zhsite-rebuild", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def poke(self) -> None:
        with self._changed:
            self._last_poke = time.monotonic()
            self._changed.notify()

    def stop(self) -> None:
        with self._changed:
            self._stopped = True
            self._changed.notify()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout=10)

    def _run(self) -> None:
        while (due := self._wait()) is not None:
            due()
            if due is self._action and self._idle is not None:
                with self._changed:  # counted from the end of the rebuild, however long it took
                    self._idle_at = time.monotonic() + self._idle_after

    def _wait(self) -> Callable[[], None] | None:
        """What to call next: the action once the files are quiet, *idle* once all is; None once stopped."""
        with self._changed:
            while not self._stopped:
                now = time.monotonic()
                remaining: float | None = None
                if self._last_poke is not None:
                    remaining = self._last_poke + self._quiet - now
                    if remaining <= 0:
                        self._last_poke = None
                        self._idle_at = None
                        return self._action
                elif self._idle is not None and self._idle_at is not None:
                    remaining = self._idle_at - now
                    if remaining <= 0:
                        self._idle_at = None
                        return self._idle
                self._changed.wait(remaining)
            return None


class _Forward(FileSystemEventHandler):
    def __init__(self, watcher: Watcher) -> None:
        self._watcher = watcher

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type not in _CHANGES or (event.is_directory and event.event_type == "modified"):
            return
        paths = [event.src_path, getattr(event, "dest_path", "")]
        plan = self._watcher.plan
        if any(p and plan.relevant(os.fsdecode(p)) for p in paths):
            self._watcher.on_change()


class Watcher:
    """A watchdog observer over the current plan; ``poll`` trades inotify/FSEvents for stat() every second."""

    def __init__(self, plan: WatchPlan, on_change: Callable[[], None], poll: bool = False) -> None:
        self.plan = plan
        self.on_change = on_change
        self._observer: BaseObserver = PollingObserver() if poll else Observer()
        self._handler = _Forward(self)
        self._watches: dict[tuple[Path, bool], ObservedWatch] = {}
        self._lock = threading.Lock()
        self.follow(plan)

    def start(self) -> None:
        self._observer.start()

    def stop(self) -> None:
        self._observer.stop()
        if self._observer.is_alive():
            self._observer.join(timeout=10)

    def follow(self, plan: WatchPlan) -> None:
        """Watch what *plan* names now: folders created since, or another content_dir or theme."""
        with self._lock:
            self.plan = plan
            wanted = plan.folders()
            for key in set(self._watches) - wanted:
                self._observer.unschedule(self._watches.pop(key))
            for folder, recursive in wanted - set(self._watches):
                try:
                    self._watches[folder, recursive] = self._observer.schedule(self._handler, str(folder), recursive=recursive)
                except OSError:
                    pass  # gone again already; its parent's watch will see it come back
