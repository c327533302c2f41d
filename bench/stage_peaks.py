"""Where a build's own peak memory is: ``zhsite build`` in this process, its resident memory sampled every 10 ms and
each sample counted to the step running then, which bench/scale.py's one peak a build does not say.

Usage: python bench/stage_peaks.py PROJECT [--no-cache]

PROJECT: a bench/archive.py project, built once (``python -m zhsite build -s PROJECT``) for a site in place.
--no-cache: its build cache removed first, the site left: every page made anew and drawn over the site in place,
as after a new zhsite is installed (whose cache entries are all new).  Prints the largest sample of each step
(``after X``: between X and the next step), the wall time and the process's own peak (ru_maxrss).  The build's
steps are wrapped where build.py calls them; the figures are this process's, not its workers'.
"""
from __future__ import annotations

import argparse
import resource
import shutil
import threading
import time
from pathlib import Path

import zhsite.build as build
from zhsite.cache import BuildCache
from zhsite.cli import main
from zhsite.render.reuse import Reuse

STEPS = [(build, name, name) for name in ("load", "rewrite_site", "let_go_of_sources", "plan", "write", "put_index", "remember")] + [
    (build.RenderAndSearch, "__init__", "render and search set up"), (build.RenderAndSearch, "pages", "drawing"),
    (build.RenderAndSearch, "search_index", "waiting for the search index"), (Reuse, "keep_unchanged", "pages kept"),
    (Reuse, "remember", "pages' records kept"), (BuildCache, "keep_only_used", "cache trimmed"),
]


class Steps:
    """The step running now, set by wrappers around each of STEPS, and the largest resident memory seen in each."""

    def __init__(self) -> None:
        self.now = "start"
        self.peaks: dict[str, float] = {}
        for owner, name, label in STEPS:
            setattr(owner, name, self._wrapped(getattr(owner, name), label))
        threading.Thread(target=self._sample, daemon=True).start()

    def _wrapped(self, function, label: str):
        def step(*args, **kwargs):
            self.now = label
            try:
                return function(*args, **kwargs)
            finally:
                self.now = f"after {label}"
        return step

    def _sample(self) -> None:
        while True:
            with open("/proc/self/statm") as statm:
                rss = int(statm.read().split()[1]) * resource.getpagesize() / 2**20
            self.peaks[self.now] = max(self.peaks.get(self.now, 0), rss)
            time.sleep(0.01)


def run() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("--no-cache", action="store_true", help="remove the build cache first, leave the site")
    args = parser.parse_args()
    if args.no_cache:
        shutil.rmtree(args.project / ".zhsite-cache", ignore_errors=True)
    steps = Steps()
    started = time.perf_counter()
    try:
        main(["build", "-s", str(args.project)], standalone_mode=False)
    except SystemExit:
        pass
    wall = time.perf_counter() - started
    for label, peak in dict(steps.peaks).items():
        print(f"{label:32s} {peak:7.0f} MB")
    print(f"wall {wall:.1f} s, own peak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":  # the build's workers re-import this module (forkserver): they must not build
    run()
